using Radiant.Imaging;

namespace Radiant.Tests.Capture;

/// <summary>A blurred copy of an image, standing for a motion-blurred video frame.</summary>
internal static class TestBlur
{
    /// <summary>Mean over a (2r+1)² window, clamped at the borders.</summary>
    public static Image Box(Image src, int r)
    {
        var dst = new Image(src.Width, src.Height, src.Channels);
        for (int c = 0; c < src.Channels; c++)
            for (int y = 0; y < src.Height; y++)
                for (int x = 0; x < src.Width; x++)
                {
                    float sum = 0;
                    for (int dy = -r; dy <= r; dy++)
                        for (int dx = -r; dx <= r; dx++)
                            sum += src[c, Math.Clamp(x + dx, 0, src.Width - 1), Math.Clamp(y + dy, 0, src.Height - 1)];
                    dst.Plane(c)[y * src.Width + x] = sum / ((2 * r + 1) * (2 * r + 1));
                }
        return dst;
    }
}
