using System.Buffers.Binary;
using System.IO.Compression;

namespace Radiant.Imaging.Png;

/// <summary>
/// PNG encoder for RGB and RGBA at 8 or 16 bits per sample (PNG spec §11–12). Each scanline gets the
/// filter with the smallest sum of absolute residuals, the usual heuristic (<see cref="PngFilterChoice"/>).
/// </summary>
public static class PngEncoder
{
    public static byte[] Encode(Image image, int bitDepth = 8)
    {
        if (bitDepth is not (8 or 16)) throw new ArgumentOutOfRangeException(nameof(bitDepth), "PNG encoder writes 8 or 16 bits per sample");
        Image src = image.Channels < 3 ? image.ToRgb() : image;
        int channels = src.Channels;
        int bytesPerPixel = channels * bitDepth / 8;
        int stride = src.Width * bytesPerPixel;

        // Raw interleaved big-endian samples.
        byte[] raw;
        if (bitDepth == 8) raw = src.ToInterleaved8();
        else
        {
            raw = new byte[stride * src.Height];
            ushort[] s16 = src.ToInterleaved16();
            for (int i = 0; i < s16.Length; i++) BinaryPrimitives.WriteUInt16BigEndian(raw.AsSpan(i * 2), s16[i]);
        }

        // Filtered scanlines (§9: a filter-type byte, then the residuals), then one zlib stream of them all.
        int line = stride + 1;
        var filtered = new byte[line * src.Height];
        var scratch = new byte[5 * stride];
        var zeroRow = new byte[stride];
        for (int y = 0; y < src.Height; y++)
        {
            ReadOnlySpan<byte> row = raw.AsSpan(y * stride, stride);
            ReadOnlySpan<byte> prior = y > 0 ? raw.AsSpan((y - 1) * stride, stride) : zeroRow;
            PngFilterChoice.Filter(row, prior, bytesPerPixel, filtered.AsSpan(y * line, line), scratch);
        }
        using var idat = new MemoryStream();
        using (var z = new ZLibStream(idat, CompressionLevel.Optimal, leaveOpen: true)) z.Write(filtered);

        using var png = new MemoryStream();
        png.Write(PngDecoder.Signature);
        Span<byte> ihdr = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, src.Width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr[4..], src.Height);
        ihdr[8] = (byte)bitDepth;
        ihdr[9] = (byte)(channels == 4 ? 6 : 2);
        ihdr[10] = 0; ihdr[11] = 0; ihdr[12] = 0;
        WriteChunk(png, "IHDR", ihdr);
        WriteChunk(png, "IDAT", idat.ToArray());
        WriteChunk(png, "IEND", ReadOnlySpan<byte>.Empty);
        return png.ToArray();
    }

    private static void WriteChunk(Stream s, string type, ReadOnlySpan<byte> data)
    {
        Span<byte> header = stackalloc byte[8];
        BinaryPrimitives.WriteInt32BigEndian(header, data.Length);
        for (int i = 0; i < 4; i++) header[4 + i] = (byte)type[i];
        s.Write(header);
        s.Write(data);
        uint crc = Crc32.Update(0xFFFFFFFFu, header[4..]);
        crc = Crc32.Update(crc, data) ^ 0xFFFFFFFFu;
        Span<byte> crcBytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crcBytes, crc);
        s.Write(crcBytes);
    }
}
