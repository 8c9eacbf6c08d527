namespace Radiant.Tests.Imaging;

/// <summary>Writes a TIFF structure for an EXIF block in either byte order, and wraps it as a JPEG APP1 segment.</summary>
internal sealed class ExifBlock(bool littleEndian)
{
    private readonly List<byte> _tiff = [.. littleEndian ? "II"u8.ToArray() : "MM"u8.ToArray()];

    public void U16(int v) { if (littleEndian) _tiff.AddRange([(byte)v, (byte)(v >> 8)]); else _tiff.AddRange([(byte)(v >> 8), (byte)v]); }
    public void U32(int v) { if (littleEndian) _tiff.AddRange([(byte)v, (byte)(v >> 8), (byte)(v >> 16), (byte)(v >> 24)]); else _tiff.AddRange([(byte)(v >> 24), (byte)(v >> 16), (byte)(v >> 8), (byte)v]); }
    public void Bytes(ReadOnlySpan<byte> bytes) => _tiff.AddRange(bytes);

    /// <summary>The APP1 segment: marker, length, "Exif\0\0" and the TIFF structure written so far.</summary>
    public byte[] App1Segment()
    {
        byte[] body = [.. "Exif\0\0"u8.ToArray(), .. _tiff];
        int len = body.Length + 2;
        return [0xFF, 0xE1, (byte)(len >> 8), (byte)len, .. body];
    }
}
