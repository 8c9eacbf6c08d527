using System.Globalization;
using System.Runtime.CompilerServices;
using Radiant.Formats.Ply;
using Radiant.Model;
using Radiant.Rendering;

namespace Radiant.Export;

/// <summary>What <see cref="GaussianPlyReader.Read"/> found in a 3DGS .ply.</summary>
public sealed class GaussianPlyData
{
    public required GaussianSet Gaussians { get; init; }

    /// <summary>Mip-Splatting's per-Gaussian 3D filter variance (<c>filter_3D</c>), when the file has it.</summary>
    public float[]? Filter3D { get; init; }

    public PlyFormat Format { get; init; }

    /// <summary>
    /// The model was trained with the 2D Mip filter: Radiant's <c>comment mip_filter_2d</c> header
    /// line, or Mip-Splatting's <c>filter_3D</c> property. Otherwise it renders with the reference
    /// 0.3 px² dilation.
    /// </summary>
    public bool MipFilter2D { get; init; }

    /// <summary>Render options that draw this model as it was trained: the background, its SH degree and its 2D filter.</summary>
    public RenderOptions RenderOptions(float[] background) =>
        new RenderOptions { Background = background, ShDegree = Gaussians.ShDegree }.WithFilter2D(MipFilter2D);

    /// <summary>Vertex properties that were present but not used (e.g. <c>nx</c>, <c>binding_0</c>).</summary>
    public required IReadOnlyList<string> IgnoredProperties { get; init; }
}

/// <summary>
/// Reads any 3DGS .ply (REFERENCE §1): vertex properties in any order, extra properties ignored
/// (<c>filter_3D</c> kept), any PLY scalar type, ascii / binary little- or big-endian bodies, SH
/// degree from the number of <c>f_rest_*</c> properties. Every problem is a one-line
/// <see cref="RadiantException"/> naming the file; sizes are checked against the file length
/// before anything is allocated.
/// </summary>
public static class GaussianPlyReader
{
    private const int ChunkBytes = 1 << 18;

    /// <summary>Where a vertex property goes: parameter array, floats per Gaussian, offset in the row.</summary>
    private enum Dest { None, Means, Scales, Rotations, Opacity, Sh, Filter }

    private readonly struct Target(string name, PlyType type, int sourceOffset, Dest dest, int offset)
    {
        public readonly string Name = name;
        public readonly PlyType Type = type;
        public readonly int SourceOffset = sourceOffset;
        public readonly Dest Dest = dest;
        public readonly int Offset = offset;
    }

    private static readonly string[] Required =
        ["x", "y", "z", "f_dc_0", "f_dc_1", "f_dc_2", "opacity", "scale_0", "scale_1", "scale_2", "rot_0", "rot_1", "rot_2", "rot_3"];

    public static GaussianPlyData Read(string path)
    {
        try
        {
            using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
            return Read(fs, path);
        }
        catch (FileNotFoundException) { throw new RadiantException(path, "file not found"); }
        catch (DirectoryNotFoundException) { throw new RadiantException(path, "file not found (folder does not exist)"); }
        catch (UnauthorizedAccessException e) { throw new RadiantException(path, $"cannot read: {e.Message}", e); }
        catch (EndOfStreamException) { throw new RadiantException(path, "file ended while reading (was it changed while being read?)"); }
        catch (IOException e) { throw new RadiantException(path, $"cannot read: {e.Message}", e); }
    }

