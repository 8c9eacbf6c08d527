using Radiant.Imaging;
using Radiant.Imaging.Png;
using Radiant.Tests.Support;
using static Radiant.Tests.Imaging.PngTestPatterns;

namespace Radiant.Tests.Imaging;

/// <summary>PngEncoder output decoded by ffmpeg (and by Radiant) must give back the input samples exactly.</summary>
public class PngEncoderTests
{
    /// <summary>An image whose samples are exact multiples of 1/(2^depth − 1): noise, gradients and flat runs (so every filter wins somewhere).</summary>
    private static (Image Image, int[] Rgba) MakeInput(int width, int height, int channels, int bitDepth, int seed)
    {
        int max = (1 << bitDepth) - 1;
        var rng = new XorShift(seed);
        var img = new Image(width, height, channels);
        var rgba = new int[width * height * 4];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                int p = y * width + x;
                for (int c = 0; c < 4; c++)
                {
                    int v = c >= channels ? max
                        : (y % 4) switch
                        {
                            0 => rng.Next(max + 1),
                            1 => (int)((long)(x + c * 5) * max / (width + 15)),
                            2 => max / 3,
                            _ => (int)((long)(y * 3 + x * x + c) % (max + 1)),
                        };
                    if (c < channels) img[c, x, y] = (float)((double)v / max);
                    rgba[p * 4 + c] = v;
                }
            }
        return (img, rgba);
    }

    [Theory]
    [InlineData(3, 8, "rgb24")]
    [InlineData(4, 8, "rgba")]
    [InlineData(3, 16, "rgb48be")]
    [InlineData(4, 16, "rgba64be")]
    public void Encode_DecodedByFfmpeg_EqualsInput(int channels, int bitDepth, string pixFmt)
    {
        const int w = 45, h = 23;
        (Image input, int[] expected) = MakeInput(w, h, channels, bitDepth, seed: channels * 100 + bitDepth);
        using var dir = new TempDir("png-encode");
        string path = dir.File("encoded.png");
        ImageIO.SavePng(path, input, bitDepth);

        int outMax = (1 << bitDepth) - 1;
        int[] ffmpeg = FfmpegFramesRgba(ExternalTool.FfmpegDecodeRaw(path, pixFmt), 1, w, h, channels, outMax)[0];
        AssertSameRgba(expected, ffmpeg, w, $"{pixFmt}: ffmpeg decode of PngEncoder output vs input");

        Image back = PngDecoder.Decode(File.ReadAllBytes(path));
        Assert.Equal(channels, back.Channels);
        AssertSameRgba(expected, QuantizedRgba(back, outMax), w, $"{pixFmt}: Radiant decode of PngEncoder output vs input");
    }

    [Fact]
    public void Encode_GreyInput_IsWrittenAsRgb()
    {
        const int w = 9, h = 4;
        var grey = new Image(w, h, 1);
        for (int i = 0; i < w * h; i++) grey.Data[i] = i * 7 % 256 / 255f;
        using var dir = new TempDir("png-encode-grey");
        string path = dir.File("grey.png");
        File.WriteAllBytes(path, PngEncoder.Encode(grey));
        byte[] rgb = ExternalTool.FfmpegDecodeRaw(path, "rgb24");
        Assert.Equal(w * h * 3, rgb.Length);
        for (int i = 0; i < w * h; i++)
            for (int c = 0; c < 3; c++)
                Assert.Equal(i * 7 % 256, rgb[i * 3 + c]);
    }
}
