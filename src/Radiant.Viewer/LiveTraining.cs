using System.Diagnostics;
using Radiant.Export;
using Radiant.Model;
using Radiant.Training;

namespace Radiant.Viewer;

/// <summary>
/// <c>radiant train --viewer</c>'s source. It hooks into the run as an <see cref="ITrainingObserver"/>
/// and keeps the training thread's share of the work to copies taken between iterations:
/// <list type="bullet">
/// <item>every step appends one <see cref="TrainingPoint"/> (a lock and a struct);</item>
/// <item>every <c>refreshEvery</c> iterations (and at the first and last) the Gaussians are cloned and
/// the .ply is encoded from the clone on a lowest-priority thread (<see cref="BackgroundLane"/>);</item>
/// <item>a render request asks for a copy at the next iteration boundary, into one reused buffer;
/// <see cref="RenderService"/> renders it on its own lowest-priority thread, one render at a time;</item>
/// <item>pause blocks the training thread here; "save checkpoint now" is written here, between iterations.</item>
/// </list>
/// </summary>
public sealed class LiveTraining : IViewerSource, IDisposable
{
    private readonly string _outDir;
    private readonly TrainingRunSettings _settings;
    private readonly int _refreshEvery;
    private readonly CancellationToken _cancel;
    private readonly Lock _gate = new();
    private readonly List<TrainingPoint> _points = [];
    private readonly ManualResetEventSlim _resumed = new(true);
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly BackgroundLane _encoder = new("radiant-viewer-encode");
    private IReadOnlyList<ViewerCamera> _cameras = [];
    private ServedModel? _model;
    private ServedModel? _lastSnapshot;   // the latest copy of either kind
    private ServedModel? _lastRefresh;    // the latest own clone (never overwritten)
    private GaussianSet? _renderCopy; // written by the training thread only while a render request is pending
    private TaskCompletionSource<ServedModel?>? _snapshotRequest;
    private TaskCompletionSource<string>? _checkpointRequest;
    private int _version, _lastRefreshIteration, _iteration;
    private double _itPerSecond;
    private volatile bool _paused, _finished;
    private readonly ManualResetEventSlim _finishSeen = new(false);   // a page took in the end of the run (POST /api/training/done)
    private long _lastPollTicks;
    // True while the training thread is actually held between iterations (a pause asked for
    // mid-iteration takes effect only at the next boundary: the iteration can still move once).
    private volatile bool _holding;
    private string _lastMessage = "";

    public LiveTraining(string outDir, TrainingRunSettings settings, int refreshEvery, CancellationToken cancel)
    {
        if (refreshEvery < 1) throw new RadiantException($"--viewer-refresh must be positive (got {refreshEvery})");
        _outDir = outDir;
        _settings = settings;
        _refreshEvery = refreshEvery;
        _lastRefreshIteration = -refreshEvery; // the first iteration publishes a model
        _cancel = cancel;
    }

    public string Title => _outDir;
    public ServedModel? Model => Volatile.Read(ref _model);
    public bool Paused => _paused;
    public int TotalIterations => _settings.Options.Iterations;

    /// <summary>cameras.json appears once the session has read the dataset; read it the first time it is there.</summary>
    public IReadOnlyList<ViewerCamera> Cameras
    {
        get
        {
            if (_cameras.Count == 0)
            {
                string path = Path.Combine(_outDir, RunCameras.FileName);
                if (File.Exists(path)) _cameras = RunCameras.Read(path);
            }
            return _cameras;
        }
    }

    /// <summary>An observer that passes everything on to <paramref name="inner"/> (the terminal display) and feeds the viewer.</summary>
    public ITrainingObserver Observe(ITrainingObserver inner) => new Tee(this, inner);

    /// <summary>Marks the run as over: renders come from the last snapshot, pause no longer applies.</summary>
    public void Finish()
    {
        _finished = true;
        _resumed.Set();
        Interlocked.Exchange(ref _snapshotRequest, null)?.TrySetResult(_lastSnapshot);
        Interlocked.Exchange(ref _checkpointRequest, null)?.TrySetException(new InvalidOperationException("training has finished"));
    }

    public void Pause()
    {
        if (_finished) return;
        _paused = true;
        _resumed.Reset();
    }

    public void Resume()
    {
        _paused = false;
        _resumed.Set();
    }

