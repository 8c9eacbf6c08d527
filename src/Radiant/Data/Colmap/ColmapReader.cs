namespace Radiant.Data.Colmap;

/// <summary>COLMAP sparse model (binary or text) with images/ beside it.</summary>
public static class ColmapReader
{
    /// <summary>Reads the dataset at <paramref name="path"/> with full-resolution cameras; the loader applies downscaling.</summary>
    /// <summary>
    /// The folder holding cameras/images/points3D (.bin or .txt) for a dataset folder: <c>sparse/0</c>,
    /// <c>sparse</c>, or the folder itself; null if there is none.
    /// </summary>
    public static string? FindModel(string datasetDir)
    {
        foreach (string candidate in new[] { Path.Combine(datasetDir, "sparse", "0"), Path.Combine(datasetDir, "sparse"), datasetDir })
            if (File.Exists(Path.Combine(candidate, "cameras.bin")) || File.Exists(Path.Combine(candidate, "cameras.txt")))
                return candidate;
        return null;
    }

    public static Dataset Read(string path, DatasetOptions options) => throw new NotImplementedException("ColmapReader is not written yet");
}
