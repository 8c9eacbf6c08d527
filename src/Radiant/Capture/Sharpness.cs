using System.Runtime.Intrinsics;

namespace Radiant.Capture;

/// <summary>
/// Focus measure of a frame: the variance of its Laplacian (Pech-Pacheco et al. 2000, "Diatom
/// autofocusing in brightfield microscopy"). Blur removes high frequencies, so a motion-blurred or
/// defocused frame has a flatter Laplacian ∇²g = g(x−1,y) + g(x+1,y) + g(x,y−1) + g(x,y+1) − 4g(x,y)
/// and a smaller Var(∇²g) over the interior pixels than a sharp frame of the same view.
/// </summary>
public static class Sharpness
{
    /// <summary>Rec. 601 luma of interleaved 8-bit RGB into <paramref name="grey"/> (W·H floats, 0–255).</summary>
    public static void GreyFromRgb24(ReadOnlySpan<byte> rgb, Span<float> grey)
    {
        if (rgb.Length != grey.Length * 3) throw new ArgumentException("rgb24 needs 3 bytes a pixel");
        for (int i = 0; i < grey.Length; i++)
            grey[i] = 0.299f * rgb[3 * i] + 0.587f * rgb[3 * i + 1] + 0.114f * rgb[3 * i + 2];
    }

    /// <summary>Var(∇²g) over the pixels with four neighbours; 0 for images narrower or shorter than 3.</summary>
    public static double LaplacianVariance(ReadOnlySpan<float> grey, int width, int height)
    {
        if (grey.Length != width * height) throw new ArgumentException("grey plane size does not match");
        if (width < 3 || height < 3) return 0;
        double sum = 0, sumSq = 0;
        var four = Vector256.Create(4f);
        int interior = width - 2;
        for (int y = 1; y < height - 1; y++)
        {
            ReadOnlySpan<float> up = grey.Slice((y - 1) * width, width), row = grey.Slice(y * width, width), down = grey.Slice((y + 1) * width, width);
            // Per row in float (at most a row's worth of terms), accumulated across rows in double.
            var vSum = Vector256<float>.Zero;
            var vSumSq = Vector256<float>.Zero;
            int x = 1;
            for (; x + Vector256<float>.Count <= width - 1; x += Vector256<float>.Count)
            {
                var lap = Vector256.Create(row.Slice(x - 1)) + Vector256.Create(row.Slice(x + 1))
                        + Vector256.Create(up.Slice(x)) + Vector256.Create(down.Slice(x)) - four * Vector256.Create(row.Slice(x));
                vSum += lap;
                vSumSq += lap * lap;
            }
            double rowSum = Vector256.Sum(vSum), rowSumSq = Vector256.Sum(vSumSq);
            for (; x < width - 1; x++)
            {
                float lap = row[x - 1] + row[x + 1] + up[x] + down[x] - 4 * row[x];
                rowSum += lap;
                rowSumSq += lap * lap;
            }
            sum += rowSum;
            sumSq += rowSumSq;
        }
        double n = (double)interior * (height - 2);
        double mean = sum / n;
        return Math.Max(0, sumSq / n - mean * mean);
    }
}
