using System.Globalization;
using System.Numerics.Tensors;
using System.Security.Cryptography;
using System.Text;
using Radiant.Imaging;

namespace Radiant.Data;

/// <summary>
/// Loads a camera's image: decode, undistort, reduce to the camera's size (cached on disk, since
/// decoding and averaging a full-size photo costs more than training on the small copy), composite
/// alpha over the background, and check that the size agrees with the camera.
/// </summary>
public static class DatasetImages
{
    public static Image Load(Camera camera, DatasetOptions options, string root, float[] background)
    {
        // The image is this call's own (decoded, read from the cache or reduced), so its colour is
        // composited in place: no new memory, whose pages cost more than the compositing.
        return LoadStored(camera, options, root).CompositeColourInPlace(background[0], background[1], background[2]);
    }

    /// <summary>
    /// The camera's image as stored (undistorted and resized to the camera's size like <see cref="Load"/>),
    /// but with alpha left straight and not composited: what mip-NeRF's pyramid averages.
    /// </summary>
    public static Image LoadStored(Camera camera, DatasetOptions options, string root) =>
        LoadSized(camera, camera.ImagePath, options, root);

    /// <summary>
    /// The camera's mask file, times the part of the undistorted image that sees the photo
    /// (<see cref="Undistortion.Coverage"/>) for a lens that leaves some of it uncovered; null when
    /// neither applies.
    /// </summary>
    public static float[]? LoadMask(Camera camera, DatasetOptions options, string root)
    {
        float[]? coverage = Undistortion.Coverage(camera);
        if (camera.MaskPath is null) return coverage;
        Image m = LoadSized(camera, camera.MaskPath, options, root);
        // A cut-out saved as the mask (its alpha is the mask, its colour the subject's) weighs by its
        // alpha; a black-and-white mask (grey, RGB, or RGBA with opaque alpha) by its first channel.
        ReadOnlySpan<float> alpha = m.HasAlpha ? m.ReadPlane(3) : default;
        float[] mask = (alpha.IndexOfAnyExcept(1f) >= 0 ? alpha : m.ReadPlane(0)).ToArray();
        if (coverage is not null) TensorPrimitives.Multiply(mask, coverage, mask);
        return mask;
    }

    private static Image LoadSized(Camera camera, string path, DatasetOptions options, string root)
    {
        Image img;
        if (camera.ImageDownscale > 1)
        {
            string cachePath = CachePath(camera, path, options, root);
            if (File.Exists(cachePath))
                img = ImageIO.Load(cachePath);
            else
            {
                // The full-size image is dropped once reduced: its array serves the next photo's decode.
                img = Prepare(ImageIO.LoadTransient(path, !camera.StoredOrientation), camera, path, camera.ImageDownscale);
                img = AreaResample.Resize(img, camera.Width, camera.Height);
                TryWriteCache(cachePath, img);
            }
        }
        else img = Prepare(ImageIO.Load(path, !camera.StoredOrientation), camera, path, 1);

        if (img.Width != camera.Width || img.Height != camera.Height)
            throw new RadiantException(path, $"image is {img.Width}x{img.Height} but its camera '{camera.Name}' says {camera.Width}x{camera.Height}");
        return img;
    }

    /// <summary>
    /// Checks the full-size image against the camera and removes lens distortion (from masks too, which
    /// must stay aligned with the pixels they weigh).
    /// </summary>
    private static Image Prepare(Image img, Camera camera, string path, int factor)
    {
        if (factor > 1)
        {
            var expected = AreaResample.DownscaledSize(img.Width, img.Height, factor);
            if (expected != (camera.Width, camera.Height))
                throw new RadiantException(path, $"image is {img.Width}x{img.Height}, which reduced {factor}x gives {expected.Width}x{expected.Height}, but its camera '{camera.Name}' says {camera.Width}x{camera.Height}");
        }
        if (camera.Distortion is { IsZero: false })
        {
            Camera full = factor > 1 ? camera.ResizedTo(img.Width, img.Height) : camera;
            if (img.Width != full.Width || img.Height != full.Height)
                throw new RadiantException(path, $"image is {img.Width}x{img.Height} but its camera '{camera.Name}' says {full.Width}x{full.Height}");
            img = Undistortion.Apply(img, full);
        }
        return img;
    }

