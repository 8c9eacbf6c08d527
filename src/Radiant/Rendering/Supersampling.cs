using System.Numerics.Tensors;

namespace Radiant.Rendering;

/// <summary>
/// The box filter of a supersampled render and its adjoint. A pixel of a view rendered with k×k
/// samples is the mean of a k×k block of the k-times larger render (its area average, the way
/// mip-NeRF's pyramid makes a reduced level from the full image): out(x, y) = (1/k²) Σ_block in.
/// The backward spreads dL/dout evenly over the block: dL/din = dL/dout(x/k, y/k) / k².
/// </summary>
internal static class Supersampling
{
    /// <summary>
    /// Averages the <paramref name="planes"/> planes of <paramref name="sampled"/> ((k·W)×(k·H)
    /// each) over k×k blocks into <paramref name="pixels"/> (W×H each). <paramref name="row"/> is a
    /// scratch row of at least k·W floats.
    /// </summary>
    public static void Average(ReadOnlySpan<float> sampled, Span<float> pixels, int width, int height, int k, int planes, Span<float> row)
    {
        int sampledWidth = k * width, sampledPlane = sampledWidth * k * height, plane = width * height;
        float weight = 1f / (k * k);
        Span<float> sums = row[..sampledWidth];
        for (int c = 0; c < planes; c++)
        {
            ReadOnlySpan<float> src = sampled.Slice(c * sampledPlane, sampledPlane);
            Span<float> dst = pixels.Slice(c * plane, plane);
            for (int y = 0; y < height; y++)
            {
                // The block's rows summed a whole row at a time, then each pixel's k columns.
                src.Slice(y * k * sampledWidth, sampledWidth).CopyTo(sums);
                for (int dy = 1; dy < k; dy++) TensorPrimitives.Add(sums, src.Slice((y * k + dy) * sampledWidth, sampledWidth), sums);
                Span<float> outRow = dst.Slice(y * width, width);
                for (int x = 0; x < width; x++) outRow[x] = TensorPrimitives.Sum(sums.Slice(x * k, k)) * weight;
            }
        }
    }

    /// <summary>The adjoint of <see cref="Average"/>: every sample of a block gets its pixel's value / k².</summary>
    public static void Spread(ReadOnlySpan<float> pixels, Span<float> sampled, int width, int height, int k, int planes)
    {
        int sampledWidth = k * width, sampledPlane = sampledWidth * k * height, plane = width * height;
        float weight = 1f / (k * k);
        for (int c = 0; c < planes; c++)
        {
            ReadOnlySpan<float> src = pixels.Slice(c * plane, plane);
            Span<float> dst = sampled.Slice(c * sampledPlane, sampledPlane);
            for (int y = 0; y < height; y++)
            {
                Span<float> first = dst.Slice(y * k * sampledWidth, sampledWidth);
                for (int x = 0; x < width; x++) first.Slice(x * k, k).Fill(src[y * width + x] * weight);
                for (int dy = 1; dy < k; dy++) first.CopyTo(dst.Slice((y * k + dy) * sampledWidth, sampledWidth));
            }
        }
    }
}
