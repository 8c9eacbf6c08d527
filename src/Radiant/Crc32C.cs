using System.Buffers.Binary;
using System.Runtime.InteropServices;
using ArmCrc = System.Runtime.Intrinsics.Arm.Crc32;
using X86Crc = System.Runtime.Intrinsics.X86.Sse42;

namespace Radiant;

/// <summary>
/// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78, as in iSCSI RFC 3720 §B.4), the
/// checksum of Radiant's own containers. Uses the CPU's CRC32 instruction where there is one
/// (SSE4.2, ARMv8 CRC) and a slicing-by-8 table otherwise, so multi-gigabyte checkpoints are
/// checked at memory speed. Check value: CRC-32C("123456789") = 0xE3069283.
/// </summary>
public static class Crc32C
{
    private const uint Polynomial = 0x82F63B78u;
    private static readonly uint[] Tables = BuildTables();

    /// <summary>The CRC of <paramref name="data"/> (initial value and final xor applied).</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => ~Append(~0u, data);

    /// <summary>
    /// Continues a running register over more bytes. Start with <c>~0u</c> and finish with <c>~</c>
    /// (or use <see cref="Running"/>).
    /// </summary>
    public static uint Append(uint register, ReadOnlySpan<byte> data)
    {
        if (X86Crc.X64.IsSupported) return AppendX64(register, data);
        if (ArmCrc.Arm64.IsSupported) return AppendArm64(register, data);
        return AppendTable(register, data);
    }

    private static uint AppendX64(uint crc, ReadOnlySpan<byte> data)
    {
        ulong c = crc;
        ReadOnlySpan<ulong> words = MemoryMarshal.Cast<byte, ulong>(data);
        foreach (ulong w in words) c = X86Crc.X64.Crc32(c, w);
        uint r = (uint)c;
        foreach (byte b in data[(words.Length * 8)..]) r = X86Crc.Crc32(r, b);
        return r;
    }

    private static uint AppendArm64(uint crc, ReadOnlySpan<byte> data)
    {
        ReadOnlySpan<ulong> words = MemoryMarshal.Cast<byte, ulong>(data);
        foreach (ulong w in words) crc = ArmCrc.Arm64.ComputeCrc32C(crc, w);
        foreach (byte b in data[(words.Length * 8)..]) crc = ArmCrc.ComputeCrc32C(crc, b);
        return crc;
    }

    /// <summary>Portable path: slicing-by-8 (eight 256-entry tables, one 64-bit word a step).</summary>
    internal static uint AppendTable(uint crc, ReadOnlySpan<byte> data)
    {
        ReadOnlySpan<uint> t = Tables;
        while (data.Length >= 8)
        {
            uint lo = BinaryPrimitives.ReadUInt32LittleEndian(data) ^ crc;
            uint hi = BinaryPrimitives.ReadUInt32LittleEndian(data[4..]);
            crc = t[7 * 256 + (int)(lo & 0xFF)] ^ t[6 * 256 + (int)((lo >> 8) & 0xFF)]
                ^ t[5 * 256 + (int)((lo >> 16) & 0xFF)] ^ t[4 * 256 + (int)(lo >> 24)]
                ^ t[3 * 256 + (int)(hi & 0xFF)] ^ t[2 * 256 + (int)((hi >> 8) & 0xFF)]
                ^ t[1 * 256 + (int)((hi >> 16) & 0xFF)] ^ t[(int)(hi >> 24)];
            data = data[8..];
        }
        foreach (byte b in data) crc = t[(int)((crc ^ b) & 0xFF)] ^ (crc >> 8);
        return crc;
    }

    private static uint[] BuildTables()
    {
        var t = new uint[8 * 256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? Polynomial ^ (c >> 1) : c >> 1;
            t[n] = c;
        }
        for (int s = 1; s < 8; s++)
            for (int n = 0; n < 256; n++)
            {
                uint prev = t[(s - 1) * 256 + n];
                t[s * 256 + n] = t[(int)(prev & 0xFF)] ^ (prev >> 8);
            }
        return t;
    }

    /// <summary>A CRC accumulated over successive spans.</summary>
    public struct Running
    {
        private uint _register;
        private bool _started;

        public void Append(ReadOnlySpan<byte> data)
        {
            if (!_started) { _register = ~0u; _started = true; }
            _register = Crc32C.Append(_register, data);
        }

        public readonly uint Value => _started ? ~_register : 0u;
    }
}
