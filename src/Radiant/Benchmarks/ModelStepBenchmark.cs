using System.Diagnostics;
using Radiant.Data;
using Radiant.Imaging;
using Radiant.Model;
using Radiant.Rendering;
using Radiant.Training;

namespace Radiant.Benchmarks;

/// <summary>
/// Training-step time on a trained model from its own cameras (for <c>radiant bench --model M
/// --step</c>): the workload of most of a real run (small, mostly opaque Gaussians), which the
/// random scenes of <see cref="TrainingStepBenchmark"/> do not show. Each view's target is the
/// model's render from the next camera, so loss and gradients are not zero; densification is off.
/// </summary>
public static class ModelStepBenchmark
{
    /// <summary>Median ms of a whole training iteration over the timed steps; <paramref name="Stages"/>: per-stage minimums of its render and backward.</summary>
    public sealed record Result(int Gaussians, int Views, double MedianMs, RenderTimings Stages);

    /// <summary>
    /// Warms the compiler up on one copy of <paramref name="model"/> (<see cref="WarmUp"/>), trains another
    /// for one step per view and at least as many as the SH degree (its buffers, and the full degree),
    /// then times <paramref name="rounds"/> steps per view (the trainer's own shuffled view order).
    /// </summary>
    public static Result Run(GaussianSet model, IReadOnlyList<Camera> cameras, RenderOptions options, int rounds,
                             IProgress<(int Done, int Total)>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (cameras.Count == 0) throw new ArgumentException("no cameras to train on", nameof(cameras));
        if (rounds < 1) throw new ArgumentOutOfRangeException(nameof(rounds));
        var renderer = new Renderer();
        var views = new TrainingView[cameras.Count];
        for (int i = 0; i < cameras.Count; i++)
        {
            Image target = renderer.Render(model, RenderCamera.From(cameras[(i + 1) % cameras.Count]), options).Color.Clone();
            views[i] = new TrainingView(cameras[i], RenderCamera.From(cameras[i]), target, null);
        }
        // As fine-tuning an exported model: its 3D filter is baked into scales and opacities, so only the
        // 2D filter it was trained with; its full SH degree from the third step on (a run starts at
        // degree 0 and raises it every ShIncreaseInterval iterations); no densification.
        var trainOptions = new TrainingOptions
        {
            Iterations = 1_000_000, ShDegree = model.ShDegree, ShIncreaseInterval = 1, Densify = false,
            AntiAlias = false, MipFilter2D = options.MipFilter, Dilation = options.Dilation,
        };
        double extent = Dataset.CameraExtent(cameras).Radius;
        // The compiler's warm-up trains a copy of its own, so that the timed steps start from the model.
        WarmUpOn(model.Clone(), views, extent, options.Background, trainOptions);
        var trainer = new Trainer(model.Clone(), views, extent, options.Background, trainOptions);
        for (int i = 0; i < Math.Max(views.Length, model.ShDegree); i++) trainer.Step();
        var times = new double[rounds * views.Length];
        var stages = new RenderTimings[times.Length];
        for (int i = 0; i < times.Length; i++)
        {
            long t0 = Stopwatch.GetTimestamp();
            trainer.Step();
            times[i] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            stages[i] = trainer.LastRenderTimings;
            progress?.Report((i + 1, times.Length));
        }
        Array.Sort(times);
        var minimum = new RenderTimings(stages.Min(s => s.ProjectMs), stages.Min(s => s.SortMs), stages.Min(s => s.BinMs),
                                        stages.Min(s => s.RasterMs), stages.Min(s => s.RasterBackwardMs), stages.Min(s => s.ProjectBackwardMs));
        return new Result(model.Count, views.Length, times[times.Length / 2], minimum);
    }

    // A method of its own, so that the warm-up trainer (a model and optimiser state) is garbage during the timed steps.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void WarmUpOn(GaussianSet copy, TrainingView[] views, double extent, float[] background, TrainingOptions options)
    {
        var trainer = new Trainer(copy, views, extent, background, options);
        WarmUp.Run(() => trainer.Step());
    }
}
