namespace Radiant.Tests.Support;

/// <summary>
/// Bytes allocated by a piece of work, robust to the runtime's own one-off work. A tier-1 compile or
/// call-counting step that lands late on a loaded machine allocates on the measuring thread once (it
/// failed CI once: a render after warm-up); work that allocates does so every time. So the work is
/// measured in several windows and the fewest bytes count.
/// </summary>
internal static class AllocationProbe
{
    /// <summary>The fewest bytes the calling thread allocated in one of <paramref name="windows"/> calls of <paramref name="window"/>.</summary>
    public static long FewestOnThisThread(Action window, int windows = 3) => Fewest(window, windows, GC.GetAllocatedBytesForCurrentThread);

    /// <summary>As <see cref="FewestOnThisThread"/>, counting every thread (for work on the kernel workers); run it in a collection that does not run in parallel.</summary>
    public static long FewestInProcess(Action window, int windows = 3) => Fewest(window, windows, () => GC.GetTotalAllocatedBytes(precise: true));

    private static long Fewest(Action window, int windows, Func<long> allocated)
    {
        long fewest = long.MaxValue;
        for (int i = 0; i < windows; i++)
        {
            long before = allocated();
            window();
            fewest = Math.Min(fewest, allocated() - before);
        }
        return fewest;
    }
}
