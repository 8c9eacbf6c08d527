using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace Radiant.Data;

/// <summary>
/// Reads the points of a PLY file (Greg Turk's polygon file format): the <c>vertex</c> element's
/// <c>x y z</c> (any numeric type) and, if present, <c>red green blue</c> (uchar; other integer types
/// are scaled to 8 bit, float colours in [0, 1] are scaled by 255). Formats ascii, binary_little_endian
/// and binary_big_endian. Other elements (faces, …) are skipped, list properties included. Points
/// without colour are grey (128).
/// </summary>
public static class PlyPointCloudReader
{
    private enum Kind { Int8, UInt8, Int16, UInt16, Int32, UInt32, Float32, Float64 }

    private sealed record Property(string Name, Kind Type, Kind? ListCount);

    private sealed record Element(string Name, long Count, List<Property> Properties);

    public static PointCloud Read(string path)
    {
        byte[] data;
        if (!File.Exists(path)) throw new RadiantException(path, "point cloud file not found");
        try { data = File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new RadiantException(path, $"cannot read: {e.Message}", e); }
        try { return Parse(data); }
        catch (InvalidDataException e) { throw new RadiantException(path, e.Message, e); }
    }

    /// <summary>Parses PLY bytes; errors are <see cref="InvalidDataException"/> naming the problem.</summary>
    public static PointCloud Parse(ReadOnlySpan<byte> data)
    {
        var (format, elements, bodyStart) = ParseHeader(data);
        Element vertex = elements.FirstOrDefault(e => e.Name == "vertex") ?? throw new InvalidDataException("PLY has no vertex element");
        if (vertex.Count > int.MaxValue / 3) throw new InvalidDataException($"PLY has too many vertices ({vertex.Count})");
        int ix = Index(vertex, "x"), iy = Index(vertex, "y"), iz = Index(vertex, "z");
        if (ix < 0 || iy < 0 || iz < 0) throw new InvalidDataException("PLY vertex element has no x, y, z properties");
        int ir = Index(vertex, "red"), ig = Index(vertex, "green"), ib = Index(vertex, "blue");
        if (ir < 0 || ig < 0 || ib < 0) { ir = Index(vertex, "r"); ig = Index(vertex, "g"); ib = Index(vertex, "b"); }
        bool hasColour = ir >= 0 && ig >= 0 && ib >= 0;
        foreach (int k in new[] { ix, iy, iz })
            if (vertex.Properties[k].ListCount is not null) throw new InvalidDataException("PLY vertex x, y, z must be scalar properties");

        int n = (int)vertex.Count;
        var positions = new float[3 * n];
        var colours = new byte[3 * n];
        if (!hasColour) colours.AsSpan().Fill(128);
        var values = new double[vertex.Properties.Count];

        if (format == "ascii")
        {
            var reader = new AsciiTokens(data[bodyStart..]);
            foreach (Element e in elements)
            {
                bool isVertex = ReferenceEquals(e, vertex);
                for (long r = 0; r < e.Count; r++)
                {
                    for (int p = 0; p < e.Properties.Count; p++)
                    {
                        Property prop = e.Properties[p];
                        if (prop.ListCount is not null)
                        {
                            long len = (long)reader.Next(e.Name, r);
                            for (long k = 0; k < len; k++) reader.Next(e.Name, r);
                            continue;
                        }
                        double v = reader.Next(e.Name, r);
                        if (isVertex) values[p] = v;
                    }
                    if (isVertex) Store((int)r, values, vertex, ix, iy, iz, hasColour ? (ir, ig, ib) : null, positions, colours);
                }
                if (isVertex) break;
            }
        }
        else
        {
            bool little = format == "binary_little_endian";
            int pos = bodyStart;
            foreach (Element e in elements)
            {
                bool isVertex = ReferenceEquals(e, vertex);
                for (long r = 0; r < e.Count; r++)
                {
                    for (int p = 0; p < e.Properties.Count; p++)
                    {
                        Property prop = e.Properties[p];
                        if (prop.ListCount is Kind countKind)
                        {
                            double len = ReadBinary(data, ref pos, countKind, little, e.Name, r);
                            if (len < 0) throw new InvalidDataException($"PLY {e.Name} {r} has a negative list length");
                            long skip = (long)len * Size(prop.Type);
                            if (pos + skip > data.Length) throw Truncated(e.Name, r);
                            pos += (int)skip;
                            continue;
                        }
                        double v = ReadBinary(data, ref pos, prop.Type, little, e.Name, r);
                        if (isVertex) values[p] = v;
                    }
                    if (isVertex) Store((int)r, values, vertex, ix, iy, iz, hasColour ? (ir, ig, ib) : null, positions, colours);
                }
                if (isVertex) break;
            }
        }
        return new PointCloud(positions, colours);
    }