    /// <summary>
    /// Where the reduced copy of <paramref name="path"/> (the camera's image or mask) lives: inside the
    /// dataset unless a cache folder is given or the dataset is read-only. The name carries a key of
    /// everything the copy was made from: the source file's size and modification time, and the
    /// camera's size, intrinsics, lens and orientation flag; a copy made from an older file or for
    /// other camera parameters (a re-run of COLMAP's bundle adjuster) is never reused.
    /// </summary>
    public static string CachePath(Camera camera, string path, DatasetOptions options, string root)
    {
        string fullRoot = Path.GetFullPath(root);
        string full = Path.GetFullPath(path);
        string rel = full.StartsWith(fullRoot + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            ? Path.GetRelativePath(fullRoot, full)
            : Hex16(full) + "_" + Path.GetFileName(full);
        string baseDir = options.CacheDir
            ?? (IsWritable(fullRoot) ? Path.Combine(fullRoot, ".radiant-cache") : Path.Combine(UserCacheDir(), Hex16(fullRoot)));
        var source = new FileInfo(full);   // a missing source gets a key no copy has; loading it then names the file
        string made = string.Create(CultureInfo.InvariantCulture,
            $"{(source.Exists ? source.Length : -1)}|{source.LastWriteTimeUtc.Ticks}|{camera.Width}x{camera.Height}|{camera.Fx:R} {camera.Fy:R} {camera.Cx:R} {camera.Cy:R}|{camera.Distortion}|{camera.StoredOrientation}");
        return Path.Combine(baseDir, $"downscale_{camera.ImageDownscale}_v{CacheVersion}", $"{rel}.{Hex16(made)[..KeyLength]}.png");
    }

    private static string Hex16(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];

    private const int KeyLength = 12;

    // Raised whenever the reduction itself changes, so that copies an older build cached are made
    // again rather than reused (2: RGBA colour averaged weighted by alpha, see AreaResample; 3: masks
    // of distorted images undistorted like the images; 4: names keyed on the source and the camera;
    // 5: distorted images without alpha undistorted by bicubic interpolation, see Undistortion).
    private const int CacheVersion = 5;

    /// <summary>Writes the copy, and removes the copies of the same source made for other keys (stale).</summary>
    private static void TryWriteCache(string cachePath, Image img)
    {
        try
        {
            string dir = Path.GetDirectoryName(cachePath)!;
            Directory.CreateDirectory(dir);
            ImageIO.SavePng(cachePath, img, bitDepth: 16);
            string name = Path.GetFileName(cachePath), stem = name[..^(KeyLength + ".png".Length)];
            foreach (string other in Directory.EnumerateFiles(dir, stem + "*.png"))
            {
                string otherName = Path.GetFileName(other);
                if (otherName != name && otherName.Length == name.Length && otherName[stem.Length..^4].All(char.IsAsciiHexDigitUpper))
                    File.Delete(other);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or RadiantException)
        {
            // A cache that cannot be written only costs time; the image in memory is correct.
        }
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> Writable = new();

    private static bool IsWritable(string dir) => Writable.GetOrAdd(dir, ProbeWritable);

    private static bool ProbeWritable(string dir)
    {
        try
        {
            string probe = Path.Combine(dir, $".radiant-write-probe-{Environment.ProcessId}");
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; }
    }

    private static string UserCacheDir()
    {
        string? xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        string baseDir = !string.IsNullOrEmpty(xdg) ? xdg : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.Combine(baseDir, "radiant");
    }
}
