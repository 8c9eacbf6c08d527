using System.Runtime.Intrinsics;

namespace Radiant.Imaging;

/// <summary>
/// A float image with values in [0, 1], stored planar (structure of arrays): the sample of channel
/// <c>c</c> at pixel (x, y) is <c>Data[(c * Height + y) * Width + x]</c>. Channels are R, G, B and
/// optionally A (straight, not premultiplied). Planar planes suit the SIMD kernels (per-channel
/// losses, SSIM, compositing) and cost nothing to slice.
/// </summary>
public sealed class Image
{
    public int Width { get; }
    public int Height { get; }
    public int Channels { get; }
    public float[] Data { get; }

    public Image(int width, int height, int channels)
    {
        if (width <= 0 || height <= 0) throw new ArgumentOutOfRangeException(nameof(width), $"image size {width}x{height} is not positive");
        if (channels is < 1 or > 4) throw new ArgumentOutOfRangeException(nameof(channels), $"{channels} channels");
        Width = width; Height = height; Channels = channels;
        Data = new float[checked((long)width * height * channels)];
    }

    public Image(int width, int height, int channels, float[] data)
    {
        if ((long)width * height * channels != data.Length) throw new ArgumentException("data length does not match the image size");
        Width = width; Height = height; Channels = channels; Data = data;
    }

    public int PixelCount => Width * Height;
    public bool HasAlpha => Channels == 4;

    public float this[int c, int x, int y]
    {
        get => Data[(c * Height + y) * Width + x];
        set => Data[(c * Height + y) * Width + x] = value;
    }

    /// <summary>The plane of one channel (a view, no copy).</summary>
    public Span<float> Plane(int c) => Data.AsSpan(c * PixelCount, PixelCount);
    public ReadOnlySpan<float> ReadPlane(int c) => Data.AsSpan(c * PixelCount, PixelCount);

    public Image Clone() => new(Width, Height, Channels, (float[])Data.Clone());

    /// <summary>Builds a planar float image from interleaved 8-bit samples.</summary>
    public static Image FromInterleaved8(ReadOnlySpan<byte> samples, int width, int height, int channels)
    {
        var img = new Image(width, height, channels);
        int n = width * height;
        const float inv = 1f / 255f;
        for (int c = 0; c < channels; c++)
        {
            Span<float> plane = img.Plane(c);
            for (int i = 0; i < n; i++) plane[i] = samples[i * channels + c] * inv;
        }
        return img;
    }

    /// <summary>Interleaved 8-bit samples (rounded, clamped), for encoders and tests.</summary>
    public byte[] ToInterleaved8()
    {
        int n = PixelCount;
        var bytes = new byte[n * Channels];
        // A block of each plane is quantised into a byte row (32 samples at a time), then interleaved.
        const int Block = 4096;
        Span<byte> quantized = stackalloc byte[Block];
        for (int c = 0; c < Channels; c++)
        {
            ReadOnlySpan<float> plane = ReadPlane(c);
            for (int start = 0; start < n; start += Block)
            {
                int count = Math.Min(Block, n - start);
                Quantize8(plane.Slice(start, count), quantized);
                for (int i = 0, o = start * Channels + c; i < count; i++, o += Channels) bytes[o] = quantized[i];
            }
        }
        return bytes;
    }

