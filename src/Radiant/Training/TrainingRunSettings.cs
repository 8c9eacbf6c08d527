using System.Text.Json;
using System.Text.Json.Serialization;
using Radiant.Data;
using Radiant.Data.Multiscale;

namespace Radiant.Training;

/// <summary>Everything that defines a training run: the data, how it is read, how the model starts, and the hyperparameters. Saved in checkpoints and in the output folder.</summary>
public sealed record TrainingRunSettings
{
    public required string DataPath { get; init; }
    public int Downscale { get; init; } = 1;
    /// <summary>The background colour; null = auto (<see cref="Data.DatasetOptions.AutoBackground"/>), replaced by the colour chosen once the dataset is read.</summary>
    public float[]? Background { get; init; }
    public int TestEvery { get; init; } = 8;
    /// <summary>"auto" (dataset points when there are any, else random), "points", or "random:N".</summary>
    public string Init { get; init; } = "auto";
    public int CheckpointEvery { get; init; } = 5_000;
    /// <summary>Evaluate the test split every N iterations (0 = only at the end).</summary>
    public int EvalEvery { get; init; }
    /// <summary>Write a line of metrics.jsonl (and TensorBoard scalars) every N iterations (and at iteration 1, the last, and every evaluation).</summary>
    public int LogEvery { get; init; } = 10;
    public required TrainingOptions Options { get; init; }
    /// <summary>
    /// Scales (1, 2, 4, 8: mip-NeRF's labels 0..3) of a multiscale dataset's training views to train
    /// on; null trains on all of them. [1] is the cross-scale protocol: train at full resolution only.
    /// </summary>
    public int[]? TrainScales { get; init; }

    /// <summary>The training cameras of <paramref name="ds"/> at <see cref="TrainScales"/>.</summary>
    public IReadOnlyList<Camera> TrainCameras(Dataset ds) => TrainScales is null ? ds.Train
        : ScaleLevels.Select(ds.Train, ScaleLevels.Parse(string.Join(",", TrainScales), "--train-scales"), ds.Root, "train");

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
