using System.Diagnostics;
using Radiant.Data;
using Radiant.Imaging;
using Radiant.Mathematics;
using Radiant.Model;
using Radiant.Rendering;
using Radiant.Training;

namespace Radiant.Benchmarks;

/// <summary>
/// Cost of Mip-Splatting's anti-aliasing filters (for <c>radiant bench --antialias</c>): render,
/// backward and training-step time with both filters off (reference 0.3 px² dilation) and on (3D
/// smoothing filter + 2D Mip filter), on <see cref="RendererBenchmark"/>'s scene, plus the time to
/// recompute the 3D filter for 100 training views. Off and on alternate, so machine load affects both alike.
/// </summary>
public static class AntiAliasingBenchmark
{
    /// <summary>Medians in milliseconds, off → on.</summary>
    public sealed record Result(int Gaussians, int Width, int Height,
                               double ForwardOffMs, double ForwardOnMs, double BackwardOffMs, double BackwardOnMs,
                               double StepOffMs, double StepOnMs, double FilterComputeMs);

    public const int FilterViews = 100;

    public static Result Run(int gaussians, int width, int height, int iterations = 10, int seed = 1)
    {
        (GaussianSet plain, RenderCamera camera) = RendererBenchmark.RandomScene(gaussians, width, height, seed);
        GaussianSet filtered = plain.Clone();
        RenderCamera[] views = Enumerable.Repeat(camera, FilterViews).ToArray();
        var compute = new double[iterations];
        for (int i = 0; i < iterations; i++) compute[i] = Time(() => SmoothingFilter.Compute(filtered, views));

        var reference = new RenderOptions { ShDegree = 3, Background = [1, 1, 1] };
        RenderOptions mip = reference.WithFilter2D(mip: true);
        var renderer = new Renderer();
        var grads = new GaussianGradients(plain);
        var dColor = new float[3 * width * height];
        var rng = new Random(seed + 1);
        for (int k = 0; k < dColor.Length; k++) dColor[k] = (float)(rng.NextDouble() - 0.5) / dColor.Length;

        var t = new double[6][];
        for (int k = 0; k < t.Length; k++) t[k] = new double[iterations];
        // One round times both variants (round −1: warm-up, not kept). The warm-up trains trainers of
        // its own, so the timed steps start from the initial scene.
        Trainer off = NewTrainer(plain.Clone(), camera, antiAlias: false, seed);
        Trainer on = NewTrainer(plain.Clone(), camera, antiAlias: true, seed);
        WarmUp.Run(() => Round(-1));
        off = NewTrainer(plain.Clone(), camera, antiAlias: false, seed);
        on = NewTrainer(plain.Clone(), camera, antiAlias: true, seed);
        for (int i = 0; i < iterations; i++) Round(i);

        void Round(int i)
        {
            for (int variant = 0; variant < 2; variant++)
            {
                GaussianSet g = variant == 0 ? plain : filtered;
                RenderOptions o = variant == 0 ? reference : mip;
                grads.Clear();
                double forward = Time(() => renderer.Render(g, camera, o));
                double backward = Time(() => renderer.Backward(dColor, default, grads));
                double step = Time(() => (variant == 0 ? off : on).Step());
                if (i < 0) continue;
                t[variant][i] = forward; t[2 + variant][i] = backward; t[4 + variant][i] = step;
            }
        }
        return new Result(gaussians, width, height, Median(t[0]), Median(t[1]), Median(t[2]), Median(t[3]), Median(t[4]), Median(t[5]), Median(compute));
    }

    /// <summary>A trainer on one view of the scene with a smooth target (no densification; the 3D filter is computed once at the start, as a run does).</summary>
    private static Trainer NewTrainer(GaussianSet g, RenderCamera rc, bool antiAlias, int seed)
    {
        var camera = new Camera
        {
            Name = "bench", Width = rc.Width, Height = rc.Height, Fx = rc.Fx, Fy = rc.Fy, Cx = rc.Cx, Cy = rc.Cy,
            Rotation = Mat3.Identity, Translation = new Vec3(0, 0, 4), ImagePath = "",
        };
        var target = new Image(rc.Width, rc.Height, 3);
        for (int c = 0; c < 3; c++)
            for (int y = 0; y < rc.Height; y++)
                for (int x = 0; x < rc.Width; x++)
                    target[c, x, y] = 0.5f + 0.4f * MathF.Sin(0.05f * (x + y) + c);
        var options = new TrainingOptions { Iterations = 1_000_000, Densify = false, Seed = (ulong)seed, AntiAlias = antiAlias };
        return new Trainer(g, [new TrainingView(camera, rc, target, null)], sceneExtent: 4, background: [1, 1, 1], options);
    }

    private static double Time(Action action)
    {
        long t0 = Stopwatch.GetTimestamp();
        action();
        return Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
    }

    private static double Median(double[] values) => values.Order().ElementAt(values.Length / 2);
}
