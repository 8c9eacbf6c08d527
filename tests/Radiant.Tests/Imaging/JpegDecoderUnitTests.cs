using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Radiant.Imaging;
using Radiant.Imaging.Jpeg;
using Radiant.Tests.Support;
using static Radiant.Tests.Imaging.JpegTestSupport;

namespace Radiant.Tests.Imaging;

/// <summary>Pieces of the decoder checked against T.81 directly, and header variants the encoders do not produce.</summary>
public class JpegDecoderUnitTests
{
    /// <summary>A.3.3: Syx = ¼ Σu Σv C(u) C(v) Svu cos((2x+1)uπ/16) cos((2y+1)vπ/16), level-shifted, rounded and clamped.</summary>
    private static byte[] ReferenceIdct(float[] block)
    {
        var result = new byte[64];
        for (int y = 0; y < 8; y++)
            for (int x = 0; x < 8; x++)
            {
                double sum = 0;
                for (int v = 0; v < 8; v++)
                    for (int u = 0; u < 8; u++)
                    {
                        double cu = u == 0 ? Math.Sqrt(0.5) : 1, cv = v == 0 ? Math.Sqrt(0.5) : 1;
                        sum += cu * cv * block[v * 8 + u] * Math.Cos((2 * x + 1) * u * Math.PI / 16) * Math.Cos((2 * y + 1) * v * Math.PI / 16);
                    }
                result[y * 8 + x] = (byte)Math.Clamp(Math.Round(sum / 4 + 128, MidpointRounding.AwayFromZero), 0, 255);
            }
        return result;
    }

    [Fact]
    public void Idct_matches_the_definition()
    {
        var rng = new Random(7);
        var scratch = new float[64];
        int exact = 0, total = 0;
        for (int trial = 0; trial < 500; trial++)
        {
            var block = new float[64];
            int nonZero = 1 + rng.Next(trial % 5 == 0 ? 64 : 12);
            int last = 0;
            for (int i = 0; i < nonZero; i++)
            {
                int k = trial % 5 == 0 ? rng.Next(64) : rng.Next(Math.Min(64, 20));
                block[ZigZag.Natural[k]] = rng.Next(-600, 600);
                last = Math.Max(last, k);
            }
            byte[] expected = ReferenceIdct(block);
            int rows = ZigZag.RowMaskUpTo[last], cols = ZigZag.MaxColumnUpTo[last];
            foreach (bool vector in new[] { true, false })
            {
                if (vector && !Vector256.IsHardwareAccelerated) continue;
                var dst = new byte[64];
                if (vector) Idct.TransformVector(ref block[0], rows, cols, ref scratch[0], ref dst[0], 8);
                else Idct.TransformScalar(block, rows, cols, scratch, dst, 8);
                for (int i = 0; i < 64; i++)
                {
                    Assert.InRange(dst[i] - expected[i], -1, 1);
                    if (dst[i] == expected[i]) exact++;
                    total++;
                }
            }
            var viaApi = new byte[64];
            Idct.Transform(block, rows, cols, scratch, viaApi, 8);
            for (int i = 0; i < 64; i++) Assert.InRange(viaApi[i] - expected[i], -1, 1);
        }
        Assert.True(exact >= total * 0.999, $"{exact} of {total} samples exact");
    }

    [Fact]
    public void Huffman_table_follows_annex_C()
    {
        // BITS: 1 code of length 2, 3 of length 3, 1 of length 10: codes 00; 010, 011, 100; 1010000000.
        byte[] bits = [0, 1, 3, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0];
        var t = new HuffmanTable(bits, [0x11, 0x22, 0x33, 0x44, 0x55]);
        Assert.Equal(2 << 8 | 0x11, t.Lookahead[0b00_0000000]);
        Assert.Equal(3 << 8 | 0x22, t.Lookahead[0b010_000000]);
        Assert.Equal(3 << 8 | 0x44, t.Lookahead[0b100_111111]);
        Assert.Equal(0, t.Lookahead[0b101_000000]);
        Assert.Equal(10 << 8 | 0x55, t.DecodeLong(0b1010000000UL << 54));
        Assert.Throws<InvalidDataException>(() => t.DecodeLong(0b1111111111111111UL << 48));
        Assert.Throws<InvalidDataException>(() => new HuffmanTable([3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], [1, 2, 3]));
    }

