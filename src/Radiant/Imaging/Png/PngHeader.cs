using System.Buffers.Binary;

namespace Radiant.Imaging.Png;

/// <summary>PNG colour types (PNG spec §6.1).</summary>
public enum PngColorType : byte
{
    Greyscale = 0,
    Truecolor = 2,
    IndexedColor = 3,
    GreyscaleAlpha = 4,
    TruecolorAlpha = 6,
}

/// <summary>
/// The validated contents of an IHDR chunk (PNG spec §11.2.2), plus the scanline arithmetic that
/// follows from it (§7.2 scanlines, §9.2 filter byte distance).
/// </summary>
internal readonly record struct PngHeader(int Width, int Height, int BitDepth, PngColorType ColorType, bool Interlaced)
{
    public const int ChunkLength = 13;

    /// <summary>Parses and validates the 13-byte IHDR body; every forbidden combination is an <see cref="InvalidDataException"/>.</summary>
    public static PngHeader Parse(ReadOnlySpan<byte> body)
    {
        if (body.Length != ChunkLength) throw new InvalidDataException($"PNG IHDR chunk has length {body.Length}, expected {ChunkLength}");
        // Width and height are 4-byte unsigned integers limited to 2^31 − 1, so a negative int is invalid.
        int width = BinaryPrimitives.ReadInt32BigEndian(body);
        int height = BinaryPrimitives.ReadInt32BigEndian(body[4..]);
        int bitDepth = body[8], colorType = body[9], compression = body[10], filter = body[11], interlace = body[12];
        if (width <= 0 || height <= 0)
            throw new InvalidDataException($"PNG IHDR is invalid: size {(uint)width}x{(uint)height} (width and height must be 1 to 2^31-1)");

        int[] allowed = colorType switch
        {
            0 => [1, 2, 4, 8, 16],
            2 or 4 or 6 => [8, 16],
            3 => [1, 2, 4, 8],
            _ => throw new InvalidDataException($"PNG IHDR is invalid: unknown colour type {colorType}"),
        };
        if (Array.IndexOf(allowed, bitDepth) < 0)
            throw new InvalidDataException(
                $"PNG IHDR is invalid: colour type {colorType} ({Describe((PngColorType)colorType)}) does not allow bit depth {bitDepth} (allowed: {string.Join(", ", allowed)})");
        if (compression != 0) throw new InvalidDataException($"PNG IHDR is invalid: unknown compression method {compression}");
        if (filter != 0) throw new InvalidDataException($"PNG IHDR is invalid: unknown filter method {filter}");
        if (interlace > 1) throw new InvalidDataException($"PNG IHDR is invalid: unknown interlace method {interlace}");
        return new PngHeader(width, height, bitDepth, (PngColorType)colorType, interlace == 1);
    }

    /// <summary>Samples per pixel as stored in the file (a palette index counts as one).</summary>
    public int SamplesPerPixel => ColorType switch
    {
        PngColorType.Greyscale or PngColorType.IndexedColor => 1,
        PngColorType.GreyscaleAlpha => 2,
        PngColorType.Truecolor => 3,
        _ => 4,
    };

    public int BitsPerPixel => SamplesPerPixel * BitDepth;

    /// <summary>The filter byte distance "bpp" of §9.2: bytes per complete pixel, at least 1.</summary>
    public int FilterByteDistance => Math.Max(1, BitsPerPixel / 8);

    /// <summary>Bytes of one scanline of <paramref name="width"/> pixels, without the filter-type byte; sub-byte pixels pad the last byte (§7.2).</summary>
    public long RowBytes(int width) => ((long)width * BitsPerPixel + 7) / 8;

    /// <summary>The largest sample value, 2^depth − 1.</summary>
    public int MaxSample => (1 << BitDepth) - 1;

    public static string Describe(PngColorType t) => t switch
    {
        PngColorType.Greyscale => "greyscale",
        PngColorType.Truecolor => "RGB",
        PngColorType.IndexedColor => "palette",
        PngColorType.GreyscaleAlpha => "greyscale+alpha",
        PngColorType.TruecolorAlpha => "RGBA",
        _ => "unknown",
    };
}
