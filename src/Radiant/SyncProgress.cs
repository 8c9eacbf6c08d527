namespace Radiant;

/// <summary>An IProgress that reports on the calling thread (System.Progress posts to a thread pool, which reorders lines).</summary>
public sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
