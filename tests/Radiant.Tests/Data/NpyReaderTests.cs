using Radiant.Data.Llff;
using Radiant.Tests.Support;

namespace Radiant.Tests.Data;

public class NpyReaderTests
{
    private static RadiantException Fails(byte[] bytes, params string[] parts)
    {
        var e = Assert.Throws<RadiantException>(() => NpyReader.Parse(bytes, "x.npy"));
        Assert.StartsWith("x.npy: ", e.Message);
        foreach (string p in parts) Assert.Contains(p, e.Message);
        return e;
    }

    [Fact]
    public void Reads_a_hand_made_version_1_float64_file()
    {
        // np.save of np.array([[1.5, -2.0, 3.25], [4.0, 5.0, 1e-300]]): 10-byte prefix, header padded to 118 bytes.
        string header = "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }";
        var bytes = new List<byte> { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0, 118, 0 };
        bytes.AddRange(System.Text.Encoding.ASCII.GetBytes(header.PadRight(117) + "\n"));
        foreach (double v in new[] { 1.5, -2.0, 3.25, 4.0, 5.0, 1e-300 }) bytes.AddRange(BitConverter.GetBytes(v));
        Assert.Equal(128 + 48, bytes.Count);

        NpyArray a = NpyReader.Parse(bytes.ToArray(), "x.npy");
        Assert.Equal([2, 3], a.Shape);
        Assert.Equal([1.5, -2.0, 3.25, 4.0, 5.0, 1e-300], a.Data);
        Assert.Equal(3.25, a[0, 2]);
        Assert.Equal(4.0, a[1, 0]);
    }

    [Fact]
    public void Reads_a_hand_made_version_2_float32_file()
    {
        // Version 2 has a 4-byte header length; '<f4' values widen to double exactly.
        string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }";
        var bytes = new List<byte> { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 2, 0, 116, 0, 0, 0 };
        bytes.AddRange(System.Text.Encoding.ASCII.GetBytes(header.PadRight(115) + "\n"));
        foreach (float v in new[] { 0.1f, -7f, 1e30f }) bytes.AddRange(BitConverter.GetBytes(v));

