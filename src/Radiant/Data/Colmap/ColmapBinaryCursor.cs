using System.Buffers.Binary;
using System.Text;

namespace Radiant.Data.Colmap;

/// <summary>
/// Sequential little-endian reader over a whole COLMAP .bin file. Every read checks the bytes left,
/// so a truncated file is a <see cref="RadiantException"/> naming the file and offset, and counts
/// read from the file are checked against the bytes left before anything is allocated for them.
/// </summary>
internal sealed class ColmapBinaryCursor
{
    private readonly byte[] _bytes;
    private int _offset;

    public string FilePath { get; }
    public int Offset => _offset;
    public int Remaining => _bytes.Length - _offset;

    public ColmapBinaryCursor(string filePath, byte[] bytes)
    {
        FilePath = filePath;
        _bytes = bytes;
    }

    private ReadOnlySpan<byte> Take(int count, string what)
    {
        if (count > Remaining)
            throw new RadiantException(FilePath, $"file is truncated: needs {count} more byte(s) for {what} at byte offset {_offset}, but only {Remaining} remain");
        ReadOnlySpan<byte> span = _bytes.AsSpan(_offset, count);
        _offset += count;
        return span;
    }

    public uint ReadUInt32(string what) => BinaryPrimitives.ReadUInt32LittleEndian(Take(4, what));
    public int ReadInt32(string what) => BinaryPrimitives.ReadInt32LittleEndian(Take(4, what));
    public ulong ReadUInt64(string what) => BinaryPrimitives.ReadUInt64LittleEndian(Take(8, what));
    public double ReadDouble(string what) => BinaryPrimitives.ReadDoubleLittleEndian(Take(8, what));
    public byte ReadByte(string what) => Take(1, what)[0];

    /// <summary>A null-terminated UTF-8 string (COLMAP image names).</summary>
    public string ReadNullTerminatedString(string what)
    {
        int end = Array.IndexOf(_bytes, (byte)0, _offset);
        if (end < 0)
            throw new RadiantException(FilePath, $"file is truncated: {what} at byte offset {_offset} has no terminating zero byte");
        string s = Encoding.UTF8.GetString(_bytes, _offset, end - _offset);
        _offset = end + 1;
        return s;
    }

    /// <summary>Skips <paramref name="count"/> records of <paramref name="recordSize"/> bytes each, checking that they are there.</summary>
    public void Skip(ulong count, int recordSize, string what)
    {
        int bytes = CheckedByteCount(count, recordSize, what);
        Take(bytes, what);
    }

    /// <summary>
    /// Checks a count read from the file against the bytes left, knowing that each item takes at least
    /// <paramref name="minItemSize"/> bytes, and returns it as an int. A corrupt or hostile count is an
    /// error here, before any array is sized from it.
    /// </summary>
    public int CheckCount(ulong count, int minItemSize, string what)
    {
        if (count > (ulong)Remaining / (ulong)minItemSize)
            throw new RadiantException(FilePath, $"file is truncated or corrupt: it says {count} {what} at byte offset {_offset}, but only {Remaining} bytes remain (at least {minItemSize} per item)");
        return (int)count;
    }

    private int CheckedByteCount(ulong count, int recordSize, string what)
    {
        if (count > (ulong)Remaining / (ulong)recordSize)
            throw new RadiantException(FilePath, $"file is truncated or corrupt: it says {count} {what} ({recordSize} bytes each) at byte offset {_offset}, but only {Remaining} bytes remain");
        return (int)count * recordSize;
    }
}
