using Radiant.Training;

namespace Radiant.Tests.Support;

/// <summary>
/// A training observer that prints nothing: it keeps the messages, passes each step to an optional
/// callback, and between iterations calls an optional hold (which may sleep, as a paused viewer holds training).
/// </summary>
internal sealed class QuietObserver(Action<TrainingStep>? onStep = null, Func<Trainer, TimeSpan>? hold = null) : ITrainingObserver
{
    public List<string> Messages { get; } = [];
    public IProgress<(int Done, int Total)> Phase(string name) => new Progress<(int, int)>();
    public void Message(string text) => Messages.Add(text);
    public void Step(TrainingStep step, double trainPsnr, double iterationsPerSecond) => onStep?.Invoke(step);
    public TimeSpan BetweenIterations(Trainer trainer) => hold?.Invoke(trainer) ?? TimeSpan.Zero;
}
