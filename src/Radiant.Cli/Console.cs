using Spectre.Console;

namespace Radiant.Cli;

/// <summary>
/// Where a verb writes: results to stdout, errors to stderr, progress either as a live
/// Spectre.Console bar (interactive terminal) or as plain log lines (pipes, CI, files).
/// </summary>
public sealed class Console(TextWriter output, TextWriter error)
{
    public TextWriter Out { get; } = output;

    /// <summary>True when stdout is an interactive terminal that can show live progress bars.</summary>
    public bool IsInteractive { get; } =
        ReferenceEquals(output, System.Console.Out) && !System.Console.IsOutputRedirected
        && Environment.GetEnvironmentVariable("CI") is null && Environment.GetEnvironmentVariable("TERM") is not (null or "dumb");

    public void Line(string text = "") => Out.WriteLine(text);
    public void Error(string text) => error.WriteLine(text);

    /// <summary>
    /// Runs <paramref name="work"/> while showing its progress: a Spectre bar on a terminal, else a
    /// log line at most every few seconds (and at the end).
    /// </summary>
    public T Progress<T>(string title, Func<IProgress<(int Done, int Total)>, T> work)
    {
        if (IsInteractive)
        {
            T result = default!;
            AnsiConsole.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(),
                         new ElapsedTimeColumn(), new RemainingTimeColumn())
                .Start(ctx =>
                {
                    var task = ctx.AddTask(Markup.Escape(title), maxValue: 1);
                    result = work(new SyncProgress<(int Done, int Total)>(p =>
                    {
                        task.MaxValue = Math.Max(1, p.Total);
                        task.Value = p.Done;
                        if (p.Done >= p.Total) task.StopTask();
                    }));
                    task.Value = task.MaxValue;
                });
            return result;
        }
        var started = DateTime.UtcNow;
        var last = DateTime.MinValue;
        var lockObj = new object();
        T value = work(new SyncProgress<(int Done, int Total)>(p =>
        {
            lock (lockObj)
            {
                var now = DateTime.UtcNow;
                if (p.Done < p.Total && (now - last).TotalSeconds < 2) return;
                last = now;
                Out.WriteLine($"{title}: {p.Done}/{p.Total} ({(now - started).TotalSeconds:0.0} s)");
            }
        }));
        return value;
    }

    public void Progress(string title, Action<IProgress<(int Done, int Total)>> work) =>
        Progress<int>(title, p => { work(p); return 0; });
}

/// <summary>An IProgress that reports on the calling thread (System.Progress posts to a thread pool, which reorders lines).</summary>
public sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
