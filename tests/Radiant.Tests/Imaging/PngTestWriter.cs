using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Radiant.Tests.Imaging;

/// <summary>
/// What <see cref="PngTestWriter"/> writes: raw integer samples of any PNG colour type and bit depth,
/// with optional PLTE/tRNS, Adam7 and a forced filter choice.
/// </summary>
public sealed class PngTestImage
{
    public required int Width { get; init; }
    public required int Height { get; init; }
    /// <summary>0 grey, 2 RGB, 3 palette, 4 grey+alpha, 6 RGBA (written as is, even if invalid).</summary>
    public required int ColorType { get; init; }
    public required int BitDepth { get; init; }
    /// <summary>Interleaved samples, <see cref="SamplesPerPixel"/> per pixel, row-major; palette images hold indices.</summary>
    public required int[] Samples { get; init; }

    /// <summary>RGB triples for PLTE, or null for no PLTE chunk.</summary>
    public byte[]? Palette { get; init; }
    /// <summary>Alpha per palette entry for tRNS (colour type 3), or null.</summary>
    public byte[]? PaletteAlpha { get; init; }
    /// <summary>The tRNS colour key for colour types 0 (one value) and 2 (three values), or null.</summary>
    public int[]? ColorKey { get; init; }

    public bool Interlaced { get; init; }
    /// <summary>0–4 forces that filter on every scanline; <see cref="MixedFilters"/> cycles through all five. Any other value is written as the filter byte over unfiltered data (for error tests).</summary>
    public int Filter { get; init; }
    public const int MixedFilters = -1;

    /// <summary>Splits the zlib stream over IDAT chunks of this many bytes (0: one chunk).</summary>
    public int IdatChunkSize { get; init; }
    /// <summary>Adds ancillary chunks (tEXt, gAMA, an unknown private one, an empty IDAT) around the image data.</summary>
    public bool ExtraChunks { get; init; }

    public int SamplesPerPixel => ColorType switch { 0 or 3 => 1, 4 => 2, 2 => 3, _ => 4 };
    public int MaxSample => (1 << BitDepth) - 1;
}

