using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Radiant.Rendering;

/// <summary>
/// ln(x) for 4 doubles at once (the splats' support threshold 2·ln(255·o), which libm computed lane
/// by lane: 8 calls per batch of 8 Gaussians, each spilling every live vector register).
/// x = m·2ᵉ with m ∈ [√½, √2), so ln x = e·ln 2 + ln m, and with s = (m − 1)/(m + 1) ∈ [−0.172, 0.172],
/// ln m = 2·atanh s = 2s + 2s·(z/3 + z²/5 + … + z⁹/19), z = s² (the first term left out, z¹⁰/21,
/// is below 2.4e−17 relative). Error within a few ulp of the correctly rounded value for normal
/// positive x; ln 0 = −∞, ln(+∞) = +∞, negative or NaN x give NaN. Subnormal x (below 2.2e−308; an
/// opacity in float times 255 never is) are not supported.
/// </summary>
internal static class SimdLog
{
    private const double Ln2High = 6.93147180369123816490e-01;   // ln 2 to 32 significant bits (its low 21 bits zero): e·Ln2High is exact for |e| < 2¹¹
    private const double Ln2Low = 1.90821492927058770002e-10;    // ln 2 − Ln2High
    private const ulong ExponentMask = 0x7FF0_0000_0000_0000, OneBits = 0x3FF0_0000_0000_0000, TwoTo52Bits = 0x4330_0000_0000_0000;
    private const double TwoTo52 = 4503599627370496.0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Ln(Vector256<double> x)
    {
        Vector256<ulong> bits = x.AsUInt64();
        // m ∈ [1, 2) from the mantissa; e the unbiased exponent. Above √2, halve m and raise e.
        Vector256<double> m = ((bits & ~Vector256.Create(ExponentMask)) | Vector256.Create(OneBits)).AsDouble();
        // The exponent field k as a double without an integer conversion: the bits 2⁵² + k, less 2⁵².
        Vector256<ulong> field = Vector256.ShiftRightLogical(bits, 52) & Vector256.Create(0x7FFUL);
        Vector256<double> e = (field | Vector256.Create(TwoTo52Bits)).AsDouble() - Vector256.Create(TwoTo52 + 1023);
        Vector256<double> high = Vector256.GreaterThan(m, Vector256.Create(Math.Sqrt(2)));
        m = Vector256.ConditionalSelect(high, m * 0.5, m);
        e += high & Vector256<double>.One;
        Vector256<double> s = (m - Vector256<double>.One) / (m + Vector256<double>.One);
        Vector256<double> z = s * s;
        // Estrin's scheme over z: R = z/3 + z²/5 + … + z⁹/19 = z·(c0 + c1 z + … + c8 z⁸), c_k = 1/(2k + 3).
        Vector256<double> z2 = z * z, z4 = z2 * z2;
        Vector256<double> p01 = Fma(Vector256.Create(1.0 / 5), z, Vector256.Create(1.0 / 3));
        Vector256<double> p23 = Fma(Vector256.Create(1.0 / 9), z, Vector256.Create(1.0 / 7));
        Vector256<double> p45 = Fma(Vector256.Create(1.0 / 13), z, Vector256.Create(1.0 / 11));
        Vector256<double> p67 = Fma(Vector256.Create(1.0 / 17), z, Vector256.Create(1.0 / 15));
        Vector256<double> p03 = Fma(p23, z2, p01), p47 = Fma(p67, z2, p45);
        Vector256<double> p = Fma(Fma(Vector256.Create(1.0 / 19), z4, p47), z4, p03);
        Vector256<double> twoS = s + s;
        Vector256<double> lnM = Fma(twoS, z * p, twoS);
        Vector256<double> ln = Fma(e, Vector256.Create(Ln2High), Fma(e, Vector256.Create(Ln2Low), lnM));
        // Special inputs: 0 → −∞, +∞ and NaN → themselves, negative → NaN.
        ln = Vector256.ConditionalSelect(Vector256.Equals(x, Vector256<double>.Zero), Vector256.Create(double.NegativeInfinity), ln);
        ln = Vector256.ConditionalSelect(Vector256.Equals(x, Vector256.Create(double.PositiveInfinity)) | ~Vector256.Equals(x, x), x, ln);
        return Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256<double>.Zero), Vector256.Create(double.NaN), ln);
    }

    private static Vector256<double> Fma(Vector256<double> a, Vector256<double> b, Vector256<double> c) => Vector256.FusedMultiplyAdd(a, b, c);
}
