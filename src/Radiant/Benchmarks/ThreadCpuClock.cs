using System.Runtime.InteropServices;

namespace Radiant.Benchmarks;

/// <summary>
/// CPU time of the calling thread (Linux CLOCK_THREAD_CPUTIME_ID), for benchmarks on a shared
/// machine: with one kernel worker (RADIANT_KERNEL_THREADS=1) all rendering work runs on the calling
/// thread, and its CPU time does not count the time other processes hold the cores. NaN elsewhere.
/// </summary>
internal static partial class ThreadCpuClock
{
    private const int ClockThreadCpuTime = 3;

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec { public long Seconds, Nanoseconds; }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out TimeSpec time);

    /// <summary>Milliseconds of CPU the calling thread has used, or NaN where unavailable.</summary>
    public static double Ms()
    {
        if (!OperatingSystem.IsLinux()) return double.NaN;
        try { return ClockGetTime(ClockThreadCpuTime, out TimeSpec t) == 0 ? t.Seconds * 1e3 + t.Nanoseconds * 1e-6 : double.NaN; }
        catch (DllNotFoundException) { return double.NaN; }
        catch (EntryPointNotFoundException) { return double.NaN; }
    }
}
