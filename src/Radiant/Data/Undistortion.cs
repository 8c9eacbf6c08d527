using Radiant.Imaging;

namespace Radiant.Data;

/// <summary>Removes lens distortion from an image so that it obeys the ideal pinhole of its camera.</summary>
public static class Undistortion
{
    /// <summary>
    /// Resamples <paramref name="distorted"/> (taken through <paramref name="camera"/>'s lens) into the
    /// ideal pinhole image with the same intrinsics: for each output pixel, the normalised ray is
    /// distorted and the source is sampled bilinearly. Pixels whose source falls outside get alpha 0.
    /// </summary>
    public static Image Apply(Image distorted, Camera camera) => throw new NotImplementedException("undistortion is not written yet");
}
