using System.Diagnostics;
using Radiant.Model;

using Radiant.Rendering;

namespace Radiant.Benchmarks;

/// <summary>Timing of <see cref="Renderer"/> on a random scene (for <c>radiant bench</c>).</summary>
public static class RendererBenchmark
{
    /// <summary>
    /// Medians over the timed iterations; FPS = 1000 / forward ms; CPU ms per render+backward (all
    /// threads, mean); stage times are minimums (the least disturbed by other load on the machine), as
    /// are the calling thread's CPU ms of forward and backward (all the work with one kernel worker).
    /// </summary>
    public sealed record Result(int Gaussians, int Width, int Height, int Visible, double IntersectionsPerVisible,
                                double ForwardMs, double BackwardMs, double Fps, double CpuMsPerStep, RenderTimings Stages,
                                ulong ImageHash = 0, ulong GradientHash = 0, double ThreadCpuForwardMs = double.NaN, double ThreadCpuBackwardMs = double.NaN);

    /// <summary>
    /// Renders a random scene like the reference 3DGS random initialisation for NeRF-synthetic:
    /// <paramref name="gaussians"/> points uniform in the cube [−1.3, 1.3]³ seen from 4 units away
    /// with the Blender camera's horizontal field of view (0.6911 rad), isotropic scales from the
    /// root-mean-square distance to the 3 nearest neighbours, opacity 0.1, SH degree 3 active; in
    /// Morton order, as a training run starts.
    /// <paramref name="cameraDistance"/> moves the camera (from the cube's centre; 1.3 puts it at the
    /// cube's face, as in a capture taken inside a scene: large splats near the camera, many culled).
    /// Times <see cref="Renderer.Render"/> and <see cref="Renderer.Backward"/> separately; with
    /// <paramref name="absGrad"/> the backward also sums AbsGS's statistic (as training with --absgrad does while it densifies).
    /// </summary>
    public static Result Run(int gaussians = 100_000, int width = 400, int height = 400, int iterations = 15, int seed = 1,
                             float cameraDistance = DefaultCameraDistance, bool absGrad = false)
    {
        (GaussianSet g, RenderCamera camera) = RandomScene(gaussians, width, height, seed, cameraDistance);
        var renderer = new Renderer();
        var options = new RenderOptions { ShDegree = 3, Background = [1, 1, 1] };
        var grads = new GaussianGradients(g) { TrackAbsoluteScreenGrad = absGrad };
        var rng = new Random(seed + 1);
        var dColor = new float[3 * width * height];
        for (int k = 0; k < dColor.Length; k++) dColor[k] = (float)(rng.NextDouble() - 0.5) / dColor.Length;

        RenderResult result = renderer.Render(g, camera, options);
        WarmUp.Run(() =>
        {
            renderer.Render(g, camera, options);
            renderer.Backward(dColor, default, grads);
        });
        var stages = new RenderTimings[iterations];
        TimeSpan cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        var forward = new double[iterations];
        var backward = new double[iterations];
        var cpuForward = new double[iterations];
        var cpuBackward = new double[iterations];
        for (int i = 0; i < iterations; i++)
        {
            grads.Clear();
            double c0 = ThreadCpuClock.Ms();
            long t0 = Stopwatch.GetTimestamp();
            result = renderer.Render(g, camera, options);
            long t1 = Stopwatch.GetTimestamp();
            double c1 = ThreadCpuClock.Ms();
            renderer.Backward(dColor, default, grads);
            long t2 = Stopwatch.GetTimestamp();
            cpuForward[i] = c1 - c0;
            cpuBackward[i] = ThreadCpuClock.Ms() - c1;
            forward[i] = Stopwatch.GetElapsedTime(t0, t1).TotalMilliseconds;
            backward[i] = Stopwatch.GetElapsedTime(t1, t2).TotalMilliseconds;
            stages[i] = renderer.LastTimings;
        }
        double cpuMs = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalMilliseconds / iterations;
        ulong imageHash = Hash(result.Color.Data) ^ Hash(result.Alpha) * 31;   // (colour and alpha: a render without depth)
        ulong gradientHash = Hash(grads.Means) ^ Hash(grads.OpacityLogits) * 31 ^ Hash(grads.ShColourGrad) * 17 ^ Hash(grads.LogScales) * 7;
        double f = Median(forward), b = Median(backward);
        return new Result(gaussians, width, height, result.VisibleCount,
            result.VisibleCount == 0 ? 0 : (double)result.TileIntersections / result.VisibleCount, f, b, 1000 / f, cpuMs,
            new RenderTimings(stages.Min(s => s.ProjectMs), stages.Min(s => s.SortMs), stages.Min(s => s.BinMs), stages.Min(s => s.RasterMs),
                              stages.Min(s => s.RasterBackwardMs), stages.Min(s => s.ProjectBackwardMs)),
            imageHash, gradientHash, cpuForward.Min(), cpuBackward.Min());
    }

    /// <summary>FNV-1a over the float bits (bit-identity checks between builds).</summary>
    private static ulong Hash(float[] values)
    {
        ulong h = 14695981039346656037;
        foreach (float v in values) h = (h ^ BitConverter.SingleToUInt32Bits(v)) * 1099511628211;
        return h;
    }

    private static double Median(double[] values)
    {
        double[] sorted = (double[])values.Clone();
        Array.Sort(sorted);
        int m = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[m] : 0.5 * (sorted[m - 1] + sorted[m]);
    }

    /// <summary>The camera's distance from the centre of the benchmark scene's cube (half side 1.3).</summary>
    public const float DefaultCameraDistance = 4;

    /// <summary>The benchmark scene (see <see cref="Run"/>).</summary>
    public static (GaussianSet Gaussians, RenderCamera Camera) RandomScene(int gaussians, int width, int height, int seed,
                                                                          float cameraDistance = DefaultCameraDistance)
    {
        var rng = new Random(seed);
        var g = new GaussianSet(gaussians, 3);
        const float half = 1.3f;
        for (int k = 0; k < g.Means.Length; k++) g.Means[k] = (float)(rng.NextDouble() * 2 - 1) * half;
        float[] meanSquared = NearestNeighbors.MeanSquaredDistances(g.Means, 3);
        int coefficients = g.ShCoefficients;
        for (int i = 0; i < gaussians; i++)
        {
            float logScale = 0.5f * MathF.Log(MathF.Max(meanSquared[i], 1e-7f));
            g.LogScales[3 * i] = g.LogScales[3 * i + 1] = g.LogScales[3 * i + 2] = logScale;
            g.OpacityLogits[i] = GaussianSet.Logit(0.1f);
            for (int c = 0; c < 3; c++)
            {
                g.Sh[i * coefficients * 3 + c] = ((float)rng.NextDouble() - 0.5f) / GaussianSet.ShC0;
                for (int k = 1; k < coefficients; k++) g.Sh[(i * coefficients + k) * 3 + c] = ((float)rng.NextDouble() - 0.5f) * 0.05f;
            }
        }
        g.SortSpatially();   // the order a training run starts from (TrainingSession.Initialise)
        // Camera on −z (4 units from the centre by default), looking along +z, OpenCV axes.
        float focal = 0.5f * width / MathF.Tan(0.5f * 0.6911112f);
        var camera = new RenderCamera(width, height, focal, focal, 0.5f * width, 0.5f * height,
            [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, cameraDistance]);
        return (g, camera);
    }
}
