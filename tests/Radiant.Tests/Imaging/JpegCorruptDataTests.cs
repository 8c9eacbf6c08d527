using System.Diagnostics;
using Radiant.Imaging;
using Radiant.Imaging.Jpeg;
using Radiant.Tests.Support;
using static Radiant.Tests.Imaging.JpegTestSupport;

namespace Radiant.Tests.Imaging;

/// <summary>Truncated, corrupt and unsupported files: always a clear <see cref="InvalidDataException"/>, never another exception or a hang.</summary>
public class JpegCorruptDataTests
{
    private static byte[] Make(string variant, int w = 33, int h = 17)
    {
        using var dir = new TempDir("jpeg");
        string ppm = dir.File("src.ppm");
        WritePpm(ppm, MakeSource(w, h), w, h);
        return File.ReadAllBytes(Encode(dir, ppm, variant));
    }

    private static InvalidDataException Fails(byte[] data)
    {
        var e = Assert.Throws<InvalidDataException>(() => JpegDecoder.Decode(data));
        Assert.False(string.IsNullOrWhiteSpace(e.Message));
        return e;
    }

    [Theory]
    [InlineData("ffmpeg-420")]
    [InlineData("restart-420")]
    [InlineData("prog-420")]
    [InlineData("prog-restart-420")]
    [InlineData("cjpeg-grey")]
    public void Every_truncation_fails_cleanly(string variant)
    {
        byte[] full = Make(variant);
        JpegDecoder.Decode(full);
        // Cutting anywhere before the EOI marker loses data the decoder needs.
        for (int len = 0; len < full.Length - 2; len++)
            Assert.Throws<InvalidDataException>(() => JpegDecoder.Decode(full.AsSpan(0, len)));

        // Without just the EOI marker the image is complete (progressive: its last scan brought
        // every coefficient to full precision), as libjpeg decodes it with a warning.
        byte[] noEoi = full[..^2];
        Assert.Equal(JpegDecoder.Decode(full).Data, JpegDecoder.Decode(noEoi).Data);
    }

    [Fact]
    public void A_progressive_file_cut_after_a_scan_that_leaves_coefficients_unrefined_is_refused()
    {
        byte[] full = Make("prog-420");
        // Every SOS marker but the first marks the end of the scans before it.
        List<int> scans = [];
        for (int i = 2; i + 1 < full.Length; i++)
            if (full[i] == 0xFF && full[i + 1] == 0xDA) scans.Add(i);
        Assert.True(scans.Count > 2, "the progressive encoder wrote a single scan");
        foreach (int cut in scans.Skip(1))
            Assert.Contains("truncated", Fails(full[..cut]).Message);
    }

