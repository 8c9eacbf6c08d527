using System.Runtime.Intrinsics;

namespace Radiant.Imaging;

/// <summary>
/// An image kept in half the memory of an <see cref="Image"/>: planar 16-bit unsigned normalised
/// samples q = round(clamp(v, 0, 1)·65535) (NaN as 0), read back as q·(1/65535), within 7.7e-6 of
/// the original. Training keeps its target photos this way (a photo's 8 or 16 bits,
/// or a composite over the background, lose nothing that matters to the loss) and expands the
/// one view a step uses into a float buffer (<see cref="ExpandInto"/>).
/// </summary>
public sealed class Unorm16Image
{
    private const float Scale = 65535f, InverseScale = 1f / 65535f;

    public int Width { get; }
    public int Height { get; }
    public int Channels { get; }
    /// <summary>The samples, plane after plane.</summary>
    public ushort[] Data { get; }

    private Unorm16Image(int width, int height, int channels)
    {
        Width = width; Height = height; Channels = channels;
        Data = new ushort[width * height * channels];
    }

    public int PixelCount => Width * Height;

    /// <summary><paramref name="image"/> quantised (rounded to nearest, clamped to [0, 1], NaN to 0).</summary>
    public static Unorm16Image From(Image image)
    {
        var compact = new Unorm16Image(image.Width, image.Height, image.Channels);
        ReadOnlySpan<float> src = image.Data.AsSpan(0, compact.Data.Length);
        Span<ushort> dst = compact.Data;
        int i = 0;
        for (; i + 16 <= src.Length; i += 16)
        {
            Vector256<int> low = Image.RoundClamped(Vector256.Create(src.Slice(i, 8)), Scale), high = Image.RoundClamped(Vector256.Create(src.Slice(i + 8, 8)), Scale);
            Vector256.Narrow(low.AsUInt32(), high.AsUInt32()).CopyTo(dst.Slice(i, 16));
        }
        for (; i < src.Length; i++) dst[i] = Quantize(src[i]);
        return compact;
    }

    /// <summary>The scalar rule of <see cref="From"/> (<see cref="Image.RoundClamped(float, float)"/> to 65535).</summary>
    public static ushort Quantize(float v) => (ushort)Image.RoundClamped(v, Scale);

    /// <summary>Writes the samples as floats q·(1/65535) into <paramref name="destination"/>, which must have this size and channel count.</summary>
    public void ExpandInto(Image destination)
    {
        if (destination.Width != Width || destination.Height != Height || destination.Channels != Channels)
            throw new ArgumentException($"a {destination.Width}x{destination.Height}x{destination.Channels} image for a {Width}x{Height}x{Channels} one");
        ReadOnlySpan<ushort> src = Data;
        Span<float> dst = destination.Data.AsSpan(0, src.Length);
        var inverse = Vector256.Create(InverseScale);
        int i = 0;
        for (; i + 16 <= src.Length; i += 16)
        {
            (Vector256<uint> low, Vector256<uint> high) = Vector256.Widen(Vector256.Create(src.Slice(i, 16)));
            (Vector256.ConvertToSingle(low.AsInt32()) * inverse).CopyTo(dst.Slice(i, 8));
            (Vector256.ConvertToSingle(high.AsInt32()) * inverse).CopyTo(dst.Slice(i + 8, 8));
        }
        for (; i < src.Length; i++) dst[i] = src[i] * InverseScale;
    }

    /// <summary>A new float image of the samples.</summary>
    public Image ToImage()
    {
        var image = new Image(Width, Height, Channels);
        ExpandInto(image);
        return image;
    }
}
