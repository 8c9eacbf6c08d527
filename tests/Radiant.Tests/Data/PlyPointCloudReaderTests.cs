using System.Buffers.Binary;
using System.Text;
using Radiant.Data;
using Radiant.Tests.Support;

namespace Radiant.Tests.Data;

public class PlyPointCloudReaderTests
{
    [Fact]
    public void Ascii_with_colours_comments_and_crlf()
    {
        using var tmp = new TempDir("ply");
        string path = tmp.File("points.ply");
        File.WriteAllText(path,
            "ply\r\nformat ascii 1.0\r\ncomment made by a test\r\nelement vertex 3\r\nproperty float x\r\nproperty float y\r\nproperty float z\r\n" +
            "property uint8 red\r\nproperty uint8 green\r\nproperty uint8 blue\r\nend_header\r\n" +
            "0.5 -1 2e1 255 0 10\r\n1 2 3 1 2 3\r\n-4.25 0 0 0 0 0\r\n");
        PointCloud pc = PlyPointCloudReader.Read(path);
        Assert.Equal(3, pc.Count);
        Assert.Equal([0.5f, -1f, 20f, 1f, 2f, 3f, -4.25f, 0f, 0f], pc.Positions);
        Assert.Equal(new byte[] { 255, 0, 10, 1, 2, 3, 0, 0, 0 }, pc.Colors);
    }

    [Fact]
    public void Ascii_without_colour_is_grey_and_faces_are_skipped()
    {
        using var tmp = new TempDir("ply");
        string path = tmp.File("points.ply");
        File.WriteAllText(path,
            "ply\nformat ascii 1.0\nelement vertex 2\nproperty double x\nproperty double y\nproperty double z\nproperty float nx\n" +
            "element face 1\nproperty list uchar int vertex_indices\nend_header\n1 2 3 9\n4 5 6 9\n3 0 1 1\n");
        PointCloud pc = PlyPointCloudReader.Read(path);
        Assert.Equal([1f, 2f, 3f, 4f, 5f, 6f], pc.Positions);
        Assert.All(pc.Colors, c => Assert.Equal(128, c));
    }

    [Fact]
    public void Vertices_with_nan_or_infinite_coordinates_are_left_out_and_a_cloud_of_only_those_is_refused()
    {
        using var tmp = new TempDir("ply");
        string path = tmp.File("points.ply");
        const string header = "ply\nformat ascii 1.0\nelement vertex {0}\nproperty double x\nproperty double y\nproperty double z\n" +
                              "property uchar red\nproperty uchar green\nproperty uchar blue\nend_header\n";
        // 1e39 is finite as a double but not as a float.
        File.WriteAllText(path, string.Format(header, 5) + "1 2 3 10 20 30\nNaN 0 0 1 1 1\n0 Infinity 0 2 2 2\n0 0 1e39 3 3 3\n4 5 6 40 50 60\n");
        PointCloud pc = PlyPointCloudReader.Read(path);
        Assert.Equal([1f, 2f, 3f, 4f, 5f, 6f], pc.Positions);
        Assert.Equal(new byte[] { 10, 20, 30, 40, 50, 60 }, pc.Colors);

        File.WriteAllText(path, string.Format(header, 2) + "NaN NaN NaN 0 0 0\nNaN NaN NaN 0 0 0\n");
        var e = Assert.Throws<RadiantException>(() => PlyPointCloudReader.Read(path));
        Assert.Equal($"{path}: none of the 2 vertices has finite x, y, z (all NaN or infinite)", e.Message);
    }

    private static byte[] Binary(bool little, bool doubles, bool faceFirst)
    {
        var ms = new MemoryStream();
        string fmt = little ? "binary_little_endian" : "binary_big_endian";
        string t = doubles ? "double" : "float";
        string face = "element face 2\nproperty list uchar int vertex_indices\n";
        string header = $"ply\nformat {fmt} 1.0\n" + (faceFirst ? face : "") +
            $"element vertex 2\nproperty {t} x\nproperty {t} y\nproperty {t} z\nproperty uchar red\nproperty uchar green\nproperty uchar blue\nproperty float opacity\n" +
            (faceFirst ? "" : face) + "end_header\n";
        ms.Write(Encoding.ASCII.GetBytes(header));
        void Face(params int[] idx)
        {
            ms.WriteByte((byte)idx.Length);
            foreach (int i in idx) { var b = new byte[4]; if (little) BinaryPrimitives.WriteInt32LittleEndian(b, i); else BinaryPrimitives.WriteInt32BigEndian(b, i); ms.Write(b); }
        }
        void Num(double v)
        {
            var b = new byte[doubles ? 8 : 4];
            if (doubles) { if (little) BinaryPrimitives.WriteDoubleLittleEndian(b, v); else BinaryPrimitives.WriteDoubleBigEndian(b, v); }
            else { if (little) BinaryPrimitives.WriteSingleLittleEndian(b, (float)v); else BinaryPrimitives.WriteSingleBigEndian(b, (float)v); }
            ms.Write(b);
        }
        void Vertex(double x, double y, double z, byte r, byte g, byte b)
        {
            Num(x); Num(y); Num(z);
            ms.WriteByte(r); ms.WriteByte(g); ms.WriteByte(b);
            var o = new byte[4];
            if (little) BinaryPrimitives.WriteSingleLittleEndian(o, 0.5f); else BinaryPrimitives.WriteSingleBigEndian(o, 0.5f);
            ms.Write(o);
        }
        if (faceFirst) { Face(0, 1, 1); Face(1, 0, 0, 1); }
        Vertex(1.5, -2, 3.25, 10, 20, 30);
        Vertex(-0.125, 100, 7, 255, 128, 0);
        if (!faceFirst) { Face(0, 1, 1); Face(1, 0, 0, 1); }
        return ms.ToArray();
    }