    private static GaussianPlyData Read(FileStream fs, string path)
    {
        PlyHeader header = PlyHeader.Read(fs, path);
        int vertexIndex = header.Elements.FindIndex(e => e.Name == "vertex");
        if (vertexIndex < 0) throw new RadiantException(path, "PLY file has no 'vertex' element");
        PlyElement vertex = header.Elements[vertexIndex];
        PlyProperty? list = vertex.Properties.Find(p => p.IsList);
        if (list is not null) throw new RadiantException(path, $"vertex property '{list.Name}' is a list; a 3DGS .ply has only scalar properties");

        (int degree, Target[] targets, List<string> ignored) = Plan(vertex, path);
        long dataBytes = fs.Length - header.Length;

        // Sizes are checked against the file before anything is allocated.
        if (header.Format == PlyFormat.Ascii)
            CheckAsciiFits(header, vertexIndex, dataBytes, path);
        else
            CheckBinarySize(header, vertexIndex, dataBytes, path);
        if (vertex.Count > int.MaxValue || vertex.Count * (Int128)((degree + 1) * (degree + 1) * 3) > Array.MaxLength)
            throw new RadiantException(path, $"vertex count {vertex.Count} is more Gaussians than Radiant can hold in memory");

        int count = (int)vertex.Count;
        var g = new GaussianSet(count, degree);
        float[]? filter = Array.Exists(targets, t => t.Dest == Dest.Filter) ? new float[count] : null;
        var arrays = new Arrays(g, filter);

        if (header.Format == PlyFormat.Ascii)
            ReadAscii(fs, header, vertexIndex, targets, arrays, path);
        else
            ReadBinary(fs, header, vertexIndex, targets, arrays, path);

        // filter_3D is Mip-Splatting's σ3d: the model renders Σ + σ3d²·I, with its 2D Mip filter.
        if (filter is not null) g.SmoothingVariance = Array.ConvertAll(filter, f => f * f);
        bool mip = filter is not null || GaussianPly.HasMipFilterMark(header);
        return new GaussianPlyData { Gaussians = g, Filter3D = filter, MipFilter2D = mip, Format = header.Format, IgnoredProperties = ignored };
    }

    /// <summary>Maps each vertex property to its destination and infers the SH degree from the f_rest count.</summary>
    private static (int Degree, Target[] Targets, List<string> Ignored) Plan(PlyElement vertex, string path)
    {
        var byName = new Dictionary<string, PlyProperty>(StringComparer.Ordinal);
        foreach (var p in vertex.Properties) byName[p.Name] = p;

        var missing = new List<string>();
        foreach (string r in Required) if (!byName.ContainsKey(r)) missing.Add(r);

        int restCount = 0;
        foreach (var p in vertex.Properties)
            if (p.Name.StartsWith("f_rest_", StringComparison.Ordinal)) restCount++;
        int degree = Array.IndexOf([0, 9, 24, 45], restCount);
        if (degree < 0)
            throw new RadiantException(path, $"has {restCount} f_rest_* properties; a 3DGS .ply has 0, 9, 24 or 45 (SH degree 0 to 3)" +
                (missing.Count > 0 ? $", and lacks required vertex properties: {string.Join(", ", missing)}" : ""));
        for (int j = 0; j < restCount; j++)
            if (!byName.ContainsKey($"f_rest_{j}")) missing.Add($"f_rest_{j}");
        if (missing.Count > 0)
            throw new RadiantException(path, $"missing required vertex properties: {string.Join(", ", missing)}");

        int k = (degree + 1) * (degree + 1);
        int perChannel = k - 1;
        var targets = new List<Target>();
        var ignored = new List<string>();
        int offset = 0;
        foreach (var p in vertex.Properties)
        {
            (Dest dest, int at) = p.Name switch
            {
                "x" => (Dest.Means, 0), "y" => (Dest.Means, 1), "z" => (Dest.Means, 2),
                "scale_0" => (Dest.Scales, 0), "scale_1" => (Dest.Scales, 1), "scale_2" => (Dest.Scales, 2),
                "rot_0" => (Dest.Rotations, 0), "rot_1" => (Dest.Rotations, 1), "rot_2" => (Dest.Rotations, 2), "rot_3" => (Dest.Rotations, 3),
                "opacity" => (Dest.Opacity, 0),
                "f_dc_0" => (Dest.Sh, 0), "f_dc_1" => (Dest.Sh, 1), "f_dc_2" => (Dest.Sh, 2),
                GaussianPly.Filter3DProperty => (Dest.Filter, 0),
                _ => RestTarget(p.Name, restCount, perChannel),
            };
            if (dest == Dest.None) ignored.Add(p.Name);
            else targets.Add(new Target(p.Name, p.Type, offset, dest, at));
            offset += PlyTypes.SizeOf(p.Type);
        }
        return (degree, targets.ToArray(), ignored);
    }

