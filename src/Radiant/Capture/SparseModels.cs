using Radiant.Data.Colmap;

namespace Radiant.Capture;

/// <summary>
/// The models COLMAP's mapper wrote (<c>sparse/0</c>, <c>sparse/1</c>, …, one per group of photos
/// it could connect) and the largest of them by registered photos.
/// </summary>
public static class SparseModels
{
    public static (string Path, int Count, HashSet<string> Registered) Largest(string modelsDir, string log)
    {
        var models = Directory.Exists(modelsDir)
            ? Directory.GetDirectories(modelsDir).Where(d => File.Exists(Path.Combine(d, "images.bin"))).Order(StringComparer.Ordinal).ToList()
            : [];
        if (models.Count == 0)
            throw new RadiantException(log, $"COLMAP could not build a model: no pair of photos had enough consistent matches to start from (the photos need more overlap and texture). The log ends:{Environment.NewLine}{ColmapRunner.Tail(log)}");
        string best = models[0];
        HashSet<string> bestNames = [];
        foreach (string m in models)
        {
            HashSet<string> names = ColmapBinary.ReadImages(Path.Combine(m, "images.bin")).Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
            if (names.Count > bestNames.Count) (best, bestNames) = (m, names);
        }
        return (best, models.Count, bestNames);
    }
}
