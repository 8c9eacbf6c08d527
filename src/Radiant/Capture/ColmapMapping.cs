using System.Globalization;

namespace Radiant.Capture;

/// <summary>
/// COLMAP's incremental mapper, run again with another seed when a run leaves many photos out.
/// The mapper is deterministic for a given database and seed, but its RANSAC draws decide which
/// pose each new photo gets; a poor early model (a short-baseline start, a focal length that drifted)
/// can then refuse photos that see 150 of its points, and on a marginal capture the same photos
/// register fully under another seed. Each attempt writes its models into a fresh folder; the
/// attempt whose largest model holds the most photos ends up in <c>distorted/sparse</c> and the others
/// are deleted.
/// </summary>
public static class ColmapMapping
{
    /// <summary>Another attempt is made while the best model so far leaves out more than this share of the photos.</summary>
    public const double RetryBelowShare = 0.9;

    /// <summary>What the mapper made: the chosen model folder, how many models that attempt wrote, the photos in the chosen model.</summary>
    public readonly record struct Result(string Model, int ModelCount, HashSet<string> Registered);

    /// <summary>
    /// Runs up to <paramref name="attempts"/> mapper attempts (seeds <c>seed</c>, <c>seed + 1</c>, …)
    /// into <paramref name="models"/>. <paramref name="runStage"/> runs and times one attempt with its
    /// progress; <paramref name="note"/> tells the user when and why mapping starts again.
    /// </summary>
    public static Result Run(
        ColmapRunner colmap, IReadOnlyList<string> mapperArgs, string models, int images, int attempts, int seed,
        PhotoCapture.StageRunner runStage, Action<string> note, CancellationToken cancel)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempts, 1);
        Result? best = null;
        string? bestFolder = null;
        RadiantException? lastFailure = null;
        for (int attempt = 1; attempt <= attempts; attempt++)
        {
            string folder = attempt == 1 ? models : $"{models}.attempt{attempt}";
            Directory.CreateDirectory(folder);
            string attemptSeed = (seed + attempt - 1).ToString(CultureInfo.InvariantCulture);
            string title = attempt == 1 ? "mapping" : $"mapping (attempt {attempt} of {attempts})";
            Result? result = null;
            try
            {
                runStage(title, p => colmap.Run("mapper", [.. mapperArgs, "--output_path", folder, "--random_seed", attemptSeed], images, p, cancel));
                result = Largest(folder, colmap.LogPath);
            }
            catch (RadiantException failure)
            {
                // The mapper exits with an error when it builds no model at all: say why rather than just "failed".
                lastFailure = failure;
                try { Largest(folder, colmap.LogPath); }
                catch (RadiantException why) { lastFailure = why; }
            }
            if (result is { } r && (best is null || r.Registered.Count > best.Value.Registered.Count))
            {
                if (bestFolder is not null) DeleteAttempt(bestFolder, models);
                (best, bestFolder) = (r, folder);
            }
            else DeleteAttempt(folder, models);

            int registered = best?.Registered.Count ?? 0;
            if (registered >= RetryBelowShare * images || attempt == attempts) break;
            note(registered == 0
                ? $"COLMAP's mapper built no model (attempt {attempt} of {attempts}); mapping again with seed {seed + attempt}"
                : $"COLMAP registered only {registered} of {images} photos (attempt {attempt} of {attempts}); mapping again with seed {seed + attempt}, keeping the attempt that registers the most");
        }
        if (best is not { } chosen) throw lastFailure!;
        if (bestFolder != models)
        {
            Directory.Delete(models, recursive: true);
            Directory.Move(bestFolder!, models);
            chosen = chosen with { Model = Path.Combine(models, Path.GetFileName(chosen.Model)) };
        }
        return chosen;
    }

    private static Result Largest(string folder, string log)
    {
        var (path, count, registered) = SparseModels.Largest(folder, log);
        return new Result(path, count, registered);
    }

    /// <summary>Removes a discarded attempt's folder (never the first attempt's, which becomes the kept one's place).</summary>
    private static void DeleteAttempt(string folder, string models)
    {
        if (folder != models) Directory.Delete(folder, recursive: true);
    }
}
