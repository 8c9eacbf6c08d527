namespace Radiant.Rendering;

/// <summary>
/// View-dependent colour from real spherical harmonics up to degree 3, with the basis, signs and
/// constants of the reference 3DGS (Kerbl et al. 2023, following Plenoxels / Sloan's "Stupid SH
/// tricks"): colour_c = max(0, 0.5 + Σ_k Y_k(dir)·sh[3k + c]), dir = normalise(mean − camera).
/// Backward gives dL/d coefficients and dL/d mean through the normalised direction; a clamped
/// channel passes no gradient.
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

    /// <summary>Fills Y_k(x, y, z) for k &lt; (degree+1)² (unit direction). Returns that count.</summary>
    public static int Basis(float x, float y, float z, int degree, Span<float> basis)
    {
        basis[0] = C0;
        if (degree < 1) return 1;
        basis[1] = -C1 * y;
        basis[2] = C1 * z;
        basis[3] = -C1 * x;
        if (degree < 2) return 4;
        float xx = x * x, yy = y * y, zz = z * z, xy = x * y, yz = y * z, xz = x * z;
        basis[4] = C2_0 * xy;
        basis[5] = C2_1 * yz;
        basis[6] = C2_2 * (2 * zz - xx - yy);
        basis[7] = C2_3 * xz;
        basis[8] = C2_4 * (xx - yy);
        if (degree < 3) return 9;
        basis[9] = C3_0 * y * (3 * xx - yy);
        basis[10] = C3_1 * xy * z;
        basis[11] = C3_2 * y * (4 * zz - xx - yy);
        basis[12] = C3_3 * z * (2 * zz - 3 * xx - 3 * yy);
        basis[13] = C3_4 * x * (4 * zz - xx - yy);
        basis[14] = C3_5 * z * (xx - yy);
        basis[15] = C3_6 * x * (xx - 3 * yy);
        return 16;
    }

    /// <summary>
    /// Colour seen along v = mean − camera (need not be unit) from the coefficients
    /// <paramref name="sh"/> laid out [3k + c] (at least (degree+1)² of them). Returns a bit mask of
    /// the channels clamped at 0 (bit c set when 0.5 + Σ &lt; 0).
    /// </summary>
    public static int Evaluate(ReadOnlySpan<float> sh, int degree, float vx, float vy, float vz, out float r, out float g, out float b)
    {
        Normalise(ref vx, ref vy, ref vz, out _);
        Span<float> basis = stackalloc float[16];
        int count = Basis(vx, vy, vz, degree, basis);
        sh = sh[..(3 * count)];
        float sr = 0.5f, sg = 0.5f, sb = 0.5f;
        for (int k = 0; k < count; k++)
        {
            float yk = basis[k];
            sr += yk * sh[3 * k];
            sg += yk * sh[3 * k + 1];
            sb += yk * sh[3 * k + 2];
        }
        int clamped = (sr < 0 ? 1 : 0) | (sg < 0 ? 2 : 0) | (sb < 0 ? 4 : 0);
        r = MathF.Max(sr, 0); g = MathF.Max(sg, 0); b = MathF.Max(sb, 0);
        return clamped;
    }

    /// <summary>
    /// Backward of <see cref="Evaluate"/>: adds dL/d coefficient into <paramref name="dSh"/> ([3k + c])
    /// and returns dL/dv (v = mean − camera, so this is also dL/d mean through the direction).
    /// </summary>
    public static void Backward(ReadOnlySpan<float> sh, int degree, float vx, float vy, float vz,
                                float dr, float dg, float db, int clampMask, Span<float> dSh,
                                out float dvx, out float dvy, out float dvz)
    {
        if ((clampMask & 1) != 0) dr = 0;
        if ((clampMask & 2) != 0) dg = 0;
        if ((clampMask & 4) != 0) db = 0;
        Normalise(ref vx, ref vy, ref vz, out float invLength);
        float x = vx, y = vy, z = vz;
        Span<float> basis = stackalloc float[16];
        int count = Basis(x, y, z, degree, basis);
        sh = sh[..(3 * count)];
        dSh = dSh[..(3 * count)];
        for (int k = 0; k < count; k++)
        {
            dSh[3 * k] += basis[k] * dr;
            dSh[3 * k + 1] += basis[k] * dg;
            dSh[3 * k + 2] += basis[k] * db;
        }
        dvx = dvy = dvz = 0;
        if (degree < 1) return;

        // g_k = dL/dY_k = Σ_c sh[3k+c]·dL/dcolour_c; then dL/ddir = Σ_k g_k ∇Y_k (x, y, z treated as independent).
        Span<float> gk = stackalloc float[16];
        for (int k = 1; k < count; k++) gk[k] = sh[3 * k] * dr + sh[3 * k + 1] * dg + sh[3 * k + 2] * db;
        float gx = -C1 * gk[3], gy = -C1 * gk[1], gz = C1 * gk[2];
        if (degree >= 2)
        {
            float xx = x * x, yy = y * y, zz = z * z;
            gx += C2_0 * y * gk[4] - 2 * C2_2 * x * gk[6] + C2_3 * z * gk[7] + 2 * C2_4 * x * gk[8];
            gy += C2_0 * x * gk[4] + C2_1 * z * gk[5] - 2 * C2_2 * y * gk[6] - 2 * C2_4 * y * gk[8];
            gz += C2_1 * y * gk[5] + 4 * C2_2 * z * gk[6] + C2_3 * x * gk[7];
            if (degree >= 3)
            {
                gx += C3_0 * 6 * x * y * gk[9]
                    + C3_1 * y * z * gk[10]
                    - C3_2 * 2 * x * y * gk[11]
                    - C3_3 * 6 * x * z * gk[12]
                    + C3_4 * (4 * zz - 3 * xx - yy) * gk[13]
                    + C3_5 * 2 * x * z * gk[14]
                    + C3_6 * 3 * (xx - yy) * gk[15];
                gy += C3_0 * 3 * (xx - yy) * gk[9]
                    + C3_1 * x * z * gk[10]
                    + C3_2 * (4 * zz - xx - 3 * yy) * gk[11]
                    - C3_3 * 6 * y * z * gk[12]
                    - C3_4 * 2 * x * y * gk[13]
                    - C3_5 * 2 * y * z * gk[14]
                    - C3_6 * 6 * x * y * gk[15];
                gz += C3_1 * x * y * gk[10]
                    + C3_2 * 8 * y * z * gk[11]
                    + C3_3 * (6 * zz - 3 * xx - 3 * yy) * gk[12]
                    + C3_4 * 8 * x * z * gk[13]
                    + C3_5 * (xx - yy) * gk[14];
            }
        }
        // Through dir = v/|v|: dL/dv = (dL/ddir − dir·(dir·dL/ddir)) / |v|.
        float radial = gx * x + gy * y + gz * z;
        dvx = (gx - radial * x) * invLength;
        dvy = (gy - radial * y) * invLength;
        dvz = (gz - radial * z) * invLength;
    }

    private static void Normalise(ref float x, ref float y, ref float z, out float invLength)
    {
        float length = MathF.Sqrt(x * x + y * y + z * z);
        invLength = length > 0 ? 1 / length : 0;
        x *= invLength; y *= invLength; z *= invLength;
    }
}
