using Radiant.Export;
using Radiant.Formats.Ply;
using Radiant.Model;
using Radiant.Tests.Support;

namespace Radiant.Tests.Export;

/// <summary>Files from other tools: property order, extra properties, other types and formats.</summary>
public class GaussianPlyReadTests
{
    private static void AssertSame(GaussianSet expected, GaussianSet actual)
    {
        Assert.Equal(expected.ShDegree, actual.ShDegree);
        Assert.Equal(expected.Count, actual.Count);
        Assert.Equal(TestPly.Bits(expected.Means), TestPly.Bits(actual.Means));
        Assert.Equal(TestPly.Bits(expected.LogScales), TestPly.Bits(actual.LogScales));
        Assert.Equal(TestPly.Bits(expected.Rotations), TestPly.Bits(actual.Rotations));
        Assert.Equal(TestPly.Bits(expected.OpacityLogits), TestPly.Bits(actual.OpacityLogits));
        Assert.Equal(TestPly.Bits(expected.Sh), TestPly.Bits(actual.Sh));
    }

    private static GaussianPlyData WriteAndRead(TempDir dir, byte[] bytes)
    {
        string path = dir.File("in.ply");
        File.WriteAllBytes(path, bytes);
        return GaussianPly.Read(path);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Shuffled_order_with_filter_3D_and_int_binding_reads_correctly(int degree)
    {
        using var dir = new TempDir("ply");
        GaussianSet g = TestPly.RandomSet(300, degree, seed: degree);
        var props = TestPly.StandardProps(degree);
        props.Add(new TestPly.Prop("filter_3D", PlyType.Float32));
        props.Add(new TestPly.Prop("binding_0", PlyType.Int32));
        var shuffle = new Random(100 + degree);
        for (int i = props.Count - 1; i > 0; i--) { int j = shuffle.Next(i + 1); (props[i], props[j]) = (props[j], props[i]); }
        Assert.NotEqual(GaussianPly.StandardProperties(degree).Concat(["filter_3D", "binding_0"]), props.Select(p => p.Name));
        double Extra(int i, string n) => n == "filter_3D" ? 0.001 * (i + 1) : i * 7;

        GaussianPlyData r = WriteAndRead(dir, TestPly.Build(PlyFormat.BinaryLittleEndian, props, g.Count, (i, n) => TestPly.Value(g, i, n, Extra)));
        AssertSame(g, r.Gaussians);
        Assert.NotNull(r.Filter3D);
        for (int i = 0; i < g.Count; i++) Assert.Equal((float)(0.001 * (i + 1)), r.Filter3D![i]);
        Assert.Contains("binding_0", r.IgnoredProperties);
        Assert.DoesNotContain("filter_3D", r.IgnoredProperties);
    }

    [Fact]
    public void Double_typed_properties_are_converted()
    {
        using var dir = new TempDir("ply");
        GaussianSet g = TestPly.RandomSet(200, 3, seed: 5);
        var props = TestPly.StandardProps(3, PlyType.Float64);
        GaussianPlyData r = WriteAndRead(dir, TestPly.Build(PlyFormat.BinaryLittleEndian, props, g.Count, (i, n) => TestPly.Value(g, i, n)));
        AssertSame(g, r.Gaussians); // float → double → float is exact
    }

    [Fact]
    public void Mixed_integer_types_are_read_by_size()
    {
        using var dir = new TempDir("ply");
        var g = new GaussianSet(4, 0);
        var rng = new Random(2);
        foreach (var (_, values, _) in g.Parameters())
            for (int i = 0; i < values.Length; i++) values[i] = rng.Next(0, 100);
        PlyType[] types = [PlyType.Int8, PlyType.UInt8, PlyType.Int16, PlyType.UInt16, PlyType.Int32, PlyType.UInt32, PlyType.Float32, PlyType.Float64];
        var props = GaussianPly.StandardProperties(0).Select((n, j) => new TestPly.Prop(n, types[j % types.Length])).ToList();
        GaussianPlyData r = WriteAndRead(dir, TestPly.Build(PlyFormat.BinaryLittleEndian, props, g.Count, (i, n) => TestPly.Value(g, i, n)));
        AssertSame(g, r.Gaussians);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public void Ascii_reads_correctly(int degree)
    {
        using var dir = new TempDir("ply");
        GaussianSet g = TestPly.RandomSet(150, degree, seed: 7);
        var props = TestPly.StandardProps(degree);
        props.Insert(3, new TestPly.Prop("binding_0", PlyType.Int32));
        GaussianPlyData r = WriteAndRead(dir, TestPly.Build(PlyFormat.Ascii, props, g.Count, (i, n) => TestPly.Value(g, i, n, (v, _) => v)));
        Assert.Equal(PlyFormat.Ascii, r.Format);
        AssertSame(g, r.Gaussians); // "R" float formatting round-trips
    }

    [Fact]
    public void Ascii_tokens_spanning_buffer_boundaries_are_read()
    {
        // Enough vertices that the 64 KiB token buffer refills mid-token many times.
        using var dir = new TempDir("ply");
        GaussianSet g = TestPly.RandomSet(3000, 1, seed: 8);
        GaussianPlyData r = WriteAndRead(dir, TestPly.Build(PlyFormat.Ascii, TestPly.StandardProps(1), g.Count, (i, n) => TestPly.Value(g, i, n)));
        AssertSame(g, r.Gaussians);
    }

    [Fact]
    public void Big_endian_reads_correctly()
    {
        using var dir = new TempDir("ply");
        GaussianSet g = TestPly.RandomSet(100, 2, seed: 9);
        var props = TestPly.StandardProps(2);
        props[0] = new TestPly.Prop("x", PlyType.Float64);
        GaussianPlyData r = WriteAndRead(dir, TestPly.Build(PlyFormat.BinaryBigEndian, props, g.Count, (i, n) => TestPly.Value(g, i, n)));
        Assert.Equal(PlyFormat.BinaryBigEndian, r.Format);
        AssertSame(g, r.Gaussians);
    }

    [Fact]
    public void Sized_type_names_and_crlf_header_are_accepted()
    {
        using var dir = new TempDir("ply");
        GaussianSet g = TestPly.RandomSet(20, 0, seed: 11);
        byte[] standard = TestPly.Build(PlyFormat.BinaryLittleEndian, TestPly.StandardProps(0), g.Count, (i, n) => TestPly.Value(g, i, n));
        int headerEnd = IndexOf(standard, "end_header\n"u8) + "end_header\n".Length;
        string header = System.Text.Encoding.ASCII.GetString(standard, 0, headerEnd).Replace("property float ", "property float32 ").Replace("\n", "\r\n");
        byte[] bytes = [.. System.Text.Encoding.ASCII.GetBytes(header), .. standard.AsSpan(headerEnd)];
        AssertSame(g, WriteAndRead(dir, bytes).Gaussians);
    }

    [Fact]
    public void Other_fixed_size_elements_before_and_after_the_vertices_are_skipped()
    {
        using var dir = new TempDir("ply");
        GaussianSet g = TestPly.RandomSet(10, 0, seed: 12);
        byte[] standard = TestPly.Build(PlyFormat.BinaryLittleEndian, TestPly.StandardProps(0), g.Count, (i, n) => TestPly.Value(g, i, n),
            extraHeaderLines: ["element camera 2", "property double fx", "property uchar id"]);
        // Insert the camera element's 2 × 9 bytes of data right after the header, and a trailing
        // "extra" element of 3 floats after the vertices.
        int headerEnd = IndexOf(standard, "end_header\n"u8) + "end_header\n".Length;
        string header = System.Text.Encoding.ASCII.GetString(standard, 0, headerEnd)
            .Replace("end_header\n", "element extra 1\nproperty float a\nproperty float b\nproperty float c\nend_header\n");
        byte[] bytes = [.. System.Text.Encoding.ASCII.GetBytes(header), .. new byte[18], .. standard.AsSpan(headerEnd), .. new byte[12]];
        AssertSame(g, WriteAndRead(dir, bytes).Gaussians);
    }

    [Fact]
    public void A_list_element_after_the_vertices_is_ignored()
    {
        using var dir = new TempDir("ply");
        GaussianSet g = TestPly.RandomSet(6, 0, seed: 14);
        byte[] standard = TestPly.Build(PlyFormat.BinaryLittleEndian, TestPly.StandardProps(0), g.Count, (i, n) => TestPly.Value(g, i, n));
        int headerEnd = IndexOf(standard, "end_header\n"u8) + "end_header\n".Length;
        string header = System.Text.Encoding.ASCII.GetString(standard, 0, headerEnd)
            .Replace("end_header\n", "element face 1\nproperty list uchar int vertex_indices\nend_header\n");
        byte[] bytes = [.. System.Text.Encoding.ASCII.GetBytes(header), .. standard.AsSpan(headerEnd), 3, 0, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0];
        AssertSame(g, WriteAndRead(dir, bytes).Gaussians);
    }

    [Fact]
    public void Our_writer_output_matches_the_test_writer_byte_for_byte()
    {
        using var dir = new TempDir("ply");
        GaussianSet g = TestPly.RandomSet(50, 3, seed: 13);
        string path = dir.File("ours.ply");
        GaussianPly.Write(path, g);
        byte[] theirs = TestPly.Build(PlyFormat.BinaryLittleEndian, TestPly.StandardProps(3), g.Count, (i, n) => TestPly.Value(g, i, n));
        byte[] ours = File.ReadAllBytes(path);
        int ourHeader = IndexOf(ours, "end_header\n"u8) + 11, theirHeader = IndexOf(theirs, "end_header\n"u8) + 11;
        Assert.True(ours.AsSpan(ourHeader).SequenceEqual(theirs.AsSpan(theirHeader)));
    }

    internal static int IndexOf(byte[] haystack, ReadOnlySpan<byte> needle) => haystack.AsSpan().IndexOf(needle);
}
