using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Radiant.Rendering;

/// <summary>
/// View-dependent colour from real spherical harmonics up to degree 3, with the basis, signs and
/// constants of the reference 3DGS (Kerbl et al. 2023, following Plenoxels / Sloan's "Stupid SH
/// tricks"): colour_c = max(0, 0.5 + Σ_k Y_k(dir)·sh[3k + c]), dir = normalise(mean − camera).
/// Backward gives dL/d coefficients (rank one per view, kept factored as dL/dcolour and the
/// direction) and dL/d mean through the normalised direction; a clamped channel passes no gradient.
/// </summary>
internal static class SphericalHarmonics
{
    public const float C0 = 0.28209479177387814f;
    public const float C1 = 0.4886025119029199f;
    private const float C2_0 = 1.0925484305920792f, C2_1 = -1.0925484305920792f, C2_2 = 0.31539156525252005f,
                        C2_3 = -1.0925484305920792f, C2_4 = 0.5462742152960396f;
    private const float C3_0 = -0.5900435899266435f, C3_1 = 2.890611442640554f, C3_2 = -0.4570457994644658f,
                        C3_3 = 0.3731763325901154f, C3_4 = -0.4570457994644658f, C3_5 = 1.445305721320277f,
                        C3_6 = -0.5900435899266435f;

    public static int CoefficientCount(int degree) => (degree + 1) * (degree + 1);

    /// <summary>The basis values Y_0..Y_15 at a unit direction (entries above the degree are left 0).</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct Basis16
    {
        public float Y0, Y1, Y2, Y3, Y4, Y5, Y6, Y7, Y8, Y9, Y10, Y11, Y12, Y13, Y14, Y15;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Basis16(float x, float y, float z, int degree)
        {
            this = default;
            Y0 = C0;
            if (degree < 1) return;
            Y1 = -C1 * y; Y2 = C1 * z; Y3 = -C1 * x;
            if (degree < 2) return;
            float xx = x * x, yy = y * y, zz = z * z, xy = x * y, yz = y * z, xz = x * z;
            Y4 = C2_0 * xy; Y5 = C2_1 * yz; Y6 = C2_2 * (2 * zz - xx - yy); Y7 = C2_3 * xz; Y8 = C2_4 * (xx - yy);
            if (degree < 3) return;
            Y9 = C3_0 * y * (3 * xx - yy);
            Y10 = C3_1 * xy * z;
            Y11 = C3_2 * y * (4 * zz - xx - yy);
            Y12 = C3_3 * z * (2 * zz - 3 * xx - 3 * yy);
            Y13 = C3_4 * x * (4 * zz - xx - yy);
            Y14 = C3_5 * z * (xx - yy);
            Y15 = C3_6 * x * (xx - 3 * yy);
        }

        public static ref float At(ref Basis16 b, int k) => ref Unsafe.Add(ref b.Y0, k);
    }

    /// <summary>Fills Y_k(x, y, z) for k &lt; (degree+1)² (unit direction). Returns that count.</summary>
    public static int Basis(float x, float y, float z, int degree, Span<float> basis)
    {
        var b = new Basis16(x, y, z, degree);
        int count = CoefficientCount(degree);
        MemoryMarshal.CreateReadOnlySpan(ref b.Y0, count).CopyTo(basis);
        return count;
    }

    /// <summary>
    /// Colour seen along v = mean − camera (need not be unit) from the coefficients
    /// <paramref name="sh"/> laid out [3k + c] (at least (degree+1)² of them). Returns a bit mask of
    /// the channels clamped at 0 (bit c set when 0.5 + Σ &lt; 0).
    /// </summary>
    public static int Evaluate(ReadOnlySpan<float> sh, int degree, float vx, float vy, float vz, out float r, out float g, out float b)
    {
        int count = CoefficientCount(degree);
        if (sh.Length < 3 * count) throw new ArgumentException("too few SH coefficients for the degree", nameof(sh));
        Normalise(ref vx, ref vy, ref vz, out _);
        var basis = new Basis16(vx, vy, vz, degree);
        ref float c = ref MemoryMarshal.GetReference(sh);
        float sr = 0.5f, sg = 0.5f, sb = 0.5f;
        for (int k = 0; k < count; k++)
        {
            float yk = Basis16.At(ref basis, k);
            sr += yk * Unsafe.Add(ref c, 3 * k);
            sg += yk * Unsafe.Add(ref c, 3 * k + 1);
            sb += yk * Unsafe.Add(ref c, 3 * k + 2);
        }
        int clamped = (sr < 0 ? 1 : 0) | (sg < 0 ? 2 : 0) | (sb < 0 ? 4 : 0);
        r = MathF.Max(sr, 0); g = MathF.Max(sg, 0); b = MathF.Max(sb, 0);
        return clamped;
    }

