using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Radiant.Rendering;

/// <summary>
/// The per-pixel Gaussian falloff and alpha shared by the forward and backward rasterizers, for 8
/// pixels of a row at once (so both passes see bit-identical values):
/// power = −½(a·dx² + c·dy²) − b·dx·dy at the pixel centre (dx = px + 0.5 − mean.x),
/// alpha = min(0.99, opacity·exp(power)); a pixel takes the Gaussian only if power ≤ 0 and
/// alpha ≥ 1/255 (reference 3DGS rules).
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

    /// <summary>dy = (pixel centre y) − mean.y for row <paramref name="py"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Dy(int py, float meanY) => (py + 0.5f) - meanY;

    /// <summary>power = au + bu·dy − ½c·dy², with au = −½a·dx², bu = −b·dx precomputed per column group.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Power(Vector256<float> au, Vector256<float> bu, float halfNegC, float dy)
        => Vector256.FusedMultiplyAdd(bu, Vector256.Create(dy), au + Vector256.Create(halfNegC * dy * dy));

    /// <summary>
    /// alpha = min(0.99, opacity·G), G = exp(power); <paramref name="valid"/> is all-ones where the
    /// pixel takes the Gaussian (power ≤ 0, alpha ≥ 1/255); <paramref name="unclamped"/> = opacity·G
    /// before the 0.99 clamp.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Alpha(Vector256<float> power, Vector256<float> opacity,
                                         out Vector256<float> valid, out Vector256<float> gaussian, out Vector256<float> unclamped)
    {
        gaussian = SimdExp.Exp(power);
        unclamped = opacity * gaussian;
        Vector256<float> alpha = Vector256.Min(unclamped, Vector256.Create(MaxAlpha));
        valid = Vector256.GreaterThanOrEqual(alpha, Vector256.Create(MinAlpha)) & Vector256.LessThanOrEqual(power, Vector256<float>.Zero);
        return alpha;
    }
}