    /// <summary>Asks the training thread to write the checkpoint at the next iteration boundary; returns its path.</summary>
    public async Task<string> SaveCheckpointAsync(CancellationToken cancel)
    {
        if (_finished) throw new InvalidOperationException("training has finished");
        var request = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        TaskCompletionSource<string> pending = Interlocked.CompareExchange(ref _checkpointRequest, request, null) ?? request;
        return await pending.Task.WaitAsync(TimeSpan.FromSeconds(60), cancel);
    }

    public async Task<ServedModel?> RenderStateAsync(CancellationToken cancel)
    {
        if (_finished || _iteration == 0) return Volatile.Read(ref _lastSnapshot);
        var request = new TaskCompletionSource<ServedModel?>(TaskCreationOptions.RunContinuationsAsynchronously);
        TaskCompletionSource<ServedModel?> pending = Interlocked.CompareExchange(ref _snapshotRequest, request, null) ?? request;
        try { return await pending.Task.WaitAsync(TimeSpan.FromSeconds(10), cancel); }
        catch (TimeoutException)
        {
            // Withdraw the request so that the training thread cannot later copy into the render
            // buffer under a render; if it has already taken it, the copy is under way: wait for it.
            if (Interlocked.CompareExchange(ref _snapshotRequest, null, pending) == pending) return Volatile.Read(ref _lastRefresh);
            return await pending.Task.WaitAsync(cancel);
        }
    }

    public void Dispose()
    {
        _encoder.Dispose();
        _finishSeen.Dispose();
    }

    /// <summary>
    /// After <see cref="Finish"/>: when a page has been following the run (it asked for the status in
    /// the last 30 seconds), waits up to <paramref name="timeout"/> for it to take in the end (it
    /// posts /api/training/done once it has the final model and has turned its controls off), so
    /// that the server does not go away under it. True if a page did.
    /// </summary>
    public bool WaitForPageToSeeFinish(TimeSpan timeout)
    {
        long last = Interlocked.Read(ref _lastPollTicks);
        // A page polls twice a second, but not while it loads a new model (seconds in software WebGL).
        if (last == 0 || Stopwatch.GetElapsedTime(last) > TimeSpan.FromSeconds(30)) return false;
        if (!_finishSeen.Wait(timeout)) return false;
        Thread.Sleep(300);   // a render refresh the page sent just before still gets its answer
        return true;
    }

    /// <summary>The page has taken in the end of the run (called by POST /api/training/done).</summary>
    public void PageTookInFinish()
    {
        if (_finished) _finishSeen.Set();
    }

    /// <summary>The curves' points after iteration <paramref name="since"/> and the run's state, for /api/training.</summary>
    public TrainingStatus Status(int since)
    {
        Interlocked.Exchange(ref _lastPollTicks, Stopwatch.GetTimestamp());
        lock (_gate)
        {
            int first = _points.FindIndex(p => p.Iteration > since);
            TrainingPoint[] points = first < 0 ? [] : _points.GetRange(first, _points.Count - first).ToArray();
            return new TrainingStatus(_iteration, TotalIterations, _paused, _paused && _holding, _finished, Math.Round(_itPerSecond, 2),
                Math.Round(_clock.Elapsed.TotalSeconds, 1), Model?.Version ?? 0, _lastMessage, points);
        }
    }

    private void OnStep(TrainingStep step, double trainPsnr, double itPerSecond)
    {
        lock (_gate)
        {
            _points.Add(new TrainingPoint(step.Iteration, (float)step.Loss, (float)trainPsnr, step.GaussianCount));
            _iteration = step.Iteration;
            _itPerSecond = itPerSecond;
        }
    }

    private void OnMessage(string text)
    {
        lock (_gate) _lastMessage = text;
    }

    /// <summary>
    /// On the training thread, between iterations: serves the page's requests (a checkpoint saved is
    /// told on <paramref name="say"/>: the terminal and the page), and holds here while the page has
    /// training paused, telling the terminal (<paramref name="tell"/>; the page shows its own state).
    /// Returns the time held.
    /// </summary>
    private TimeSpan OnBetweenIterations(Trainer trainer, Action<string> say, Action<string> tell)
    {
        bool refresh = trainer.Iteration - _lastRefreshIteration >= _refreshEvery || trainer.Iteration == TotalIterations;
        ServeRequests(trainer, refresh, say);
        if (!_paused || _finished || _cancel.IsCancellationRequested) return TimeSpan.Zero;
        long start = Stopwatch.GetTimestamp();
        tell($"paused from the viewer at iteration {trainer.Iteration}");
        while (_paused && !_finished && !_cancel.IsCancellationRequested)
        {
            _holding = true;
            _resumed.Wait(100);
            ServeRequests(trainer, refresh: false, say);
        }
        _holding = false;
        TimeSpan held = Stopwatch.GetElapsedTime(start);
        if (!_paused) tell($"resumed from the viewer after {Duration(held)}");
        return held;
    }