    [Theory]
    [InlineData("ffmpeg-420", 1)]
    [InlineData("restart-blocks-422", 2)]
    [InlineData("prog-420", 3)]
    [InlineData("prog-restart-420", 4)]
    [InlineData("cjpeg-411", 5)]
    public void Random_corruption_never_escapes_as_another_exception(string variant, int seed)
    {
        byte[] original = Make(variant, 41, 29);
        var rng = new Random(seed);
        var clock = Stopwatch.StartNew();
        int failures = 0;
        for (int iteration = 0; iteration < 400; iteration++)
        {
            byte[] data = (byte[])original.Clone();
            int edits = rng.Next(1, 5);
            for (int e = 0; e < edits; e++)
            {
                int at = rng.Next(2, data.Length);
                data[at] = rng.Next(4) == 0 ? (byte)0xFF : (byte)rng.Next(256);
            }
            try { JpegDecoder.Decode(data); }
            catch (InvalidDataException) { failures++; }
            try { JpegDecoder.ReadSize(data); }
            catch (InvalidDataException) { }
        }
        Assert.True(failures > 0);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"400 corrupt decodes took {clock.Elapsed}");
    }

    private static byte[] WithByte(byte[] data, int index, byte value)
    {
        byte[] copy = (byte[])data.Clone();
        copy[index] = value;
        return copy;
    }

    private static byte[] Without(byte[] data, (byte Marker, int Offset, int Length) seg) =>
        [.. data.AsSpan(0, seg.Offset), .. data.AsSpan(seg.Offset + seg.Length)];

    [Theory]
    [InlineData(0xC3, "lossless")]
    [InlineData(0xC9, "arithmetic")]
    [InlineData(0xCA, "arithmetic")]
    [InlineData(0xC5, "hierarchical")]
    public void Unsupported_processes_are_named(byte sof, string expected)
    {
        byte[] jpeg = Make("ffmpeg-420");
        var seg = Segment(jpeg, 0xC0);
        Assert.Contains(expected, Fails(WithByte(jpeg, seg.Offset + 1, sof)).Message);
    }

    [Fact]
    public void Twelve_bit_precision_is_refused()
    {
        byte[] jpeg = Make("ffmpeg-420");
        var seg = Segment(jpeg, 0xC0);
        Assert.Contains("12-bit", Fails(WithByte(jpeg, seg.Offset + 4, 12)).Message);
        Assert.Contains("12-bit", Assert.Throws<InvalidDataException>(() => JpegDecoder.ReadSize(WithByte(jpeg, seg.Offset + 4, 12))).Message);
    }

    [Fact]
    public void Absurd_sizes_are_refused_before_allocating()
    {
        byte[] jpeg = Make("ffmpeg-420");
        var seg = Segment(jpeg, 0xC0);
        byte[] huge = (byte[])jpeg.Clone();
        huge[seg.Offset + 5] = huge[seg.Offset + 6] = huge[seg.Offset + 7] = huge[seg.Offset + 8] = 0xFF;   // 65535 x 65535
        Assert.Contains("too large", Fails(huge).Message);

        byte[] big = (byte[])jpeg.Clone();
        big[seg.Offset + 5] = 0x1F; big[seg.Offset + 7] = 0x1F;   // ~7.9k x 7.9k promised by a ~1 KB file
        Assert.Contains("truncated or corrupt", Fails(big).Message);

        byte[] zero = (byte[])jpeg.Clone();
        zero[seg.Offset + 7] = zero[seg.Offset + 8] = 0;
        Assert.Contains("width", Fails(zero).Message);
        byte[] dnl = (byte[])jpeg.Clone();
        dnl[seg.Offset + 5] = dnl[seg.Offset + 6] = 0;
        Assert.Contains("DNL", Fails(dnl).Message);
    }

    [Fact]
    public void Bad_frame_headers_are_refused()
    {
        byte[] jpeg = Make("ffmpeg-420");
        var seg = Segment(jpeg, 0xC0);
        int nf = seg.Offset + 9;
        Assert.Contains("4 components", Fails(WithByte(jpeg, nf, 4)).Message);
        Assert.Contains("2 components", Fails(WithByte(jpeg, nf, 2)).Message);
        Assert.Contains("sampling factors", Fails(WithByte(jpeg, nf + 2, 0x50)).Message);
        Assert.Contains("sampling factors", Fails(WithByte(jpeg, nf + 2, 0x20)).Message);
        Assert.Contains("quantization table selector", Fails(WithByte(jpeg, nf + 3, 7)).Message);
        Assert.Contains("twice", Fails(WithByte(jpeg, nf + 4, jpeg[nf + 1])).Message);
    }

    [Fact]
    public void Missing_tables_are_named()
    {
        byte[] jpeg = Make("ffmpeg-420");
        // Without a DHT segment tables 0 and 1 are the standard ones (motion JPEG); a scan naming table 2 fails.
        byte[] noTables = Without(jpeg, Segment(jpeg, 0xC4));
        Assert.Contains("Huffman table 2, which is not defined", Fails(WithByte(noTables, Segment(noTables, 0xDA).Offset + 6, 0x22)).Message);
        Assert.Contains("quantization table", Fails(Without(jpeg, Segment(jpeg, 0xDB))).Message);
        Assert.Contains("frame header", Fails(Without(jpeg, Segment(jpeg, 0xC0))).Message);
    }

    [Fact]
    public void Invalid_huffman_tables_are_refused()
    {
        byte[] jpeg = Make("ffmpeg-420");
        var dht = Segment(jpeg, 0xC4);
        // Three codes of length 1 cannot exist.
        Assert.Contains("too many codes", Fails(WithByte(jpeg, dht.Offset + 5, 3)).Message);
        // 255 more codes of length 16 make the table too long (over 256 codes, past its segment).
        Assert.Contains("Huffman table", Fails(WithByte(jpeg, dht.Offset + 20, 255)).Message);
    }

    [Fact]
    public void Garbage_and_structure_errors_are_reported()
    {
        byte[] jpeg = Make("ffmpeg-420");
        Assert.Contains("not a JPEG", Fails([0x89, 0x50, 0x4E, 0x47]).Message);
        Assert.Contains("not a JPEG", Fails([]).Message);
        Fails([0xFF, 0xD8, 0xFF]);
        // Stray bytes between segments (a writer's wrong segment length) are skipped, as libjpeg skips them.
        var firstSegment = Segments(jpeg)[0];
        int after = firstSegment.Offset + firstSegment.Length;
        Assert.Equal(JpegDecoder.Decode(jpeg).Data, JpegDecoder.Decode([.. jpeg.AsSpan(0, after), 0x00, 0x00, 0x12, .. jpeg.AsSpan(after)]).Data);
        var sof = Segment(jpeg, 0xC0);
        Assert.Contains("length", Fails(WithByte(WithByte(jpeg, sof.Offset + 2, 0), sof.Offset + 3, 1)).Message);
        Assert.Contains("SOI", Fails([.. jpeg.AsSpan(0, sof.Offset), 0xFF, 0xD8, .. jpeg.AsSpan(sof.Offset)]).Message);
    }

    [Fact]
    public void Bad_restart_markers_are_reported()
    {
        byte[] jpeg = Make("restart-420", 64, 48);
        var sos = Segment(jpeg, 0xDA);
        int rst = jpeg.AsSpan(sos.Offset + sos.Length).IndexOf([(byte)0xFF, (byte)0xD0]) + sos.Offset + sos.Length;
        Assert.Contains("RST0", Fails(WithByte(jpeg, rst + 1, 0xD3)).Message);
    }

    [Fact]
    public void ImageIO_names_the_file()
    {
        byte[] jpeg = Make("ffmpeg-420");
        using var dir = new TempDir("jpeg");
        string truncated = dir.File("truncated.jpg");
        File.WriteAllBytes(truncated, jpeg[..(jpeg.Length / 2)]);
        var e = Assert.Throws<RadiantException>(() => ImageIO.Load(truncated));
        Assert.Contains(truncated, e.Message);
        Assert.Contains("truncated", e.Message);
        Assert.IsType<InvalidDataException>(e.InnerException);

        string headerOnly = dir.File("header.jpg");
        File.WriteAllBytes(headerOnly, jpeg[..20]);
        var e2 = Assert.Throws<RadiantException>(() => ImageIO.ReadSize(headerOnly));
        Assert.Contains(headerOnly, e2.Message);
    }
}
