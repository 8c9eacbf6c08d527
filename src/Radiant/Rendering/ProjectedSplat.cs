using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using V = System.Runtime.Intrinsics.Vector256<float>;

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
    /// A lane without support gets the empty box (0, −1, 0, −1) and Q = −1.
    /// </summary>
    public static void Support(Vector256<double> x, Vector256<double> y, Vector256<double> a, Vector256<double> b, Vector256<double> c,
                               Vector256<double> opacity, int width, int height, out SupportBox box, out Vector256<double> q)
    {
        Vector256<double> o = opacity * 255.0;
        Vector256<double> t = 2.0 * SimdLog.Ln(o);
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

    /// <summary>
    /// Writes 8 splats, lane k of each quantity to <paramref name="rows"/>[k] (lanes outside
    /// <paramref name="keep"/> as default): the lane vectors are transposed into the 52-byte records,
    /// fields 0–7 and 8–12 by two 8×8 transposes, and stored a record at a time. Box and Q are lanes
    /// 0–3 / 4–7 of <see cref="Support"/>'s results (Q rounded to float as in <see cref="SetSupport"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreLanes(Span<ProjectedSplat> rows, V keep, V x, V y, V conicA, V conicB, V conicC, V opacity, V r, V g, V b, V depth,
                                  in SupportBox boxLow, in SupportBox boxHigh, Vector256<double> qLow, Vector256<double> qHigh)
    {
        V xBox = PackedRange(boxLow.XMin, boxLow.XMax, boxHigh.XMin, boxHigh.XMax);
        V yBox = PackedRange(boxLow.YMin, boxLow.YMax, boxHigh.YMin, boxHigh.YMax);
        V q = Vector256.Narrow(qLow, qHigh);
        Lanes.Transpose(x & keep, y & keep, conicA & keep, conicB & keep, conicC & keep, opacity & keep, r & keep, g & keep,
                        out V head0, out V head1, out V head2, out V head3, out V head4, out V head5, out V head6, out V head7);
        Lanes.Transpose(b & keep, depth & keep, xBox & keep, yBox & keep, q & keep, V.Zero, V.Zero, V.Zero,
                        out V tail0, out V tail1, out V tail2, out V tail3, out V tail4, out V tail5, out V tail6, out V tail7);
        ref float f = ref Unsafe.As<ProjectedSplat, float>(ref MemoryMarshal.GetReference(rows[..Lanes.Count]));
        StoreRow(ref f, 0, head0, tail0); StoreRow(ref f, 1, head1, tail1); StoreRow(ref f, 2, head2, tail2); StoreRow(ref f, 3, head3, tail3);
        StoreRow(ref f, 4, head4, tail4); StoreRow(ref f, 5, head5, tail5); StoreRow(ref f, 6, head6, tail6); StoreRow(ref f, 7, head7, tail7);
    }

    /// <summary>Record k (13 floats): fields 0–7 from <paramref name="head"/>, 8–12 from the first 5 lanes of <paramref name="tail"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow(ref float f, int k, V head, V tail)
    {
        const int Floats = 13;
        head.StoreUnsafe(ref f, (nuint)(Floats * k));
        tail.GetLower().StoreUnsafe(ref f, (nuint)(Floats * k + 8));
        Unsafe.Add(ref f, Floats * k + 12) = tail.GetUpper().ToScalar();
    }

    /// <summary>The 16-bit pair (min, max) of each lane's box side as one 32-bit lane (the field order of the record).</summary>
    private static V PackedRange(Vector256<double> minLow, Vector256<double> maxLow, Vector256<double> minHigh, Vector256<double> maxHigh)
    {
        // Integral values within ±MaxImageSide: exact in float, so float → int is the (short) cast of the double.
        Vector256<int> min = Vector256.ConvertToInt32(Vector256.Narrow(minLow, minHigh)), max = Vector256.ConvertToInt32(Vector256.Narrow(maxLow, maxHigh));
        return ((min & Vector256.Create(0xFFFF)) | (max << 16)).AsSingle();
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
