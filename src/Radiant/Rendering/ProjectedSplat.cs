using System.Runtime.InteropServices;

namespace Radiant.Rendering;

/// <summary>
/// One Gaussian after projection, as the rasterizer reads it (48 bytes): screen mean (pixels, centre
/// of pixel (px, py) at (px + 0.5, py + 0.5)), conic = Σ2d⁻¹ = [[a, b], [b, c]], opacity
/// sigmoid(logit), view-dependent colour, view depth z, and the half extents (pixels) of the region
/// where it can reach alpha ≥ 1/255 (used for tile binning and per-tile pixel ranges).
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct ProjectedSplat
{
    public float X, Y;
    public float ConicA, ConicB, ConicC;
    public float Opacity;
    public float R, G, B;
    public float Depth;
    public float ExtentX, ExtentY;

    /// <summary>
    /// Sets <see cref="ExtentX"/>/<see cref="ExtentY"/> from the conic and opacity: alpha = o·exp(−q/2)
    /// ≥ 1/255 needs q = dᵀ·conic·d ≤ t = 2·ln(255·o), an ellipse whose half extents are
    /// sqrt(t·Σxx), sqrt(t·Σyy) with Σ = conic⁻¹ (computed in double from the float conic the
    /// rasterizer uses, then widened slightly so the box is conservative). Negative extents mean
    /// the Gaussian can never reach the alpha threshold.
    /// </summary>
    public void ComputeExtent()
    {
        double t = 2.0 * Math.Log(255.0 * Opacity);
        double det = (double)ConicA * ConicC - (double)ConicB * ConicB;
        if (!(t > 0) || !(det > 0) || !(ConicA > 0))
        {
            ExtentX = ExtentY = -1;
            return;
        }
        double sxx = ConicC / det, syy = ConicA / det;
        ExtentX = (float)(Math.Sqrt(t * sxx) * 1.001 + 0.01);
        ExtentY = (float)(Math.Sqrt(t * syy) * 1.001 + 0.01);
    }

    /// <summary>
    /// Inclusive pixel range whose centres lie within the extent box, clipped to the image; empty
    /// (min &gt; max) when the box misses the image. Binning and rasterization share this rule.
    /// </summary>
    public readonly bool PixelBox(int width, int height, out int xMin, out int xMax, out int yMin, out int yMax)
    {
        bool ok = Range(X, ExtentX, width, out xMin, out xMax);
        ok &= Range(Y, ExtentY, height, out yMin, out yMax);
        return ok;
    }

    private static bool Range(float centre, float extent, int size, out int min, out int max)
    {
        float lo = MathF.Ceiling(centre - extent - 0.5f), hi = MathF.Floor(centre + extent - 0.5f);
        if (!(extent >= 0) || !(lo <= hi) || hi < 0 || lo > size - 1) { min = 0; max = -1; return false; }
        min = (int)MathF.Max(lo, 0);
        max = (int)MathF.Min(hi, size - 1);
        return true;
    }
}

/// <summary>dL/d of a <see cref="ProjectedSplat"/>'s rasterized quantities (9 floats).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct SplatGradient
{
    public float X, Y;
    public float ConicA, ConicB, ConicC;
    public float Opacity;
    public float R, G, B;
    public const int Floats = 9;
}
