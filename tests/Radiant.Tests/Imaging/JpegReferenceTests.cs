using Radiant.Imaging;
using Radiant.Imaging.Jpeg;
using Radiant.Tests.Support;
using Xunit.Abstractions;
using static Radiant.Tests.Imaging.JpegTestSupport;

namespace Radiant.Tests.Imaging;

/// <summary>
/// Decodes JPEGs made by ffmpeg, cjpeg and jpegtran and compares them with reference decoders:
/// within ±2 levels on at least 99% of samples, with a bounded maximum error. djpeg (libjpeg-turbo)
/// is the reference for every variant because it upsamples chroma with the same triangle filter;
/// ffmpeg's swscale interpolates 4:2:0 chroma vertically differently (only ~60% of samples within
/// ±2 of djpeg), so ffmpeg is the reference where no vertical upsampling is involved (and only for
/// even widths: ffmpeg 5.1 decodes odd-width 4:2:2 far from libjpeg, ~40% within ±2).
/// </summary>
public class JpegReferenceTests(ITestOutputHelper output)
{
    /// <summary>Largest single-sample difference allowed against djpeg (float IDCT and unrounded upsampling against libjpeg's integer ones).</summary>
    private const int MaxErrorVsDjpeg = 4;

    public static TheoryData<string, int, int> Cases()
    {
        var data = new TheoryData<string, int, int>();
        (int, int)[] sizes = [(250, 131), (33, 17), (1, 1), (3, 5), (64, 48)];
        foreach (string v in Variants)
            foreach ((int w, int h) in sizes)
                data.Add(v, w, h);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Matches_djpeg(string variant, int w, int h)
    {
        using var dir = new TempDir("jpeg");
        string ppm = dir.File("src.ppm");
        WritePpm(ppm, MakeSource(w, h), w, h);
        string jpeg = Encode(dir, ppm, variant);

        Image img = JpegDecoder.Decode(File.ReadAllBytes(jpeg));
        byte[] reference = DjpegRgb(jpeg, out int rw, out int rh);
        Assert.Equal((rw, rh), (img.Width, img.Height));
        Assert.Equal((w, h), (img.Width, img.Height));
        Assert.Equal((w, h), JpegDecoder.ReadSize(File.ReadAllBytes(jpeg)));

        Agreement a = Compare(img.ToInterleaved8(), reference);
        output.WriteLine($"{variant} {w}x{h}: {a}");
        Assert.True(a.Passes(MaxErrorVsDjpeg), $"{variant} {w}x{h} vs djpeg: {a}");
    }

    [Theory]
    [InlineData("ffmpeg-444", 250, 131)]
    [InlineData("ffmpeg-444", 33, 17)]
    [InlineData("prog-444", 250, 131)]
    [InlineData("restart-blocks-422", 250, 131)]
    [InlineData("ffmpeg-422", 64, 48)]
    public void Matches_ffmpeg(string variant, int w, int h)
    {
        using var dir = new TempDir("jpeg");
        string ppm = dir.File("src.ppm");
        WritePpm(ppm, MakeSource(w, h), w, h);
        string jpeg = Encode(dir, ppm, variant);

        Image img = JpegDecoder.Decode(File.ReadAllBytes(jpeg));
        // 4:4:4 needs no upsampling; for 4:2:2 these swscale flags interpolate chroma horizontally at JFIF's centred sites.
        byte[] reference = variant.Contains("444")
            ? ExternalTool.FfmpegDecodeRaw(jpeg, "rgb24")
            : ExternalTool.Ffmpeg("-i", jpeg, "-sws_flags", "bilinear+accurate_rnd+full_chroma_int+full_chroma_inp", "-f", "rawvideo", "-pix_fmt", "rgb24", "-");
        Agreement a = Compare(img.ToInterleaved8(), reference);
        output.WriteLine($"{variant} {w}x{h} vs ffmpeg: {a}");
        Assert.True(a.Passes(8), $"{variant} {w}x{h} vs ffmpeg: {a}");
    }

    /// <summary>The criterion must reject a wrong decode: swapped chroma, a small colour offset, a one-pixel shift, box upsampling or the fast integer IDCT.</summary>
    [Fact]
    public void Comparison_rejects_wrong_decodes()
    {
        const int w = 250, h = 131;
        using var dir = new TempDir("jpeg");
        string ppm = dir.File("src.ppm");
        WritePpm(ppm, MakeSource(w, h), w, h);
        string jpeg = Encode(dir, ppm, "ffmpeg-420");
        byte[] reference = DjpegRgb(jpeg, out _, out _);
        byte[] ours = JpegDecoder.Decode(File.ReadAllBytes(jpeg)).ToInterleaved8();
        Assert.True(Compare(ours, reference).Passes(MaxErrorVsDjpeg));

        byte[] swapped = (byte[])ours.Clone();
        for (int i = 0; i < swapped.Length; i += 3) (swapped[i], swapped[i + 2]) = (swapped[i + 2], swapped[i]);
        byte[] offset = ours.Select(v => (byte)Math.Min(255, v + 3)).ToArray();
        byte[] shifted = new byte[ours.Length];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                for (int c = 0; c < 3; c++)
                    shifted[(y * w + x) * 3 + c] = ours[(y * w + Math.Min(x + 1, w - 1)) * 3 + c];

        var (code, boxPnm, _) = ExternalTool.Run("djpeg", ["-pnm", "-nosmooth", jpeg]);
        Assert.Equal(0, code);
        byte[] box = ParsePnm(boxPnm, out _, out _);
        var (code2, fastPnm, _) = ExternalTool.Run("djpeg", ["-pnm", "-dct", "fast", jpeg]);
        Assert.Equal(0, code2);
        byte[] fastIdct = ParsePnm(fastPnm, out _, out _);

        foreach ((string name, byte[] wrong) in new[] { ("swapped", swapped), ("offset", offset), ("shifted", shifted), ("box upsampling", box), ("fast IDCT", fastIdct) })
        {
            Agreement a = Compare(wrong, reference);
            output.WriteLine($"{name}: {a}");
            Assert.False(a.Passes(MaxErrorVsDjpeg), $"a {name} decode passed: {a}");
        }
    }

    [Fact]
    public void Zigzag_order_matches_figure_A6()
    {
        byte[] expectedStart = [0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48];
        Assert.Equal(expectedStart, ZigZag.Natural.AsSpan(0, expectedStart.Length).ToArray());
        Assert.Equal(new byte[] { 61, 54, 47, 55, 62, 63 }, ZigZag.Natural.AsSpan(58, 6).ToArray());
        Assert.Equal(Enumerable.Range(0, 64), ZigZag.Natural.Take(64).Select(b => (int)b).Order());
    }

    [Fact]
    public void ImageIO_loads_jpeg_by_content()
    {
        using var dir = new TempDir("jpeg");
        string ppm = dir.File("src.ppm");
        WritePpm(ppm, MakeSource(40, 30), 40, 30);
        string jpeg = Encode(dir, ppm, "ffmpeg-420");
        string renamed = dir.File("photo.png");
        File.Copy(jpeg, renamed);
        Image img = ImageIO.Load(renamed);
        Assert.Equal((40, 30, 3), (img.Width, img.Height, img.Channels));
        Assert.Equal((40, 30), ImageIO.ReadSize(renamed));
        Assert.All(img.Data, v => Assert.InRange(v, 0f, 1f));
    }
}
