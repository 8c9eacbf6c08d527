using System.Buffers.Binary;

namespace Radiant.Imaging.Png;

/// <summary>One chunk (PNG spec §5.3): a 4-letter type and its data, CRC already checked.</summary>
internal readonly ref struct PngChunk(uint type, ReadOnlySpan<byte> data, bool damaged = false)
{
    public uint Type { get; } = type;
    public ReadOnlySpan<byte> Data { get; } = data;

    /// <summary>An ancillary chunk whose CRC does not match: its data must not be used (critical ones are refused instead).</summary>
    public bool Damaged { get; } = damaged;

    /// <summary>Critical chunks have an upper-case first letter: bit 5 of the first type byte is 0 (§5.4).</summary>
    public bool IsCritical => (Type & 0x2000_0000u) == 0;

    public string Name => TypeName(Type);

    public static string TypeName(uint type) =>
        string.Create(4, type, static (s, t) => { for (int i = 0; i < 4; i++) s[i] = (char)(byte)(t >> (24 - 8 * i)); });
}

/// <summary>The chunk type codes the decoder knows, as big-endian integers (§11).</summary>
internal static class PngChunkType
{
    public const uint IHDR = 0x49484452;
    public const uint PLTE = 0x504C5445;
    public const uint IDAT = 0x49444154;
    public const uint IEND = 0x49454E44;
    public const uint tRNS = 0x74524E53;
}

/// <summary>
/// Walks the chunks after the signature (PNG spec §5.3 chunk layout: length, type, data, CRC).
/// Every chunk's CRC is checked (§5.3: over type and data): a critical chunk with a bad CRC is
/// refused, an ancillary one comes back marked <see cref="PngChunk.Damaged"/> (libpng's default
/// drops such a chunk with a warning). A chunk that runs past the end is reported as truncation.
/// </summary>
internal ref struct PngChunkReader(ReadOnlySpan<byte> file)
{
    private readonly ReadOnlySpan<byte> _file = file;
    private int _pos = 8;

    public readonly bool AtEnd => _pos >= _file.Length;

    public PngChunk Next()
    {
        if (_pos + 8 > _file.Length) throw new InvalidDataException("PNG file is truncated (incomplete chunk header)");
        uint length = BinaryPrimitives.ReadUInt32BigEndian(_file[_pos..]);
        uint type = BinaryPrimitives.ReadUInt32BigEndian(_file[(_pos + 4)..]);
        // §5.3: the length is at most 2^31 − 1; the type is four ASCII letters.
        if (length > int.MaxValue) throw new InvalidDataException($"PNG chunk length {length} is invalid (file corrupt)");
        if (!IsLetters(type)) throw new InvalidDataException($"PNG chunk type 0x{type:X8} is not four letters (file corrupt)");
        if ((long)_pos + 12 + length > _file.Length)
            throw new InvalidDataException($"PNG file is truncated (chunk {PngChunk.TypeName(type)} runs past the end of the file)");

        ReadOnlySpan<byte> data = _file.Slice(_pos + 8, (int)length);
        uint stored = BinaryPrimitives.ReadUInt32BigEndian(_file[(_pos + 8 + (int)length)..]);
        bool damaged = Crc32.Compute(_file.Slice(_pos + 4, 4 + (int)length)) != stored;
        var chunk = new PngChunk(type, data, damaged);
        if (damaged && chunk.IsCritical)
            throw new InvalidDataException($"PNG chunk {PngChunk.TypeName(type)} at byte {_pos} has a bad CRC (file corrupt)");
        _pos += 12 + (int)length;
        return chunk;
    }

    private static bool IsLetters(uint type)
    {
        for (int i = 0; i < 4; i++)
        {
            int c = (int)(type >> (8 * i)) & 0xFF | 0x20; // fold to lower case
            if (c is < 'a' or > 'z') return false;
        }
        return true;
    }
}
