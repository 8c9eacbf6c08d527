using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;

namespace Radiant.Rendering;

/// <summary>
/// A small fixed pool of worker threads for the rendering kernels. <see cref="Run"/> calls
/// <c>job(w)</c> once for every worker index w in [0, <see cref="Workers"/>) — w = 0 on the calling
/// thread — and returns when all have finished. Jobs share work through their own atomic counters.
/// Nothing is allocated per call (the job delegate is cached by the caller). Calls are serialised;
/// a call made from inside a job runs all worker indices inline. Between jobs the workers spin for
/// up to a millisecond before they block, as OpenMP runtimes spin before they sleep.
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

    /// <summary>
    /// How long a worker spins for the next job, and the caller for the workers to finish, before
    /// blocking. A training step runs about 20 jobs with gaps of microseconds to a millisecond. With
    /// blocking waits a worker began its share 95 µs after the caller on average (400²/100k steps on
    /// the development VM), 12 µs with this spin.
    /// </summary>
    private static readonly long SpinTicks = Stopwatch.Frequency / 1000;

    private readonly object _gate = new();
    private readonly object _sleep = new();   // blocked workers wait on it for the next generation
    private readonly ManualResetEventSlim _done = new(false);
    private Action<int>? _job;
    private int _generation;                   // one more per Run: a worker that ran generation g waits for g + 1
    private int _sleepers;
    private int _pending;
    private Exception? _error;

    [ThreadStatic] private static bool t_insideJob;

    public KernelPool(int workers)
    {
        Workers = workers;
        for (int w = 1; w < workers; w++)
        {
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
            // Publish the job (a full fence), then wake the workers that gave up spinning. A worker
            // counts itself a sleeper (also a full fence) before it reads the generation again, so
            // one of the two sides always sees the other's write.
            Interlocked.Increment(ref _generation);
            if (Volatile.Read(ref _sleepers) > 0)
                lock (_sleep) Monitor.PulseAll(_sleep);
            t_insideJob = true;
            try { job(0); }
            catch (Exception e) { Interlocked.CompareExchange(ref _error, e, null); }
            finally { t_insideJob = false; }
            long spinUntil = Stopwatch.GetTimestamp() + SpinTicks;
            while (Volatile.Read(ref _pending) > 0 && Stopwatch.GetTimestamp() < spinUntil) Thread.SpinWait(8);
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
        int seen = 0;
        while (true)
        {
            seen = WaitForGeneration(seen);
            try { RunJob(w); }
            catch (Exception e) { Interlocked.CompareExchange(ref _error, e, null); }
            if (Interlocked.Decrement(ref _pending) == 0) _done.Set();
        }
    }

    /// <summary>Spins up to <see cref="SpinTicks"/> for a generation after <paramref name="seen"/>, then blocks; returns it.</summary>
    private int WaitForGeneration(int seen)
    {
        long spinUntil = Stopwatch.GetTimestamp() + SpinTicks;
        int generation;
        while ((generation = Volatile.Read(ref _generation)) == seen)
        {
            if (Stopwatch.GetTimestamp() < spinUntil)
            {
                Thread.SpinWait(8);
                continue;
            }
            lock (_sleep)
            {
                Interlocked.Increment(ref _sleepers);
                while (Volatile.Read(ref _generation) == seen) Monitor.Wait(_sleep);
                Interlocked.Decrement(ref _sleepers);
            }
        }
        return generation;
    }
}
