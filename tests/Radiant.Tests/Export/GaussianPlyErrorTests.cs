using System.Text;
using Radiant.Export;
using Radiant.Formats.Ply;
using Radiant.Model;
using Radiant.Tests.Support;

namespace Radiant.Tests.Export;

/// <summary>Every bad-input class yields a one-line RadiantException naming the file and the problem.</summary>
public class GaussianPlyErrorTests
{
    private static RadiantException ReadFails(TempDir dir, byte[] bytes, params string[] fragments)
    {
        string path = dir.File("bad.ply");
        File.WriteAllBytes(path, bytes);
        var ex = Assert.Throws<RadiantException>(() => GaussianPly.Read(path));
        Assert.Equal(path, ex.Path);
        Assert.StartsWith(path + ": ", ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
        foreach (string f in fragments) Assert.Contains(f, ex.Problem);
        return ex;
    }

    private static byte[] Standard(int count, int degree, Func<int, string, double>? value = null, PlyFormat format = PlyFormat.BinaryLittleEndian, List<TestPly.Prop>? props = null)
    {
        GaussianSet g = TestPly.RandomSet(count, degree, seed: 1);
        return TestPly.Build(format, props ?? TestPly.StandardProps(degree), count, value ?? ((i, n) => TestPly.Value(g, i, n)));
    }

    private static byte[] Header(string text) => Encoding.ASCII.GetBytes(text);

    [Fact]
    public void Not_a_ply()
    {
        using var dir = new TempDir("plyerr");
        ReadFails(dir, Header("hello world\n"), "not a PLY file");
        ReadFails(dir, [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "not a PLY file");
        ReadFails(dir, [], "not a PLY file", "empty");
        ReadFails(dir, Header("plyx\nformat ascii 1.0\n"), "not a PLY file");
    }

    [Theory]
    [InlineData("ply\nformat binary_middle_endian 1.0\nelement vertex 0\nend_header\n", "unknown PLY format 'binary_middle_endian'")]
    [InlineData("ply\nformat ascii 2.0\nend_header\n", "unsupported PLY version '2.0'")]
    [InlineData("ply\nelement vertex 0\nproperty float x\nend_header\n", "no 'format' line")]
    [InlineData("ply\nformat ascii 1.0\nproperty float x\nend_header\n", "property before any element")]
    [InlineData("ply\nformat ascii 1.0\nelement vertex 0\nproperty float16 x\nend_header\n", "unknown property type 'float16'")]
    [InlineData("ply\nformat ascii 1.0\nelement vertex many\nend_header\n", "expected 'element <name> <count>'")]
    [InlineData("ply\nformat ascii 1.0\nelement vertex 0\nproperty float x\nproperty float x\nend_header\n", "'x' of element 'vertex' declared twice")]
    [InlineData("ply\nformat ascii 1.0\nelement vertex 0\nproperty float x\n", "without an 'end_header' line")]
    [InlineData("ply\nformat ascii 1.0\nbogus line\nend_header\n", "line 3: unexpected 'bogus line'")]
    [InlineData("ply\nformat ascii 1.0\nelement face 0\nproperty list uchar int vertex_indices\nend_header\n", "no 'vertex' element")]
    public void Bad_header(string header, string fragment)
    {
        using var dir = new TempDir("plyerr");
        ReadFails(dir, Header(header), fragment);
    }

    [Fact]
    public void Header_without_end_is_refused_without_reading_forever()
    {
        using var dir = new TempDir("plyerr");
        byte[] bytes = new byte[PlyHeader.MaxHeaderBytes + 100];
        Array.Fill(bytes, (byte)'a');
        Encoding.ASCII.GetBytes("ply\ncomment ").CopyTo(bytes, 0);
        ReadFails(dir, bytes, "longer than");
    }

    [Fact]
    public void Missing_required_properties_are_listed()
    {
        using var dir = new TempDir("plyerr");
        var props = TestPly.StandardProps(1).Where(p => p.Name is not ("opacity" or "rot_2" or "f_rest_4")).ToList();
        props.Add(new TestPly.Prop("f_rest_9", PlyType.Float32)); // keeps the f_rest count at 9
        ReadFails(dir, Standard(3, 1, (_, _) => 0, props: props), "missing required vertex properties: opacity, rot_2, f_rest_4");
    }

    [Fact]
    public void Unusual_f_rest_count_is_refused()
    {
        using var dir = new TempDir("plyerr");
        var props = TestPly.StandardProps(0);
        for (int j = 0; j < 12; j++) props.Add(new TestPly.Prop($"f_rest_{j}", PlyType.Float32));
        ReadFails(dir, Standard(2, 0, (_, _) => 0, props: props), "has 12 f_rest_* properties", "0, 9, 24 or 45");
    }

    [Fact]
    public void List_property_in_vertex_is_refused()
    {
        using var dir = new TempDir("plyerr");
        string h = GaussianPly.Header(0, 0).Replace("end_header", "property list uchar int idx\nend_header");
        ReadFails(dir, Header(h), "vertex property 'idx' is a list");
    }

    [Fact]
    public void Binary_list_element_before_the_vertices_is_refused()
    {
        using var dir = new TempDir("plyerr");
        string h = GaussianPly.Header(0, 0).Replace("element vertex", "element face 1\nproperty list uchar int idx\nelement vertex");
        ReadFails(dir, Header(h), "element 'face' before the vertices has list properties");
    }

    [Fact]
    public void Truncated_binary_says_how_many_bytes_were_expected()
    {
        using var dir = new TempDir("plyerr");
        byte[] full = Standard(10, 3);
        int header = GaussianPlyReadTests.IndexOf(full, "end_header\n"u8) + 11;
        ReadFails(dir, full[..^10], "truncated", "10 vertices of 248 bytes", "2480 bytes of data are expected", $"the file has {full.Length - header - 10}");
        ReadFails(dir, full[..header], "truncated", "2480 bytes");
    }

    [Fact]
    public void Trailing_garbage_says_how_many_bytes()
    {
        using var dir = new TempDir("plyerr");
        byte[] full = Standard(10, 0);
        ReadFails(dir, [.. full, 1, 2, 3, 4, 5, 6, 7], "7 bytes of trailing data", "10 vertices of 68 bytes", "680 bytes of data");
    }

    [Fact]
    public void Truncated_and_trailing_ascii()
    {
        using var dir = new TempDir("plyerr");
        byte[] full = Standard(10, 0, format: PlyFormat.Ascii);
        // Cut the last line in half: the file ends in vertex 9.
        ReadFails(dir, full[..^60], "truncated", "ends in vertex 9 of the 10");
        ReadFails(dir, [.. full, .. "1.5 2.5\n"u8], "trailing data after the 10 vertices", "'1.5'");
        ReadFails(dir, [.. full[..^60], .. "\n1.0 abc\n"u8], "is not a number", "'abc'");
    }

    [Theory]
    [InlineData(PlyFormat.BinaryLittleEndian, float.NaN, "NaN")]
    [InlineData(PlyFormat.BinaryLittleEndian, float.PositiveInfinity, "+Inf")]
    [InlineData(PlyFormat.BinaryBigEndian, float.NegativeInfinity, "-Inf")]
    [InlineData(PlyFormat.Ascii, float.NaN, "NaN")]
    [InlineData(PlyFormat.Ascii, float.PositiveInfinity, "+Inf")]
    public void Non_finite_values_name_vertex_and_property(PlyFormat format, float bad, string what)
    {
        using var dir = new TempDir("plyerr");
        GaussianSet g = TestPly.RandomSet(8, 1, seed: 4);
        byte[] bytes = TestPly.Build(format, TestPly.StandardProps(1), g.Count,
            (i, n) => i == 5 && n == "scale_1" ? bad : TestPly.Value(g, i, n));
        ReadFails(dir, bytes, "vertex 5", "'scale_1'", what);
    }

    [Fact]
    public void Double_beyond_float_range_is_refused()
    {
        using var dir = new TempDir("plyerr");
        GaussianSet g = TestPly.RandomSet(3, 0, seed: 4);
        byte[] bytes = TestPly.Build(PlyFormat.BinaryLittleEndian, TestPly.StandardProps(0, PlyType.Float64), g.Count,
            (i, n) => i == 2 && n == "f_dc_1" ? 1e300 : TestPly.Value(g, i, n));
        ReadFails(dir, bytes, "vertex 2", "'f_dc_1'", "beyond float range");
    }

    [Fact]
    public void Non_finite_value_in_an_ignored_property_is_not_an_error()
    {
        using var dir = new TempDir("plyerr");
        GaussianSet g = TestPly.RandomSet(3, 0, seed: 4);
        string path = dir.File("ok.ply");
        File.WriteAllBytes(path, TestPly.Build(PlyFormat.BinaryLittleEndian, TestPly.StandardProps(0), g.Count,
            (i, n) => n == "nx" ? double.NaN : TestPly.Value(g, i, n)));
        Assert.Equal(3, GaussianPly.Read(path).Gaussians.Count);
    }

    [Theory]
    [InlineData(PlyFormat.BinaryLittleEndian, "2000000000")]
    [InlineData(PlyFormat.BinaryLittleEndian, "9000000000000000000")]
    [InlineData(PlyFormat.Ascii, "2000000000")]
    public void Huge_vertex_count_in_a_tiny_file_fails_fast_without_allocating(PlyFormat format, string count)
    {
        using var dir = new TempDir("plyerr");
        byte[] bytes = TestPly.Build(format, TestPly.StandardProps(3), 2, (_, _) => 1, vertexCount: count);
        string path = dir.File("huge.ply");
        File.WriteAllBytes(path, bytes);
        Assert.Throws<RadiantException>(() => GaussianPly.Read(path)); // warm up (JIT) before measuring

        long before = GC.GetAllocatedBytesForCurrentThread();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var ex = Assert.Throws<RadiantException>(() => GaussianPly.Read(path));
        watch.Stop();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(path, ex.Path);
        Assert.Contains("truncated", ex.Problem);
        Assert.Contains($"declares {count} vertices", ex.Problem);
        Assert.True(allocated < 1 << 20, $"allocated {allocated} bytes");
        Assert.True(watch.ElapsedMilliseconds < 1000, $"took {watch.ElapsedMilliseconds} ms");
    }

    [Fact]
    public void Missing_file_is_named()
    {
        using var dir = new TempDir("plyerr");
        string path = dir.File("nope.ply");
        var ex = Assert.Throws<RadiantException>(() => GaussianPly.Read(path));
        Assert.Equal(path + ": file not found", ex.Message);
    }
}