    [Theory]
    [InlineData(true, false, false)]
    [InlineData(true, true, false)]
    [InlineData(true, true, true)]
    [InlineData(false, false, true)]
    public void Binary_float_or_double_with_extra_properties_and_other_elements(bool little, bool doubles, bool faceFirst)
    {
        using var tmp = new TempDir("ply");
        string path = tmp.File("points.ply");
        File.WriteAllBytes(path, Binary(little, doubles, faceFirst));
        PointCloud pc = PlyPointCloudReader.Read(path);
        Assert.Equal([1.5f, -2f, 3.25f, -0.125f, 100f, 7f], pc.Positions);
        Assert.Equal(new byte[] { 10, 20, 30, 255, 128, 0 }, pc.Colors);
    }

    [Fact]
    public void Binary_bodies_larger_than_the_read_buffer_with_faces_first()
    {
        using var tmp = new TempDir("ply");
        string path = tmp.File("big.ply");
        const int n = 5000; // 85 KB of faces, then 135 KB of vertices: values and lists straddle buffer refills
        var ms = new MemoryStream();
        ms.Write(Encoding.ASCII.GetBytes($"ply\nformat binary_big_endian 1.0\nelement face {n}\nproperty list uchar int vertex_indices\n" +
            $"element vertex {n}\nproperty double x\nproperty double y\nproperty double z\nproperty uchar red\nproperty uchar green\nproperty uchar blue\nend_header\n"));
        var b = new byte[8];
        for (int i = 0; i < n; i++)
        {
            ms.WriteByte(4);
            for (int k = 0; k < 4; k++) { BinaryPrimitives.WriteInt32BigEndian(b, i + k); ms.Write(b, 0, 4); }
        }
        for (int i = 0; i < n; i++)
        {
            foreach (double v in new[] { i, -i, i * 0.5 }) { BinaryPrimitives.WriteDoubleBigEndian(b, v); ms.Write(b); }
            ms.Write([(byte)i, (byte)(i >> 8), 7]);
        }
        File.WriteAllBytes(path, ms.ToArray());
        PointCloud pc = PlyPointCloudReader.Read(path);
        Assert.Equal(n, pc.Count);
        for (int i = 0; i < n; i += 499)
        {
            Assert.Equal([i, -i, i * 0.5f], pc.Positions[(3 * i)..(3 * i + 3)]);
            Assert.Equal(new[] { (byte)i, (byte)(i >> 8), (byte)7 }, pc.Colors[(3 * i)..(3 * i + 3)]);
        }
    }

    [Fact]
    public void Truncated_binary_names_the_file()
    {
        using var tmp = new TempDir("ply");
        string path = tmp.File("points.ply");
        byte[] full = Binary(true, false, false);
        File.WriteAllBytes(path, full[..^40]);
        var e = Assert.Throws<RadiantException>(() => PlyPointCloudReader.Read(path));
        Assert.Equal(path, e.Path);
        Assert.Contains("truncated", e.Message);
    }

    [Theory]
    [InlineData("not a ply", "not a PLY file")]
    [InlineData("ply\nformat ascii 1.0\nelement face 0\nend_header\n", "no vertex element")]
    [InlineData("ply\nformat ascii 1.0\nelement vertex 1\nproperty float x\nproperty float y\nend_header\n1 2\n", "no x, y, z")]
    [InlineData("ply\nformat ascii 1.0\nelement vertex 1\nproperty float x\nproperty float y\nproperty float z\nend_header\n1 2 zz\n", "not a number")]
    [InlineData("ply\nformat ascii 1.0\nelement vertex 1\nproperty quad x\nend_header\n", "unknown")]
    [InlineData("ply\nformat ascii 1.0\nelement vertex 2000000000\nproperty float x\nproperty float y\nproperty float z\nend_header\n1 2 3\n", "truncated: the header declares 2000000000 vertices")]
    public void Bad_files_are_refused_with_the_file_name(string content, string expected)
    {
        using var tmp = new TempDir("ply");
        string path = tmp.File("bad.ply");
        File.WriteAllText(path, content);
        var e = Assert.Throws<RadiantException>(() => PlyPointCloudReader.Read(path));
        Assert.Equal(path, e.Path);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Missing_file()
    {
        using var tmp = new TempDir("ply");
        var e = Assert.Throws<RadiantException>(() => PlyPointCloudReader.Read(tmp.File("none.ply")));
        Assert.Contains("not found", e.Message);
    }
}
