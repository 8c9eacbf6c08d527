using System.Diagnostics;
using Radiant.Evaluation;
using Radiant.Imaging;
using Radiant.Training;

namespace Radiant.Logging;

/// <summary>
/// What a training run logs for other tools: <c>metrics.jsonl</c> (<see cref="MetricsLog"/>) and a
/// TensorBoard event file (<see cref="EventFileWriter"/>) with the same scalars and a test render at
/// each evaluation. An iteration is logged at iteration 1, every <c>logEvery</c> iterations, at the
/// last one and whenever the test split was evaluated; its line waits until the session says whether
/// it evaluated at that iteration, so test metrics share the line of their iteration.
/// </summary>
public sealed class TrainingLog : IDisposable
{
    // TensorBoard tags of the scalars and the image.
    public const string LossTag = "train/loss", L1Tag = "train/l1", SsimTag = "train/ssim", TrainPsnrTag = "train/psnr",
        GaussiansTag = "model/gaussians", LrMeansTag = "lr/means", SpeedTag = "speed/iterations_per_second",
        TestPsnrTag = "test/psnr", TestSsimTag = "test/ssim", TestRenderTag = "test/render";

    private readonly EventFileWriter _events;
    private readonly int _every;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly double _elapsedBefore;
    private MetricsRecord? _pending;
    private bool _pendingDue;

    public MetricsLog Metrics { get; }

    private TrainingLog(MetricsLog metrics, EventFileWriter events, int every)
    {
        Metrics = metrics;
        _events = events;
        _every = Math.Max(1, every);
        _elapsedBefore = metrics.Kept.Count > 0 && double.IsFinite(metrics.Kept[^1].ElapsedSeconds) ? metrics.Kept[^1].ElapsedSeconds : 0;
    }

    /// <summary>Opens the logs of a run folder; <paramref name="resumeIteration"/> is the checkpoint's iteration when resuming.</summary>
    public static TrainingLog Open(string dir, int logEvery, int? resumeIteration)
    {
        MetricsLog metrics = MetricsLog.Open(dir, resumeIteration);
        try { return new TrainingLog(metrics, EventFileWriter.Create(dir), logEvery); }
        catch { metrics.Dispose(); throw; }
    }

    /// <summary>After every training iteration.</summary>
    public void Step(TrainingStep step, double lrMeans, double iterationsPerSecond, bool last)
    {
        WritePending();
        _pending = new MetricsRecord
        {
            Iteration = step.Iteration,
            Loss = step.Loss,
            L1 = step.L1,
            Ssim = step.Ssim,
            TrainPsnr = ImageMetrics.Psnr(step.Mse),
            Gaussians = step.GaussianCount,
            LrMeans = lrMeans,
            ElapsedSeconds = _elapsedBefore + _clock.Elapsed.TotalSeconds,
            IterationsPerSecond = iterationsPerSecond,
        };
        _pendingDue = step.Iteration == 1 || step.Iteration % _every == 0 || last;
    }

    /// <summary>The test split was evaluated after iteration <paramref name="iteration"/>; <paramref name="render"/> is one test view's render.</summary>
    public void Evaluation(int iteration, IReadOnlyList<ViewMetrics> test, Image? render)
    {
        if (_pending is null || _pending.Iteration != iteration || test.Count == 0) return;
        _pending = _pending with { TestPsnr = test.Average(v => v.Psnr), TestSsim = test.Average(v => v.Ssim) };
        _pendingDue = true;
        WritePending();
        if (render is not null) _events.Image(iteration, TestRenderTag, render);
    }

    private void WritePending()
    {
        if (_pending is not { } r || !_pendingDue) { _pending = null; return; }
        _pending = null;
        if (!Metrics.Append(r)) return;
        var scalars = new List<(string, double)>
        {
            (LossTag, r.Loss), (L1Tag, r.L1), (SsimTag, r.Ssim), (TrainPsnrTag, r.TrainPsnr),
            (GaussiansTag, r.Gaussians), (LrMeansTag, r.LrMeans), (SpeedTag, r.IterationsPerSecond),
        };
        if (r.TestPsnr is { } p) scalars.Add((TestPsnrTag, p));
        if (r.TestSsim is { } s) scalars.Add((TestSsimTag, s));
        _events.Scalars(r.Iteration, scalars);
    }

    public void Dispose()
    {
        try { WritePending(); }
        finally
        {
            _events.Dispose();
            Metrics.Dispose();
        }
    }
}
