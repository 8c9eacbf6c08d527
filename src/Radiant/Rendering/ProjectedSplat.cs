using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

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
    /// Sets the support box from the conic and opacity (<see cref="Support"/> with this splat in every lane).
    /// </summary>
    public void ComputeSupport(int width, int height)
    {
        Support(Vector256.Create((double)X), Vector256.Create((double)Y), Vector256.Create((double)ConicA), Vector256.Create((double)ConicB),
                Vector256.Create((double)ConicC), Vector256.Create((double)Opacity), width, height, out var box, out var q);
        SetSupport(box, q, 0);
    }

    /// <summary>Sets the support box and Q from lane <paramref name="k"/> (0–3) of <see cref="Support"/>'s results.</summary>
    public void SetSupport(in SupportBox box, Vector256<double> q, int k)
    {
        XMin = (short)box.XMin.GetElement(k); XMax = (short)box.XMax.GetElement(k);
        YMin = (short)box.YMin.GetElement(k); YMax = (short)box.YMax.GetElement(k);
        SupportQ = (float)q.GetElement(k);
    }

    /// <summary>
    /// The support boxes of 4 splats, one per lane (in double from the float conic the rasterizer
    /// uses): alpha = o·exp(−q/2) ≥ 1/255 needs q = dᵀ·conic·d ≤ t = 2·ln(255·o), an ellipse whose
    /// half extents are sqrt(t·Σxx), sqrt(t·Σyy) with Σ = conic⁻¹ (widened slightly so the box is
    /// conservative), then the pixels whose centres lie inside, clipped to the image; Q = t·1.002 + 1e−3.
    /// A lane without support gets the empty box (0, −1, 0, −1) and Q = −1. ln is libm's, lane by lane.
    /// </summary>
    public static void Support(Vector256<double> x, Vector256<double> y, Vector256<double> a, Vector256<double> b, Vector256<double> c,
                               Vector256<double> opacity, int width, int height, out SupportBox box, out Vector256<double> q)
    {
        Vector256<double> o = opacity * 255.0;
        Vector256<double> t = 2.0 * Vector256.Create(Math.Log(o.GetElement(0)), Math.Log(o.GetElement(1)), Math.Log(o.GetElement(2)), Math.Log(o.GetElement(3)));
        Vector256<double> det = a * c - b * b;
        Vector256<double> extentX = Vector256.Sqrt(t * c / det) * 1.001 + Vector256.Create(0.01);
        Vector256<double> extentY = Vector256.Sqrt(t * a / det) * 1.001 + Vector256.Create(0.01);
        Vector256<double> support = Vector256.GreaterThan(t, Vector256<double>.Zero) & Vector256.GreaterThan(det, Vector256<double>.Zero)
                                  & Vector256.GreaterThan(a, Vector256<double>.Zero)
                                  & Range(x, extentX, width, out Vector256<double> xMin, out Vector256<double> xMax)
                                  & Range(y, extentY, height, out Vector256<double> yMin, out Vector256<double> yMax);
        box = new SupportBox(Vector256.ConditionalSelect(support, xMin, Vector256<double>.Zero), Vector256.ConditionalSelect(support, xMax, Vector256.Create(-1.0)),
                             Vector256.ConditionalSelect(support, yMin, Vector256<double>.Zero), Vector256.ConditionalSelect(support, yMax, Vector256.Create(-1.0)));
        q = Vector256.ConditionalSelect(support, t * SupportScale + Vector256.Create((double)SupportPad), Vector256.Create(-1.0));
    }

    /// <summary>Pixels [min, max] whose centres lie within centre ± extent, clipped to [0, size − 1]; all-ones lanes where that is not empty.</summary>
    private static Vector256<double> Range(Vector256<double> centre, Vector256<double> extent, int size, out Vector256<double> min, out Vector256<double> max)
    {
        Vector256<double> lo = Vector256.Ceiling(centre - extent - Vector256.Create(0.5)), hi = Vector256.Floor(centre + extent - Vector256.Create(0.5));
        Vector256<double> last = Vector256.Create((double)(size - 1));
        min = Vector256.Max(lo, Vector256<double>.Zero);
        max = Vector256.Min(hi, last);
        return Vector256.LessThanOrEqual(lo, hi) & Vector256.GreaterThanOrEqual(hi, Vector256<double>.Zero) & Vector256.LessThanOrEqual(lo, last);
    }
}

/// <summary>Inclusive pixel boxes of 4 splats' supports (integral values), one per lane.</summary>
internal readonly record struct SupportBox(Vector256<double> XMin, Vector256<double> XMax, Vector256<double> YMin, Vector256<double> YMax);

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
