using Radiant.Formats.Ply;

namespace Radiant.Data;

/// <summary>
/// Reads the points of a PLY file (Greg Turk's polygon file format): the <c>vertex</c> element's
/// <c>x y z</c> (any numeric type) and, if present, <c>red green blue</c> (uchar; other integer types
/// are scaled to 8 bit, float colours in [0, 1] are scaled by 255). Formats ascii, binary_little_endian
/// and binary_big_endian. Other elements (faces, …) are skipped, list properties included. Points
/// without colour are grey (128). Vertices with a NaN or infinite coordinate (the invalid depths of a
/// depth sensor's organised cloud) are left out. Every problem is a one-line <see cref="RadiantException"/> naming the file.
/// </summary>
public static class PlyPointCloudReader
{
    public static PointCloud Read(string path)
    {
        if (!File.Exists(path)) throw new RadiantException(path, "point cloud file not found");
        try
        {
            using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
            return Read(fs, path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new RadiantException(path, $"cannot read: {e.Message}", e); }
    }

    private static PointCloud Read(FileStream fs, string path)
    {
        PlyHeader header = PlyHeader.Read(fs, path);
        int vertexIndex = header.Elements.FindIndex(e => e.Name == "vertex");
        if (vertexIndex < 0) throw new RadiantException(path, "PLY has no vertex element");
        PlyElement vertex = header.Elements[vertexIndex];
        int ix = Index(vertex, "x"), iy = Index(vertex, "y"), iz = Index(vertex, "z");
        if (ix < 0 || iy < 0 || iz < 0) throw new RadiantException(path, "PLY vertex element has no x, y, z properties");
        int ir = Index(vertex, "red"), ig = Index(vertex, "green"), ib = Index(vertex, "blue");
        if (ir < 0 || ig < 0 || ib < 0) { ir = Index(vertex, "r"); ig = Index(vertex, "g"); ib = Index(vertex, "b"); }
        bool hasColour = ir >= 0 && ig >= 0 && ib >= 0;
        foreach (int k in new[] { ix, iy, iz })
            if (vertex.Properties[k].IsList) throw new RadiantException(path, "PLY vertex x, y, z must be scalar properties");

        // Counts are checked against the file before anything is allocated: a binary instance takes at
        // least its scalars and list counts, an ascii value at least one character and a separator.
        bool ascii = header.Format == PlyFormat.Ascii;
        Int128 minimum = ascii ? -1 : 0; // the last ascii value needs no separator
        foreach (PlyElement e in header.Elements.Take(vertexIndex + 1))
            minimum += (Int128)e.Count * (ascii ? 2 * e.Properties.Count : e.BinarySize);
        long dataBytes = fs.Length - header.Length;
        if (dataBytes < minimum)
            throw new RadiantException(path, $"truncated: the header declares {vertex.Count} vertices, which with the elements before them need at least {minimum} bytes after the {header.Length}-byte header, but the file has {dataBytes}");
        if (vertex.Count > int.MaxValue / 3) throw new RadiantException(path, $"PLY has too many vertices ({vertex.Count})");

        int n = (int)vertex.Count;
        var positions = new float[3 * n];
        var colours = new byte[3 * n];
        if (!hasColour) colours.AsSpan().Fill(128);
        var values = new double[vertex.Properties.Count];
        var body = new PlyBodyReader(fs, header.Format, path);
        for (int e = 0; e < vertexIndex; e++) body.SkipElement(header.Elements[e]);
        int kept = 0;
        for (int r = 0; r < n; r++)
        {
            body.ReadInstance(vertex, r, values);
            float x = (float)values[ix], y = (float)values[iy], z = (float)values[iz];
            if (!float.IsFinite(x) || !float.IsFinite(y) || !float.IsFinite(z)) continue;
            positions[3 * kept] = x;
            positions[3 * kept + 1] = y;
            positions[3 * kept + 2] = z;
            if (hasColour)
            {
                colours[3 * kept] = ToByte(values[ir], vertex.Properties[ir].Type);
                colours[3 * kept + 1] = ToByte(values[ig], vertex.Properties[ig].Type);
                colours[3 * kept + 2] = ToByte(values[ib], vertex.Properties[ib].Type);
            }
            kept++;
        }
        if (kept == 0 && n > 0) throw new RadiantException(path, $"none of the {n} vertices has finite x, y, z (all NaN or infinite)");
        if (kept < n) { positions = positions[..(3 * kept)]; colours = colours[..(3 * kept)]; }
        return new PointCloud(positions, colours);
    }

    private static byte ToByte(double v, PlyType type)
    {
        double scaled = type switch
        {
            PlyType.Float32 or PlyType.Float64 => v * 255,
            PlyType.UInt16 or PlyType.Int16 => v / 257,
            _ => v,
        };
        return double.IsNaN(scaled) ? (byte)0 : (byte)Math.Clamp(Math.Round(scaled), 0, 255);
    }

    private static int Index(PlyElement e, string name) => e.Properties.FindIndex(p => p.Name == name);
}
