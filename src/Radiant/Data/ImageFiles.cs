using System.Text.Json;
using Radiant.Imaging;
using Radiant.Imaging.Jpeg;
using Radiant.Imaging.Png;

namespace Radiant.Data;

/// <summary>Finding and probing the image files that a JSON layout names.</summary>
internal static class ImageFiles
{
    private static readonly string[] Extensions = [".png", ".PNG", ".jpg", ".jpeg", ".JPG", ".JPEG"];

    /// <summary>
    /// The file that <paramref name="relative"/> (relative to <paramref name="root"/>, or absolute) names.
    /// NeRF-synthetic writes paths without extension ("./train/r_0"), so if the name as given does not
    /// exist, the usual image extensions are tried. Null if nothing exists.
    /// </summary>
    public static string? Resolve(string root, string relative)
    {
        string full = Path.GetFullPath(Path.Combine(root, relative.Replace('\\', '/')));
        if (File.Exists(full)) return full;
        foreach (string ext in Extensions)
            if (File.Exists(full + ext)) return full + ext;
        return null;
    }

    /// <summary>What a missing image would have been called: the name with .png appended when it has no extension.</summary>
    public static string Expected(string root, string relative)
    {
        string full = Path.GetFullPath(Path.Combine(root, relative.Replace('\\', '/')));
        return Path.HasExtension(full) ? full : full + ".png";
    }

    /// <summary>A camera name from a dataset-relative path: forward slashes, no leading "./", no extension.</summary>
    public static string CameraName(string relative, bool keepExtension)
    {
        string n = relative.Replace('\\', '/');
        while (n.StartsWith("./", StringComparison.Ordinal)) n = n[2..];
        if (!keepExtension)
        {
            string ext = Path.GetExtension(n);
            if (ext.Length > 0 && Extensions.Contains(ext, StringComparer.OrdinalIgnoreCase)) n = n[..^ext.Length];
        }
        return n;
    }

    /// <summary>Makes <paramref name="name"/> unique within <paramref name="used"/> by prefixing the split, then numbering.</summary>
    public static string Unique(string name, string split, HashSet<string> used)
    {
        if (used.Add(name)) return name;
        string prefixed = $"{split}/{name}";
        if (used.Add(prefixed)) return prefixed;
        for (int k = 2; ; k++)
            if (used.Add($"{prefixed}#{k}")) return $"{prefixed}#{k}";
    }

    /// <summary>
    /// Whether the image decodes with alpha, from its headers alone: PNG colour types 4 (grey+alpha)
    /// and 6 (RGBA) do, and grey, RGB and palette images (types 0, 2, 3) do when a tRNS chunk (a
    /// transparent colour or palette alphas) precedes the image data; JPEG never does. Reads the
    /// first 26 bytes, and for types 0, 2 and 3 the chunk headers up to IDAT.
    /// </summary>
    public static bool HasAlpha(string path)
    {
        Span<byte> head = stackalloc byte[26];
        try
        {
            using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1);
            int n = fs.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            if (n < 26 || !PngDecoder.IsPng(head)) return false;
            // PNG: signature (8), IHDR length (4) and type (4), width (4), height (4), bit depth (1), colour type (1).
            byte colourType = head[25];
            return colourType is 4 or 6 || (colourType is 0 or 2 or 3 && HasTransparencyChunk(fs));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new RadiantException(path, $"cannot read: {e.Message}", e); }
    }

    /// <summary>
    /// How a JSON-layout frame's image is read, and its size: as stored, ignoring a JPEG's EXIF
    /// orientation tag, which is how nerfstudio and the reference 3DGS read them (PIL's Image.open)
    /// and how COLMAP posed them (ns-process-data copies phone photos with their tags); upright
    /// (tag applied) only when the frame states a size (<paramref name="statedWidth"/>,
    /// <paramref name="statedHeight"/>) that matches the upright shape and not the stored one. The
    /// size is the stated one, else the stored image's. Only JPEGs are probed for a tag.
    /// </summary>
    public static (int Width, int Height, bool Stored) Orientation(string image, int? statedWidth, int? statedHeight)
    {
        bool stated = statedWidth is not null && statedHeight is not null;
        bool jpeg = Path.GetExtension(image).ToLowerInvariant() is ".jpg" or ".jpeg";
        if (!jpeg || !ExifOrientation.SwapsAxes(ImageIO.ReadOrientation(image)))
        {
            if (stated) return (statedWidth!.Value, statedHeight!.Value, true);
            var (w, h) = ImageIO.ReadSize(image, applyOrientation: false);
            return (statedWidth ?? w, statedHeight ?? h, true);
        }
        var (storedWidth, storedHeight) = ImageIO.ReadSize(image, applyOrientation: false);
        if (!stated) return (statedWidth ?? storedWidth, statedHeight ?? storedHeight, true);
        // Same shape as stored (any uniform scale; a square image always): stored; the turned shape only: upright.
        long sw = storedWidth, sh = storedHeight, w0 = statedWidth!.Value, h0 = statedHeight!.Value;
        bool uprightOnly = w0 * sw == h0 * sh && w0 * sh != h0 * sw;
        return (statedWidth.Value, statedHeight!.Value, !uprightOnly);
    }

    /// <summary>Walks the chunk headers after IHDR (the stream is 26 bytes in): true if tRNS comes before IDAT.</summary>
    private static bool HasTransparencyChunk(FileStream fs)
    {
        Span<byte> chunk = stackalloc byte[8];
        // Rest of IHDR: compression, filter, interlace (3 bytes) and its CRC (4).
        for (long at = 33; at + 8 <= fs.Length; )
        {
            fs.Position = at;
            if (fs.ReadAtLeast(chunk, 8, throwOnEndOfStream: false) < 8) return false;
            uint length = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(chunk);
            ReadOnlySpan<byte> type = chunk[4..];
            if (type.SequenceEqual("tRNS"u8)) return true;
            if (type.SequenceEqual("IDAT"u8) || type.SequenceEqual("IEND"u8)) return false;
            at += 12L + length;   // length, type, data, CRC
        }
        return false;
    }
}