    /// <summary>
    /// The gradient with respect to the coefficients of one view is rank one:
    /// <code>
    ///   dL/dsh[3k + c] = Y_k(dir) · dL/dcolour_c      for k &lt; (degree+1)², 0 beyond
    /// </code>
    /// with dir = normalise(v), v = mean − camera as in <see cref="Evaluate"/>, and dL/dcolour
    /// already zero on clamped channels. Writes it for the 3-float rows of <paramref name="dSh"/>
    /// (at most 16 of them); the one place that expands the factored gradient.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ExpandGradient(float vx, float vy, float vz, int degree, float dr, float dg, float db, Span<float> dSh)
    {
        int rows = dSh.Length / 3;
        if (rows * 3 != dSh.Length || rows > 16) throw new ArgumentException("the SH gradient must be 3-float rows, at most 16", nameof(dSh));
        if (dr == 0 && dg == 0 && db == 0)
        {
            dSh.Clear();   // unseen (or fully clamped) Gaussian: no gradient, whatever the direction
            return;
        }
        Normalise(ref vx, ref vy, ref vz, out _);
        var basis = new Basis16(vx, vy, vz, degree);   // Y_k = 0 above the degree
        ref float d = ref MemoryMarshal.GetReference(dSh);
        for (int k = 0; k < rows; k++)
        {
            float yk = Basis16.At(ref basis, k);
            Unsafe.Add(ref d, 3 * k) = yk * dr;
            Unsafe.Add(ref d, 3 * k + 1) = yk * dg;
            Unsafe.Add(ref d, 3 * k + 2) = yk * db;
        }
    }

    /// <summary>
    /// Backward of <see cref="Evaluate"/>. dL/d coefficients is left in the factored form of
    /// <see cref="ExpandGradient"/>: returns <paramref name="dColour"/> = dL/dcolour with clamped
    /// channels zeroed (the other factor is the direction of v). Also returns dL/dv
    /// (v = mean − camera, so this is also dL/d mean through the direction).
    /// </summary>
    public static void Backward(ReadOnlySpan<float> sh, int degree, float vx, float vy, float vz,
                                float dr, float dg, float db, int clampMask,
                                out Vec3f dColour,
                                out float dvx, out float dvy, out float dvz)
    {
        int count = CoefficientCount(degree);
        if (sh.Length < 3 * count) throw new ArgumentException("too few SH coefficients for the degree");
        if ((clampMask & 1) != 0) dr = 0;
        if ((clampMask & 2) != 0) dg = 0;
        if ((clampMask & 4) != 0) db = 0;
        Normalise(ref vx, ref vy, ref vz, out float invLength);
        float x = vx, y = vy, z = vz;
        dColour = new Vec3f(dr, dg, db);
        ref float c = ref MemoryMarshal.GetReference(sh);
        // g_k = dL/dY_k = Σ_c sh[3k+c]·dL/dcolour_c  (dL/dsh_k = Y_k·dL/dcolour is left factored).
        var gk = new Basis16();
        for (int k = 0; k < count; k++)
            Basis16.At(ref gk, k) = Unsafe.Add(ref c, 3 * k) * dr + Unsafe.Add(ref c, 3 * k + 1) * dg + Unsafe.Add(ref c, 3 * k + 2) * db;
        dvx = dvy = dvz = 0;
        if (degree < 1) return;

        // dL/ddir = Σ_k g_k ∇Y_k (x, y, z treated as independent).
        float gx = -C1 * gk.Y3, gy = -C1 * gk.Y1, gz = C1 * gk.Y2;
        if (degree >= 2)
        {
            float xx = x * x, yy = y * y, zz = z * z;
            gx += C2_0 * y * gk.Y4 - 2 * C2_2 * x * gk.Y6 + C2_3 * z * gk.Y7 + 2 * C2_4 * x * gk.Y8;
            gy += C2_0 * x * gk.Y4 + C2_1 * z * gk.Y5 - 2 * C2_2 * y * gk.Y6 - 2 * C2_4 * y * gk.Y8;
            gz += C2_1 * y * gk.Y5 + 4 * C2_2 * z * gk.Y6 + C2_3 * x * gk.Y7;
            if (degree >= 3)
            {
                gx += C3_0 * 6 * x * y * gk.Y9
                    + C3_1 * y * z * gk.Y10
                    - C3_2 * 2 * x * y * gk.Y11
                    - C3_3 * 6 * x * z * gk.Y12
                    + C3_4 * (4 * zz - 3 * xx - yy) * gk.Y13
                    + C3_5 * 2 * x * z * gk.Y14
                    + C3_6 * 3 * (xx - yy) * gk.Y15;
                gy += C3_0 * 3 * (xx - yy) * gk.Y9
                    + C3_1 * x * z * gk.Y10
                    + C3_2 * (4 * zz - xx - 3 * yy) * gk.Y11
                    - C3_3 * 6 * y * z * gk.Y12
                    - C3_4 * 2 * x * y * gk.Y13
                    - C3_5 * 2 * y * z * gk.Y14
                    - C3_6 * 6 * x * y * gk.Y15;
                gz += C3_1 * x * y * gk.Y10
                    + C3_2 * 8 * y * z * gk.Y11
                    + C3_3 * (6 * zz - 3 * xx - 3 * yy) * gk.Y12
                    + C3_4 * 8 * x * z * gk.Y13
                    + C3_5 * (xx - yy) * gk.Y14;
            }
        }
        // Through dir = v/|v|: dL/dv = (dL/ddir − dir·(dir·dL/ddir)) / |v|.
        float radial = gx * x + gy * y + gz * z;
        dvx = (gx - radial * x) * invLength;
        dvy = (gy - radial * y) * invLength;
        dvz = (gz - radial * z) * invLength;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Normalise(ref float x, ref float y, ref float z, out float invLength)
    {
        float length = MathF.Sqrt(x * x + y * y + z * z);
        invLength = length > 0 ? 1 / length : 0;
        x *= invLength; y *= invLength; z *= invLength;
    }
}