    /// <summary>A pause's length for the terminal: "45 s", "3 min 20 s", "1 h 05 min".</summary>
    private static string Duration(TimeSpan t) =>
        t.TotalHours >= 1 ? $"{(int)t.TotalHours} h {t.Minutes:00} min"
        : t.TotalMinutes >= 1 ? $"{(int)t.TotalMinutes} min {t.Seconds} s"
        : $"{Math.Max(0, (int)t.TotalSeconds)} s";

    private void ServeRequests(Trainer trainer, bool refresh, Action<string> say)
    {
        TaskCompletionSource<ServedModel?>? renderRequest = Interlocked.Exchange(ref _snapshotRequest, null);
        if (refresh || renderRequest is not null)
        {
            // The copy is the only part of a snapshot the training thread pays for. A snapshot only
            // for a render reuses one buffer (renders are one at a time, and the render path waits
            // for this copy): no 20 MB allocation a second for the collector to chase.
            GaussianSet copy = refresh ? trainer.Gaussians.Clone() : CopyForRender(trainer.Gaussians);
            var snapshot = new ServedModel(0, trainer.Iteration, copy, trainer.CurrentRenderOptions, []);
            Volatile.Write(ref _lastSnapshot, snapshot);
            renderRequest?.TrySetResult(snapshot);
            if (refresh)
            {
                _lastRefreshIteration = trainer.Iteration;
                Volatile.Write(ref _lastRefresh, snapshot);
                _ = _encoder.Run(() => Publish(snapshot));
            }
        }
        if (Interlocked.Exchange(ref _checkpointRequest, null) is { } checkpoint)
        {
            string path = Path.Combine(_outDir, TrainingCheckpoint.FileName);
            try
            {
                TrainingCheckpoint.Save(path, trainer, _settings);
                say($"checkpoint saved from the viewer at iteration {trainer.Iteration}: {path}");
                checkpoint.TrySetResult(path);
            }
            catch (Exception e) when (e is RadiantException or IOException or UnauthorizedAccessException) { checkpoint.TrySetException(e); }
        }
    }

    /// <summary>Copies <paramref name="g"/> into the render buffer (reallocated only when the count or SH degree changed).</summary>
    private GaussianSet CopyForRender(GaussianSet g)
    {
        if (_renderCopy is not { } c || c.Count != g.Count || c.ShDegree != g.ShDegree) return _renderCopy = g.Clone();
        c.CopyFrom(g);
        return c;
    }

    /// <summary>Encodes a snapshot as .ply (off the training thread) and makes it the served model.</summary>
    private void Publish(ServedModel snapshot)
    {
        var bytes = new MemoryStream();
        try { GaussianPly.Write(bytes, snapshot.Gaussians, $"snapshot at iteration {snapshot.Iteration}"); }
        catch (RadiantException e) { OnMessage(e.Message); return; }
        lock (_gate)
        {
            if (_model is { } current && current.Iteration >= snapshot.Iteration) return;
            Volatile.Write(ref _model, snapshot with { Version = ++_version, Ply = bytes.ToArray() });
        }
    }

    private sealed class Tee(LiveTraining live, ITrainingObserver inner) : ITrainingObserver
    {
        public IProgress<(int Done, int Total)> Phase(string name) => inner.Phase(name);

        public void Message(string text)
        {
            live.OnMessage(text);
            inner.Message(text);
        }

        public void Step(TrainingStep step, double trainPsnr, double iterationsPerSecond)
        {
            live.OnStep(step, trainPsnr, iterationsPerSecond);
            inner.Step(step, trainPsnr, iterationsPerSecond);
        }

        public TimeSpan BetweenIterations(Trainer trainer) =>
            live.OnBetweenIterations(trainer, Message, inner.Message) + inner.BetweenIterations(trainer);
    }
}

/// <summary>What /api/training answers.</summary>
/// <summary>
/// /api/training's answer. <see cref="Paused"/>: a pause was asked for; <see cref="Held"/>: the
/// training thread has reached the iteration boundary and waits (the iteration no longer moves).
/// </summary>
public sealed record TrainingStatus(int Iteration, int Total, bool Paused, bool Held, bool Finished, double IterationsPerSecond,
    double Seconds, int ModelVersion, string Message, TrainingPoint[] Points);
