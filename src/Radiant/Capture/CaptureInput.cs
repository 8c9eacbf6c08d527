using Radiant.Imaging;

namespace Radiant.Capture;

/// <summary>What <c>from-photos</c> was given: a video file, or a folder of PNG, JPEG or HEIC/HEIF photos.</summary>
public sealed record CaptureInput(string Path, bool IsVideo, IReadOnlyList<string> Images)
{
    /// <summary>Fewer registered photos than this cannot make a model worth training.</summary>
    public const int MinimumImages = 3;

    /// <summary>Photos a capture takes: PNG and JPEG, and HEIC/HEIF, which are decoded to PNG first (<see cref="HeifPhotos"/>).</summary>
    public static readonly string[] ImageExtensions = [".jpg", ".jpeg", ".png", .. HeifPhotos.Extensions];
    public static readonly string[] VideoExtensions = [".mp4", ".mov", ".m4v", ".mkv", ".avi", ".webm", ".mts", ".3gp"];

    /// <summary>A photo (<see cref="ImageExtensions"/>) by extension, not hidden: macOS's "._NAME.jpg" resource files, which archives made on a Mac carry, are not photos.</summary>
    public static bool IsImageFile(string path) =>
        ImageExtensions.Contains(System.IO.Path.GetExtension(path).ToLowerInvariant()) && !System.IO.Path.GetFileName(path).StartsWith('.');
    public static bool IsVideoFile(string path) => VideoExtensions.Contains(System.IO.Path.GetExtension(path).ToLowerInvariant());

    /// <summary>Classifies <paramref name="path"/>; a folder's photos are listed by name.</summary>
    public static CaptureInput Open(string path)
    {
        if (File.Exists(path))
        {
            if (IsVideoFile(path)) return new CaptureInput(System.IO.Path.GetFullPath(path), true, []);
            throw new RadiantException(path, $"is neither a folder of photos nor a video ({string.Join(", ", VideoExtensions)})");
        }
        if (!Directory.Exists(path)) throw new RadiantException(path, "not found (give a folder of photos or a video file)");
        return new CaptureInput(System.IO.Path.GetFullPath(path), false, ListImages(path));
    }

    /// <summary>The photos directly in <paramref name="folder"/>, sorted by name (ordinal).</summary>
    public static List<string> ListImages(string folder) =>
        Directory.EnumerateFiles(folder).Where(IsImageFile).Order(StringComparer.Ordinal).ToList();

    /// <summary>
    /// Checks that there are enough photos and that each one's header decodes; returns their sizes.
    /// A file that is not a PNG or JPEG is named in the error (COLMAP would silently skip it).
    /// </summary>
    public static List<(int Width, int Height)> CheckImages(string folder, IReadOnlyList<string> images)
    {
        CheckCount(folder, images.Count);
        return ReadSizes(images);
    }

    /// <summary>Fails unless there are at least <see cref="MinimumImages"/> photos.</summary>
    public static void CheckCount(string folder, int count)
    {
        if (count < MinimumImages)
            throw new RadiantException(folder, $"has {count} photo(s) ({string.Join(", ", ImageExtensions)}); at least {MinimumImages} overlapping views are needed, 20 or more for a good model");
    }

    /// <summary>The sizes of PNG or JPEG photos from their headers; a file that is neither is named in the error.</summary>
    public static List<(int Width, int Height)> ReadSizes(IEnumerable<string> images) => images.Select(path => ImageIO.ReadSize(path)).ToList();

    /// <summary>Whether a folder holds photos but none of the dataset layouts Radiant reads (so <c>train</c> should pose it first).</summary>
    public static bool IsRawPhotoFolder(string folder) =>
        Directory.Exists(folder) && Directory.EnumerateFiles(folder).Any(IsImageFile);
}
