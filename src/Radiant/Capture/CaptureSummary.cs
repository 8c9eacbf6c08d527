namespace Radiant.Capture;

/// <summary>What <see cref="PhotoCapture.Run"/> did: counts, the photos left out, the stages' times.</summary>
public sealed record CaptureSummary(
    string OutputDir,
    int InputImages,
    int RegisteredImages,
    IReadOnlyList<string> Unregistered,
    int Models,
    int Points,
    SimilarityTransform Transform,
    IReadOnlyList<(string Stage, double Seconds)> StageSeconds)
{
    public double TotalSeconds => StageSeconds.Sum(s => s.Seconds);
}