    private static void Store(int r, double[] values, Element vertex, int ix, int iy, int iz, (int R, int G, int B)? rgb, float[] positions, byte[] colours)
    {
        positions[3 * r] = (float)values[ix];
        positions[3 * r + 1] = (float)values[iy];
        positions[3 * r + 2] = (float)values[iz];
        if (rgb is var (ir, ig, ib))
        {
            colours[3 * r] = ToByte(values[ir], vertex.Properties[ir].Type);
            colours[3 * r + 1] = ToByte(values[ig], vertex.Properties[ig].Type);
            colours[3 * r + 2] = ToByte(values[ib], vertex.Properties[ib].Type);
        }
    }

    private static byte ToByte(double v, Kind type)
    {
        double scaled = type switch
        {
            Kind.Float32 or Kind.Float64 => v * 255,
            Kind.UInt16 or Kind.Int16 => v / 257,
            Kind.UInt32 or Kind.Int32 => v,
            _ => v,
        };
        return double.IsNaN(scaled) ? (byte)0 : (byte)Math.Clamp(Math.Round(scaled), 0, 255);
    }

    private static int Index(Element e, string name) => e.Properties.FindIndex(p => p.Name == name);

    private static (string Format, List<Element> Elements, int BodyStart) ParseHeader(ReadOnlySpan<byte> data)
    {
        if (data.Length < 4 || !data[..3].SequenceEqual("ply"u8) || (data[3] != '\n' && data[3] != '\r'))
            throw new InvalidDataException("not a PLY file (it does not start with \"ply\")");
        int end = data.IndexOf("end_header"u8);
        if (end < 0) throw new InvalidDataException("PLY header has no end_header line");
        int bodyStart = end + "end_header".Length;
        if (bodyStart < data.Length && data[bodyStart] == '\r') bodyStart++;
        if (bodyStart < data.Length && data[bodyStart] == '\n') bodyStart++;
        string header = Encoding.ASCII.GetString(data[..end]);

        string? format = null;
        var elements = new List<Element>();
        foreach (string raw in header.Split('\n'))
        {
            string line = raw.Trim();
            if (line.Length == 0) continue;
            string[] t = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            switch (t[0])
            {
                case "ply" or "comment" or "obj_info":
                    break;
                case "format":
                    if (t.Length < 2 || t[1] is not ("ascii" or "binary_little_endian" or "binary_big_endian"))
                        throw new InvalidDataException($"PLY format \"{line}\" is not ascii, binary_little_endian or binary_big_endian");
                    format = t[1];
                    break;
                case "element":
                    if (t.Length != 3 || !long.TryParse(t[2], NumberStyles.None, CultureInfo.InvariantCulture, out long count))
                        throw new InvalidDataException($"PLY header line \"{line}\" is not \"element NAME COUNT\"");
                    elements.Add(new Element(t[1], count, []));
                    break;
                case "property":
                    if (elements.Count == 0) throw new InvalidDataException($"PLY property before any element: \"{line}\"");
                    if (t.Length == 5 && t[1] == "list")
                        elements[^1].Properties.Add(new Property(t[4], ParseKind(t[3], line), ParseKind(t[2], line)));
                    else if (t.Length == 3)
                        elements[^1].Properties.Add(new Property(t[2], ParseKind(t[1], line), null));
                    else throw new InvalidDataException($"PLY header line \"{line}\" is not a property declaration");
                    break;
                default:
                    throw new InvalidDataException($"PLY header has an unknown line \"{line}\"");
            }
        }
        if (format is null) throw new InvalidDataException("PLY header has no format line");
        return (format, elements, bodyStart);
    }