/// <summary>
/// A test-side PNG writer, written from the PNG spec independently of Radiant's encoder and CRC
/// (it has its own packing, forward filters and bitwise CRC), so that decoder tests do not check
/// Radiant against itself.
/// </summary>
public static class PngTestWriter
{
    public static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    private static readonly (int X0, int Y0, int Dx, int Dy)[] Adam7 =
        [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)];

    public static byte[] Write(PngTestImage img)
    {
        if (img.Samples.Length != img.Width * img.Height * img.SamplesPerPixel) throw new ArgumentException("sample count does not match the size");
        var chunks = new List<byte[]> { Ihdr(img.Width, img.Height, img.BitDepth, img.ColorType, img.Interlaced ? 1 : 0) };
        if (img.ExtraChunks)
        {
            chunks.Add(Chunk("gAMA", [0, 0, 0xB1, 0x8F]));
            chunks.Add(Chunk("tEXt", Encoding.Latin1.GetBytes("Comment\0written by the Radiant test writer")));
        }
        if (img.Palette is not null) chunks.Add(Chunk("PLTE", img.Palette));
        if (img.PaletteAlpha is not null) chunks.Add(Chunk("tRNS", img.PaletteAlpha));
        if (img.ColorKey is not null)
        {
            var key = new byte[img.ColorKey.Length * 2];
            for (int i = 0; i < img.ColorKey.Length; i++) BinaryPrimitives.WriteUInt16BigEndian(key.AsSpan(2 * i), (ushort)img.ColorKey[i]);
            chunks.Add(Chunk("tRNS", key));
        }
        if (img.ExtraChunks) chunks.Add(Chunk("prVt", [1, 2, 3])); // unknown, ancillary, private: must be skipped

        byte[] z = Compress(Scanlines(img));
        int size = img.IdatChunkSize > 0 ? img.IdatChunkSize : Math.Max(1, z.Length);
        for (int off = 0; off < z.Length; off += size)
        {
            chunks.Add(Chunk("IDAT", z.AsSpan(off, Math.Min(size, z.Length - off))));
            if (img.ExtraChunks && off == 0) chunks.Add(Chunk("IDAT", [])); // an empty IDAT is legal
        }
        if (img.ExtraChunks) chunks.Add(Chunk("tEXt", Encoding.Latin1.GetBytes("Note\0after the image data")));
        chunks.Add(Chunk("IEND", []));
        return Assemble(chunks);
    }

    /// <summary>The filtered scanlines (filter byte + packed samples) of every pass, before compression.</summary>
    public static byte[] Scanlines(PngTestImage img)
    {
        var output = new MemoryStream();
        (int X0, int Y0, int Dx, int Dy)[] passes = img.Interlaced ? Adam7 : [(0, 0, 1, 1)];
        int spp = img.SamplesPerPixel;
        int bitsPerPixel = spp * img.BitDepth;
        int bpp = Math.Max(1, bitsPerPixel / 8);
        int rowIndex = 0;
        foreach (var (x0, y0, dx, dy) in passes)
        {
            int pw = img.Width > x0 ? (img.Width - x0 + dx - 1) / dx : 0;
            int ph = img.Height > y0 ? (img.Height - y0 + dy - 1) / dy : 0;
            if (pw == 0 || ph == 0) continue;
            int rowBytes = (pw * bitsPerPixel + 7) / 8;
            var prior = new byte[rowBytes];
            for (int j = 0; j < ph; j++, rowIndex++)
            {
                var row = new byte[rowBytes];
                int bit = 0;
                for (int i = 0; i < pw; i++)
                {
                    int pixel = (y0 + j * dy) * img.Width + x0 + i * dx;
                    for (int s = 0; s < spp; s++)
                    {
                        int v = img.Samples[pixel * spp + s];
                        if (v < 0 || v > img.MaxSample) throw new ArgumentException($"sample {v} does not fit {img.BitDepth} bits");
                        if (img.BitDepth == 16) { row[bit / 8] = (byte)(v >> 8); row[bit / 8 + 1] = (byte)v; }
                        else row[bit / 8] |= (byte)(v << (8 - img.BitDepth - bit % 8));
                        bit += img.BitDepth;
                    }
                }
                int filter = img.Filter == PngTestImage.MixedFilters ? rowIndex % 5 : img.Filter;
                output.WriteByte((byte)filter);
                output.Write(filter is >= 0 and <= 4 ? FilterRow(filter, row, prior, bpp) : row);
                prior = row;
            }
        }
        return output.ToArray();
    }

    /// <summary>Forward filter (PNG spec §9.2–9.4): Filt(x) = Orig(x) − predictor(a, b, c).</summary>
    private static byte[] FilterRow(int type, byte[] row, byte[] prior, int bpp)
    {
        var filt = new byte[row.Length];
        for (int i = 0; i < row.Length; i++)
        {
            int a = i >= bpp ? row[i - bpp] : 0, b = prior[i], c = i >= bpp ? prior[i - bpp] : 0;
            int predictor = type switch
            {
                0 => 0,
                1 => a,
                2 => b,
                3 => (a + b) / 2,
                _ => PaethPredictor(a, b, c),
            };
            filt[i] = (byte)(row[i] - predictor);
        }
        return filt;
    }

    private static int PaethPredictor(int a, int b, int c)
    {
        int p = a + b - c;
        int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    public static byte[] Compress(byte[] raw)
    {
        var ms = new MemoryStream();
        using (var z = new ZLibStream(ms, CompressionLevel.Optimal, leaveOpen: true)) z.Write(raw);
        return ms.ToArray();
    }

    public static byte[] Ihdr(int width, int height, int bitDepth, int colorType, int interlace = 0)
    {
        var body = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(body, width);
        BinaryPrimitives.WriteInt32BigEndian(body.AsSpan(4), height);
        body[8] = (byte)bitDepth; body[9] = (byte)colorType; body[12] = (byte)interlace;
        return Chunk("IHDR", body);
    }

    /// <summary>One chunk: length, type, data, CRC over type and data (§5.3).</summary>
    public static byte[] Chunk(string type, ReadOnlySpan<byte> data)
    {
        var chunk = new byte[12 + data.Length];
        BinaryPrimitives.WriteInt32BigEndian(chunk, data.Length);
        Encoding.ASCII.GetBytes(type, chunk.AsSpan(4, 4));
        data.CopyTo(chunk.AsSpan(8));
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8 + data.Length), Crc(chunk.AsSpan(4, 4 + data.Length)));
        return chunk;
    }

    public static byte[] Assemble(IEnumerable<byte[]> chunks) => [.. Signature, .. chunks.SelectMany(c => c)];

    /// <summary>Bit-at-a-time CRC-32 (ISO 3309 / PNG Annex D), deliberately not table driven like Radiant's.</summary>
    public static uint Crc(ReadOnlySpan<byte> bytes)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte x in bytes)
        {
            crc ^= x;
            for (int k = 0; k < 8; k++) crc = (crc >> 1) ^ (0xEDB88320 & (uint)-(int)(crc & 1));
        }
        return ~crc;
    }
}
