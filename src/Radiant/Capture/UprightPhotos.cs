using Radiant.Imaging;

namespace Radiant.Capture;

/// <summary>
/// Phones store a portrait photo sideways and say so in its EXIF orientation tag (6 or 8). COLMAP 3.8
/// ignores the tag, so it would pose the sideways pixels: the capture comes out lying on its side
/// (the scene normalisation takes the image "up" of every camera for the world's up) and every
/// render is turned 90°. Before COLMAP sees them, such photos are therefore written upright, as
/// Radiant's decoder displays them (orientation applied), into the capture's <c>input/</c> folder
/// (<see cref="InputPhotos"/>).
/// </summary>
public static class UprightPhotos
{
    /// <summary>The photos of <paramref name="images"/> (full paths) whose EXIF orientation is not 1.</summary>
    public static List<string> Rotated(IEnumerable<string> images) => images.Where(p => ImageIO.ReadOrientation(p) != 1).ToList();
}
