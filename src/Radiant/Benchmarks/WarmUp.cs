using System.Diagnostics;

namespace Radiant.Benchmarks;

/// <summary>
/// Warm-up before timing: .NET compiles a method first without optimisation and recompiles it
/// optimised (with profile data) after about 30 calls and a short delay, so a benchmark that
/// times right after a few calls measures partly unoptimised code. The 200²/100k training step
/// gave a median of 49–55 ms after 3 warm-up steps, and 30–39 ms after this warm-up (on a copy of
/// the trainer, so that the timed steps still start from the initial scene).
/// </summary>
public static class WarmUp
{
    public const int MinCalls = 3, Calls = 40;
    public static readonly TimeSpan MaxTime = TimeSpan.FromSeconds(3);

    /// <summary>Calls <paramref name="action"/> <see cref="Calls"/> times, or at least <see cref="MinCalls"/> times until <see cref="MaxTime"/> has passed.</summary>
    public static void Run(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < Calls && (i < MinCalls || Stopwatch.GetElapsedTime(start) < MaxTime); i++) action();
    }
}
