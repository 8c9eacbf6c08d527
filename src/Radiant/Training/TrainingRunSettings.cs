using System.Text.Json;
using System.Text.Json.Serialization;
using Radiant.Data;

namespace Radiant.Training;

/// <summary>Everything that defines a training run: the data, how it is read, how the model starts, and the hyperparameters. Saved in checkpoints and in the output folder.</summary>
public sealed record TrainingRunSettings
{
    public required string DataPath { get; init; }
    public int Downscale { get; init; } = 1;
    public float[] Background { get; init; } = [1, 1, 1];
    public int TestEvery { get; init; } = 8;
    /// <summary>"auto" (dataset points when there are any, else random), "points", or "random:N".</summary>
    public string Init { get; init; } = "auto";
    public int CheckpointEvery { get; init; } = 5_000;
    /// <summary>Evaluate the test split every N iterations (0 = only at the end).</summary>
    public int EvalEvery { get; init; }
    /// <summary>Write a line of metrics.jsonl (and TensorBoard scalars) every N iterations (and at iteration 1, the last, and every evaluation).</summary>
    public int LogEvery { get; init; } = 10;
    public required TrainingOptions Options { get; init; }

    public DatasetOptions DatasetOptions(string? cacheDir = null) => new()
    {
        Downscale = Downscale,
        Background = Background,
        TestEvery = TestEvery,
        CacheDir = cacheDir,
    };

    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };
}
