using System.IO.Compression;

namespace Radiant.Imaging.Png;

/// <summary>
/// PNG decoder (PNG spec, 3rd edition; the § numbers in this folder are those of the 2nd edition,
/// ISO/IEC 15948:2003, whose rules it keeps): every colour type and bit depth, PLTE, tRNS, Adam7
/// interlacing, all five filters; every chunk's CRC is checked. Output is RGB or RGBA float in [0, 1]
/// (grey is expanded to RGB; tRNS or an alpha channel gives RGBA). Ancillary chunks are skipped, so
/// an APNG decodes to its default image. Errors are <see cref="InvalidDataException"/> with a
/// message that names the problem; the caller adds the file name.
/// </summary>
public static class PngDecoder
{
    /// <summary>
    /// Largest image accepted (2^28 pixels, e.g. 16384×16384). The header is untrusted, so the size
    /// is checked before anything is allocated; RGBA float at this size is already 4 GiB.
    /// </summary>
    public const long MaxPixelCount = 1L << 28;

    /// <summary>Deflate's best case is 1032:1 (a 258-byte match in 2 bits), so no zlib stream inflates to more.</summary>
    private const long MaxDeflateRatio = 1032;

    public static ReadOnlySpan<byte> Signature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    public static bool IsPng(ReadOnlySpan<byte> data) => data.Length >= 8 && data[..8].SequenceEqual(Signature);

    /// <summary>Width and height from the IHDR chunk (validated, CRC checked), without decoding.</summary>
    public static (int Width, int Height) ReadSize(ReadOnlySpan<byte> data)
    {
        CheckSignature(data);
        var chunks = new PngChunkReader(data);
        if (chunks.AtEnd) throw new InvalidDataException("PNG file is truncated (no IHDR chunk)");
        PngChunk first = chunks.Next();
        if (first.Type != PngChunkType.IHDR) throw new InvalidDataException($"PNG's first chunk is {first.Name}, not IHDR");
        PngHeader header = PngHeader.Parse(first.Data);
        return (header.Width, header.Height);
    }

    public static Image Decode(ReadOnlySpan<byte> data)
    {
        CheckSignature(data);
        using var idat = new MemoryStream(data.Length); // IDAT data is a part of the file, so this never grows
        (PngHeader header, PngPalette? palette, PngColorKey? key) = ReadChunks(data, idat);
        CheckSize(header, idat.Length);
        var writer = new PngPixelWriter(header, palette, key);
        var compressed = new MemoryStream(idat.GetBuffer(), 0, (int)idat.Length, writable: false);
        using var zlib = new ZLibStream(compressed, CompressionMode.Decompress);
        DecodeScanlines(zlib, header, writer);
        return writer.Image;
    }

    private static void CheckSignature(ReadOnlySpan<byte> data)
    {
        if (IsPng(data)) return;
        if (data.Length < 8 && data.Length > 0 && Signature[..data.Length].SequenceEqual(data))
            throw new InvalidDataException("PNG file is truncated (shorter than the 8-byte signature)");
        throw new InvalidDataException("not a PNG file (bad signature)");
    }

    /// <summary>
    /// Reads the chunk sequence up to IEND, enforcing the ordering rules of §5.6: IHDR first, PLTE and
    /// tRNS before the image data, IDAT chunks consecutive. IDAT data is appended to <paramref name="idat"/>.
    /// </summary>
    private static (PngHeader, PngPalette?, PngColorKey?) ReadChunks(ReadOnlySpan<byte> data, MemoryStream idat)
    {
        var chunks = new PngChunkReader(data);
        PngHeader header = default;
        PngPalette? palette = null;
        PngColorKey? key = null;
        bool sawHeader = false, sawPalette = false, sawTransparency = false;
        bool inIdat = false, afterIdat = false;
        while (true)
        {
            if (chunks.AtEnd)
                throw new InvalidDataException(sawHeader ? "PNG file is truncated (no IEND chunk)" : "PNG file is truncated (no IHDR chunk)");
            PngChunk chunk = chunks.Next();
            if (!sawHeader && chunk.Type != PngChunkType.IHDR)
                throw new InvalidDataException($"PNG's first chunk is {chunk.Name}, not IHDR");
            if (chunk.Type != PngChunkType.IDAT && inIdat) { inIdat = false; afterIdat = true; }
            if (chunk.Damaged) continue;   // an ancillary chunk with a bad CRC: dropped

            switch (chunk.Type)
            {
                case PngChunkType.IHDR:
                    if (sawHeader) throw new InvalidDataException("PNG has more than one IHDR chunk");
                    header = PngHeader.Parse(chunk.Data);
                    sawHeader = true;
                    break;

                case PngChunkType.PLTE: // §11.2.3
                    if (sawPalette) throw new InvalidDataException("PNG has more than one PLTE chunk");
                    if (inIdat || afterIdat) throw new InvalidDataException("PNG PLTE chunk comes after the image data");
                    if (header.ColorType is PngColorType.Greyscale or PngColorType.GreyscaleAlpha)
                        throw new InvalidDataException($"PNG PLTE chunk is not allowed for colour type {(int)header.ColorType} ({PngHeader.Describe(header.ColorType)})");
                    if (sawTransparency) throw new InvalidDataException("PNG PLTE chunk comes after tRNS");
                    sawPalette = true;
                    PngPalette parsed = PngPalette.Parse(chunk.Data);
                    // For RGB images PLTE is only a suggested quantisation palette (§11.2.3); it is not used.
                    if (header.ColorType == PngColorType.IndexedColor) palette = parsed;
                    break;

                case PngChunkType.tRNS: // §11.3.2.1
                    if (sawTransparency) throw new InvalidDataException("PNG has more than one tRNS chunk");
                    if (inIdat || afterIdat) throw new InvalidDataException("PNG tRNS chunk comes after the image data");
                    sawTransparency = true;
                    switch (header.ColorType)
                    {
                        case PngColorType.IndexedColor:
                            if (palette is null) throw new InvalidDataException("PNG tRNS chunk comes before PLTE");
                            palette.ApplyTransparency(chunk.Data);
                            break;
                        case PngColorType.Greyscale or PngColorType.Truecolor:
                            key = PngColorKey.Parse(chunk.Data, header);
                            break;
                        default:
                            break; // not allowed with a full alpha channel; ignored like any misplaced ancillary chunk
                    }
                    break;

                case PngChunkType.IDAT: // §11.2.4
                    if (afterIdat) throw new InvalidDataException("PNG IDAT chunks are not consecutive");
                    if (header.ColorType == PngColorType.IndexedColor && palette is null)
                        throw new InvalidDataException("PNG colour type 3 (palette) has no PLTE chunk before the image data");
                    idat.Write(chunk.Data);
                    inIdat = true;
                    break;

                case PngChunkType.IEND: // §11.2.5
                    if (!inIdat && !afterIdat) throw new InvalidDataException("PNG has no image data (no IDAT chunk)");
                    return (header, palette, key);

                default:
                    // §5.4: an unknown ancillary chunk may be skipped, an unknown critical one may not.
                    if (chunk.IsCritical) throw new InvalidDataException($"PNG has an unknown critical chunk {chunk.Name}");
                    break;
            }
        }
    }

