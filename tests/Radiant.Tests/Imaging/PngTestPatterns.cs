using Radiant.Imaging;

namespace Radiant.Tests.Imaging;

/// <summary>
/// Deterministic PNG test content of every variant, and the three ways of looking at it as integer
/// RGBA at a common scale: the ground truth from the samples written, Radiant's floats quantised,
/// and ffmpeg's raw output.
/// </summary>
public static class PngTestPatterns
{
    /// <summary>
    /// Builds a test image: pseudo-random rows interleaved with gradient rows (so every filter meets
    /// both noise and smooth data), with some pixels set to the tRNS colour key and some set to a
    /// near miss (one channel off) when <paramref name="transparency"/> is on.
    /// </summary>
    public static PngTestImage Make(int colorType, int bitDepth, bool transparency, int width, int height,
        bool interlaced, int filter, int seed, bool extraChunks = false, int idatChunkSize = 0)
    {
        var rng = new XorShift(seed);
        int spp = colorType switch { 0 or 3 => 1, 4 => 2, 2 => 3, _ => 4 };
        int max = (1 << bitDepth) - 1;

        byte[]? palette = null, paletteAlpha = null;
        int levels = max + 1;
        if (colorType == 3)
        {
            // Fewer entries than the depth allows, and tRNS shorter than the palette, as in real files.
            int entries = bitDepth switch { 1 => 2, 2 => 3, 4 => 11, _ => 200 };
            palette = new byte[entries * 3];
            for (int i = 0; i < palette.Length; i++) palette[i] = (byte)rng.Next(256);
            if (transparency)
            {
                paletteAlpha = new byte[Math.Max(1, entries - 1)];
                for (int i = 0; i < paletteAlpha.Length; i++) paletteAlpha[i] = (byte)(i % 3 == 0 ? 0 : i % 3 == 1 ? 255 : rng.Next(256));
            }
            levels = entries;
        }

        var samples = new int[width * height * spp];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                for (int s = 0; s < spp; s++)
                {
                    int v = y % 3 == 1
                        ? (int)((long)(x * 7 + y * 3 + s * 11) * (levels - 1) / (width * 7 + height * 3 + 40))
                        : rng.Next(levels);
                    samples[(y * width + x) * spp + s] = v;
                }

        int[]? key = null;
        if (transparency && colorType is 0 or 2)
        {
            key = new int[spp];
            for (int s = 0; s < spp; s++) key[s] = rng.Next(levels);
            for (int p = 0; p < width * height; p++)
            {
                if (p % 5 == 0) for (int s = 0; s < spp; s++) samples[p * spp + s] = key[s];
                else if (p % 7 == 3 && spp == 3)
                {
                    // Matches the key in R and G only: must stay opaque.
                    for (int s = 0; s < 3; s++) samples[p * spp + s] = key[s];
                    samples[p * spp + 2] = (key[2] + 1) % levels;
                }
            }
        }

        return new PngTestImage
        {
            Width = width, Height = height, ColorType = colorType, BitDepth = bitDepth, Samples = samples,
            Palette = palette, PaletteAlpha = paletteAlpha, ColorKey = key,
            Interlaced = interlaced, Filter = filter, ExtraChunks = extraChunks, IdatChunkSize = idatChunkSize,
        };
    }

    /// <summary>The ffmpeg pixel format the PNG decodes to natively (so no conversion happens), and its sample scale.</summary>
    public static (string PixFmt, int Channels, int OutMax) FfmpegFormat(PngTestImage img)
    {
        bool sixteen = img.BitDepth == 16;
        bool key = img.ColorKey is not null;
        return img.ColorType switch
        {
            // Sub-8-bit grey decodes to gray (1-bit to monob, converted to gray as 0/255).
            0 => key ? (sixteen ? ("ya16be", 2, 65535) : ("ya8", 2, 255)) : (sixteen ? ("gray16be", 1, 65535) : ("gray", 1, 255)),
            2 => key ? (sixteen ? ("rgba64be", 4, 65535) : ("rgba", 4, 255)) : (sixteen ? ("rgb48be", 3, 65535) : ("rgb24", 3, 255)),
            3 => ("rgba", 4, 255), // pal8, expanded through the palette
            4 => sixteen ? ("ya16be", 2, 65535) : ("ya8", 2, 255),
            _ => sixteen ? ("rgba64be", 4, 65535) : ("rgba", 4, 255),
        };
    }

