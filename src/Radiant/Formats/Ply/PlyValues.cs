using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace Radiant.Formats.Ply;

/// <summary>One typed PLY value, from a binary body or an ascii token.</summary>
internal static class PlyValues
{
    /// <summary>
    /// Decodes a binary value at the start of <paramref name="s"/>: per the spec, two's-complement
    /// integers and IEEE 754 floats of the type's size, in the byte order the format line names.
    /// </summary>
    public static double Decode(ReadOnlySpan<byte> s, PlyType type, bool bigEndian) => type switch
    {
        PlyType.Int8 => (sbyte)s[0],
        PlyType.UInt8 => s[0],
        PlyType.Int16 => bigEndian ? BinaryPrimitives.ReadInt16BigEndian(s) : BinaryPrimitives.ReadInt16LittleEndian(s),
        PlyType.UInt16 => bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(s) : BinaryPrimitives.ReadUInt16LittleEndian(s),
        PlyType.Int32 => bigEndian ? BinaryPrimitives.ReadInt32BigEndian(s) : BinaryPrimitives.ReadInt32LittleEndian(s),
        PlyType.UInt32 => bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(s) : BinaryPrimitives.ReadUInt32LittleEndian(s),
        PlyType.Float32 => bigEndian ? BinaryPrimitives.ReadSingleBigEndian(s) : BinaryPrimitives.ReadSingleLittleEndian(s),
        _ => bigEndian ? BinaryPrimitives.ReadDoubleBigEndian(s) : BinaryPrimitives.ReadDoubleLittleEndian(s),
    };

    /// <summary>Parses an ascii value; float properties are parsed as float directly (no double rounding).</summary>
    public static bool TryParseAscii(ReadOnlySpan<byte> token, PlyType type, out double value)
    {
        // Python and C writers spell infinities "inf" / "-inf", which .NET does not parse.
        if (token.Length is >= 3 and <= 9)
        {
            ReadOnlySpan<byte> t = token[0] is (byte)'+' or (byte)'-' ? token[1..] : token;
            if (Ascii.EqualsIgnoreCase(t, "inf"u8) || Ascii.EqualsIgnoreCase(t, "infinity"u8))
            {
                value = token[0] == (byte)'-' ? double.NegativeInfinity : double.PositiveInfinity;
                return true;
            }
        }
        if (type != PlyType.Float32) return double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
        bool ok = float.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out float f);
        value = f;
        return ok;
    }

    public static RadiantException NotANumber(string path, string where, ReadOnlySpan<byte> token) =>
        new(path, $"{where}: '{Printable(token, 40)}' is not a number");

    /// <summary>A token for an error message: at most <paramref name="max"/> characters, anything but printable ASCII shown as '?'.</summary>
    public static string Printable(ReadOnlySpan<byte> token, int max)
    {
        var sb = new StringBuilder();
        foreach (byte b in token[..Math.Min(token.Length, max)]) sb.Append(b is >= 0x20 and < 0x7F ? (char)b : '?');
        if (token.Length > max) sb.Append('…');
        return sb.ToString();
    }
}
