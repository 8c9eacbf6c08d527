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
    public T Progress<T>(string title, Func<IProgress<(int Done, int Total)>, T> work) =>
        Steps(report => work(new SyncProgress<(int Done, int Total)>(p => report(title, p.Done, p.Total))));

    public void Progress(string title, Action<IProgress<(int Done, int Total)>> work) =>
        Progress<int>(title, p => { work(p); return 0; });

    /// <summary>
    /// Runs <paramref name="work"/>, which reports its steps as (step, done, total): on a terminal
    /// a Spectre bar for each step as it starts; else a log line per step at most every few
    /// seconds, and when it ends.
    /// </summary>
    public T Steps<T>(Func<Action<string, int, int>, T> work)
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
                    var tasks = new Dictionary<string, ProgressTask>();
                    result = work((step, done, total) =>
                    {
                        lock (tasks)
                        {
                            if (!tasks.TryGetValue(step, out ProgressTask? task))
                                tasks[step] = task = ctx.AddTask(Markup.Escape(step), maxValue: 1);
                            task.MaxValue = Math.Max(1, total);
                            task.Value = done;
                            if (done >= total) task.StopTask();
                        }
                    });
                    foreach (ProgressTask task in tasks.Values) task.Value = task.MaxValue;
                });
            return result;
        }
        var started = new Dictionary<string, (DateTime Start, DateTime Last)>();
        return work((step, done, total) =>
        {
            lock (started)
            {
                var now = DateTime.UtcNow;
                if (!started.TryGetValue(step, out var times)) times = (now, DateTime.MinValue);
                else if (done < total && (now - times.Last).TotalSeconds < 2) return;
                started[step] = (times.Start, now);
                Out.WriteLine($"{step}: {done}/{total} ({(now - times.Start).TotalSeconds:0.0} s)");
            }
        });
    }
}
