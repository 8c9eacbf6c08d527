using System.Globalization;
using Radiant.Training;
using Spectre.Console;

namespace Radiant.Cli;

/// <summary>
/// Shows a training run: on a terminal a Spectre.Console live progress display (one bar per
/// phase, the training bar's description carrying loss, PSNR, Gaussian count and speed);
/// otherwise a plain log line every few seconds.
/// </summary>
public sealed class TrainingDisplay : ITrainingObserver
{
    private readonly Console _console;
    private readonly ProgressContext? _live;
    private ProgressTask? _trainTask;
    private DateTime _lastLine = DateTime.MinValue;
    private DateTime _lastDescription = DateTime.MinValue;
    private readonly DateTime _started = DateTime.UtcNow;
    private int _totalIterations;

    private TrainingDisplay(Console console, ProgressContext? live)
    {
        _console = console;
        _live = live;
    }

    /// <summary>Runs <paramref name="work"/> with a display suited to where the output goes.</summary>
    public static T Run<T>(Console console, Func<ITrainingObserver, T> work)
    {
        if (!console.IsInteractive) return work(new TrainingDisplay(console, null));
        T result = default!;
        AnsiConsole.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(),
                     new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(ctx => result = work(new TrainingDisplay(console, ctx)));
        return result;
    }

    public IProgress<(int Done, int Total)> Phase(string name)
    {
        if (_live is null)
        {
            if (name != "training") _console.Line($"{name}...");
            return new SyncProgress<(int Done, int Total)>(p => { if (name == "training") _totalIterations = p.Total; });
        }
        ProgressTask task = _live.AddTask(Markup.Escape(name), maxValue: 1);
        if (name == "training") _trainTask = task;
        return new SyncProgress<(int Done, int Total)>(p =>
        {
            task.MaxValue = Math.Max(1, p.Total);
            task.Value = p.Done;
            if (p.Done >= p.Total) task.StopTask();
        });
    }

    public void Message(string text)
    {
        if (_live is null) _console.Line(text);
        else AnsiConsole.MarkupLine(Markup.Escape(text));
    }

    public void Step(TrainingStep s, double trainPsnr, double itPerSecond)
    {
        DateTime now = DateTime.UtcNow;
        string stats = string.Create(CultureInfo.InvariantCulture,
            $"loss {s.Loss:0.0000}  psnr {trainPsnr:0.00}  {s.GaussianCount:N0} gaussians  {itPerSecond:0.0} it/s");
        if (_trainTask is not null)
        {
            bool final = _trainTask.Value >= _trainTask.MaxValue;
            if (!final && (now - _lastDescription).TotalMilliseconds < 250) return;
            _lastDescription = now;
            _trainTask.Description = Markup.Escape($"iter {s.Iteration}  {stats}");
            return;
        }
        if ((now - _lastLine).TotalSeconds < 5) return;
        _lastLine = now;
        string left = itPerSecond > 0 && _totalIterations > s.Iteration
            ? string.Create(CultureInfo.InvariantCulture, $"  left {TimeSpan.FromSeconds((_totalIterations - s.Iteration) / itPerSecond):hh\\:mm\\:ss}")
            : "";
        _console.Line(string.Create(CultureInfo.InvariantCulture, $"iter {s.Iteration}/{_totalIterations}  {stats}  elapsed {(now - _started).TotalMinutes:0.0} min{left}"));
    }
}
