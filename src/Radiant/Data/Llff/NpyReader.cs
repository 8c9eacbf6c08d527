using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace Radiant.Data.Llff;

/// <summary>A numeric array read from a .npy file: its shape and its values in C (row-major) order.</summary>
public sealed record NpyArray(int[] Shape, double[] Data)
{
    /// <summary>Element (row, col) of a 2-D array.</summary>
    public double this[int row, int col] => Data[row * Shape[1] + col];
}

/// <summary>
/// Reader for NumPy's .npy format (numpy.lib.format): the magic bytes <c>\x93NUMPY</c>, a major and
/// minor version byte, the header length (u16 little-endian in version 1, u32 in versions 2 and 3),
/// the header — a Python dict literal such as <c>{'descr': '&lt;f8', 'fortran_order': False, 'shape': (20, 17), }</c>,
/// padded with spaces and ending in a newline (latin-1 in versions 1–2, UTF-8 in 3) — then the raw data.
/// Reads little-endian float64 ('&lt;f8') and float32 ('&lt;f4'); Fortran-order arrays are reordered to C order.
/// </summary>
public static class NpyReader
{
    private static ReadOnlySpan<byte> Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    public static NpyArray Read(string path)
    {
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (FileNotFoundException) { throw new RadiantException(path, "file not found"); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new RadiantException(path, $"cannot read: {e.Message}", e); }
        return Parse(bytes, path);
    }

    /// <summary>Parses the bytes of a .npy file; <paramref name="source"/> names it in errors.</summary>
    public static NpyArray Parse(ReadOnlySpan<byte> bytes, string source)
    {
        if (bytes.Length < Magic.Length + 2 || !bytes[..Magic.Length].SequenceEqual(Magic))
            throw new RadiantException(source, "not a NumPy .npy file (it does not start with \\x93NUMPY)");
        byte major = bytes[6], minor = bytes[7];
        int headerLengthSize = major switch
        {
            1 => 2,
            2 or 3 => 4,
            _ => throw new RadiantException(source, $".npy format version {major}.{minor} is not supported (1.0, 2.0 and 3.0 are)"),
        };
        int prefix = 8 + headerLengthSize;
        if (bytes.Length < prefix) throw new RadiantException(source, ".npy file is truncated inside its header");
        long headerLength = headerLengthSize == 2
            ? BinaryPrimitives.ReadUInt16LittleEndian(bytes[8..])
            : BinaryPrimitives.ReadUInt32LittleEndian(bytes[8..]);
        if (headerLength > bytes.Length - prefix)
            throw new RadiantException(source, $".npy file is truncated: its header says {headerLength} bytes, but only {bytes.Length - prefix} follow");
        ReadOnlySpan<byte> headerBytes = bytes.Slice(prefix, (int)headerLength);
        string header = major == 3 ? Encoding.UTF8.GetString(headerBytes) : Encoding.Latin1.GetString(headerBytes);

        var dict = new HeaderParser(header, source).ParseDict();
        string descr = dict.TryGetValue("descr", out object? d) && d is string ds ? ds
            : throw new RadiantException(source, $".npy header has no 'descr' string: {header.Trim()}");
        bool fortranOrder = dict.TryGetValue("fortran_order", out object? fo) && fo is bool fb ? fb
            : throw new RadiantException(source, $".npy header has no 'fortran_order' True/False: {header.Trim()}");
        int[] shape = dict.TryGetValue("shape", out object? sh) && sh is List<long> sl ? ToShape(sl, source)
            : throw new RadiantException(source, $".npy header has no 'shape' tuple: {header.Trim()}");

        int itemSize = descr switch
        {
            "<f8" => 8,
            "<f4" => 4,
            _ => throw new RadiantException(source, $".npy data type '{descr}' is not supported (little-endian float64 '<f8' and float32 '<f4' are)"),
        };

        ReadOnlySpan<byte> data = bytes[(prefix + (int)headerLength)..];
        // Element count = product of the dimensions, checked against the data present before anything
        // is allocated (the product is computed in double so that a hostile shape cannot overflow it).
        double count = 1;
        foreach (int dim in shape) count *= dim;
        if (count * itemSize > data.Length)
            throw new RadiantException(source, $".npy file is truncated: shape ({string.Join(", ", shape)}) of '{descr}' needs {count * itemSize:0} bytes of data, but only {data.Length} follow the header");

        var values = new double[(int)count];
        for (int i = 0; i < values.Length; i++)
            values[i] = itemSize == 8
                ? BinaryPrimitives.ReadDoubleLittleEndian(data[(i * 8)..])
                : BinaryPrimitives.ReadSingleLittleEndian(data[(i * 4)..]);
        if (fortranOrder && shape.Length > 1) values = FortranToC(values, shape);
        return new NpyArray(shape, values);
    }

