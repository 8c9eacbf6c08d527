using System.Buffers.Binary;

namespace Radiant.Imaging.Png;

/// <summary>
/// CRC-32 (ISO 3309, reflected polynomial 0xEDB88320) as PNG chunks use it (PNG spec §5.5, Annex D).
/// Eight bytes per step with eight derived tables ("slicing by 8"), about four times the speed of
/// the one-byte table loop, which still handles the tail.
/// </summary>
public static class Crc32
{
    /// <summary>Table k (at offset 256·k) is the CRC of a byte followed by k zero bytes.</summary>
    private static readonly uint[] Tables = BuildTables();

    private static uint[] BuildTables()
    {
        var t = new uint[8 * 256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            t[n] = c;
        }
        for (int k = 1; k < 8; k++)
            for (int n = 0; n < 256; n++)
            {
                uint prev = t[(k - 1) * 256 + n];
                t[k * 256 + n] = (prev >> 8) ^ t[prev & 0xFF];
            }
        return t;
    }

    /// <summary>Continues a running CRC register (start with 0xFFFFFFFF, finish with a complement).</summary>
    public static uint Update(uint crc, ReadOnlySpan<byte> data)
    {
        uint[] t = Tables;
        uint c = crc;
        int i = 0;
        for (; i + 8 <= data.Length; i += 8)
        {
            ulong v = BinaryPrimitives.ReadUInt64LittleEndian(data[i..]) ^ c;
            uint lo = (uint)v, hi = (uint)(v >> 32);
            c = t[7 * 256 + (lo & 0xFF)] ^ t[6 * 256 + ((lo >> 8) & 0xFF)] ^ t[5 * 256 + ((lo >> 16) & 0xFF)] ^ t[4 * 256 + (lo >> 24)]
              ^ t[3 * 256 + (hi & 0xFF)] ^ t[2 * 256 + ((hi >> 8) & 0xFF)] ^ t[256 + ((hi >> 16) & 0xFF)] ^ t[hi >> 24];
        }
        for (; i < data.Length; i++) c = t[(c ^ data[i]) & 0xFF] ^ (c >> 8);
        return c;
    }

    public static uint Compute(ReadOnlySpan<byte> data) => Update(0xFFFFFFFFu, data) ^ 0xFFFFFFFFu;
}