    /// <summary>f_rest_j is channel c = j / (K−1), coefficient 1 + j mod (K−1), i.e. Sh row offset (1 + j mod (K−1))·3 + c.</summary>
    private static (Dest, int) RestTarget(string name, int restCount, int perChannel)
    {
        if (!name.StartsWith("f_rest_", StringComparison.Ordinal)
            || !int.TryParse(name.AsSpan(7), NumberStyles.None, CultureInfo.InvariantCulture, out int j) || j >= restCount)
            return (Dest.None, 0);
        return (Dest.Sh, (1 + j % perChannel) * 3 + j / perChannel);
    }

    private sealed class Arrays(GaussianSet g, float[]? filter)
    {
        public readonly int ShStride = g.ShCoefficients * 3;

        public (float[] Array, int Stride) For(Dest d) => d switch
        {
            Dest.Means => (g.Means, 3),
            Dest.Scales => (g.LogScales, 3),
            Dest.Rotations => (g.Rotations, 4),
            Dest.Opacity => (g.OpacityLogits, 1),
            Dest.Sh => (g.Sh, ShStride),
            _ => (filter!, 1),
        };
    }

    // ---- binary bodies ------------------------------------------------------------------------

    private static void CheckBinarySize(PlyHeader header, int vertexIndex, long dataBytes, string path)
    {
        Int128 expected = 0;
        bool exact = true;
        for (int e = 0; e < header.Elements.Count; e++)
        {
            PlyElement el = header.Elements[e];
            if (el.HasLists)
            {
                if (e < vertexIndex)
                    throw new RadiantException(path, $"element '{el.Name}' before the vertices has list properties; a binary 3DGS .ply cannot be read past it");
                exact = false; // instances of varying size follow the vertices: only a lower bound is known
                continue;
            }
            expected += (Int128)el.Count * el.BinarySize;
        }
        PlyElement v = header.Elements[vertexIndex];
        string others = header.Elements.Count > 1 ? " and other elements" : "";
        if (dataBytes < expected)
            throw new RadiantException(path,
                $"truncated: the header declares {v.Count} vertices of {v.BinarySize} bytes{others}, so {expected} bytes of data are expected after the {header.Length}-byte header, but the file has {dataBytes}");
        if (exact && dataBytes > expected)
            throw new RadiantException(path,
                $"{dataBytes - expected} bytes of trailing data: the header declares {v.Count} vertices of {v.BinarySize} bytes{others} ({expected} bytes of data after the {header.Length}-byte header), but the file has {dataBytes}");
    }

    private static void ReadBinary(FileStream fs, PlyHeader header, int vertexIndex, Target[] targets, Arrays arrays, string path)
    {
        long skip = 0;
        for (int e = 0; e < vertexIndex; e++) skip += header.Elements[e].Count * header.Elements[e].BinarySize;
        fs.Position = header.Length + skip;

        PlyElement vertex = header.Elements[vertexIndex];
        int vertexSize = vertex.BinarySize;
        int count = (int)vertex.Count;
        bool bigEndian = header.Format == PlyFormat.BinaryBigEndian;
        int perChunk = Math.Max(1, ChunkBytes / Math.Max(1, vertexSize));
        byte[] buffer = new byte[Math.Max(1, Math.Min(perChunk, count)) * vertexSize];
        for (int first = 0; first < count; first += perChunk)
        {
            int n = Math.Min(perChunk, count - first);
            fs.ReadExactly(buffer.AsSpan(0, n * vertexSize));
            foreach (Target t in targets)
            {
                (float[] dst, int stride) = arrays.For(t.Dest);
                int bad = !bigEndian && t.Type == PlyType.Float32
                    ? CopyFloats(buffer, t.SourceOffset, vertexSize, n, dst, first * stride + t.Offset, stride)
                    : CopyConverted(buffer, t.SourceOffset, vertexSize, n, t.Type, bigEndian, dst, first * stride + t.Offset, stride);
                if (bad >= 0) throw NonFinite(path, first + bad, t.Name, PlyValues.Decode(buffer.AsSpan((bad * vertexSize) + t.SourceOffset), t.Type, bigEndian));
            }
        }
    }