    private static int[] ToShape(List<long> dims, string source)
    {
        var shape = new int[dims.Count];
        for (int i = 0; i < dims.Count; i++)
        {
            if (dims[i] < 0 || dims[i] > int.MaxValue) throw new RadiantException(source, $".npy shape has an invalid dimension {dims[i]}");
            shape[i] = (int)dims[i];
        }
        return shape;
    }

    /// <summary>
    /// Reorders column-major values (first index fastest) to row-major (last index fastest):
    /// element (i0, …, in) is at Σ ik·Πj&lt;k dj in Fortran order and Σ ik·Πj&gt;k dj in C order.
    /// </summary>
    private static double[] FortranToC(double[] fortran, int[] shape)
    {
        var c = new double[fortran.Length];
        var index = new int[shape.Length];
        for (int f = 0; f < fortran.Length; f++)
        {
            long cOffset = 0;
            for (int k = 0; k < shape.Length; k++) cOffset = cOffset * shape[k] + index[k];
            c[cOffset] = fortran[f];
            // Advance the Fortran-order index: first dimension fastest.
            for (int k = 0; k < shape.Length; k++)
            {
                if (++index[k] < shape[k]) break;
                index[k] = 0;
            }
        }
        return c;
    }

    /// <summary>
    /// Parses the header's Python literal: a dict with string keys whose values are strings, True/False,
    /// integers or tuples of integers (the subset NumPy writes).
    /// </summary>
    private ref struct HeaderParser
    {
        private readonly string _text;
        private readonly string _source;
        private int _pos;

        public HeaderParser(string text, string source) { _text = text; _source = source; _pos = 0; }

        public Dictionary<string, object> ParseDict()
        {
            var dict = new Dictionary<string, object>(StringComparer.Ordinal);
            Expect('{');
            while (true)
            {
                SkipSpace();
                if (Peek() == '}') { _pos++; break; }
                string key = ParseString();
                Expect(':');
                dict[key] = ParseValue();
                SkipSpace();
                if (Peek() == ',') { _pos++; continue; }
                Expect('}');
                break;
            }
            return dict;
        }

        private object ParseValue()
        {
            SkipSpace();
            char c = Peek();
            if (c is '\'' or '"') return ParseString();
            if (c == '(') return ParseTuple();
            if (Match("True")) return true;
            if (Match("False")) return false;
            if (c is '-' or (>= '0' and <= '9')) return new List<long> { ParseInt() };
            throw Fail("a string, True, False or a tuple");
        }

        private List<long> ParseTuple()
        {
            Expect('(');
            var items = new List<long>();
            while (true)
            {
                SkipSpace();
                if (Peek() == ')') { _pos++; return items; }
                items.Add(ParseInt());
                SkipSpace();
                if (Peek() == ',') { _pos++; continue; }
                Expect(')');
                return items;
            }
        }

        private long ParseInt()
        {
            SkipSpace();
            int start = _pos;
            if (Peek() == '-') _pos++;
            while (_pos < _text.Length && char.IsAsciiDigit(_text[_pos])) _pos++;
            if (_pos < _text.Length && _text[_pos] == 'L') _pos++; // Python 2 long suffix
            string digits = _text[start.._pos].TrimEnd('L');
            return long.TryParse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long v) ? v : throw Fail("an integer");
        }

        private string ParseString()
        {
            SkipSpace();
            char quote = Peek();
            if (quote is not ('\'' or '"')) throw Fail("a quoted string");
            int end = _text.IndexOf(quote, _pos + 1);
            if (end < 0) throw Fail("the end of a string");
            string s = _text[(_pos + 1)..end];
            _pos = end + 1;
            return s;
        }

        private bool Match(string word)
        {
            if (string.CompareOrdinal(_text, _pos, word, 0, word.Length) != 0) return false;
            _pos += word.Length;
            return true;
        }

        private void Expect(char c)
        {
            SkipSpace();
            if (Peek() != c) throw Fail($"'{c}'");
            _pos++;
        }

        private char Peek() => _pos < _text.Length ? _text[_pos] : '\0';

        private void SkipSpace()
        {
            while (_pos < _text.Length && char.IsWhiteSpace(_text[_pos])) _pos++;
        }

        private RadiantException Fail(string expected) =>
            new(_source, $".npy header is malformed: expected {expected} at character {_pos} of {_text.Trim()}");
    }
}
