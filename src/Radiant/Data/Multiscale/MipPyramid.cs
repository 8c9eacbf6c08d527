using Radiant.Imaging;

namespace Radiant.Data.Multiscale;

/// <summary>
/// mip-NeRF's image pyramid (convert_blender_data.py, REFERENCE §5): level j+1 is level j averaged
/// over 2×2 blocks, every channel as stored (RGBA with straight alpha, no premultiplication), and
/// each level written as 8-bit by <c>np.uint8(img * 255)</c>. The multiscale writer and the
/// multiscale evaluation of single-scale datasets both use it, so a test view downscaled here is
/// byte for byte the <c>_d{j}</c> image the writer stores.
/// <para>Arithmetic, to reproduce the script's bytes: it loads 8-bit samples as float32 b/255, keeps
/// the pyramid in float32 (numpy's mean over the 2×2 block, which sums the four values in row-major
/// order, then divides by 4) and quantises by truncation, not rounding. Levels are quantised only
/// when taken out; the next level is averaged from the unquantised floats.</para>
/// <para>Odd sizes: the script's reshape fails on them; we crop the last row and/or column before
/// each halving, so level j+1 is floor(w/2) × floor(h/2) of level j.</para>
/// </summary>
public static class MipPyramid
{
    /// <summary>Size of level <paramref name="level"/> of a <paramref name="width"/> × <paramref name="height"/> image (halved and floored per level).</summary>
    public static (int Width, int Height) LevelSize(int width, int height, int level)
    {
        for (int j = 0; j < level; j++) (width, height) = (width / 2, height / 2);
        return (width, height);
    }

    /// <summary>
    /// Levels 0..<paramref name="maxLevel"/> of <paramref name="stored"/> (the image as stored, alpha
    /// straight), each quantised as the script writes it. <paramref name="source"/> names the image in errors.
    /// </summary>
    public static Image[] Levels(Image stored, int maxLevel, string source)
    {
        var (wMin, hMin) = LevelSize(stored.Width, stored.Height, maxLevel);
        if (wMin < 1 || hMin < 1)
            throw new RadiantException(source, $"image is too small for {maxLevel + 1} levels of halving ({stored.Width}x{stored.Height})");
        float[] level = ToScriptFloats(stored);
        int w = stored.Width, h = stored.Height, channels = stored.Channels;
        var levels = new Image[maxLevel + 1];
        for (int j = 0; j <= maxLevel; j++)
        {
            if (j > 0) (level, w, h) = Down2(level, w, h, channels);
            levels[j] = Quantize(level, w, h, channels);
        }
        return levels;
    }

    /// <summary>
    /// The camera of level <paramref name="level"/>: size as <see cref="LevelSize"/>, focal lengths and
    /// principal point divided by 2^level. With pixel (px, py) covering [px, px+1] × [py, py+1]
    /// (README conventions), the 2×2 block of pixels 2x..2x+1 covers exactly the level-1 pixel x, so
    /// image coordinates simply halve: u' = u/2 = (fx/2)·X/Z + cx/2. Cropping an odd last row or
    /// column leaves the remaining pixels where they are.
    /// </summary>
    public static Camera CameraAt(Camera full, int level)
    {
        var (w, h) = LevelSize(full.Width, full.Height, level);
        double s = 1.0 / (1 << level);
        return full with { Width = w, Height = h, Fx = full.Fx * s, Fy = full.Fy * s, Cx = full.Cx * s, Cy = full.Cy * s, ScaleLevel = level };
    }

    /// <summary>
    /// The float32 samples the script works on: b/255 (float32 division) for 8-bit images. Our decoder
    /// gives b·(1/255), which may differ in the last bit, so the byte is recovered and divided again.
    /// Samples that are not 8-bit values (16-bit PNGs) are kept at full precision.
    /// </summary>
    internal static float[] ToScriptFloats(Image img)
    {
        var v = new float[img.Data.Length];
        for (int i = 0; i < v.Length; i++)
        {
            float s = img.Data[i];
            float b = MathF.Round(s * 255f);
            v[i] = MathF.Abs(s * 255f - b) < 1e-3f ? b / 255f : s;
        }
        return v;
    }

    /// <summary>
    /// mip-NeRF's down2 on planar float32 data: crop to even size, then each output sample is
    /// ((a00 + a01) + a10) + a11, divided by 4, summed in numpy's row-major order so that the float32
    /// result is bit-identical to <c>np.mean(reshape(img, [h/2, 2, w/2, 2, c]), (1, 3))</c>.
    /// </summary>
    internal static (float[] Data, int Width, int Height) Down2(float[] src, int w, int h, int channels)
    {
        int w2 = w / 2, h2 = h / 2;
        var dst = new float[w2 * h2 * channels];
        for (int c = 0; c < channels; c++)
        {
            int sp = c * w * h, dp = c * w2 * h2;
            for (int y = 0; y < h2; y++)
            {
                int r0 = sp + 2 * y * w, r1 = r0 + w;
                for (int x = 0; x < w2; x++)
                {
                    float sum = src[r0 + 2 * x] + src[r0 + 2 * x + 1];
                    sum += src[r1 + 2 * x];
                    sum += src[r1 + 2 * x + 1];
                    dst[dp + y * w2 + x] = sum / 4f;
                }
            }
        }
        return (dst, w2, h2);
    }

    /// <summary>
    /// The script's <c>np.uint8(img * 255)</c>: float32 product, truncated toward zero (values are in
    /// [0, 1], clamped for safety). Returned as an image whose samples are exactly byte/255, so the
    /// encoder's rounding writes that byte.
    /// </summary>
    internal static Image Quantize(float[] level, int w, int h, int channels)
    {
        var img = new Image(w, h, channels);
        for (int i = 0; i < level.Length; i++)
        {
            float p = level[i] * 255f;
            int b = float.IsNaN(p) ? 0 : (int)Math.Clamp(p, 0f, 255f);
            img.Data[i] = b / 255f;
        }
        return img;
    }
}
