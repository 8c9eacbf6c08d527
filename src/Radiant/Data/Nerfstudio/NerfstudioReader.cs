namespace Radiant.Data.Nerfstudio;

/// <summary>nerfstudio transforms.json: global or per-frame intrinsics, PINHOLE/OPENCV, optional ply_file_path.</summary>
public static class NerfstudioReader
{
    /// <summary>Reads the dataset at <paramref name="path"/> with full-resolution cameras; the loader applies downscaling.</summary>
    public static Dataset Read(string path, DatasetOptions options) => throw new NotImplementedException("NerfstudioReader is not written yet");
}