    private static Kind ParseKind(string name, string line) => name switch
    {
        "char" or "int8" => Kind.Int8,
        "uchar" or "uint8" => Kind.UInt8,
        "short" or "int16" => Kind.Int16,
        "ushort" or "uint16" => Kind.UInt16,
        "int" or "int32" => Kind.Int32,
        "uint" or "uint32" => Kind.UInt32,
        "float" or "float32" => Kind.Float32,
        "double" or "float64" => Kind.Float64,
        _ => throw new InvalidDataException($"PLY property type \"{name}\" is unknown (in \"{line}\")"),
    };

    private static int Size(Kind k) => k switch
    {
        Kind.Int8 or Kind.UInt8 => 1,
        Kind.Int16 or Kind.UInt16 => 2,
        Kind.Int32 or Kind.UInt32 or Kind.Float32 => 4,
        _ => 8,
    };

    private static double ReadBinary(ReadOnlySpan<byte> data, ref int pos, Kind k, bool little, string element, long row)
    {
        int size = Size(k);
        if (pos + size > data.Length) throw Truncated(element, row);
        ReadOnlySpan<byte> s = data.Slice(pos, size);
        pos += size;
        return k switch
        {
            Kind.Int8 => (sbyte)s[0],
            Kind.UInt8 => s[0],
            Kind.Int16 => little ? BinaryPrimitives.ReadInt16LittleEndian(s) : BinaryPrimitives.ReadInt16BigEndian(s),
            Kind.UInt16 => little ? BinaryPrimitives.ReadUInt16LittleEndian(s) : BinaryPrimitives.ReadUInt16BigEndian(s),
            Kind.Int32 => little ? BinaryPrimitives.ReadInt32LittleEndian(s) : BinaryPrimitives.ReadInt32BigEndian(s),
            Kind.UInt32 => little ? BinaryPrimitives.ReadUInt32LittleEndian(s) : BinaryPrimitives.ReadUInt32BigEndian(s),
            Kind.Float32 => little ? BinaryPrimitives.ReadSingleLittleEndian(s) : BinaryPrimitives.ReadSingleBigEndian(s),
            _ => little ? BinaryPrimitives.ReadDoubleLittleEndian(s) : BinaryPrimitives.ReadDoubleBigEndian(s),
        };
    }

    private static InvalidDataException Truncated(string element, long row) =>
        new($"PLY file is truncated (it ends inside {element} {row})");

    /// <summary>Whitespace-separated numbers of an ascii PLY body.</summary>
    private ref struct AsciiTokens(ReadOnlySpan<byte> body)
    {
        private readonly ReadOnlySpan<byte> _body = body;
        private int _pos;

        public double Next(string element, long row)
        {
            while (_pos < _body.Length && IsSpace(_body[_pos])) _pos++;
            if (_pos >= _body.Length) throw Truncated(element, row);
            int start = _pos;
            while (_pos < _body.Length && !IsSpace(_body[_pos])) _pos++;
            ReadOnlySpan<byte> token = _body[start.._pos];
            if (!double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out double v))
                throw new InvalidDataException($"PLY {element} {row} has a value \"{Encoding.ASCII.GetString(token)}\" that is not a number");
            return v;
        }

        private static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r';
    }
}