    /// <summary>Fast path: little-endian float32 column copied with a stride; returns the first non-finite row or −1.</summary>
    private static unsafe int CopyFloats(byte[] src, int srcOffset, int srcStride, int n, float[] dst, int dstStart, int dstStride)
    {
        fixed (byte* s0 = src)
        fixed (float* d0 = dst)
        {
            byte* s = s0 + srcOffset;
            float* d = d0 + dstStart;
            for (int v = 0; v < n; v++)
            {
                uint bits = Unsafe.ReadUnaligned<uint>(s);
                if ((bits & 0x7F800000u) == 0x7F800000u) return v;
                *(uint*)d = bits;
                s += srcStride;
                d += dstStride;
            }
        }
        return -1;
    }

    private static int CopyConverted(byte[] src, int srcOffset, int srcStride, int n, PlyType type, bool bigEndian, float[] dst, int dstStart, int dstStride)
    {
        ReadOnlySpan<byte> s = src;
        for (int v = 0; v < n; v++)
        {
            float f = (float)PlyValues.Decode(s[(v * srcStride + srcOffset)..], type, bigEndian);
            if (!float.IsFinite(f)) return v;
            dst[dstStart + v * dstStride] = f;
        }
        return -1;
    }

    private static RadiantException NonFinite(string path, long vertex, string property, double value)
    {
        string what = double.IsNaN(value) ? "NaN" : double.IsInfinity(value) ? (value > 0 ? "+Inf" : "-Inf") : $"{value.ToString("R", CultureInfo.InvariantCulture)}, beyond float range";
        return new RadiantException(path, $"vertex {vertex} has a non-finite value for '{property}' ({what})");
    }

    // ---- ascii bodies -------------------------------------------------------------------------

    /// <summary>Every ascii value takes at least one character and one separator: refuse counts the file cannot hold before allocating.</summary>
    private static void CheckAsciiFits(PlyHeader header, int vertexIndex, long dataBytes, string path)
    {
        PlyElement v = header.Elements[vertexIndex];
        Int128 minimum = (Int128)v.Count * v.Properties.Count * 2 - 1;
        if (v.Count > 0 && dataBytes < minimum)
            throw new RadiantException(path,
                $"truncated: the header declares {v.Count} vertices of {v.Properties.Count} ascii values, which need at least {minimum} bytes after the {header.Length}-byte header, but the file has {dataBytes}");
    }

    private static void ReadAscii(FileStream fs, PlyHeader header, int vertexIndex, Target[] targets, Arrays arrays, string path)
    {
        var body = new PlyBodyReader(fs, header.Format, path);
        for (int e = 0; e < vertexIndex; e++) body.SkipElement(header.Elements[e]);

        PlyElement vertex = header.Elements[vertexIndex];
        int count = (int)vertex.Count;
        int props = vertex.Properties.Count;
        // Destination per property column (null = ignored), resolved once.
        var dest = new (float[]? Array, int Stride, int Offset, string Name, PlyType Type)[props];
        foreach (var t in targets)
        {
            (float[] a, int s) = arrays.For(t.Dest);
            dest[vertex.Properties.FindIndex(p => p.Name == t.Name)] = (a, s, t.Offset, t.Name, t.Type);
        }
        for (int v = 0; v < count; v++)
            for (int p = 0; p < props; p++)
            {
                ReadOnlySpan<byte> tok = body.RequireToken(vertex, v);
                var d = dest[p];
                if (d.Array is null) continue;
                if (!PlyValues.TryParseAscii(tok, d.Type, out double value)) throw PlyValues.NotANumber(path, $"vertex {v} property '{d.Name}'", tok);
                float f = (float)value;
                if (!float.IsFinite(f)) throw NonFinite(path, v, d.Name, value);
                d.Array[v * d.Stride + d.Offset] = f;
            }
        if (vertexIndex == header.Elements.Count - 1)
        {
            ReadOnlySpan<byte> extra = body.NextToken();
            if (!extra.IsEmpty)
                throw new RadiantException(path, $"trailing data after the {count} vertices the header declares (starting with '{PlyValues.Printable(extra, 20)}')");
        }
    }
}
