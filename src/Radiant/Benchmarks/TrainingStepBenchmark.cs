using System.Diagnostics;
using Radiant.Data;
using Radiant.Imaging;
using Radiant.Mathematics;
using Radiant.Model;
using Radiant.Rendering;
using Radiant.Training;

namespace Radiant.Benchmarks;

/// <summary>
/// Times whole training iterations (render, loss with SSIM, backward, Adam) on the benchmark
/// scene of <see cref="RendererBenchmark"/>, and measures the managed memory a training run holds
/// per Gaussian (model, gradients, optimiser state, renderer workspaces).
/// </summary>
public static class TrainingStepBenchmark
{
    /// <summary><paramref name="ManagedBytes"/>: memory held by the training state after warm-up (model, optimiser, gradients, renderer and loss workspaces, the target image).</summary>
    public sealed record Result(int Gaussians, int Width, int Height, double StepMs, long ManagedBytes);

    public static Result Run(int gaussians, int width, int height, int iterations = 10, int seed = 1,
                             float cameraDistance = RendererBenchmark.DefaultCameraDistance)
    {
        long before = GC.GetTotalMemory(forceFullCollection: true);
        (GaussianSet g, RenderCamera rc) = RendererBenchmark.RandomScene(gaussians, width, height, seed, cameraDistance);
        var camera = new Camera
        {
            Name = "bench", Width = width, Height = height, Fx = rc.Fx, Fy = rc.Fy, Cx = rc.Cx, Cy = rc.Cy,
            Rotation = Mat3.Identity, Translation = new Vec3(0, 0, cameraDistance), ImagePath = "",
        };
        // A target with structure so that SSIM and L1 have work to do.
        var target = new Image(width, height, 3);
        for (int c = 0; c < 3; c++)
            for (int y = 0; y < height; y++)
                for (int x = 0; x < width; x++)
                    target[c, x, y] = 0.5f + 0.4f * MathF.Sin(0.07f * x * (c + 1) + 0.05f * y);
        var views = new[] { new TrainingView(camera, rc, target, null) };
        var options = new TrainingOptions { Iterations = 1_000_000, Densify = false, Seed = (ulong)seed };
        // The compiler's warm-up trains a copy, so that the timed steps start from the random initialisation.
        WarmUpOn(g.Clone(), views, options);
        var trainer = new Trainer(g, views, sceneExtent: 4, background: [1, 1, 1], options);

        for (int i = 0; i < WarmUp.MinCalls; i++) trainer.Step();   // its own buffers, before the memory is measured
        long after = GC.GetTotalMemory(forceFullCollection: true);
        var times = new double[iterations];
        for (int i = 0; i < iterations; i++)
        {
            long t0 = Stopwatch.GetTimestamp();
            trainer.Step();
            times[i] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
        }
        Array.Sort(times);
        GC.KeepAlive(trainer);
        return new Result(gaussians, width, height, times[iterations / 2], after - before);
    }

    // A method of its own, so that the warm-up trainer is garbage once it returns (not counted in the memory).
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void WarmUpOn(GaussianSet g, TrainingView[] views, TrainingOptions options)
    {
        var trainer = new Trainer(g, views, sceneExtent: 4, background: [1, 1, 1], options);
        WarmUp.Run(() => trainer.Step());
    }
}
