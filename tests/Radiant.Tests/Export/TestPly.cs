using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Radiant.Export;
using Radiant.Formats.Ply;
using Radiant.Model;

namespace Radiant.Tests.Export;

/// <summary>
/// Test-side PLY writer, independent of the engine's: arbitrary property order, types and
/// formats, so the reader is exercised on files our writer never produces.
/// </summary>
internal static class TestPly
{
    public sealed record Prop(string Name, PlyType Type);

    /// <summary>Values of property <paramref name="name"/> for Gaussian <paramref name="i"/>, read from <paramref name="g"/> by the §1 naming.</summary>
    public static double Value(GaussianSet g, int i, string name, Func<int, string, double>? extra = null)
    {
        int k = g.ShCoefficients;
        switch (name)
        {
            case "x": return g.Means[3 * i];
            case "y": return g.Means[3 * i + 1];
            case "z": return g.Means[3 * i + 2];
            case "nx" or "ny" or "nz": return 0;
            case "opacity": return g.OpacityLogits[i];
        }
        if (name.StartsWith("f_dc_")) return g.Sh[i * k * 3 + int.Parse(name[5..])];
        if (name.StartsWith("f_rest_"))
        {
            int j = int.Parse(name[7..]);
            int c = j / (k - 1), coeff = 1 + j % (k - 1);
            return g.Sh[(i * k + coeff) * 3 + c];
        }
        if (name.StartsWith("scale_")) return g.LogScales[3 * i + int.Parse(name[6..])];
        if (name.StartsWith("rot_")) return g.Rotations[4 * i + int.Parse(name[4..])];
        return extra?.Invoke(i, name) ?? throw new ArgumentException(name);
    }

    public static List<Prop> StandardProps(int degree, PlyType type = PlyType.Float32) =>
        GaussianPly.StandardProperties(degree).Select(n => new Prop(n, type)).ToList();

    public static byte[] Build(PlyFormat format, IReadOnlyList<Prop> props, int count, Func<int, string, double> value,
        IEnumerable<string>? extraHeaderLines = null, string vertexCount = "")
    {
        var header = new StringBuilder();
        header.Append("ply\n");
        header.Append("format ").Append(format switch
        {
            PlyFormat.Ascii => "ascii",
            PlyFormat.BinaryLittleEndian => "binary_little_endian",
            _ => "binary_big_endian",
        }).Append(" 1.0\n");
        header.Append("comment written by the Radiant test-side PLY writer\n");
        foreach (string l in extraHeaderLines ?? []) header.Append(l).Append('\n');
        header.Append("element vertex ").Append(vertexCount == "" ? count.ToString(CultureInfo.InvariantCulture) : vertexCount).Append('\n');
        foreach (var p in props) header.Append("property ").Append(PlyTypes.NameOf(p.Type)).Append(' ').Append(p.Name).Append('\n');
        header.Append("end_header\n");

        var body = new MemoryStream();
        body.Write(Encoding.ASCII.GetBytes(header.ToString()));
        bool be = format == PlyFormat.BinaryBigEndian;
        Span<byte> b = stackalloc byte[8];
        for (int i = 0; i < count; i++)
        {
            if (format == PlyFormat.Ascii)
            {
                var line = string.Join(' ', props.Select(p => FormatAscii(value(i, p.Name), p.Type)));
                body.Write(Encoding.ASCII.GetBytes(line + "\n"));
                continue;
            }
            foreach (var p in props)
            {
                double v = value(i, p.Name);
                int n = PlyTypes.SizeOf(p.Type);
                switch (p.Type)
                {
                    case PlyType.Int8: b[0] = (byte)(sbyte)v; break;
                    case PlyType.UInt8: b[0] = (byte)v; break;
                    case PlyType.Int16: if (be) BinaryPrimitives.WriteInt16BigEndian(b, (short)v); else BinaryPrimitives.WriteInt16LittleEndian(b, (short)v); break;
                    case PlyType.UInt16: if (be) BinaryPrimitives.WriteUInt16BigEndian(b, (ushort)v); else BinaryPrimitives.WriteUInt16LittleEndian(b, (ushort)v); break;
                    case PlyType.Int32: if (be) BinaryPrimitives.WriteInt32BigEndian(b, (int)v); else BinaryPrimitives.WriteInt32LittleEndian(b, (int)v); break;
                    case PlyType.UInt32: if (be) BinaryPrimitives.WriteUInt32BigEndian(b, (uint)v); else BinaryPrimitives.WriteUInt32LittleEndian(b, (uint)v); break;
                    case PlyType.Float32: if (be) BinaryPrimitives.WriteSingleBigEndian(b, (float)v); else BinaryPrimitives.WriteSingleLittleEndian(b, (float)v); break;
                    default: if (be) BinaryPrimitives.WriteDoubleBigEndian(b, v); else BinaryPrimitives.WriteDoubleLittleEndian(b, v); break;
                }
                body.Write(b[..n]);
            }
        }
        return body.ToArray();
    }

    private static string FormatAscii(double v, PlyType t) => t switch
    {
        PlyType.Float32 => double.IsNaN(v) ? "nan" : double.IsInfinity(v) ? (v > 0 ? "inf" : "-inf") : ((float)v).ToString("R", CultureInfo.InvariantCulture),
        PlyType.Float64 => double.IsNaN(v) ? "nan" : double.IsInfinity(v) ? (v > 0 ? "inf" : "-inf") : v.ToString("R", CultureInfo.InvariantCulture),
        _ => ((long)v).ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>A Gaussian set with varied, bit-pattern-rich values (negative zero, subnormals, large and tiny magnitudes).</summary>
    public static GaussianSet RandomSet(int count, int degree, int seed)
    {
        var rng = new Random(seed);
        var g = new GaussianSet(count, degree);
        foreach (var (_, values, _) in g.Parameters())
            for (int i = 0; i < values.Length; i++)
                values[i] = (rng.Next(20)) switch
                {
                    0 => -0f,
                    1 => 1e-40f * rng.Next(1, 100),          // subnormal
                    2 => (float)(rng.NextDouble() * 1e30),
                    _ => (float)(rng.NextDouble() * 20 - 10),
                };
        return g;
    }

    /// <summary>Bit patterns of a float array, for bit-exact comparisons.</summary>
    public static int[] Bits(float[] a) => a.Select(BitConverter.SingleToInt32Bits).ToArray();
}
