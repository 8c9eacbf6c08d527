using System.Text;
using Radiant.Export;
using Radiant.Formats.Ply;
using Radiant.Model;
using Radiant.Tests.Support;

namespace Radiant.Tests.Export;

public class GaussianPlyWriteTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Write_then_read_is_bit_exact(int degree)
    {
        using var dir = new TempDir("ply");
        string path = dir.File("g.ply");
        GaussianSet g = TestPly.RandomSet(5000, degree, seed: 10 + degree);
        GaussianPly.Write(path, g);
        GaussianPlyData back = GaussianPly.Read(path);

        Assert.Equal(degree, back.Gaussians.ShDegree);
        Assert.Equal(g.Count, back.Gaussians.Count);
        Assert.Equal(PlyFormat.BinaryLittleEndian, back.Format);
        Assert.Null(back.Filter3D);
        Assert.Equal(["nx", "ny", "nz"], back.IgnoredProperties);
        Assert.Equal(TestPly.Bits(g.Means), TestPly.Bits(back.Gaussians.Means));
        Assert.Equal(TestPly.Bits(g.LogScales), TestPly.Bits(back.Gaussians.LogScales));
        Assert.Equal(TestPly.Bits(g.Rotations), TestPly.Bits(back.Gaussians.Rotations));
        Assert.Equal(TestPly.Bits(g.OpacityLogits), TestPly.Bits(back.Gaussians.OpacityLogits));
        Assert.Equal(TestPly.Bits(g.Sh), TestPly.Bits(back.Gaussians.Sh));
    }

    [Fact]
    public void Header_is_exactly_the_standard_property_list()
    {
        using var dir = new TempDir("ply");
        string path = dir.File("g.ply");
        GaussianPly.Write(path, TestPly.RandomSet(3, 1, seed: 1));
        byte[] bytes = File.ReadAllBytes(path);
        const string expected =
            "ply\n" +
            "format binary_little_endian 1.0\n" +
            "element vertex 3\n" +
            "property float x\nproperty float y\nproperty float z\n" +
            "property float nx\nproperty float ny\nproperty float nz\n" +
            "property float f_dc_0\nproperty float f_dc_1\nproperty float f_dc_2\n" +
            "property float f_rest_0\nproperty float f_rest_1\nproperty float f_rest_2\n" +
            "property float f_rest_3\nproperty float f_rest_4\nproperty float f_rest_5\n" +
            "property float f_rest_6\nproperty float f_rest_7\nproperty float f_rest_8\n" +
            "property float opacity\n" +
            "property float scale_0\nproperty float scale_1\nproperty float scale_2\n" +
            "property float rot_0\nproperty float rot_1\nproperty float rot_2\nproperty float rot_3\n" +
            "end_header\n";
        Assert.Equal(expected, Encoding.ASCII.GetString(bytes, 0, expected.Length));
        Assert.Equal(expected.Length + 3 * 26 * 4, bytes.Length);
    }

    [Fact]
    public void Degree_3_header_has_45_f_rest_and_62_floats()
    {
        IReadOnlyList<string> names = GaussianPly.StandardProperties(3);
        Assert.Equal(62, names.Count);
        Assert.Equal("f_rest_44", names[9 + 44]);
        Assert.Equal("opacity", names[54]);
        Assert.Equal("rot_3", names[61]);
        Assert.Contains("element vertex 7\n", GaussianPly.Header(7, 3));
    }

    [Fact]
    public void F_rest_is_channel_major_and_normals_are_zero()
    {
        using var dir = new TempDir("ply");
        string path = dir.File("g.ply");
        var g = new GaussianSet(2, 3);
        // Gaussian 1, coefficient k = 2, green (c = 1): channel-major index c·15 + (k − 1) = 16.
        g.Sh[(1 * 16 + 2) * 3 + 1] = 7.5f;
        // Gaussian 1, coefficient k = 15, blue: index 2·15 + 14 = 44.
        g.Sh[(1 * 16 + 15) * 3 + 2] = -3.25f;
        g.Sh[(1 * 16 + 0) * 3 + 2] = 0.125f; // f_dc_2
        g.Means[3] = 1; g.Means[4] = 2; g.Means[5] = 3;
        GaussianPly.Write(path, g);

        byte[] bytes = File.ReadAllBytes(path);
        int bodyStart = GaussianPly.Header(2, 3).Length;
        float At(int vertex, int property) => BitConverter.ToSingle(bytes, bodyStart + (vertex * 62 + property) * 4);
        Assert.Equal(7.5f, At(1, 9 + 16));
        Assert.Equal(-3.25f, At(1, 9 + 44));
        Assert.Equal(0.125f, At(1, 8));
        Assert.Equal((1f, 2f, 3f), (At(1, 0), At(1, 1), At(1, 2)));
        Assert.Equal((0f, 0f, 0f), (At(1, 3), At(1, 4), At(1, 5)));
        Assert.Equal(1f, At(1, 58)); // rot_0 = w of the identity quaternion
        int nonZero = 0;
        for (int p = 9; p < 54; p++) if (At(1, p) != 0) nonZero++;
        Assert.Equal(2, nonZero);
    }

    [Fact]
    public void Empty_set_round_trips()
    {
        using var dir = new TempDir("ply");
        string path = dir.File("g.ply");
        GaussianPly.Write(path, new GaussianSet(0, 2));
        GaussianPlyData back = GaussianPly.Read(path);
        Assert.Equal(0, back.Gaussians.Count);
        Assert.Equal(2, back.Gaussians.ShDegree);
    }

    [Fact]
    public void Non_finite_parameter_is_refused_and_leaves_no_file()
    {
        using var dir = new TempDir("ply");
        string path = dir.File("g.ply");
        var g = TestPly.RandomSet(10, 0, seed: 3);
        g.LogScales[3 * 4 + 1] = float.NaN;
        var ex = Assert.Throws<RadiantException>(() => GaussianPly.Write(path, g));
        Assert.Equal(path, ex.Path);
        Assert.Contains("Gaussian 4", ex.Problem);
        Assert.Contains("'scale_1'", ex.Problem);
        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void Overwrite_replaces_the_file_atomically()
    {
        using var dir = new TempDir("ply");
        string path = dir.File("g.ply");
        GaussianPly.Write(path, TestPly.RandomSet(100, 3, seed: 1));
        GaussianPly.Write(path, TestPly.RandomSet(7, 0, seed: 2));
        Assert.Equal(7, GaussianPly.Read(path).Gaussians.Count);
        Assert.Single(Directory.GetFiles(dir.Path));
    }
}
