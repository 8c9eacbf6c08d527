using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Radiant.Rendering;

/// <summary>
/// exp(x) for 8 floats at once (<see cref="Exp"/>: the projection's scales exp(log-scale) and
/// sigmoids), and 2^x in the rasterizer's pixel lanes (<see cref="Exp2{L, V}"/>):
/// exp(x) = 2^(x·log2 e) = 2ⁿ·2ᶠ with n = round(x·log2 e), f = x·log2 e − n ∈ [−½, ½] (log2 e
/// split in two floats so f stays exact to a few ulp over the whole range), 2ᶠ from a degree-5
/// polynomial fitted for minimal relative error (9e−8 in exact arithmetic), 2ⁿ added to the
/// exponent bits. Relative error ≤ ~3e−7 (a few ulp) for x in [−80, 88]; inputs are clamped to that
/// range (e^−80 ≈ 1.8e−35 and e^88 ≈ 1.7e38 stand for 0 and overflow; no model reaches them), NaN stays NaN.
/// </summary>
internal static class SimdExp
{
    private const float Log2E = 1.44269504088896341f;
    private const float Log2ELow = 1.925963e-8f; // log2 e − (float)log2 e
    private const float Shifter = 12582912f; // 1.5·2²³: adding it rounds to an integer kept in the low mantissa bits
    private const float C0 = 1.0000028610f, C1 = 0.69299519062f, C2 = 0.24148491025f, C3 = 0.051959238946f, C4 = 0.013552199118f;
    private const float P1 = 0.693147f, P2 = 0.24022242f, P3 = 0.055507336f, P4 = 0.009671513f, P5 = 0.0013264727f;

    /// <summary>
    /// 2^x for x ≤ 0 (clamped below at −126, so that the result stays a normal float), in the
    /// rasterizer's pixel lanes: 2^x = 2^⌊x⌋·2ᶠ with f = x − ⌊x⌋ ∈ [0, 1), 2ᶠ from a degree-4
    /// polynomial (alpha needs ~1e−5, not full float), 2^⌊x⌋ applied to its exponent. With AVX-512
    /// that is a vscalefps: 9 instructions in all, against 11 with the round-to-nearest split of
    /// <see cref="Exp"/>; the AVX2 form gives the same bits.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V Exp2<L, V>(V x) where L : struct, IPixelLanes<V> where V : unmanaged
    {
        x = L.Max(x, L.Create(-126f));
        V n = L.Floor(x);
        V f = L.Subtract(x, n);   // in [0, 1]; rounded (by at most 2⁻²⁵) only for x in (−½, 0)
        // 2ᶠ ≈ (C0 + C1 f) + f²((C2 + C3 f) + C4 f²): √2·q(f − ½) expanded, q the degree-4 fit of 2ᵍ on
        // g ∈ [−½, ½] (relative error 2.9e−6 in exact arithmetic).
        V f2 = L.Multiply(f, f);
        V low = L.FusedMultiplyAdd(L.Create(C1), f, L.Create(C0));
        V mid = L.FusedMultiplyAdd(L.Create(C3), f, L.Create(C2));
        V p = L.FusedMultiplyAdd(L.FusedMultiplyAdd(L.Create(C4), f2, mid), f2, low);
        return L.ScaleByPowerOfTwo(p, n);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Exp(Vector256<float> x)
    {
        x = Vector256.Min(Vector256.Max(x, Vector256.Create(-80f)), Vector256.Create(88f));
        Vector256<float> t = Vector256.FusedMultiplyAdd(x, Vector256.Create(Log2E), Vector256.Create(Shifter));
        Vector256<float> negN = Vector256.Create(Shifter) - t;
        Vector256<float> f = Vector256.FusedMultiplyAdd(x, Vector256.Create(Log2E), negN);
        f = Vector256.FusedMultiplyAdd(x, Vector256.Create(Log2ELow), f);
        // Estrin's scheme (shorter dependency chain than Horner): (1 + P1 f) + f²(P2 + P3 f) + f⁴(P4 + P5 f).
        Vector256<float> f2 = f * f;
        Vector256<float> low = Vector256.FusedMultiplyAdd(Vector256.Create(P1), f, Vector256<float>.One);
        Vector256<float> mid = Vector256.FusedMultiplyAdd(Vector256.Create(P3), f, Vector256.Create(P2));
        Vector256<float> high = Vector256.FusedMultiplyAdd(Vector256.Create(P5), f, Vector256.Create(P4));
        Vector256<float> p = Vector256.FusedMultiplyAdd(high, f2 * f2, Vector256.FusedMultiplyAdd(mid, f2, low));
        // (bits(t) << 23) == n << 23 modulo 2³² because the shifter's own bits shift out.
        Vector256<int> scale = Vector256.ShiftLeft(t.AsInt32(), 23);
        return (p.AsInt32() + scale).AsSingle();
    }
}
