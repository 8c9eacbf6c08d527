using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace Radiant.Viewer;

/// <summary>
/// One dedicated thread at the operating system's lowest scheduling priority that runs the viewer's
/// own work (Radiant renders for the page, .ply encoding of model snapshots) one item at a time.
/// On Linux the thread is put in the SCHED_IDLE class: it runs only on a core nothing else wants,
/// and a training thread that wakes up (the kernels meet at a barrier several times an iteration)
/// takes the core back at once instead of waiting out a time slice, as it would behind a merely
/// "nice" thread. Elsewhere the thread gets <see cref="ThreadPriority.Lowest"/>. When the machine
/// is otherwise idle the lane runs at full speed.
/// </summary>
public sealed partial class BackgroundLane : IDisposable
{
    private readonly BlockingCollection<Action> _work = new();

    public BackgroundLane(string name) => new Thread(Loop) { IsBackground = true, Name = name }.Start();

    /// <summary>True once the thread has lowered its own priority (false where the OS refused).</summary>
    public bool Lowered { get; private set; }

    /// <summary>Runs <paramref name="work"/> on the lane; the task completes with its result or exception.</summary>
    public Task<T> Run<T>(Func<T> work)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        _work.Add(() =>
        {
            try { done.SetResult(work()); }
            catch (Exception e) { done.SetException(e); }
        });
        return done.Task;
    }

    /// <summary>Runs <paramref name="work"/> on the lane; the task completes when it has run (or failed).</summary>
    public Task Run(Action work) => Run(() =>
    {
        work();
        return true;
    });

    /// <summary>Lets the queued work finish, then ends the thread.</summary>
    public void Dispose() => _work.CompleteAdding();

    private void Loop()
    {
        Lowered = LowerCurrentThreadPriority();
        foreach (Action work in _work.GetConsumingEnumerable()) work();
    }

    private static bool LowerCurrentThreadPriority()
    {
        if (OperatingSystem.IsLinux())
        {
            // Linux schedules threads as tasks: both calls on this thread's id change this thread only.
            // Nice 19 as well, in case SCHED_IDLE is refused (e.g. inside some containers).
            try
            {
                int tid = Native.gettid();
                bool nice = Native.setpriority(Native.PrioProcess, tid, Native.LowestNice) == 0;
                int priority = 0;
                bool idle = Native.sched_setscheduler(tid, Native.SchedIdle, ref priority) == 0;
                return idle || nice;
            }
            catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException) { return false; }
        }
        try
        {
            Thread.CurrentThread.Priority = ThreadPriority.Lowest;
            return true;
        }
        catch (Exception e) when (e is PlatformNotSupportedException or ThreadStateException) { return false; }
    }

    private static partial class Native
    {
        public const int PrioProcess = 0, LowestNice = 19, SchedIdle = 5;

        [LibraryImport("libc", SetLastError = true)]
        public static partial int setpriority(int which, int who, int prio);

        [LibraryImport("libc")]
        public static partial int gettid();

        /// <summary>sched_setscheduler(tid, policy, &amp;sched_param) where sched_param is one int (the static priority, 0 here).</summary>
        [LibraryImport("libc", SetLastError = true)]
        public static partial int sched_setscheduler(int pid, int policy, ref int param);
    }
}
