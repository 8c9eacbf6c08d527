using System.Buffers.Binary;
using System.IO.Compression;

namespace Radiant.Imaging.Png;

/// <summary>
/// PNG decoder (PNG spec, 3rd edition). Chunk CRCs are checked. Output is RGB or RGBA float in
/// [0, 1] (grey is expanded to RGB). Errors are <see cref="InvalidDataException"/> with a message
/// that names the problem; the caller adds the file name.
/// </summary>
public static class PngDecoder
{
    public static ReadOnlySpan<byte> Signature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    public static bool IsPng(ReadOnlySpan<byte> data) => data.Length >= 8 && data[..8].SequenceEqual(Signature);

    /// <summary>Width and height from the IHDR chunk, without decoding.</summary>
    public static (int Width, int Height) ReadSize(ReadOnlySpan<byte> data)
    {
        if (!IsPng(data)) throw new InvalidDataException("not a PNG file (bad signature)");
        if (data.Length < 8 + 8 + 13 || !data.Slice(12, 4).SequenceEqual("IHDR"u8))
            throw new InvalidDataException("PNG file is truncated or its first chunk is not IHDR");
        int w = BinaryPrimitives.ReadInt32BigEndian(data[16..]);
        int h = BinaryPrimitives.ReadInt32BigEndian(data[20..]);
        if (w <= 0 || h <= 0) throw new InvalidDataException($"PNG size {w}x{h} is invalid");
        return (w, h);
    }

    public static Image Decode(ReadOnlySpan<byte> data)
    {
        if (!IsPng(data)) throw new InvalidDataException("not a PNG file (bad signature)");
        int pos = 8;
        int width = 0, height = 0, bitDepth = 0, colorType = -1, interlace = 0;
        bool sawHeader = false, sawEnd = false;
        using var idat = new MemoryStream();
        while (pos < data.Length)
        {
            if (pos + 12 > data.Length) throw new InvalidDataException("PNG file is truncated (incomplete chunk header)");
            int length = BinaryPrimitives.ReadInt32BigEndian(data[pos..]);
            if (length < 0 || (long)pos + 12 + length > data.Length) throw new InvalidDataException("PNG file is truncated (chunk runs past the end of the file)");
            ReadOnlySpan<byte> type = data.Slice(pos + 4, 4);
            ReadOnlySpan<byte> body = data.Slice(pos + 8, length);
            uint storedCrc = BinaryPrimitives.ReadUInt32BigEndian(data[(pos + 8 + length)..]);
            uint crc = Crc32.Compute(data.Slice(pos + 4, 4 + length));
            string typeName = System.Text.Encoding.ASCII.GetString(type);
            if (crc != storedCrc) throw new InvalidDataException($"PNG chunk {typeName} has a bad CRC (file corrupt)");
            pos += 12 + length;

            if (type.SequenceEqual("IHDR"u8))
            {
                if (length != 13) throw new InvalidDataException("PNG IHDR chunk has the wrong length");
                width = BinaryPrimitives.ReadInt32BigEndian(body);
                height = BinaryPrimitives.ReadInt32BigEndian(body[4..]);
                bitDepth = body[8]; colorType = body[9]; interlace = body[12];
                if (width <= 0 || height <= 0) throw new InvalidDataException($"PNG size {width}x{height} is invalid");
                sawHeader = true;
            }
            else if (type.SequenceEqual("IDAT"u8)) idat.Write(body);
            else if (type.SequenceEqual("IEND"u8)) { sawEnd = true; break; }
            else if ((type[0] & 0x20) == 0 && !type.SequenceEqual("PLTE"u8))
                throw new InvalidDataException($"PNG has an unknown critical chunk {typeName}");
        }
        if (!sawHeader) throw new InvalidDataException("PNG has no IHDR chunk");
        if (!sawEnd) throw new InvalidDataException("PNG file is truncated (no IEND chunk)");
        if (interlace != 0) throw new InvalidDataException("interlaced PNG is not supported yet");

        int channels = colorType switch
        {
            0 => 1, 2 => 3, 4 => 2, 6 => 4,
            _ => throw new InvalidDataException($"PNG colour type {colorType} is not supported yet"),
        };
        if (bitDepth is not (8 or 16)) throw new InvalidDataException($"PNG bit depth {bitDepth} is not supported yet");

        int bytesPerPixel = channels * bitDepth / 8;
        long strideLong = (long)width * bytesPerPixel;
        if (strideLong * height > int.MaxValue / 2) throw new InvalidDataException($"PNG of {width}x{height} is too large");
        int stride = (int)strideLong;
        byte[] raw = Inflate(idat.ToArray(), (stride + 1) * height);

        var pixels = new byte[stride * height];
        var zeroRow = new byte[stride];
        for (int y = 0; y < height; y++)
        {
            int filter = raw[y * (stride + 1)];
            Span<byte> line = pixels.AsSpan(y * stride, stride);
            raw.AsSpan(y * (stride + 1) + 1, stride).CopyTo(line);
            ReadOnlySpan<byte> prior = y > 0 ? pixels.AsSpan((y - 1) * stride, stride) : zeroRow;
            PngFilters.Unfilter(filter, line, prior, bytesPerPixel);
        }

        var img = new Image(width, height, channels);
        int n = width * height;
        for (int c = 0; c < channels; c++)
        {
            Span<float> plane = img.Plane(c);
            if (bitDepth == 8)
                for (int i = 0; i < n; i++) plane[i] = pixels[i * channels + c] * (1f / 255f);
            else
                for (int i = 0; i < n; i++) plane[i] = BinaryPrimitives.ReadUInt16BigEndian(pixels.AsSpan((i * channels + c) * 2)) * (1f / 65535f);
        }
        return img.ToRgb();
    }

    /// <summary>Inflates the zlib stream of the IDAT chunks; exactly <paramref name="expected"/> bytes must come out.</summary>
    internal static byte[] Inflate(byte[] compressed, int expected)
    {
        var raw = new byte[expected];
        try
        {
            using var z = new ZLibStream(new MemoryStream(compressed), CompressionMode.Decompress);
            int got = 0;
            while (got < expected)
            {
                int k = z.Read(raw, got, expected - got);
                if (k == 0) break;
                got += k;
            }
            if (got < expected) throw new InvalidDataException($"PNG image data is truncated ({got} of {expected} bytes)");
        }
        catch (InvalidDataException e) when (!e.Message.StartsWith("PNG"))
        {
            throw new InvalidDataException($"PNG image data is corrupt ({e.Message})");
        }
        return raw;
    }
}
