namespace Radiant.Imaging;

/// <summary>
/// Catmull-Rom bicubic interpolation (Keys' cubic convolution with a = −½) at a position between the
/// samples of an image plane: the 4×4 samples around it, edge samples repeated past the border, and
/// their separable weights. It reproduces polynomials up to degree 2 exactly and keeps more of an
/// image's detail than bilinear interpolation. The value is limited to the range of the 2×2 nearest
/// samples, so that a hard edge does not ring (a sample darker or brighter than both sides of it).
/// Made once per position and used for every channel.
/// </summary>
public readonly struct BicubicTaps
{
    private readonly int c0, c1, c2, c3, r0, r1, r2, r3;
    private readonly float wx0, wx1, wx2, wx3, wy0, wy1, wy2, wy3;

    /// <param name="sx">Column position in sample indices, in [0, width − 1].</param>
    /// <param name="sy">Row position in sample indices, in [0, height − 1].</param>
    public BicubicTaps(double sx, double sy, int width, int height)
    {
        int x0 = (int)sx, y0 = (int)sy;
        (wx0, wx1, wx2, wx3) = Weights((float)(sx - x0));
        (wy0, wy1, wy2, wy3) = Weights((float)(sy - y0));
        c0 = Math.Max(x0 - 1, 0); c1 = x0; c2 = Math.Min(x0 + 1, width - 1); c3 = Math.Min(x0 + 2, width - 1);
        r0 = Math.Max(y0 - 1, 0) * width; r1 = y0 * width; r2 = Math.Min(y0 + 1, height - 1) * width; r3 = Math.Min(y0 + 2, height - 1) * width;
    }

    /// <summary>The interpolated value of the plane that starts at <paramref name="plane"/> in <paramref name="samples"/>.</summary>
    public float Sample(float[] samples, int plane)
    {
        ReadOnlySpan<float> p = samples.AsSpan(plane);
        float value = wy0 * (wx0 * p[r0 + c0] + wx1 * p[r0 + c1] + wx2 * p[r0 + c2] + wx3 * p[r0 + c3])
                    + wy1 * (wx0 * p[r1 + c0] + wx1 * p[r1 + c1] + wx2 * p[r1 + c2] + wx3 * p[r1 + c3])
                    + wy2 * (wx0 * p[r2 + c0] + wx1 * p[r2 + c1] + wx2 * p[r2 + c2] + wx3 * p[r2 + c3])
                    + wy3 * (wx0 * p[r3 + c0] + wx1 * p[r3 + c1] + wx2 * p[r3 + c2] + wx3 * p[r3 + c3]);
        float a = p[r1 + c1], b = p[r1 + c2], c = p[r2 + c1], d = p[r2 + c2];
        return Math.Clamp(value, Math.Min(Math.Min(a, b), Math.Min(c, d)), Math.Max(Math.Max(a, b), Math.Max(c, d)));
    }

    /// <summary>Weights of the samples at −1, 0, 1, 2 for a position t ∈ [0, 1) past sample 0 (they sum to 1).</summary>
    public static (float W0, float W1, float W2, float W3) Weights(float t)
    {
        float t2 = t * t, t3 = t2 * t;
        return (0.5f * (-t3 + 2 * t2 - t), 0.5f * (3 * t3 - 5 * t2 + 2), 0.5f * (-3 * t3 + 4 * t2 + t), 0.5f * (t3 - t2));
    }
}
