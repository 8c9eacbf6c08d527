using System.Buffers.Binary;

namespace Radiant.Logging;

/// <summary>
/// The TFRecord framing of TensorBoard event files: each record is
/// <c>uint64 length | uint32 masked_crc32c(length bytes) | data[length] | uint32 masked_crc32c(data)</c>,
/// all little-endian, where <c>masked(crc) = ((crc &gt;&gt; 15) | (crc &lt;&lt; 17)) + 0xa282ead8</c>
/// (TensorFlow's <c>crc32c::Mask</c>: rotating the CRC keeps a CRC of data that itself contains CRCs well distributed).
/// </summary>
public static class TfRecord
{
    public const int HeaderSize = 12, FooterSize = 4;
    private const uint MaskDelta = 0xa282ead8u;

    public static uint Mask(uint crc) => ((crc >> 15) | (crc << 17)) + MaskDelta;

    public static uint Unmask(uint masked)
    {
        uint rotated = masked - MaskDelta;
        return (rotated >> 17) | (rotated << 15);
    }

    /// <summary>The masked CRC-32C of <paramref name="data"/>.</summary>
    public static uint MaskedCrc(ReadOnlySpan<byte> data) => Mask(Crc32C.Compute(data));

    /// <summary>The framed bytes of one record.</summary>
    public static byte[] Frame(ReadOnlySpan<byte> data)
    {
        var record = new byte[HeaderSize + data.Length + FooterSize];
        Span<byte> r = record;
        BinaryPrimitives.WriteUInt64LittleEndian(r, (ulong)data.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(r[8..], MaskedCrc(r[..8]));
        data.CopyTo(r[HeaderSize..]);
        BinaryPrimitives.WriteUInt32LittleEndian(r[(HeaderSize + data.Length)..], MaskedCrc(data));
        return record;
    }
}
