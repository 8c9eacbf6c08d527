using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;

namespace Radiant.Rendering;

/// <summary>
/// A small fixed pool of worker threads for the rendering kernels. <see cref="Run"/> calls
/// <c>job(w)</c> once for every worker index w in [0, <see cref="Workers"/>) — w = 0 on the calling
/// thread — and returns when all have finished. Jobs share work through their own atomic counters.
/// Nothing is allocated per call (the job delegate is cached by the caller). Calls are serialised;
/// a call made from inside a job runs all worker indices inline.
/// </summary>
internal sealed class KernelPool
{
    /// <summary>One worker per processor, or RADIANT_KERNEL_THREADS if set (e.g. 1 on a shared machine).</summary>
    public static KernelPool Shared { get; } = new(DefaultWorkers());

    private static int DefaultWorkers()
    {
        string? configured = Environment.GetEnvironmentVariable("RADIANT_KERNEL_THREADS");
        int workers = int.TryParse(configured, out int n) && n > 0 ? n : Environment.ProcessorCount;
        return Math.Clamp(workers, 1, 64);
    }

    public int Workers { get; }

    private readonly SemaphoreSlim[] _start;
    private readonly ManualResetEventSlim _done = new(false);
    private readonly object _gate = new();
    private Action<int>? _job;
    private int _pending;
    private Exception? _error;

    [ThreadStatic] private static bool t_insideJob;

    public KernelPool(int workers)
    {
        Workers = workers;
        _start = new SemaphoreSlim[workers];
        for (int w = 1; w < workers; w++)
        {
            _start[w] = new SemaphoreSlim(0);
            var thread = new Thread(Loop) { IsBackground = true, Name = $"radiant-kernel-{w}" };
            thread.Start(w);
        }
    }

    public void Run(Action<int> job)
    {
        if (Workers == 1 || t_insideJob)
        {
            for (int w = 0; w < Workers; w++) job(w);
            return;
        }
        lock (_gate)
        {
            _job = job;
            _error = null;
            _pending = Workers - 1;
            _done.Reset();
            for (int w = 1; w < Workers; w++) _start[w].Release();
            t_insideJob = true;
            try { job(0); }
            catch (Exception e) { Interlocked.CompareExchange(ref _error, e, null); }
            finally { t_insideJob = false; }
            _done.Wait();
            _job = null;
            if (_error is { } error) ExceptionDispatchInfo.Capture(error).Throw();
        }
    }

    /// <summary>
    /// Calls the current job from a worker. Kept out of <see cref="Loop"/>: the loop's frame never
    /// returns, and a reference to the job held there (a temporary the JIT keeps reported) would keep
    /// the last renderer and all its buffers alive while the worker waits, after its owner dropped it.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void RunJob(int w) => _job!(w);

    private void Loop(object? state)
    {
        int w = (int)state!;
        t_insideJob = true;
        while (true)
        {
            _start[w].Wait();
            try { RunJob(w); }
            catch (Exception e) { Interlocked.CompareExchange(ref _error, e, null); }
            if (Interlocked.Decrement(ref _pending) == 0) _done.Set();
        }
    }
}