    /// <summary>Ground truth: what the samples written mean, as RGBA integers of scale <paramref name="outMax"/> (255 or 65535).</summary>
    public static int[] ExpectedRgba(PngTestImage img, int outMax)
    {
        int n = img.Width * img.Height, spp = img.SamplesPerPixel, max = img.MaxSample;
        if (img.ColorType != 3 && outMax % max != 0) throw new ArgumentException("the scale must be a multiple of the sample range to be exact");
        int Scale(int v) => v * (outMax / max);
        var rgba = new int[n * 4];
        for (int p = 0; p < n; p++)
        {
            ReadOnlySpan<int> s = img.Samples.AsSpan(p * spp, spp);
            Span<int> o = rgba.AsSpan(p * 4, 4);
            switch (img.ColorType)
            {
                case 0:
                    o[0] = o[1] = o[2] = Scale(s[0]);
                    o[3] = img.ColorKey is { } gk && s[0] == gk[0] ? 0 : outMax;
                    break;
                case 2:
                    for (int c = 0; c < 3; c++) o[c] = Scale(s[c]);
                    o[3] = img.ColorKey is { } k && s[0] == k[0] && s[1] == k[1] && s[2] == k[2] ? 0 : outMax;
                    break;
                case 3:
                    if (outMax != 255) throw new ArgumentException("palette entries are 8-bit");
                    for (int c = 0; c < 3; c++) o[c] = img.Palette![s[0] * 3 + c];
                    o[3] = img.PaletteAlpha is { } pa && s[0] < pa.Length ? pa[s[0]] : 255;
                    break;
                case 4:
                    o[0] = o[1] = o[2] = Scale(s[0]);
                    o[3] = Scale(s[1]);
                    break;
                default:
                    for (int c = 0; c < 4; c++) o[c] = Scale(s[c]);
                    break;
            }
        }
        return rgba;
    }

    /// <summary>Radiant's float image as RGBA integers of scale <paramref name="outMax"/> (an RGB image is opaque).</summary>
    public static int[] QuantizedRgba(Image img, int outMax)
    {
        int n = img.PixelCount;
        var rgba = new int[n * 4];
        for (int c = 0; c < 4; c++)
        {
            if (c == 3 && img.Channels < 4) { for (int p = 0; p < n; p++) rgba[p * 4 + 3] = outMax; continue; }
            ReadOnlySpan<float> plane = img.ReadPlane(c);
            for (int p = 0; p < n; p++)
            {
                float v = plane[p];
                Assert.True(v is >= 0f and <= 1f, $"sample {v} of channel {c} is outside [0, 1]");
                rgba[p * 4 + c] = (int)MathF.Round(v * outMax);
            }
        }
        return rgba;
    }

    /// <summary>Splits ffmpeg raw output of <paramref name="frames"/> frames into RGBA integer frames (grey → R=G=B; missing alpha → opaque).</summary>
    public static int[][] FfmpegFramesRgba(byte[] raw, int frames, int width, int height, int channels, int outMax)
    {
        int bytesPerSample = outMax == 255 ? 1 : 2;
        int frameBytes = width * height * channels * bytesPerSample;
        Assert.True(raw.Length == frames * frameBytes, $"ffmpeg produced {raw.Length} bytes, expected {frames} frames of {frameBytes}");
        var result = new int[frames][];
        Span<int> px = stackalloc int[4];
        for (int f = 0; f < frames; f++)
        {
            var rgba = new int[width * height * 4];
            for (int p = 0; p < width * height; p++)
            {
                for (int c = 0; c < channels; c++)
                {
                    int at = f * frameBytes + (p * channels + c) * bytesPerSample;
                    px[c] = bytesPerSample == 1 ? raw[at] : raw[at] << 8 | raw[at + 1];
                }
                switch (channels)
                {
                    case 1: rgba[p * 4] = rgba[p * 4 + 1] = rgba[p * 4 + 2] = px[0]; rgba[p * 4 + 3] = outMax; break;
                    case 2: rgba[p * 4] = rgba[p * 4 + 1] = rgba[p * 4 + 2] = px[0]; rgba[p * 4 + 3] = px[1]; break;
                    case 3: px[..3].CopyTo(rgba.AsSpan(p * 4)); rgba[p * 4 + 3] = outMax; break;
                    default: px.CopyTo(rgba.AsSpan(p * 4)); break;
                }
            }
            result[f] = rgba;
        }
        return result;
    }

    /// <summary>Asserts equality and, on failure, names the first differing pixel and channel.</summary>
    public static void AssertSameRgba(int[] expected, int[] actual, int width, string what, bool colourOnly = false)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            if (colourOnly && i % 4 == 3) continue;
            if (expected[i] != actual[i])
            {
                int p = i / 4;
                Assert.Fail($"{what}: pixel ({p % width}, {p / width}) channel {"RGBA"[i % 4]} is {actual[i]}, expected {expected[i]}");
            }
        }
    }

    /// <summary>xorshift32: deterministic, independent of the runtime's Random implementation.</summary>
    public sealed class XorShift(int seed)
    {
        private uint _state = (uint)seed * 2654435761u | 1;

        public int Next(int bound)
        {
            _state ^= _state << 13;
            _state ^= _state >> 17;
            _state ^= _state << 5;
            return (int)(_state % (uint)bound);
        }
    }
}
