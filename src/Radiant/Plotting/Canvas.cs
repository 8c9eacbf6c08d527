using Radiant.Imaging;

namespace Radiant.Plotting;

/// <summary>An axis-aligned pixel rectangle [Left, Right) × [Top, Bottom).</summary>
public readonly record struct PixelRect(int Left, int Top, int Right, int Bottom)
{
    public int Width => Right - Left;
    public int Height => Bottom - Top;
}

/// <summary>
/// An RGB raster for plots: filled rectangles, anti-aliased polylines and dots, and text in the
/// 5×7 dot-matrix font (<see cref="Glyphs"/>) at an integer scale. Pixel (x, y) covers
/// [x, x+1] × [y, y+1], so its centre is (x + 0.5, y + 0.5), as everywhere in Radiant.
/// </summary>
public sealed class Canvas
{
    public Image Image { get; }
    public int Width => Image.Width;
    public int Height => Image.Height;
    private float[]? _coverage;

    public Canvas(int width, int height, Rgb background)
    {
        Image = new Image(width, height, 3);
        Image.Plane(0).Fill(background.R);
        Image.Plane(1).Fill(background.G);
        Image.Plane(2).Fill(background.B);
    }

    /// <summary>Mixes <paramref name="color"/> into pixel (x, y) with weight <paramref name="alpha"/>; outside the canvas nothing happens.</summary>
    public void Blend(int x, int y, Rgb color, float alpha)
    {
        if ((uint)x >= (uint)Width || (uint)y >= (uint)Height || alpha <= 0) return;
        alpha = Math.Min(alpha, 1f);
        int i = y * Width + x, n = Width * Height;
        float[] d = Image.Data;
        d[i] += (color.R - d[i]) * alpha;
        d[n + i] += (color.G - d[n + i]) * alpha;
        d[2 * n + i] += (color.B - d[2 * n + i]) * alpha;
    }

    public void Fill(PixelRect r, Rgb color, float alpha = 1)
    {
        for (int y = Math.Max(0, r.Top); y < Math.Min(Height, r.Bottom); y++)
            for (int x = Math.Max(0, r.Left); x < Math.Min(Width, r.Right); x++)
                Blend(x, y, color, alpha);
    }

    /// <summary>A 1-px outline just inside <paramref name="r"/>.</summary>
    public void Outline(PixelRect r, Rgb color)
    {
        Fill(r with { Bottom = r.Top + 1 }, color);
        Fill(r with { Top = r.Bottom - 1 }, color);
        Fill(r with { Right = r.Left + 1 }, color);
        Fill(r with { Left = r.Right - 1 }, color);
    }

    /// <summary>
    /// An anti-aliased polyline of the given width through points in pixel coordinates, clipped to
    /// <paramref name="clip"/>; NaN points break the line. Each pixel takes the largest coverage any
    /// segment gives it (coverage = clamp(width/2 + 0.5 − distance from the pixel centre to the
    /// segment, 0, 1)), so joints do not darken where segments overlap.
    /// </summary>
    public void Polyline(ReadOnlySpan<(double X, double Y)> points, Rgb color, double width, PixelRect clip, float alpha = 1)
    {
        float[] cov = Coverage();
        double half = width / 2;
        for (int i = 1; i < points.Length; i++)
        {
            var (x0, y0) = points[i - 1];
            var (x1, y1) = points[i];
            if (!double.IsFinite(x0 + y0 + x1 + y1)) continue;
            Segment(cov, x0, y0, x1, y1, half, clip);
        }
        if (points.Length == 1 && double.IsFinite(points[0].X + points[0].Y)) Segment(cov, points[0].X, points[0].Y, points[0].X, points[0].Y, half, clip);
        Composite(cov, color, clip, alpha);
    }

    /// <summary>Filled anti-aliased dots of the given radius (pixels) at each point.</summary>
    public void Dots(ReadOnlySpan<(double X, double Y)> points, Rgb color, double radius, PixelRect clip)
    {
        float[] cov = Coverage();
        foreach (var (x, y) in points)
            if (double.IsFinite(x + y)) Segment(cov, x, y, x, y, radius, clip);
        Composite(cov, color, clip, 1);
    }

    private float[] Coverage()
    {
        int n = Width * Height;
        if (_coverage is null || _coverage.Length != n) _coverage = new float[n];
        return _coverage;
    }

    private void Segment(float[] cov, double x0, double y0, double x1, double y1, double half, PixelRect clip)
    {
        double reach = half + 1;
        int left = Math.Max(clip.Left, (int)Math.Floor(Math.Min(x0, x1) - reach));
        int right = Math.Min(clip.Right, (int)Math.Ceiling(Math.Max(x0, x1) + reach));
        int top = Math.Max(clip.Top, (int)Math.Floor(Math.Min(y0, y1) - reach));
        int bottom = Math.Min(clip.Bottom, (int)Math.Ceiling(Math.Max(y0, y1) + reach));
        double dx = x1 - x0, dy = y1 - y0, lengthSquared = dx * dx + dy * dy;
        for (int py = top; py < bottom; py++)
            for (int px = left; px < right; px++)
            {
                double cx = px + 0.5 - x0, cy = py + 0.5 - y0;
                double t = lengthSquared > 0 ? Math.Clamp((cx * dx + cy * dy) / lengthSquared, 0, 1) : 0;
                double ex = cx - t * dx, ey = cy - t * dy;
                float c = (float)Math.Clamp(half + 0.5 - Math.Sqrt(ex * ex + ey * ey), 0, 1);
                int i = py * Width + px;
                if (c > cov[i]) cov[i] = c;
            }
    }

    private void Composite(float[] cov, Rgb color, PixelRect clip, float alpha)
    {
        for (int y = Math.Max(0, clip.Top); y < Math.Min(Height, clip.Bottom); y++)
            for (int x = Math.Max(0, clip.Left); x < Math.Min(Width, clip.Right); x++)
            {
                int i = y * Width + x;
                if (cov[i] <= 0) continue;
                Blend(x, y, color, cov[i] * alpha);
                cov[i] = 0;
            }
    }

    /// <summary>Width in pixels of <paramref name="text"/> at <paramref name="scale"/> (no trailing gap).</summary>
    public static int TextWidth(string text, int scale) => text.Length == 0 ? 0 : (text.Length * Glyphs.Advance - 1) * scale;
    public static int TextHeight(int scale) => Glyphs.Rows * scale;

    /// <summary>
    /// Draws text with its top-left corner at (x, y), each font dot a scale × scale block; vertical text
    /// reads bottom to top (rotated a quarter turn counter-clockwise) with (x, y) its bottom-left corner.
    /// </summary>
    public void Text(int x, int y, string text, int scale, Rgb color, bool vertical = false)
    {
        for (int k = 0; k < text.Length; k++)
            for (int row = 0; row < Glyphs.Rows; row++)
                for (int col = 0; col < Glyphs.Columns; col++)
                {
                    if (!Glyphs.Ink(text[k], col, row)) continue;
                    int along = (k * Glyphs.Advance + col) * scale;
                    for (int sy = 0; sy < scale; sy++)
                        for (int sx = 0; sx < scale; sx++)
                        {
                            if (vertical) Blend(x + row * scale + sy, y - along - sx - 1, color, 1);
                            else Blend(x + along + sx, y + row * scale + sy, color, 1);
                        }
                }
    }
}
