using System.Buffers.Binary;
using System.IO.Compression;
using Radiant.Export;
using Radiant.Export.Compact;
using Radiant.Tests.Support;
using Xunit;

namespace Radiant.Tests.Export.Compact;

/// <summary>Truncated, corrupt, lying and bomb-like compact files: one RadiantException naming the file, nothing allocated from an untrusted count.</summary>
public class CompactFormatErrorTests
{
    private static void Fails(string path, string expected)
    {
        var e = Assert.Throws<RadiantException>(() => ModelFile.Load(path));
        Assert.Equal(path, e.Path);
        Assert.Contains(expected, e.Problem);
    }

    private static byte[] Gzip(byte[] raw)
    {
        var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Fastest, leaveOpen: true)) gz.Write(raw);
        return ms.ToArray();
    }

    private static byte[] SpzHeader(uint magic, uint version, uint count, byte degree = 0)
    {
        var h = new byte[16];
        BinaryPrimitives.WriteUInt32LittleEndian(h, magic);
        BinaryPrimitives.WriteUInt32LittleEndian(h.AsSpan(4), version);
        BinaryPrimitives.WriteUInt32LittleEndian(h.AsSpan(8), count);
        h[12] = degree; h[13] = 12;
        return h;
    }

    [Fact]
    public void Splat_of_the_wrong_size_or_empty()
    {
        using var dir = new TempDir("bad");
        File.WriteAllBytes(dir.File("a.splat"), new byte[33]);
        Fails(dir.File("a.splat"), "not a multiple of the 32-byte");
        File.WriteAllBytes(dir.File("b.splat"), []);
        Fails(dir.File("b.splat"), "empty");
        byte[] zeroScale = SplatFile.Encode(CompactTestModels.Random(2, 0));
        zeroScale.AsSpan(12, 4).Clear();
        File.WriteAllBytes(dir.File("c.splat"), zeroScale);
        Fails(dir.File("c.splat"), "must be positive");
    }

    [Fact]
    public void Spz_bad_signature_magic_version_and_degree()
    {
        using var dir = new TempDir("bad");
        File.WriteAllBytes(dir.File("a.spz"), "not gzip"u8.ToArray());
        Fails(dir.File("a.spz"), "gzip signature");
        File.WriteAllBytes(dir.File("b.spz"), Gzip(SpzHeader(0x12345678, 2, 1)));
        Fails(dir.File("b.spz"), "magic");
        File.WriteAllBytes(dir.File("c.spz"), Gzip(SpzHeader(SpzFile.Magic, 7, 1)));
        Fails(dir.File("c.spz"), "version 7");
        File.WriteAllBytes(dir.File("d.spz"), Gzip(SpzHeader(SpzFile.Magic, 3, 1, degree: 4)));
        Fails(dir.File("d.spz"), "SH degree 4");
        File.WriteAllBytes(dir.File("e.spz"), "NGSP....."u8.ToArray());
        Fails(dir.File("e.spz"), "version 4");
        File.WriteAllBytes(dir.File("f.spz"), Gzip(new byte[5]));
        Fails(dir.File("f.spz"), "truncated");
    }

    /// <summary>A header claiming 4 billion Gaussians in a tiny file is refused before any allocation (it would need ~80 GB).</summary>
    [Fact]
    public void Spz_count_that_the_file_cannot_hold()
    {
        using var dir = new TempDir("bad");
        File.WriteAllBytes(dir.File("a.spz"), Gzip(SpzHeader(SpzFile.Magic, 3, uint.MaxValue)));
        long before = GC.GetAllocatedBytesForCurrentThread();
        Fails(dir.File("a.spz"), "more than a");
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 8 << 20);
    }

    [Fact]
    public void Spz_truncated_body_and_gzip_bomb()
    {
        using var dir = new TempDir("bad");
        byte[] raw = SpzFile.Pack(CompactTestModels.Random(100, 1), 3, "x");
        File.WriteAllBytes(dir.File("short.spz"), Gzip(raw[..(raw.Length - 100)]));
        Fails(dir.File("short.spz"), "truncated");
        // Bomb: a header for 10 Gaussians followed by 200 MB of zeros (a ~200 kB file). Reading stops after the 10.
        var bomb = new MemoryStream();
        using (var gz = new GZipStream(bomb, CompressionLevel.Optimal, leaveOpen: true))
        {
            gz.Write(SpzFile.Pack(CompactTestModels.Random(10, 0), 3, "x"));
            var zeros = new byte[1 << 20];
            for (int i = 0; i < 200; i++) gz.Write(zeros);
        }
        File.WriteAllBytes(dir.File("bomb.spz"), bomb.ToArray());
        long before = GC.GetAllocatedBytesForCurrentThread();
        Fails(dir.File("bomb.spz"), "longer than");
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 8 << 20);
        byte[] good = File.ReadAllBytes(dir.File("short.spz"));
        good[good.Length / 2] ^= 0xFF; good[good.Length / 2 + 1] ^= 0xFF;
        File.WriteAllBytes(dir.File("corrupt.spz"), good);
        Assert.Throws<RadiantException>(() => ModelFile.Load(dir.File("corrupt.spz")));
    }

    [Fact]
    public void Compressed_ply_truncated_trailing_and_inconsistent()
    {
        using var dir = new TempDir("bad");
        byte[] file = CompressedPlyFile.Encode(CompactTestModels.Random(300, 1));
        File.WriteAllBytes(dir.File("a.compressed.ply"), file[..^10]);
        Fails(dir.File("a.compressed.ply"), "truncated");
        File.WriteAllBytes(dir.File("b.compressed.ply"), [.. file, 1, 2, 3]);
        Fails(dir.File("b.compressed.ply"), "trailing");
        string text = System.Text.Encoding.ASCII.GetString(file);
        File.WriteAllBytes(dir.File("c.compressed.ply"), System.Text.Encoding.ASCII.GetBytes(text.Replace("element chunk 2", "element chunk 3")).Take(file.Length).ToArray());
        Fails(dir.File("c.compressed.ply"), "3 chunks for 300 Gaussians");
        File.WriteAllBytes(dir.File("d.ply"), System.Text.Encoding.ASCII.GetBytes(text.Replace("property uint packed_scale", "property int packed_scale")));
        Fails(dir.File("d.ply"), "packed_scale' is int");
        File.WriteAllBytes(dir.File("e.ply"), System.Text.Encoding.ASCII.GetBytes(text.Replace("element vertex 300", "element vertex 999999999")));
        Fails(dir.File("e.ply"), "chunks for 999999999");
    }

    [Fact]
    public void Rgc_magic_version_checksums_and_lengths()
    {
        using var dir = new TempDir("bad");
        byte[] file = RadiantCompactFile.Encode(CompactTestModels.Random(200, 1), new CompactOptions { ShCodebookEntries = 32 });
        void Case(string name, byte[] bytes, string expected) { File.WriteAllBytes(dir.File(name), bytes); Fails(dir.File(name), expected); }

        Case("a.rgc", [.. "XXXX"u8, .. file[4..]], "magic");
        Case("b.rgc", file[..20], "truncated");
        byte[] version = (byte[])file.Clone(); version[4] = 9;
        Case("c.rgc", version, "header checksum");
        byte[] payload = (byte[])file.Clone(); payload[^5] ^= 0x55;
        File.WriteAllBytes(dir.File("d.rgc"), payload);
        Assert.Throws<RadiantException>(() => ModelFile.Load(dir.File("d.rgc")));
        Case("e.rgc", file[..^3], "truncated");
        Case("f.rgc", [.. file, 0], "trailing");
        // A count that the payload length does not match, with a valid header checksum.
        byte[] count = (byte[])file.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(count.AsSpan(8), 4_000_000_000);
        BinaryPrimitives.WriteUInt32LittleEndian(count.AsSpan(36), Radiant.Crc32C.Compute(count.AsSpan(0, 36)));
        Case("g.rgc", count, "payload length");
        // A Brotli stream that its decoder finds invalid (BrotliStream throws InvalidOperationException for it,
        // where Deflate's streams throw InvalidDataException).
        byte[] stream = (byte[])file.Clone();
        stream.AsSpan(RadiantCompactFile.HeaderBytes).Fill(0xFF);
        Case("h.rgc", stream, "corrupt compressed data");
    }
}
