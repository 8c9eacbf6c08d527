namespace Radiant.Data.Blender;

/// <summary>NeRF-synthetic / Blender layout: transforms_{train,val,test}.json beside RGBA PNGs.</summary>
public static class BlenderReader
{
    /// <summary>Reads the dataset at <paramref name="path"/> with full-resolution cameras; the loader applies downscaling.</summary>
    public static Dataset Read(string path, DatasetOptions options) => throw new NotImplementedException("BlenderReader is not written yet");
}