    /// <summary>Refuses absurd sizes from an untrusted header before allocating the image or any scanline buffer.</summary>
    private static void CheckSize(PngHeader header, long compressedBytes)
    {
        long pixels = (long)header.Width * header.Height;
        if (pixels > MaxPixelCount)
            throw new InvalidDataException($"PNG size {header.Width}x{header.Height} is too large ({pixels} pixels; the limit is {MaxPixelCount})");
        if (header.RowBytes(header.Width) + 1 > Array.MaxLength)
            throw new InvalidDataException($"PNG width {header.Width} is too large for one scanline");
        long rawBytes = 0;
        foreach (PngPass pass in header.Interlaced ? Adam7.Passes : Adam7.NotInterlaced)
        {
            (int w, int h) = pass.ReducedSize(header.Width, header.Height);
            if (w > 0 && h > 0) rawBytes += (header.RowBytes(w) + 1) * h;
        }
        if (rawBytes > compressedBytes * MaxDeflateRatio)
            throw new InvalidDataException(
                $"PNG image data is truncated ({compressedBytes} compressed bytes cannot hold the {rawBytes} bytes of a {header.Width}x{header.Height} image)");
    }

    /// <summary>
    /// Inflates and unfilters the scanlines pass by pass (§8.2, §9) straight into the image, keeping
    /// only the current and previous scanline; the zlib stream is read no further than the image needs.
    /// </summary>
    private static void DecodeScanlines(Stream zlib, PngHeader header, PngPixelWriter writer)
    {
        int bpp = header.FilterByteDistance;
        int maxRow = (int)header.RowBytes(header.Width) + 1;
        byte[] current = new byte[maxRow], previous = new byte[maxRow];
        PngPass[] passes = header.Interlaced ? Adam7.Passes : Adam7.NotInterlaced;
        long inflated = 0;
        for (int p = 0; p < passes.Length; p++)
        {
            PngPass pass = passes[p];
            (int width, int height) = pass.ReducedSize(header.Width, header.Height);
            if (width == 0 || height == 0) continue; // an empty pass has no scanlines, not even filter bytes
            int rowBytes = (int)header.RowBytes(width);
            // §9.2: the first scanline of each pass is filtered against a row of zeros.
            Array.Clear(previous, 0, rowBytes + 1);
            for (int j = 0; j < height; j++)
            {
                Span<byte> line = current.AsSpan(0, rowBytes + 1);
                ReadExactly(zlib, line, ref inflated);
                int filter = line[0];
                if (filter > 4)
                    throw new InvalidDataException(header.Interlaced
                        ? $"PNG scanline {j} of interlace pass {p + 1} has unknown filter type {filter}"
                        : $"PNG scanline {j} has unknown filter type {filter}");
                PngFilters.Unfilter(filter, line[1..], previous.AsSpan(1, rowBytes), bpp);
                writer.WriteRow(line[1..], width, pass.Y0 + j * pass.Dy, pass.X0, pass.Dx);
                (current, previous) = (previous, current);
            }
        }
    }

    private static void ReadExactly(Stream zlib, Span<byte> buffer, ref long inflated)
    {
        int got = 0;
        while (got < buffer.Length)
        {
            int k;
            try { k = zlib.Read(buffer[got..]); }
            // .NET reports every zlib data error as "unsupported compression method": say what it means.
            catch (InvalidDataException e) { throw new InvalidDataException("PNG image data is corrupt (the zlib stream's deflate data or its Adler-32 checksum is wrong)", e); }
            if (k == 0) throw new InvalidDataException($"PNG image data is truncated (the zlib stream ends after {inflated + got} bytes of scanlines)");
            got += k;
        }
        inflated += got;
    }
}
