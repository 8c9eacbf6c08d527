namespace Radiant.Data.Llff;

/// <summary>LLFF poses_bounds.npy with images/ beside it.</summary>
public static class LlffReader
{
    /// <summary>Reads the dataset at <paramref name="path"/> with full-resolution cameras; the loader applies downscaling.</summary>
    public static Dataset Read(string path, DatasetOptions options) => throw new NotImplementedException("LlffReader is not written yet");
}
