using System.Runtime.InteropServices;

namespace Radiant.Rendering;

/// <summary>
/// One Gaussian after projection, as the rasterizer reads it (52 bytes): screen mean (pixels, centre
/// of pixel (px, py) at (px + 0.5, py + 0.5)), conic = Σ2d⁻¹ = [[a, b], [b, c]], opacity
/// sigmoid(logit), view-dependent colour, view depth z, and the inclusive pixel box (clipped to the
/// image) of its support: the pixels where it can reach alpha ≥ 1/255. Binning and rasterization
/// both use this box, so a Gaussian affects exactly the pixels where alpha ≥ 1/255, independent of
/// tiles.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct ProjectedSplat
{
    public float X, Y;
    public float ConicA, ConicB, ConicC;
    public float Opacity;
    public float R, G, B;
    public float Depth;
    public short XMin, XMax, YMin, YMax;
    /// <summary>Bound on q = dᵀ·conic·d inside the support: 2·ln(255·o), widened slightly (conservative).</summary>
    public float SupportQ;

    private const float SupportScale = 1.002f, SupportPad = 1e-3f;

    /// <summary>
    /// log2(opacity) (folded into the exponent of alpha = 2^(power·log2 e + log2 o)), recovered from
    /// <see cref="SupportQ"/> = 2·ln(255·o)·1.002 + 1e−3 (keeps the splat at 52 bytes).
    /// </summary>
    public readonly float Log2Opacity => (SupportQ - SupportPad) * QToLog2 - Log2Of255;

    private const float QToLog2 = 0.719907705f;   // 1 / (2·1.002·ln 2)
    private const float Log2Of255 = 7.994353437f; // log2 255

    /// <summary>Largest image side the 16-bit support box can address.</summary>
    public const int MaxImageSide = short.MaxValue;

    public readonly bool HasSupport => XMin <= XMax && YMin <= YMax;

    /// <summary>
    /// Sets the support box from the conic and opacity: alpha = o·exp(−q/2) ≥ 1/255 needs
    /// q = dᵀ·conic·d ≤ t = 2·ln(255·o), an ellipse whose half extents are sqrt(t·Σxx), sqrt(t·Σyy)
    /// with Σ = conic⁻¹ (in double from the float conic the rasterizer uses, widened slightly so the
    /// box is conservative), then the pixels whose centres lie inside, clipped to the image.
    /// </summary>
    public void ComputeSupport(int width, int height)
    {
        XMin = YMin = 0;
        XMax = YMax = -1;
        SupportQ = -1;
        double t = 2.0 * Math.Log(255.0 * Opacity);
        double det = (double)ConicA * ConicC - (double)ConicB * ConicB;
        if (!(t > 0) || !(det > 0) || !(ConicA > 0)) return;
        double extentX = Math.Sqrt(t * ConicC / det) * 1.001 + 0.01;
        double extentY = Math.Sqrt(t * ConicA / det) * 1.001 + 0.01;
        if (!Range(X, extentX, width, out int x0, out int x1) || !Range(Y, extentY, height, out int y0, out int y1)) return;
        XMin = (short)x0; XMax = (short)x1; YMin = (short)y0; YMax = (short)y1;
        SupportQ = (float)(t * SupportScale + SupportPad);
    }

    private static bool Range(double centre, double extent, int size, out int min, out int max)
    {
        double lo = Math.Ceiling(centre - extent - 0.5), hi = Math.Floor(centre + extent - 0.5);
        min = 0; max = -1;
        if (!(lo <= hi) || hi < 0 || lo > size - 1) return false;
        min = (int)Math.Max(lo, 0);
        max = (int)Math.Min(hi, size - 1);
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