        NpyArray a = NpyReader.Parse(bytes.ToArray(), "x.npy");
        Assert.Equal([3], a.Shape);
        Assert.Equal([(double)0.1f, -7.0, (double)1e30f], a.Data);
    }

    [Theory]
    [InlineData("<f8", 1)]
    [InlineData("<f4", 1)]
    [InlineData("<f8", 2)]
    [InlineData("<f4", 2)]
    [InlineData("<f8", 3)]
    public void Reads_every_supported_type_and_version(string descr, int version)
    {
        double[] values = Enumerable.Range(0, 4 * 17).Select(i => i * 0.5 - 3).ToArray();
        NpyArray a = NpyReader.Parse(NpyTestFile.Build(values, [4, 17], descr, version), "x.npy");
        Assert.Equal([4, 17], a.Shape);
        Assert.Equal(values, a.Data);
    }

    [Fact]
    public void Fortran_order_is_reordered_to_row_major()
    {
        // [[1, 2, 3], [4, 5, 6]] stored column by column: 1 4 2 5 3 6.
        NpyArray a = NpyReader.Parse(NpyTestFile.Build([1, 4, 2, 5, 3, 6], [2, 3], fortranOrder: true), "x.npy");
        Assert.Equal([2, 3], a.Shape);
        Assert.Equal([1, 2, 3, 4, 5, 6], a.Data);

        // 3-D: element (i, j, k) of shape (2, 3, 2) has value 100i + 10j + k.
        var fortran = new List<double>();
        for (int k = 0; k < 2; k++)
            for (int j = 0; j < 3; j++)
                for (int i = 0; i < 2; i++) fortran.Add(100 * i + 10 * j + k);
        NpyArray b = NpyReader.Parse(NpyTestFile.Build([.. fortran], [2, 3, 2], fortranOrder: true), "x.npy");
        var c = new List<double>();
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < 3; j++)
                for (int k = 0; k < 2; k++) c.Add(100 * i + 10 * j + k);
        Assert.Equal(c, b.Data);
    }

    [Fact]
    public void Header_variants_numpy_writes_are_accepted()
    {
        double[] v = [1, 2];
        byte[] data = NpyTestFile.Data(v, "<f8");
        // Double quotes, other key order, no trailing comma, Python 2 long suffix.
        Assert.Equal(v, NpyReader.Parse(NpyTestFile.Build("{\"shape\": (1, 2), \"fortran_order\": False, \"descr\": \"<f8\"}", data), "x.npy").Data);
        Assert.Equal(v, NpyReader.Parse(NpyTestFile.Build("{'descr': '<f8', 'fortran_order': False, 'shape': (2L,), }", data), "x.npy").Data);
        // A 0-d array holds one value.
        NpyArray scalar = NpyReader.Parse(NpyTestFile.Build("{'descr': '<f8', 'fortran_order': False, 'shape': (), }", NpyTestFile.Data([9], "<f8")), "x.npy");
        Assert.Empty(scalar.Shape);
        Assert.Equal([9.0], scalar.Data);
    }

    [Fact]
    public void Bad_magic_is_refused()
    {
        byte[] good = NpyTestFile.Build([1, 2], [2]);
        byte[] bad = (byte[])good.Clone();
        bad[1] = (byte)'X';
        Fails(bad, "not a NumPy .npy file");
        Fails("PK\x03\x04"u8.ToArray(), "not a NumPy .npy file");
        Fails([], "not a NumPy .npy file");
    }

    [Fact]
    public void Unsupported_versions_types_and_headers_are_refused()
    {
        byte[] v4 = NpyTestFile.Build([1, 2], [2]);
        v4[6] = 4;
        Fails(v4, "version 4.0");
        Fails(NpyTestFile.Build([1, 2], [2], descr: ">f8"), "'>f8'", "'<f8'");
        Fails(NpyTestFile.Build("{'descr': '<i8', 'fortran_order': False, 'shape': (1,), }", new byte[8]), "'<i8'");
        Fails(NpyTestFile.Build("{'descr': '<f8', 'shape': (1,), }", new byte[8]), "'fortran_order'");
        Fails(NpyTestFile.Build("{'descr': '<f8', 'fortran_order': False }", new byte[8]), "'shape'");
        Fails(NpyTestFile.Build("{'descr': '<f8', 'fortran_order': Maybe, 'shape': (1,), }", new byte[8]), "malformed");
        Fails(NpyTestFile.Build("{'descr': '<f8', 'fortran_order': False, 'shape': (1, -3), }", new byte[8]), "invalid dimension -3");
        Fails(NpyTestFile.Build("['<f8']", new byte[8]), "malformed", "'{'");
    }

    [Fact]
    public void Truncated_files_are_refused()
    {
        byte[] full = NpyTestFile.Build(Enumerable.Range(0, 34).Select(i => (double)i).ToArray(), [2, 17]);
        // Inside the prefix, inside the header, and inside the data.
        Fails(full[..9], "truncated");
        Fails(full[..40], "truncated", "header says 118 bytes");
        var e = Fails(full[..(full.Length - 1)], "truncated", "shape (2, 17)", "needs 272 bytes", "only 271");
        // A hostile shape is refused without allocating for it.
        Fails(NpyTestFile.Build("{'descr': '<f8', 'fortran_order': False, 'shape': (2147483647, 2147483647, 17), }", new byte[16]), "truncated");
    }

    [Fact]
    public void Read_names_the_file()
    {
        using var dir = new TempDir("npy");
        string path = dir.File("a.npy");
        Assert.Contains(path, Assert.Throws<RadiantException>(() => NpyReader.Read(path)).Message);
        File.WriteAllBytes(path, [1, 2, 3]);
        Assert.StartsWith(path + ": ", Assert.Throws<RadiantException>(() => NpyReader.Read(path)).Message);
        File.WriteAllBytes(path, NpyTestFile.Build([7, 8], [1, 2], "<f4", 2));
        Assert.Equal([7.0, 8.0], NpyReader.Read(path).Data);
    }
}
