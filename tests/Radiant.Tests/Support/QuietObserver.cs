using Radiant.Training;

namespace Radiant.Tests.Support;

/// <summary>A training observer that prints nothing: it keeps the messages and passes each step to an optional callback.</summary>
internal sealed class QuietObserver(Action<TrainingStep>? onStep = null) : ITrainingObserver
{
    public List<string> Messages { get; } = [];
    public IProgress<(int Done, int Total)> Phase(string name) => new Progress<(int, int)>();
    public void Message(string text) => Messages.Add(text);
    public void Step(TrainingStep step, double trainPsnr, double iterationsPerSecond) => onStep?.Invoke(step);
}
