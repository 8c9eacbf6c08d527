using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using Radiant.Formats.Ply;
using Radiant.Model;

namespace Radiant.Export;

/// <summary>
/// The standard 3DGS <c>.ply</c> (REFERENCE §1): binary_little_endian, one <c>vertex</c> element,
/// all float properties in the order
/// <c>x y z nx ny nz f_dc_0..2 f_rest_0..(3(K−1)−1) opacity scale_0..2 rot_0..3</c>, normals 0,
/// <c>f_rest</c> channel-major (all of red's higher coefficients, then green's, then blue's),
/// opacity as a logit, scales as natural logs, rotation as the stored (w, x, y, z) quaternion.
/// Anti-aliased models (Mip-Splatting, REFERENCE §4): the 3D smoothing filter is either baked into
/// scale and opacity (the default, so every viewer shows the filtered model) or kept as
/// Mip-Splatting's <c>filter_3D</c> property (σ3d, after <c>rot_3</c>); a model trained with the 2D
/// Mip filter carries the header line <c>comment mip_filter_2d 0.1</c> (<see cref="MipFilterComment"/>).
/// Writing is atomic; reading (any property order, extra properties, ascii / big-endian, other
/// numeric types) is in <see cref="GaussianPlyReader"/>.
/// </summary>
public static class GaussianPly
{
    /// <summary>Vertices gathered per write call (about 1 MiB at degree 3).</summary>
    private const int ChunkVertices = 4096;

    /// <summary>Number of <c>f_rest_*</c> properties for an SH degree: 3·((d+1)²−1).</summary>
    public static int RestCount(int shDegree) => 3 * ((shDegree + 1) * (shDegree + 1) - 1);

    /// <summary>The standard property names in file order for an SH degree (§1).</summary>
    public static IReadOnlyList<string> StandardProperties(int shDegree)
    {
        var names = new List<string> { "x", "y", "z", "nx", "ny", "nz", "f_dc_0", "f_dc_1", "f_dc_2" };
        for (int j = 0; j < RestCount(shDegree); j++) names.Add($"f_rest_{j}");
        names.AddRange(["opacity", "scale_0", "scale_1", "scale_2", "rot_0", "rot_1", "rot_2", "rot_3"]);
        return names;
    }

    /// <summary>Header comment of a model rendered with the 2D Mip filter (its variance in px²) instead of the 0.3 px² dilation.</summary>
    public const string MipFilterComment = "mip_filter_2d 0.1";

    /// <summary>Whether a header (a standard or a compressed .ply's) carries <see cref="MipFilterComment"/>.</summary>
    public static bool HasMipFilterMark(PlyHeader header) => header.Comments.Exists(c => c.StartsWith("mip_filter_2d", StringComparison.Ordinal));
    /// <summary>Mip-Splatting's per-Gaussian 3D filter property: the standard deviation σ3d.</summary>
    public const string Filter3DProperty = "filter_3D";

    /// <summary>The exact header this writer produces (ASCII, '\n' line ends).</summary>
    public static string Header(int count, int shDegree, bool mipFilter2D = false, bool filter3DProperty = false)
    {
        var sb = new StringBuilder();
        sb.Append("ply\n");
        sb.Append("format binary_little_endian 1.0\n");
        if (mipFilter2D) sb.Append("comment ").Append(MipFilterComment).Append('\n');
        sb.Append("element vertex ").Append(count).Append('\n');
        foreach (string p in Properties(shDegree, filter3DProperty)) sb.Append("property float ").Append(p).Append('\n');
        sb.Append("end_header\n");
        return sb.ToString();
    }

    private static IReadOnlyList<string> Properties(int shDegree, bool filter3DProperty) =>
        filter3DProperty ? [.. StandardProperties(shDegree), Filter3DProperty] : StandardProperties(shDegree);

    /// <summary>
    /// Writes <paramref name="gaussians"/> as a standard 3DGS .ply, through a temporary file and a
    /// rename. A non-finite parameter is refused (no viewer could use the file). A 3D smoothing
    /// filter (<see cref="GaussianSet.SmoothingVariance"/>) is written as <paramref name="filter3D"/>
    /// says; <paramref name="mipFilter2D"/> marks a model trained with the 2D Mip filter.
    /// </summary>
    public static void Write(string path, GaussianSet gaussians, bool mipFilter2D = false, Filter3DLayout filter3D = Filter3DLayout.Baked)
    {
        ArgumentNullException.ThrowIfNull(gaussians);
        AtomicFile.Write(path, stream => WriteBody(stream, gaussians, path, mipFilter2D, filter3D));
    }