    [Fact]
    public void Extended_sequential_SOF1_decodes_like_baseline()
    {
        byte[] jpeg = MakeJpeg("ffmpeg-420", 45, 23);
        byte[] sof1 = (byte[])jpeg.Clone();
        sof1[Segment(jpeg, 0xC0).Offset + 1] = 0xC1;
        Assert.Equal(JpegDecoder.Decode(jpeg).Data, JpegDecoder.Decode(sof1).Data);
    }

    [Fact]
    public void A_motion_jpeg_frame_without_huffman_tables_decodes_with_the_standard_ones()
    {
        // cjpeg (without -optimize) codes with T.81 Annex K's tables; an MJPEG frame is that file without its DHT segments.
        byte[] jpeg = MakeJpeg("cjpeg-440", 45, 23);
        var tables = Segments(jpeg).Where(seg => seg.Marker == 0xC4).ToList();
        Assert.NotEmpty(tables);
        var frame = new List<byte>(jpeg);
        foreach (var seg in Enumerable.Reverse(tables)) frame.RemoveRange(seg.Offset, seg.Length);
        byte[] mjpeg = frame.ToArray();
        Assert.DoesNotContain(Segments(mjpeg), seg => seg.Marker == 0xC4);
        Assert.Equal(JpegDecoder.Decode(jpeg).Data, JpegDecoder.Decode(mjpeg).Data);
    }

    [Fact]
    public void Adobe_transform_flag_selects_RGB()
    {
        // cjpeg -rgb writes an Adobe APP14 segment with transform 0 and component ids 'R', 'G', 'B'.
        byte[] rgb = MakeJpeg("cjpeg-rgb", 45, 23);
        Image expected = JpegDecoder.Decode(rgb);
        var app14 = Segment(rgb, 0xEE);
        Assert.Equal(0, rgb[app14.Offset + 4 + 11]);

        // Renumbered components 1, 2, 3 (which alone would mean YCbCr): the Adobe flag still says RGB.
        byte[] renumbered = (byte[])rgb.Clone();
        var sof = Segment(rgb, 0xC0);
        var sos = Segment(rgb, 0xDA);
        for (int i = 0; i < 3; i++)
        {
            renumbered[sof.Offset + 10 + 3 * i] = (byte)(i + 1);
            renumbered[sos.Offset + 5 + 2 * i] = (byte)(i + 1);
        }
        Assert.Equal(expected.Data, JpegDecoder.Decode(renumbered).Data);

        // Without the Adobe segment those ids mean YCbCr: a different picture.
        byte[] noAdobe = [.. renumbered.AsSpan(0, app14.Offset), .. renumbered.AsSpan(app14.Offset + app14.Length)];
        Assert.NotEqual(expected.Data, JpegDecoder.Decode(noAdobe).Data);
        // Transform flag 1 means YCbCr too.
        byte[] flagged = (byte[])renumbered.Clone();
        flagged[app14.Offset + 4 + 11] = 1;
        Assert.Equal(JpegDecoder.Decode(noAdobe).Data, JpegDecoder.Decode(flagged).Data);
    }

    [Fact]
    public void ReadSize_needs_only_the_headers()
    {
        byte[] jpeg = MakeJpeg("prog-420", 45, 23);
        var sos = Segment(jpeg, 0xDA);
        Assert.Equal((45, 23), JpegDecoder.ReadSize(jpeg.AsSpan(0, sos.Offset)));
        Assert.Throws<InvalidDataException>(() => JpegDecoder.Decode(jpeg.AsSpan(0, sos.Offset)));
        var sof = Segment(jpeg, 0xC2);
        Assert.Throws<InvalidDataException>(() => JpegDecoder.ReadSize(jpeg.AsSpan(0, sof.Offset + 5)));
    }

    private static byte[] MakeJpeg(string variant, int w, int h)
    {
        using var dir = new TempDir("jpeg");
        string ppm = dir.File("src.ppm");
        WritePpm(ppm, MakeSource(w, h), w, h);
        return File.ReadAllBytes(Encode(dir, ppm, variant));
    }
}
