namespace Radiant.Data.Multiscale;

/// <summary>mip-NeRF multiscale Blender metadata.json.</summary>
public static class MultiscaleReader
{
    /// <summary>Reads the dataset at <paramref name="path"/> with full-resolution cameras; the loader applies downscaling.</summary>
    public static Dataset Read(string path, DatasetOptions options) => throw new NotImplementedException("MultiscaleReader is not written yet");
}
