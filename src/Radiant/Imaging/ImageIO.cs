using Radiant.Imaging.Jpeg;
using Radiant.Imaging.Png;

namespace Radiant.Imaging;

/// <summary>Reads PNG and JPEG files (by content, not extension) and writes PNG, turning codec errors into one-line errors naming the file.</summary>
public static class ImageIO
{
    /// <summary>
    /// Decodes a PNG or JPEG. A JPEG is turned upright by its EXIF orientation unless
    /// <paramref name="applyOrientation"/> is false: COLMAP poses the stored pixel grid, ignoring the tag.
    /// A JPEG's samples go into <paramref name="buffer"/> when it has exactly their length: a caller
    /// that decodes many photos of one size only to reduce them can reuse one array, instead of new
    /// memory for each (whose pages the system must clear: about half of the decode time of a large
    /// photo on a virtual machine).
    /// </summary>
    public static Image Load(string path, bool applyOrientation = true, float[]? buffer = null)
    {
        byte[] bytes = ReadAll(path);
        try
        {
            if (PngDecoder.IsPng(bytes)) return PngDecoder.Decode(bytes);
            if (JpegDecoder.IsJpeg(bytes)) return JpegDecoder.Decode(bytes, applyOrientation, buffer);
        }
        catch (Exception e) when (IsCodecError(e))
        {
            throw new RadiantException(path, $"cannot decode image: {e.Message}", e);
        }
        throw new RadiantException(path, "not a PNG or JPEG image");
    }

    /// <summary>
    /// <see cref="Load(string, bool, float[])"/> for an image the caller only reads and lets go of
    /// before this thread's next call (a photo decoded to be reduced or re-encoded): JPEGs of one size
    /// decode into the same array, held weakly per thread (once nothing decodes, the collector takes it).
    /// </summary>
    public static Image LoadTransient(string path, bool applyOrientation = true)
    {
        float[]? buffer = null;
        s_transient?.TryGetTarget(out buffer);
        Image image = Load(path, applyOrientation, buffer);
        if (!ReferenceEquals(image.Data, buffer)) s_transient = new WeakReference<float[]>(image.Data);
        return image;
    }

    [ThreadStatic] private static WeakReference<float[]>? s_transient;

    /// <summary>Displayed size of an image from its headers (JPEG: after EXIF orientation, unless <paramref name="applyOrientation"/> is false).</summary>
    public static (int Width, int Height) ReadSize(string path, bool applyOrientation = true) =>
        FromHeaders(path, bytes => PngDecoder.IsPng(bytes) ? PngDecoder.ReadSize(bytes)
                                 : JpegDecoder.IsJpeg(bytes) ? JpegDecoder.ReadSize(bytes, applyOrientation)
                                 : throw new RadiantException(path, "not a PNG or JPEG image"));

    /// <summary>
    /// The EXIF orientation of a JPEG (1..8, 1 = stored upright; phones store portrait shots sideways
    /// with 6 or 8), from its headers; 1 for a PNG. <see cref="Load"/> already applies it.
    /// </summary>
    public static int ReadOrientation(string path) =>
        FromHeaders(path, bytes => JpegDecoder.IsJpeg(bytes) ? JpegDecoder.ReadOrientation(bytes) : 1);

    /// <summary>
    /// The lens's focal length in 35 mm film terms (EXIF FocalLengthIn35mmFilm, mm; phones write it)
    /// of a JPEG, from its headers; null when it has none, and for a PNG.
    /// </summary>
    public static int? ReadFocalLength35mm(string path) =>
        FromHeaders(path, bytes => JpegDecoder.IsJpeg(bytes) ? JpegDecoder.ReadFocalLength35mm(bytes) : null);

    /// <summary>
    /// Parses a file's headers from its first 256 kB, which hold them in all but unusual JPEGs (huge
    /// metadata segments); when that fails (headers beyond, or a damaged file) the whole file decides.
    /// </summary>
    private static T FromHeaders<T>(string path, Func<byte[], T> parse)
    {
        byte[] head = ReadHead(path, HeadBytes);
        if (head.Length == HeadBytes)
        {
            try { return parse(head); }
            catch (Exception e) when (IsCodecError(e)) { }
        }
        byte[] bytes = head.Length < HeadBytes ? head : ReadAll(path);
        try { return parse(bytes); }
        catch (Exception e) when (IsCodecError(e)) { throw new RadiantException(path, $"cannot read image header: {e.Message}", e); }
    }

    /// <summary>What the decoders throw on malformed data.</summary>
    private static bool IsCodecError(Exception e) => e is InvalidDataException or IndexOutOfRangeException or ArgumentException or OverflowException;

    /// <summary>Writes a PNG atomically (temporary file, then rename), so a crash never leaves a half-written file.</summary>
    public static void SavePng(string path, Image image, int bitDepth = 8)
    {
        byte[] png = PngEncoder.Encode(image, bitDepth);
        AtomicFile.WriteAllBytes(path, png);
    }

    private const int HeadBytes = 256 * 1024;

    /// <summary>The first <paramref name="count"/> bytes of the file (all of it when shorter).</summary>
    private static byte[] ReadHead(string path, int count)
    {
        if (!File.Exists(path)) throw new RadiantException(path, Directory.Exists(path) ? "is a folder, not an image" : "image file not found");
        try
        {
            using var stream = File.OpenRead(path);
            var buffer = new byte[(int)Math.Min(count, stream.Length)];
            stream.ReadExactly(buffer);
            return buffer;
        }
        catch (IOException e) { throw new RadiantException(path, $"cannot read: {e.Message}", e); }
        catch (UnauthorizedAccessException e) { throw new RadiantException(path, $"cannot read: {e.Message}", e); }
    }

    private static byte[] ReadAll(string path) => ReadHead(path, int.MaxValue);
}
