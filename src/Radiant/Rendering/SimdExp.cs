using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Radiant.Rendering;

/// <summary>
/// exp(x) for 8 floats at once, for the rasterizer's Gaussian falloff (x = power ≤ 0). Cody–Waite
/// range reduction x = n·ln2 + r, |r| ≤ ln2/2, the Cephes expf polynomial for e^r, and 2ⁿ added to
/// the exponent bits. Relative error ≈ 1–2 ulp for x in [−80, 88] (x must not exceed 88); inputs below −80 are clamped
/// (e^−80 ≈ 1.8e−35, far below any alpha threshold).
/// </summary>
internal static class SimdExp
{
    private const float Log2E = 1.44269504088896341f;
    private const float Ln2Hi = 0.693359375f;
    private const float Ln2Lo = -2.12194440e-4f;
    private const float Shifter = 12582912f; // 1.5·2²³: adding it rounds to an integer kept in the low mantissa bits

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Exp(Vector256<float> x)
    {
        x = Vector256.Max(x, Vector256.Create(-80f));
        Vector256<float> t = Vector256.FusedMultiplyAdd(x, Vector256.Create(Log2E), Vector256.Create(Shifter));
        Vector256<float> n = t - Vector256.Create(Shifter);
        Vector256<float> r = Vector256.FusedMultiplyAdd(n, Vector256.Create(-Ln2Hi), x);
        r = Vector256.FusedMultiplyAdd(n, Vector256.Create(-Ln2Lo), r);
        Vector256<float> p = Vector256.Create(1.9875691500e-4f);
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(1.3981999507e-3f));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(8.3334519073e-3f));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(4.1665795894e-2f));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(1.6666665459e-1f));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(5.0000001201e-1f));
        p = Vector256.FusedMultiplyAdd(p, r * r, r + Vector256<float>.One);
        // (bits(t) << 23) == n << 23 modulo 2³² because the shifter's own bits shift out.
        Vector256<int> scale = Vector256.ShiftLeft(t.AsInt32(), 23);
        return (p.AsInt32() + scale).AsSingle();
    }
}
