namespace Radiant.Plotting;

/// <summary>A colour with linear channels in [0, 1] (as stored in <see cref="Imaging.Image"/>).</summary>
public readonly record struct Rgb(float R, float G, float B)
{
    public static readonly Rgb White = new(1, 1, 1);
    public static readonly Rgb Black = new(0, 0, 0);

    /// <summary>From 8-bit sRGB-coded components, as colours are usually written (#1f77b4).</summary>
    public static Rgb FromBytes(byte r, byte g, byte b) => new(r / 255f, g / 255f, b / 255f);

    public Rgb Lerp(Rgb other, float t) => new(R + (other.R - R) * t, G + (other.G - G) * t, B + (other.B - B) * t);
}
