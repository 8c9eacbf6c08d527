using System.Buffers.Binary;
using System.Text;
using Radiant.Tests.Support;
using Radiant.Training;

namespace Radiant.Tests.Training;

public class CheckpointTests
{
    private static CheckpointWriter Sample(int floats = 1000)
    {
        var rng = new Random(1);
        var f = new float[floats];
        for (int i = 0; i < f.Length; i++) f[i] = (float)(rng.NextDouble() * 2 - 1);
        f[0] = -0f; f[1] = float.NaN; f[2] = float.Epsilon;
        return new CheckpointWriter()
            .Add("means", f)
            .Add("empty", Array.Empty<float>())
            .Add("ids", new[] { 1, -2, int.MaxValue, int.MinValue })
            .Add("blob", new byte[] { 0, 255, 7 })
            .Add("iteration", 12345L)
            .Add("degree", 3)
            .Add("lr", 1.6e-4)
            .Add("config", "{\"scene\": \"lego\", \"ünïcode\": \"✓\"}")
            .Add("größe", "");
    }

    private static RadiantException LoadFails(string path, params string[] fragments)
    {
        var ex = Assert.Throws<RadiantException>(() => CheckpointReader.Load(path));
        Assert.Equal(path, ex.Path);
        Assert.StartsWith(path + ": ", ex.Message);
        foreach (string f in fragments) Assert.Contains(f, ex.Problem);
        return ex;
    }

    [Fact]
    public void Round_trip_keeps_every_kind_bit_exact()
    {
        using var dir = new TempDir("ckpt");
        string path = dir.File("a.ckpt");
        CheckpointWriter w = Sample();
        w.Save(path);
        CheckpointReader r = CheckpointReader.Load(path);

        Assert.Equal(["means", "empty", "ids", "blob", "iteration", "degree", "lr", "config", "größe"], r.Names);
        float[] means = r.GetFloats("means", 1000);
        Assert.Equal(BitConverter.SingleToInt32Bits(-0f), BitConverter.SingleToInt32Bits(means[0]));
        Assert.True(float.IsNaN(means[1]));
        Assert.Equal(float.Epsilon, means[2]);
        Assert.Empty(r.GetFloats("empty"));
        Assert.Equal(new[] { 1, -2, int.MaxValue, int.MinValue }, r.GetInts("ids"));
        Assert.Equal(new byte[] { 0, 255, 7 }, r.GetBytes("blob"));
        Assert.Equal(12345L, r.GetLong("iteration"));
        Assert.Equal(3, r.GetInt("degree"));
        Assert.Equal(1.6e-4, r.GetDouble("lr"));
        Assert.Equal("{\"scene\": \"lego\", \"ünïcode\": \"✓\"}", r.GetString("config"));
        Assert.Equal("", r.GetString("größe"));
        Assert.Equal(CheckpointSectionKind.Int64, r.KindOf("iteration"));
        Assert.True(r.Contains("lr"));
        Assert.False(r.Contains("nope"));
    }

    [Fact]
    public void Float_values_survive_exactly()
    {
        using var dir = new TempDir("ckpt");
        string path = dir.File("a.ckpt");
        var rng = new Random(5);
        var f = new float[100_003];
        for (int i = 0; i < f.Length; i++) f[i] = BitConverter.Int32BitsToSingle(rng.Next());
        new CheckpointWriter().Add("f", f).Save(path);
        Assert.Equal(f.Select(BitConverter.SingleToInt32Bits), CheckpointReader.Load(path).GetFloats("f").Select(BitConverter.SingleToInt32Bits));
    }

