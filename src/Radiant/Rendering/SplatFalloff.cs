using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Radiant.Rendering;

/// <summary>
/// The per-pixel Gaussian falloff and alpha shared by the forward and backward rasterizers, for 8
/// pixels of a row at once (so both passes see bit-identical values):
/// power = −½(a·dx² + c·dy²) − b·dx·dy at the pixel centre (dx = px + 0.5 − mean.x),
/// alpha = min(0.99, opacity·exp(power)), evaluated as 2^(log2 e·power + log2 opacity); a pixel takes the Gaussian only if alpha ≥ 1/255
/// (reference 3DGS rules; power ≤ 0 always holds, see <see cref="Alpha"/>).
/// </summary>
internal static class SplatFalloff
{
    public const int Lanes = 8;
    public const float MaxAlpha = 0.99f;
    public const float MinAlpha = 1f / 255f;
    public const float MinTransmittance = 1e-4f;

    private static readonly Vector256<float> LaneOffsets = Vector256.Create(0.5f, 1.5f, 2.5f, 3.5f, 4.5f, 5.5f, 6.5f, 7.5f);

    /// <summary>dx = (pixel centre x) − mean.x for the 8 pixels starting at column <paramref name="px"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Dx(int px, float meanX) => Vector256.Create((float)px) + LaneOffsets - Vector256.Create(meanX);

    private static readonly Vector256<float> RowOffsets = LaneOffsets;

    /// <summary>
    /// The row table of a Gaussian in a 16-row tile starting at <paramref name="y0"/>: dy = (pixel
    /// centre y) − mean.y and rowTerm = −½c·dy² (as (halfNegC·dy)·dy) for each of the 16 rows.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void RowTable(int y0, float meanY, float halfNegC, float* dy, float* rowTerm)
    {
        var mean = Vector256.Create(meanY);
        var c = Vector256.Create(halfNegC);
        Vector256<float> d0 = Vector256.Create((float)y0) + RowOffsets - mean;
        Vector256<float> d1 = Vector256.Create((float)(y0 + Lanes)) + RowOffsets - mean;
        d0.Store(dy);
        d1.Store(dy + Lanes);
        (c * d0 * d0).Store(rowTerm);
        (c * d1 * d1).Store(rowTerm + Lanes);
    }

    /// <summary>
    /// Which 8-pixel column groups of each tile row the Gaussian's support ellipse can reach:
    /// completing the square, q = a(dx + (b/a)dy)² + (det/a)dy² ≤ Q gives, per row, the pixel-centre
    /// interval X − (b/a)dy ± sqrt((Q − (det/a)dy²)/a), widened slightly (conservative). Returns
    /// bit masks over the 16 rows for the left and right group of the tile (from the row table).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void SupportRows(in ProjectedSplat s, int x0, float* rowDy, out uint leftRows, out uint rightRows)
    {
        float invA = 1 / s.ConicA;
        var shear = Vector256.Create(s.ConicB * invA);
        var q = Vector256.Create(s.SupportQ * invA);
        var flat = Vector256.Create((float)(((double)s.ConicA * s.ConicC - (double)s.ConicB * s.ConicB) * invA * invA));
        var meanX = Vector256.Create(s.X);
        var leftFirst = Vector256.Create(x0 + 0.5f);
        var leftLast = Vector256.Create(x0 + 7.5f);
        var rightFirst = Vector256.Create(x0 + 8.5f);
        var rightLast = Vector256.Create(x0 + 15.5f);
        leftRows = rightRows = 0;
        for (int half = 0; half < 2; half++)
        {
            Vector256<float> dy = Vector256.Load(rowDy + half * Lanes);
            Vector256<float> centre = Vector256.FusedMultiplyAdd(-shear, dy, meanX);
            Vector256<float> halfWidthSq = Vector256.FusedMultiplyAdd(-flat, dy * dy, q);
            Vector256<float> halfWidth = Vector256.FusedMultiplyAdd(Vector256.Sqrt(NonNegative(halfWidthSq)),
                                                                    Vector256.Create(1.001f), Vector256.Create(0.02f));
            Vector256<float> lo = centre - halfWidth, hi = centre + halfWidth;
            Vector256<float> left = Vector256.LessThanOrEqual(leftFirst, hi) & Vector256.GreaterThanOrEqual(leftLast, lo);
            Vector256<float> right = Vector256.LessThanOrEqual(rightFirst, hi) & Vector256.GreaterThanOrEqual(rightLast, lo);
            leftRows |= left.ExtractMostSignificantBits() << (half * Lanes);
            rightRows |= right.ExtractMostSignificantBits() << (half * Lanes);
        }
    }

    /// <summary>max(x, 0) (one instruction with AVX; the support inputs are finite, so NaN handling is not needed).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> NonNegative(Vector256<float> x) => Avx.IsSupported ? Avx.Max(x, Vector256<float>.Zero) : Vector256.Max(x, Vector256<float>.Zero);

    /// <summary>
    /// The per-column-group terms of the alpha exponent e = log2 e·power + log2 o (base 2, opacity
    /// folded in): au = log2 e·(−½a·dx²) + log2 o and bu = log2 e·(−b·dx) for the 8 pixels from
    /// column <paramref name="px"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ColumnTerms(int px, in ProjectedSplat s, out Vector256<float> au, out Vector256<float> bu)
    {
        Vector256<float> dx = Dx(px, s.X);
        au = Vector256.FusedMultiplyAdd(Vector256.Create(-0.5f * Log2E * s.ConicA) * dx, dx, Vector256.Create(s.Log2Opacity));
        bu = Vector256.Create(-Log2E * s.ConicB) * dx;
    }

    /// <summary>−½c·log2 e, the row table's coefficient for the base-2 exponent.</summary>
    public static float RowCoefficient(in ProjectedSplat s) => -0.5f * Log2E * s.ConicC;

    public const float Log2E = 1.44269504088896341f;

    /// <summary>
    /// Exponent e = au + bu·dy + rowTerm (au, bu from <see cref="ColumnTerms"/>, rowTerm from the
    /// row table with <see cref="RowCoefficient"/>), so that o·exp(power) = 2^e.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Exponent(Vector256<float> au, Vector256<float> bu, Vector256<float> rowTerm, Vector256<float> dy)
        => Vector256.FusedMultiplyAdd(bu, dy, au + rowTerm);

    /// <summary>
    /// alpha = min(0.99, o·G) with o·G = 2^exponent (G = exp(power)); <paramref name="valid"/> is
    /// all-ones where the pixel takes the Gaussian (alpha ≥ 1/255); <paramref name="unclamped"/> = o·G
    /// before the 0.99 clamp. The reference's "skip power &gt; 0" never applies: conics are positive
    /// definite (the projection culls det ≤ 0 and the support box is empty unless a &gt; 0 and
    /// det &gt; 0), so power = −½ dᵀ·conic·d ≤ 0.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Alpha(Vector256<float> exponent, out Vector256<float> valid, out Vector256<float> unclamped)
    {
        unclamped = SimdExp.Exp2(exponent);
        Vector256<float> alpha = Vector256.Min(unclamped, Vector256.Create(MaxAlpha));
        valid = Vector256.GreaterThanOrEqual(alpha, Vector256.Create(MinAlpha));
        return alpha;
    }
}