    /// <summary><see cref="Quantize8(float)"/> of every sample, 32 at a time where Vector256 is accelerated.</summary>
    internal static void Quantize8(ReadOnlySpan<float> samples, Span<byte> output)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            int step = 4 * Vector256<float>.Count;
            for (; i + step <= samples.Length; i += step)
            {
                Vector256<short> low = Vector256.Narrow(Quantize(samples, i), Quantize(samples, i + 8));
                Vector256<short> high = Vector256.Narrow(Quantize(samples, i + 16), Quantize(samples, i + 24));
                Vector256.Narrow(low.AsUInt16(), high.AsUInt16()).CopyTo(output[i..]);
            }
        }
        for (; i < samples.Length; i++) output[i] = Quantize8(samples[i]);

        static Vector256<int> Quantize(ReadOnlySpan<float> s, int at) => RoundClamped(Vector256.Create(s.Slice(at, Vector256<float>.Count)), 255f);
    }

    /// <summary>
    /// The quantisation rule of the 8- and 16-bit forms: round(v·max) (to even, as MathF.Round),
    /// clamped to [0, max]; NaN → 0.
    /// </summary>
    internal static float RoundClamped(float v, float max) => float.IsNaN(v) ? 0 : Math.Clamp(MathF.Round(v * max), 0f, max);

    /// <summary><see cref="RoundClamped(float, float)"/> of 8 samples, as integers.</summary>
    internal static Vector256<int> RoundClamped(Vector256<float> v, float max)
    {
        Vector256<float> q = Vector256.Min(Vector256.Max(Vector256.Round(v * max), Vector256<float>.Zero), Vector256.Create(max));
        return Vector256.ConvertToInt32(Vector256.ConditionalSelect(Vector256.Equals(v, v), q, Vector256<float>.Zero));
    }

    /// <summary>Interleaved 16-bit samples (rounded, clamped).</summary>
    public ushort[] ToInterleaved16()
    {
        int n = PixelCount;
        var samples = new ushort[n * Channels];
        for (int c = 0; c < Channels; c++)
        {
            ReadOnlySpan<float> plane = ReadPlane(c);
            for (int i = 0; i < n; i++) samples[i * Channels + c] = Unorm16Image.Quantize(plane[i]);
        }
        return samples;
    }

    public static byte Quantize8(float v) => (byte)RoundClamped(v, 255f);

    /// <summary>RGB over a background colour: rgb·a + bg·(1−a). Returns a 3-channel image.</summary>
    public Image CompositeOver(float bgR, float bgG, float bgB)
    {
        if (Channels != 4) return Channels == 3 ? this : ToRgb();
        var rgb = new Image(Width, Height, 3);
        ReadOnlySpan<float> a = ReadPlane(3);
        ReadOnlySpan<float> bg = [bgR, bgG, bgB];
        for (int c = 0; c < 3; c++) Composite(ReadPlane(c), a, bg[c], rgb.Plane(c));
        return rgb;
    }

    /// <summary>
    /// <see cref="CompositeOver"/> in this image's own colour planes, alpha kept (no new memory: a
    /// decoded photo's planes are overwritten). Images without alpha are left as they are. Returns this image.
    /// </summary>
    public Image CompositeColourInPlace(float bgR, float bgG, float bgB)
    {
        if (Channels != 4) return this;
        ReadOnlySpan<float> a = ReadPlane(3);
        ReadOnlySpan<float> bg = [bgR, bgG, bgB];
        for (int c = 0; c < 3; c++) Composite(Plane(c), a, bg[c], Plane(c));
        return this;
    }

    /// <summary>dst = src·a + bg·(1 − a), 8 samples at a time (a multiply and an add each, as the scalar form: the same bits); dst may be src.</summary>
    private static void Composite(ReadOnlySpan<float> src, ReadOnlySpan<float> a, float bg, Span<float> dst)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<float> background = Vector256.Create(bg);
            for (; i + Vector256<float>.Count <= dst.Length; i += Vector256<float>.Count)
            {
                Vector256<float> alpha = Vector256.Create(a.Slice(i, Vector256<float>.Count));
                (Vector256.Create(src.Slice(i, Vector256<float>.Count)) * alpha + background * (Vector256<float>.One - alpha)).CopyTo(dst[i..]);
            }
        }
        for (; i < dst.Length; i++) dst[i] = src[i] * a[i] + bg * (1 - a[i]);
    }

    /// <summary>
    /// A copy with colour multiplied by alpha (premultiplied), for resampling: averaging premultiplied
    /// colour and alpha commutes with compositing over a background, averaging straight colour does not
    /// (the colour of transparent pixels would bleed in). Images without alpha: a plain copy.
    /// </summary>
    public Image Premultiplied()
    {
        Image copy = Clone();
        if (!HasAlpha) return copy;
        ReadOnlySpan<float> a = ReadPlane(3);
        for (int c = 0; c < 3; c++)
        {
            Span<float> plane = copy.Plane(c);
            for (int i = 0; i < plane.Length; i++) plane[i] *= a[i];
        }
        return copy;
    }

    /// <summary>Undoes <see cref="Premultiplied"/> in place: colour divided by alpha, 0 where alpha is 0. Returns this image.</summary>
    public Image Unpremultiply()
    {
        if (!HasAlpha) return this;
        ReadOnlySpan<float> a = ReadPlane(3);
        for (int c = 0; c < 3; c++)
        {
            Span<float> plane = Plane(c);
            for (int i = 0; i < plane.Length; i++) plane[i] = a[i] > 0 ? plane[i] / a[i] : 0f;
        }
        return this;
    }

    /// <summary>The RGB planes without the alpha plane (a copy); 3-channel images are returned as they are.</summary>
    public Image WithoutAlpha() =>
        Channels == 4 ? new Image(Width, Height, 3, Data.AsSpan(0, 3 * PixelCount).ToArray()) : this;

    /// <summary>Grey (1 channel) or grey+alpha (2 channels) expanded to RGB or RGBA; other counts returned unchanged.</summary>
    public Image ToRgb()
    {
        if (Channels >= 3) return this;
        var outImg = new Image(Width, Height, Channels == 1 ? 3 : 4);
        for (int c = 0; c < 3; c++) ReadPlane(0).CopyTo(outImg.Plane(c));
        if (Channels == 2) ReadPlane(1).CopyTo(outImg.Plane(3));
        return outImg;
    }
}