    [Fact]
    public void Header_layout_is_magic_version_length()
    {
        using var dir = new TempDir("ckpt");
        string path = dir.File("a.ckpt");
        new CheckpointWriter().Add("n", 7).Save(path);
        byte[] b = File.ReadAllBytes(path);
        Assert.Equal("RADIANTCKPT\0", Encoding.ASCII.GetString(b, 0, 12));
        Assert.Equal(2u, BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(12)));
        ulong payload = BinaryPrimitives.ReadUInt64LittleEndian(b.AsSpan(16));
        Assert.Equal(1u + 2 + 1 + 8 + 4, payload);
        Assert.Equal(24 + (int)payload + 4, b.Length);
        Assert.Equal(Crc32C.Compute(b.AsSpan(24, (int)payload)), BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(24 + (int)payload)));
    }

    [Fact]
    public void Missing_or_mistyped_section_is_a_clear_error()
    {
        using var dir = new TempDir("ckpt");
        string path = dir.File("a.ckpt");
        Sample().Save(path);
        CheckpointReader r = CheckpointReader.Load(path);
        var ex = Assert.Throws<RadiantException>(() => r.GetFloats("opacity"));
        Assert.Equal($"{path}: checkpoint has no section 'opacity'", ex.Message);
        ex = Assert.Throws<RadiantException>(() => r.GetLong("degree"));
        Assert.Equal($"{path}: checkpoint section 'degree' holds an int, not a long", ex.Message);
        ex = Assert.Throws<RadiantException>(() => r.GetFloats("means", 999));
        Assert.Contains("holds 1000 floats, expected 999", ex.Message);
    }

    [Fact]
    public void Duplicate_section_name_is_refused_when_added()
    {
        var w = new CheckpointWriter().Add("a", 1);
        Assert.Throws<ArgumentException>(() => w.Add("a", 2L));
        Assert.Throws<ArgumentException>(() => w.Add("", 2L));
    }

    /// <summary>
    /// Loaded without its arrays, a checkpoint keeps its counters and strings, refuses the arrays,
    /// and is still checked whole: a flipped bit inside an array it does not keep is a CRC mismatch.
    /// </summary>
    [Fact]
    public void Loading_without_arrays_keeps_the_scalars_and_still_checks_every_byte()
    {
        using var dir = new TempDir("ckpt");
        string path = dir.File("a.ckpt");
        Sample(3_000_000).Save(path);   // 12 MB of floats: several of the reader's 4 MiB pieces
        CheckpointReader r = CheckpointReader.Load(path, arrays: false);
        Assert.Equal(["means", "empty", "ids", "blob", "iteration", "degree", "lr", "config", "größe"], r.Names);
        Assert.Equal(12345L, r.GetLong("iteration"));
        Assert.Equal(3, r.GetInt("degree"));
        Assert.Equal("{\"scene\": \"lego\", \"ünïcode\": \"✓\"}", r.GetString("config"));
        Assert.Equal(CheckpointSectionKind.Float32Array, r.KindOf("means"));
        Assert.Throws<InvalidOperationException>(() => r.GetFloats("means"));
        Assert.Throws<InvalidOperationException>(() => r.GetInts("ids"));

        byte[] b = File.ReadAllBytes(path);
        b[b.Length / 2] ^= 0x10;   // inside "means"
        File.WriteAllBytes(path, b);
        var ex = Assert.Throws<RadiantException>(() => CheckpointReader.Load(path, arrays: false));
        Assert.Contains("CRC mismatch", ex.Problem);
    }

    [Fact]
    public void Truncated_at_any_offset_is_reported_as_truncated()
    {
        using var dir = new TempDir("ckpt");
        string good = dir.File("good.ckpt");
        Sample(200).Save(good);
        byte[] b = File.ReadAllBytes(good);
        string path = dir.File("cut.ckpt");
        foreach (int length in new[] { 3, 11, 12, 15, 16, 23, 24, 25, 40, b.Length / 2, b.Length - 5, b.Length - 1 })
        {
            File.WriteAllBytes(path, b[..length]);
            LoadFails(path, "checkpoint is truncated");
        }
        File.WriteAllBytes(path, []);
        LoadFails(path, "empty");
    }

    [Fact]
    public void Trailing_bytes_are_reported()
    {
        using var dir = new TempDir("ckpt");
        string path = dir.File("a.ckpt");
        Sample(10).Save(path);
        File.AppendAllText(path, "xyz");
        LoadFails(path, "3 unexpected bytes after its end");
    }

    [Fact]
    public void Flipped_payload_byte_is_a_crc_mismatch_wherever_it_is()
    {
        using var dir = new TempDir("ckpt");
        string good = dir.File("good.ckpt");
        Sample(16).Save(good);
        byte[] b = File.ReadAllBytes(good);
        string path = dir.File("bad.ckpt");
        for (int i = 24; i < b.Length; i++)
        {
            byte[] c = (byte[])b.Clone();
            c[i] ^= (byte)(1 << (i % 8));
            File.WriteAllBytes(path, c);
            LoadFails(path, "checkpoint is corrupt: CRC mismatch");
        }
    }

    [Fact]
    public void Any_flipped_byte_gives_a_radiant_error()
    {
        using var dir = new TempDir("ckpt");
        string good = dir.File("good.ckpt");
        Sample(4).Save(good);
        byte[] b = File.ReadAllBytes(good);
        string path = dir.File("bad.ckpt");
        for (int i = 0; i < 24; i++)
        {
            byte[] c = (byte[])b.Clone();
            c[i] ^= 0x40;
            File.WriteAllBytes(path, c);
            LoadFails(path);
        }
    }

    [Fact]
    public void Other_version_and_wrong_magic_are_named()
    {
        using var dir = new TempDir("ckpt");
        string path = dir.File("a.ckpt");
        Sample(10).Save(path);
        byte[] b = File.ReadAllBytes(path);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(12), 3);
        File.WriteAllBytes(path, b);
        var ex = LoadFails(path);
        Assert.Equal("checkpoint was written by format version 3, this Radiant reads version 2", ex.Problem);
        // A version-1 checkpoint (before the 3D smoothing filter was saved) is refused with a hint.
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(12), 1);
        File.WriteAllBytes(path, b);
        Assert.Equal("checkpoint was written by format version 1, this Radiant reads version 2 (an older Radiant's, without the anti-aliasing filter state: start the run again)",
            LoadFails(path).Problem);

        File.WriteAllText(path, "PK\u0003\u0004 this is a zip, not a checkpoint");
        LoadFails(path, "not a Radiant checkpoint");
        File.WriteAllText(path, "RADIANT");   // a prefix of the magic: too short to tell
        LoadFails(path, "truncated");
    }

    [Fact]
    public void Missing_file_is_named()
    {
        using var dir = new TempDir("ckpt");
        string path = dir.File("none.ckpt");
        var ex = LoadFails(path);
        Assert.Equal("checkpoint not found", ex.Problem);
    }

    [Fact]
    public void Failed_save_leaves_the_previous_checkpoint_and_no_partial_file()
    {
        using var dir = new TempDir("ckpt");
        string path = dir.File("a.ckpt");
        new CheckpointWriter().Add("iteration", 100L).Save(path);

        var w = Sample(100_000);
        w.AfterSection = n => { if (n == 1) throw new IOException("disk full (simulated)"); };
        var e = Assert.Throws<RadiantException>(() => w.Save(path));
        Assert.Equal($"{path}: cannot write: disk full (simulated)", e.Message);

        Assert.Equal(100L, CheckpointReader.Load(path).GetLong("iteration"));
        Assert.Equal([path], Directory.GetFiles(dir.Path));

        w.AfterSection = null;
        w.Save(path);
        Assert.Equal(12345L, CheckpointReader.Load(path).GetLong("iteration"));
        Assert.Equal([path], Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void Save_into_a_missing_folder_is_a_radiant_error()
    {
        using var dir = new TempDir("ckpt");
        var ex = Assert.Throws<RadiantException>(() => Sample(10).Save(dir.File("no", "such", "a.ckpt")));
        Assert.Contains("does not exist", ex.Problem);
    }

    [Fact]
    public void Malformed_section_with_a_valid_crc_is_reported_as_malformed()
    {
        // A hand-built payload whose CRC is right but whose section claims an unknown kind.
        using var dir = new TempDir("ckpt");
        string path = dir.File("odd.ckpt");
        byte[] payload = [99, 1, 0, (byte)'a', 0, 0, 0, 0, 0, 0, 0, 0];
        var b = new List<byte>();
        b.AddRange("RADIANTCKPT\0"u8.ToArray());
        b.AddRange(BitConverter.GetBytes(CheckpointFile.FormatVersion));
        b.AddRange(BitConverter.GetBytes((ulong)payload.Length));
        b.AddRange(payload);
        b.AddRange(BitConverter.GetBytes(Crc32C.Compute(payload)));
        File.WriteAllBytes(path, b.ToArray());
        LoadFails(path, "checkpoint is malformed", "section 'a' has unknown kind 99");
    }
}