    /// <summary>Writes the same bytes to a stream (e.g. memory, for a viewer); <paramref name="name"/> names it in errors.</summary>
    public static void Write(Stream stream, GaussianSet gaussians, string name, bool mipFilter2D = false, Filter3DLayout filter3D = Filter3DLayout.Baked)
    {
        ArgumentNullException.ThrowIfNull(gaussians);
        WriteBody(stream, gaussians, name, mipFilter2D, filter3D);
    }

    /// <summary>Reads any 3DGS .ply; see <see cref="GaussianPlyReader.Read"/>.</summary>
    public static GaussianPlyData Read(string path) => GaussianPlyReader.Read(path);

    private static void WriteBody(Stream stream, GaussianSet g, string path, bool mipFilter2D, Filter3DLayout filter3D)
    {
        bool property = filter3D == Filter3DLayout.Property && g.SmoothingVariance is not null;
        stream.Write(Encoding.ASCII.GetBytes(Header(g.Count, g.ShDegree, mipFilter2D, property)));
        int k = g.ShCoefficients;
        int floatsPerVertex = 14 + 3 * k + (property ? 1 : 0);
        var buffer = new float[Math.Min(ChunkVertices, Math.Max(1, g.Count)) * floatsPerVertex];
        for (int first = 0; first < g.Count; first += ChunkVertices)
        {
            int n = Math.Min(ChunkVertices, g.Count - first);
            Span<float> chunk = buffer.AsSpan(0, n * floatsPerVertex);
            Gather(g, first, n, chunk, property ? Filter3DLayout.Property : Filter3DLayout.Baked);
            int bad = IndexOfNonFinite(chunk);
            if (bad >= 0)
            {
                string prop = Properties(g.ShDegree, property)[bad % floatsPerVertex];
                throw new RadiantException(path, $"Gaussian {first + bad / floatsPerVertex} has a non-finite '{prop}' ({chunk[bad]}); refusing to write a .ply no viewer could use");
            }
            if (!BitConverter.IsLittleEndian)
            {
                Span<int> bits = MemoryMarshal.Cast<float, int>(chunk);
                BinaryPrimitives.ReverseEndianness(bits, bits);
            }
            stream.Write(MemoryMarshal.AsBytes(chunk));
        }
    }

    /// <summary>Gathers Gaussians [first, first+n) from the SoA arrays into rows of the standard layout (plus filter_3D).</summary>
    private static void Gather(GaussianSet g, int first, int n, Span<float> rows, Filter3DLayout filter3D)
    {
        int k = g.ShCoefficients;
        float[]? filter = g.SmoothingVariance;
        bool property = filter3D == Filter3DLayout.Property && filter is not null;
        int stride = 14 + 3 * k + (property ? 1 : 0);
        ReadOnlySpan<float> means = g.Means, scales = g.LogScales, rots = g.Rotations, opac = g.OpacityLogits, sh = g.Sh;
        for (int v = 0; v < n; v++)
        {
            int i = first + v;
            Span<float> row = rows.Slice(v * stride, stride);
            means.Slice(3 * i, 3).CopyTo(row);
            row[3] = 0; row[4] = 0; row[5] = 0;
            ReadOnlySpan<float> coeffs = sh.Slice(i * k * 3, k * 3); // coefficient-major: [k·3 + c]
            row[6] = coeffs[0]; row[7] = coeffs[1]; row[8] = coeffs[2];
            int r = 9;
            for (int c = 0; c < 3; c++)                              // channel-major f_rest (§1)
                for (int j = 1; j < k; j++)
                    row[r++] = coeffs[j * 3 + c];
            row[r++] = opac[i];
            scales.Slice(3 * i, 3).CopyTo(row[r..]);
            if (!property && filter is not null && filter[i] > 0) SmoothingFilter.Bake(row.Slice(r - 1, 4), filter[i]);
            r += 3;
            rots.Slice(4 * i, 4).CopyTo(row[r..]); r += 4;
            if (property) row[r] = MathF.Sqrt(filter![i]);
        }
    }

    private static int IndexOfNonFinite(ReadOnlySpan<float> values)
    {
        ReadOnlySpan<int> bits = MemoryMarshal.Cast<float, int>(values);
        for (int i = 0; i < bits.Length; i++)
            if ((bits[i] & 0x7F800000) == 0x7F800000) return i;
        return -1;
    }
}

/// <summary>How <see cref="GaussianPly.Write"/> stores a model's 3D smoothing filter.</summary>
public enum Filter3DLayout
{
    /// <summary>Folded into scale and opacity: a standard .ply that renders filtered in any viewer.</summary>
    Baked,
    /// <summary>Raw scale and opacity plus Mip-Splatting's <c>filter_3D</c> property (σ3d).</summary>
    Property,
}
