using System.Numerics.Tensors;

namespace Radiant.Imaging;

/// <summary>
/// Area-averaging resize: each output pixel is the mean of the input area it covers, with partial
/// pixels weighted by their overlap. For an integer factor that divides the size this is the plain
/// N×N block average (COLMAP's images_N). An image with alpha (straight, as stored) is averaged
/// premultiplied (<see cref="Image.Premultiplied"/>) and divided back: composited over any
/// background, the result is the full-size image composited over it and then averaged (what the
/// reference 3DGS trains on when it reduces a NeRF-synthetic view), and the colour of transparent
/// pixels (black in NeRF-synthetic) does not darken the edges. (mip-NeRF's pyramid averages
/// straight alpha instead: <see cref="Data.Multiscale.MipPyramid"/>.)
/// </summary>
public static class AreaResample
{
    public static Image Resize(Image src, int width, int height)
    {
        if (width == src.Width && height == src.Height) return src.Clone();
        return src.HasAlpha ? ResizePlanes(src.Premultiplied(), width, height).Unpremultiply() : ResizePlanes(src, width, height);
    }

    /// <summary>
    /// Every channel averaged on its own, separably: per output row, first the weighted sum of the
    /// input rows it covers (whole rows at a time, in SIMD), then each output pixel the weighted sum
    /// of that sum's columns it covers.
    /// </summary>
    private static Image ResizePlanes(Image src, int width, int height)
    {
        var (xIndex, xWeight, xCount) = Weights(src.Width, width);
        var (yIndex, yWeight, yCount) = Weights(src.Height, height);
        var dst = new Image(width, height, src.Channels);
        var rows = new float[src.Width];
        for (int c = 0; c < src.Channels; c++)
        {
            ReadOnlySpan<float> s = src.ReadPlane(c);
            Span<float> d = dst.Plane(c);
            for (int oy = 0; oy < height; oy++)
            {
                Array.Clear(rows);
                for (int ky = 0; ky < yCount; ky++)
                {
                    float wy = yWeight[oy * yCount + ky];
                    if (wy == 0) continue;
                    TensorPrimitives.MultiplyAdd(s.Slice(yIndex[oy * yCount + ky] * src.Width, src.Width), wy, rows, rows);
                }
                Span<float> outRow = d.Slice(oy * width, width);
                for (int ox = 0; ox < width; ox++)
                {
                    float acc = 0;
                    int b = ox * xCount;
                    for (int kx = 0; kx < xCount; kx++) acc += xWeight[b + kx] * rows[xIndex[b + kx]];
                    outRow[ox] = acc;
                }
            }
        }
        return dst;
    }

    /// <summary>Downscale by an integer factor to round(size / factor), at least 1 pixel.</summary>
    public static Image Downscale(Image src, int factor)
    {
        var (w, h) = DownscaledSize(src.Width, src.Height, factor);
        return Resize(src, w, h);
    }

    public static (int Width, int Height) DownscaledSize(int width, int height, int factor) =>
        (Math.Max(1, (int)Math.Round(width / (double)factor)), Math.Max(1, (int)Math.Round(height / (double)factor)));

    /// <summary>For each output index, the input indices it overlaps and their normalised overlap weights.</summary>
    private static (int[] Index, float[] Weight, int Count) Weights(int inSize, int outSize)
    {
        double scale = (double)inSize / outSize;
        int count = (int)Math.Ceiling(scale) + 1;
        var index = new int[outSize * count];
        var weight = new float[outSize * count];
        for (int o = 0; o < outSize; o++)
        {
            double start = o * scale, end = (o + 1) * scale;
            int first = (int)Math.Floor(start);
            for (int k = 0; k < count; k++)
            {
                int i = Math.Min(first + k, inSize - 1);
                double overlap = Math.Max(0, Math.Min(end, first + k + 1) - Math.Max(start, first + k));
                index[o * count + k] = i;
                weight[o * count + k] = (float)(overlap / scale);
            }
        }
        return (index, weight, count);
    }
}
