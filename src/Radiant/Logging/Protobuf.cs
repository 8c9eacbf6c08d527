using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Radiant.Logging;

/// <summary>Protocol Buffers wire types (protobuf encoding guide, "Message Structure").</summary>
public enum WireType { Varint = 0, Fixed64 = 1, LengthDelimited = 2, StartGroup = 3, EndGroup = 4, Fixed32 = 5 }

/// <summary>
/// Writes the protobuf wire format for the handful of fields an event file needs: a field is
/// <c>varint(field_number &lt;&lt; 3 | wire_type)</c> then its value (base-128 varints, little-endian
/// fixed 32/64-bit, or <c>varint(length)</c> and bytes). Hand-written rather than a package: event
/// files use four small messages and six field kinds, fewer lines than wiring up a code generator.
/// </summary>
public sealed class ProtoWriter
{
    private readonly ArrayBufferWriter<byte> _buffer = new();

    public ReadOnlySpan<byte> Written => _buffer.WrittenSpan;
    public byte[] ToArray() => _buffer.WrittenSpan.ToArray();

    private void Tag(int field, WireType type) => RawVarint(((ulong)field << 3) | (ulong)type);

    private void RawVarint(ulong value)
    {
        Span<byte> b = _buffer.GetSpan(10);
        int n = 0;
        while (value >= 0x80) { b[n++] = (byte)(value | 0x80); value >>= 7; }
        b[n++] = (byte)value;
        _buffer.Advance(n);
    }

    /// <summary>int32/int64/uint fields; negative values are sign-extended to 64 bits (10 bytes), as protobuf does.</summary>
    public void Varint(int field, long value) { Tag(field, WireType.Varint); RawVarint((ulong)value); }

    public void Double(int field, double value)
    {
        Tag(field, WireType.Fixed64);
        BinaryPrimitives.WriteDoubleLittleEndian(_buffer.GetSpan(8), value);
        _buffer.Advance(8);
    }

    public void Float(int field, float value)
    {
        Tag(field, WireType.Fixed32);
        BinaryPrimitives.WriteSingleLittleEndian(_buffer.GetSpan(4), value);
        _buffer.Advance(4);
    }

    public void Bytes(int field, ReadOnlySpan<byte> value)
    {
        Tag(field, WireType.LengthDelimited);
        RawVarint((ulong)value.Length);
        _buffer.Write(value);
    }

    public void String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    public void Message(int field, ProtoWriter message) => Bytes(field, message.Written);
}

/// <summary>Reads protobuf fields in order; malformed input throws <see cref="InvalidDataException"/> naming the byte position.</summary>
public ref struct ProtoReader(ReadOnlySpan<byte> data)
{
    private readonly ReadOnlySpan<byte> _data = data;
    private int _pos;

    /// <summary>Moves to the next field; false at the end of the message.</summary>
    public bool Next(out int field, out WireType type)
    {
        if (_pos >= _data.Length) { field = 0; type = 0; return false; }
        ulong tag = Varint();
        field = (int)(tag >> 3);
        type = (WireType)(tag & 7);
        if (field == 0) throw new InvalidDataException($"field number 0 at byte {_pos}");
        return true;
    }

    public ulong Varint()
    {
        ulong value = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            if (_pos >= _data.Length) throw new InvalidDataException($"varint runs past the end at byte {_pos}");
            byte b = _data[_pos++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) return value;
        }
        throw new InvalidDataException($"varint longer than 10 bytes at byte {_pos}");
    }

    public double Double() => BinaryPrimitives.ReadDoubleLittleEndian(Take(8));
    public float Float() => BinaryPrimitives.ReadSingleLittleEndian(Take(4));
    public ReadOnlySpan<byte> Bytes() => Take(checked((int)Varint()));
    public string String() => Encoding.UTF8.GetString(Bytes());

    /// <summary>Skips a field this reader does not use.</summary>
    public void Skip(WireType type)
    {
        switch (type)
        {
            case WireType.Varint: Varint(); break;
            case WireType.Fixed64: Take(8); break;
            case WireType.Fixed32: Take(4); break;
            case WireType.LengthDelimited: Bytes(); break;
            default: throw new InvalidDataException($"unsupported wire type {(int)type} at byte {_pos}");
        }
    }

    private ReadOnlySpan<byte> Take(int n)
    {
        if (n < 0 || _pos + n > _data.Length) throw new InvalidDataException($"field of {n} bytes runs past the end at byte {_pos}");
        ReadOnlySpan<byte> s = _data.Slice(_pos, n);
        _pos += n;
        return s;
    }
}
