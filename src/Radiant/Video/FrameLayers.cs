using Radiant.Imaging;
using Radiant.Rendering;

namespace Radiant.Video;

/// <summary>Turns a render result into the image of one <see cref="FrameLayer"/>.</summary>
public static class FrameLayers
{
    /// <summary>Pixels with less accumulated opacity than this have no defined depth (shown black).</summary>
    public const float MinDepthAlpha = 1e-3f;

    public static FrameLayer Parse(string name) => name.Trim().ToLowerInvariant() switch
    {
        "rgb" or "color" or "colour" => FrameLayer.Rgb,
        "depth" => FrameLayer.Depth,
        "alpha" or "opacity" => FrameLayer.Alpha,
        _ => throw new RadiantException($"unknown output '{name}' (use rgb, depth, alpha)"),
    };

    public static string Name(FrameLayer layer) => layer.ToString().ToLowerInvariant();

    /// <summary>The layer as a 3-channel image (written into <paramref name="into"/> when given and of the right size).</summary>
    public static Image ToImage(FrameLayer layer, RenderResult r, DepthRange depthRange, Image? into = null)
    {
        Image color = r.Color;
        int w = color.Width, h = color.Height, n = w * h;
        if (layer == FrameLayer.Rgb) return color;
        Image img = into is { Channels: 3 } && into.Width == w && into.Height == h ? into : new Image(w, h, 3);
        Span<float> red = img.Plane(0), green = img.Plane(1), blue = img.Plane(2);
        ReadOnlySpan<float> alpha = r.Alpha;
        if (layer == FrameLayer.Alpha)
        {
            alpha[..n].CopyTo(red);
            alpha[..n].CopyTo(green);
            alpha[..n].CopyTo(blue);
            return img;
        }
        ReadOnlySpan<float> depth = r.Depth;
        for (int i = 0; i < n; i++)
        {
            float a = alpha[i];
            if (a < MinDepthAlpha) { red[i] = green[i] = blue[i] = 0; continue; }
            // Normalised expected depth d = Σ zαT / α; near maps to 1 (yellow), far to 0 (violet); then over black by α.
            var (cr, cg, cb) = Viridis.At(depthRange.Closeness(depth[i] / a));
            red[i] = cr * a; green[i] = cg * a; blue[i] = cb * a;
        }
        return img;
    }
}
