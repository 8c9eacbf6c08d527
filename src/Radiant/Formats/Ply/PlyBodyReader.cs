namespace Radiant.Formats.Ply;

/// <summary>
/// A forward-only cursor through a PLY body (what follows "end_header"), read through a reusable
/// buffer. Per the PLY spec the body holds every instance of each element in header order, each
/// instance its properties in declared order, a list as its count then that many items. An ascii
/// body separates values by whitespace (line breaks carry no meaning); a binary body packs them
/// with no padding in the byte order of the format line. Errors name <paramref name="path"/>.
/// </summary>
internal sealed class PlyBodyReader(Stream stream, PlyFormat format, string path)
{
    private const int MaxToken = 256;
    private readonly byte[] _buf = new byte[1 << 16];
    private int _pos, _len;
    private bool _eof;

    /// <summary>The next token of an ascii body, or empty at the end of the file. Valid until the next call.</summary>
    public ReadOnlySpan<byte> NextToken()
    {
        while (true)
        {
            while (_pos < _len && IsSpace(_buf[_pos])) _pos++;
            if (_pos < _len) break;
            if (!More()) return default;
        }
        int start = _pos;
        while (true)
        {
            while (_pos < _len && !IsSpace(_buf[_pos])) _pos++;
            if (_pos < _len || _eof) return _buf.AsSpan(start, _pos - start);
            int have = _pos - start;
            if (have > MaxToken) throw new RadiantException(path, $"ascii body has a token longer than {MaxToken} characters");
            _pos = start; // the token reaches the end of the buffer: keep it and read more
            More();
            start = 0;
            _pos = have;
        }
    }

    /// <summary>The next ascii token of instance <paramref name="row"/> of <paramref name="el"/>; the end of the file there is an error.</summary>
    public ReadOnlySpan<byte> RequireToken(PlyElement el, long row)
    {
        ReadOnlySpan<byte> t = NextToken();
        return t.IsEmpty ? throw Truncated(el, row) : t;
    }

    /// <summary>The next value, of type <paramref name="type"/>, of instance <paramref name="row"/> of <paramref name="el"/>.</summary>
    public double Read(PlyType type, PlyElement el, long row)
    {
        if (format != PlyFormat.Ascii)
            return PlyValues.Decode(Take(PlyTypes.SizeOf(type), el, row), type, format == PlyFormat.BinaryBigEndian);
        ReadOnlySpan<byte> token = RequireToken(el, row);
        return PlyValues.TryParseAscii(token, type, out double v) ? v : throw PlyValues.NotANumber(path, $"{el.Name} {row}", token);
    }

    /// <summary>
    /// Reads instance <paramref name="row"/> of <paramref name="el"/>: each scalar into
    /// <paramref name="values"/> at its property index (skipped unparsed when empty); lists skipped.
    /// </summary>
    public void ReadInstance(PlyElement el, long row, Span<double> values)
    {
        for (int p = 0; p < el.Properties.Count; p++)
        {
            PlyProperty prop = el.Properties[p];
            if (prop.ListCountType is PlyType countType)
            {
                double n = Read(countType, el, row);
                if (!(n >= 0)) throw new RadiantException(path, $"{el.Name} {row}: list '{prop.Name}' has a negative length ({n})");
                Skip((long)n, prop.Type, el, row);
            }
            else if (values.IsEmpty) Skip(1, prop.Type, el, row);
            else values[p] = Read(prop.Type, el, row);
        }
    }

    /// <summary>Skips every instance of <paramref name="el"/>.</summary>
    public void SkipElement(PlyElement el)
    {
        for (long r = 0; r < el.Count; r++) ReadInstance(el, r, default);
    }

    private void Skip(long count, PlyType type, PlyElement el, long row)
    {
        if (format == PlyFormat.Ascii)
        {
            for (long k = 0; k < count; k++) RequireToken(el, row);
            return;
        }
        for (long bytes = count * PlyTypes.SizeOf(type); bytes > 0;)
        {
            if (_pos == _len && !More()) throw Truncated(el, row);
            int n = (int)Math.Min(bytes, _len - _pos);
            _pos += n;
            bytes -= n;
        }
    }

    /// <summary>The next <paramref name="n"/> (at most 8) binary bytes.</summary>
    private ReadOnlySpan<byte> Take(int n, PlyElement el, long row)
    {
        while (_len - _pos < n)
            if (!More()) throw Truncated(el, row);
        _pos += n;
        return _buf.AsSpan(_pos - n, n);
    }

    /// <summary>Moves the unread bytes to the front of the buffer and reads more after them; false at the end of the file.</summary>
    private bool More()
    {
        if (_eof) return false;
        _len -= _pos;
        Array.Copy(_buf, _pos, _buf, 0, _len);
        _pos = 0;
        int read = stream.Read(_buf, _len, _buf.Length - _len);
        _len += read;
        _eof = read == 0;
        return !_eof;
    }

    private RadiantException Truncated(PlyElement el, long row) =>
        new(path, $"truncated: the file ends in {el.Name} {row} of the {el.Count} the header declares");

    private static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r' or (byte)'\f' or (byte)'\v';
}
