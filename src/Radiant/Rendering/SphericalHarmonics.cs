using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using V = System.Runtime.Intrinsics.Vector256<float>;

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

    /// <summary>The basis values Y_0..Y_15 at unit directions, one per lane (entries above the degree are left 0).</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct Basis16
    {
        public V Y0, Y1, Y2, Y3, Y4, Y5, Y6, Y7, Y8, Y9, Y10, Y11, Y12, Y13, Y14, Y15;

        /// <summary>
        /// Y_k at (x, y, z), zero above the degree. A static initialiser of a skip-initialised local
        /// rather than a constructor (which had the JIT zero all 512 bytes before every evaluation).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Compute(V x, V y, V z, int degree, out Basis16 b)
        {
            Unsafe.SkipInit(out b);
            b.Y0 = Vector256.Create(C0);
            if (degree >= 1)
            {
                b.Y1 = -C1 * y; b.Y2 = C1 * z; b.Y3 = -C1 * x;
            }
            if (degree >= 2)
            {
                V xx = x * x, yy = y * y, zz = z * z, xy = x * y, yz = y * z, xz = x * z;
                b.Y4 = C2_0 * xy; b.Y5 = C2_1 * yz; b.Y6 = C2_2 * (2 * zz - xx - yy); b.Y7 = C2_3 * xz; b.Y8 = C2_4 * (xx - yy);
                if (degree >= 3)
                {
                    b.Y9 = C3_0 * y * (3 * xx - yy);
                    b.Y10 = C3_1 * xy * z;
                    b.Y11 = C3_2 * y * (4 * zz - xx - yy);
                    b.Y12 = C3_3 * z * (2 * zz - 3 * xx - 3 * yy);
                    b.Y13 = C3_4 * x * (4 * zz - xx - yy);
                    b.Y14 = C3_5 * z * (xx - yy);
                    b.Y15 = C3_6 * x * (xx - 3 * yy);
                }
            }
            int count = CoefficientCount(Math.Clamp(degree, 0, 3));
            if (count < 16) MemoryMarshal.CreateSpan(ref At(ref b, count), 16 - count).Clear();
        }

        public static ref V At(ref Basis16 b, int k) => ref Unsafe.Add(ref b.Y0, k);
    }

    /// <summary>The coefficients of 8 Gaussians, c[j] = (sh[offset_k + j])_k for j &lt; 3·(degree+1)².</summary>
    [InlineArray(48)]
    private struct Coefficients
    {
        private V _c0;

        /// <summary>
        /// Loads the first <paramref name="floats"/> coefficients of each lane, 8 at a time as rows of
        /// 8 consecutive floats. A last partial row is read whole too (its tail is the next
        /// Gaussian's coefficients, or those of degrees above the active one: unused) when every
        /// lane's row lies inside <paramref name="sh"/>, else gathered: at SH degree 0, 1 or 2 three
        /// gathers of single floats cost more than a row load and its transpose.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Load(ReadOnlySpan<float> sh, Vector256<int> offset, int floats)
        {
            Span<V> all = this;
            int j = 0;
            for (; j + 8 <= floats; j += 8) Lanes.LoadRows(sh, offset + Vector256.Create(j), all.Slice(j, 8));
            if (j < floats && Vector256.LessThanOrEqualAll(offset, Vector256.Create(sh.Length - 8 - j)))
            {
                Lanes.LoadRows(sh, offset + Vector256.Create(j), all.Slice(j, 8));
                return;
            }
            for (; j < floats; j++) this[j] = Lanes.Gather(sh, offset + Vector256.Create(j));
        }
    }

    /// <summary>
    /// Colour seen along v = mean − camera (need not be unit) from the coefficients
    /// <paramref name="sh"/> laid out [3k + c] (at least (degree+1)² of them). Returns a bit mask of
    /// the channels clamped at 0 (bit c set when 0.5 + Σ &lt; 0).
    /// </summary>
    public static int Evaluate(ReadOnlySpan<float> sh, int degree, float vx, float vy, float vz, out float r, out float g, out float b)
    {
        if (sh.Length < 3 * CoefficientCount(degree)) throw new ArgumentException("too few SH coefficients for the degree", nameof(sh));
        Vector256<int> clamped = Evaluate(sh, Vector256<int>.Zero, degree, Vector256.Create(vx), Vector256.Create(vy), Vector256.Create(vz), out V vr, out V vg, out V vb);
        r = vr.ToScalar(); g = vg.ToScalar(); b = vb.ToScalar();
        return clamped.ToScalar();
    }

    /// <summary>
    /// <see cref="Evaluate(ReadOnlySpan{float}, int, float, float, float, out float, out float, out float)"/>
    /// for 8 Gaussians: lane k reads its coefficients at sh[offset_k + 3j + c] (callers guarantee
    /// they lie inside <paramref name="sh"/>) and returns its clamp mask in lane k.
    /// </summary>
    [SkipLocalsInit] // the 1.5 kB of coefficients are loaded, not zeroed first (SkipInit alone leaves the JIT's zeroing)
    public static Vector256<int> Evaluate(ReadOnlySpan<float> sh, Vector256<int> offset, int degree, V vx, V vy, V vz,
                                          out V r, out V g, out V b)
    {
        int count = CoefficientCount(degree);
        Normalise(ref vx, ref vy, ref vz, out _);
        Basis16.Compute(vx, vy, vz, degree, out Basis16 basis);
        Unsafe.SkipInit(out Coefficients c);
        c.Load(sh, offset, 3 * count);
        V sr = Vector256.Create(0.5f), sg = sr, sb = sr;
        for (int k = 0; k < count; k++)
        {
            V yk = Basis16.At(ref basis, k);
            sr += yk * c[3 * k];
            sg += yk * c[3 * k + 1];
            sb += yk * c[3 * k + 2];
        }
        Vector256<int> clamped = (Vector256.LessThan(sr, V.Zero).AsInt32() & Vector256.Create(1))
                               | (Vector256.LessThan(sg, V.Zero).AsInt32() & Vector256.Create(2))
                               | (Vector256.LessThan(sb, V.Zero).AsInt32() & Vector256.Create(4));
        r = Vector256.Max(sr, V.Zero); g = Vector256.Max(sg, V.Zero); b = Vector256.Max(sb, V.Zero);
        return clamped;
    }

    /// <summary>
    /// The gradient with respect to the coefficients of one view is rank one:
    /// <code>
    ///   dL/dsh[3k + c] = Y_k(dir) · dL/dcolour_c      for k &lt; (degree+1)², 0 beyond
    /// </code>
    /// with dir = normalise(v), v = mean − camera as in <see cref="Evaluate(ReadOnlySpan{float}, int, float, float, float, out float, out float, out float)"/>, and dL/dcolour
    /// already zero on clamped channels. Writes it for the 3-float rows of <paramref name="dSh"/>
    /// (at most 16 of them); an unseen (or fully clamped) Gaussian, dL/dcolour = 0, gets zeros
    /// whatever its direction. (The 8-lane form with one Gaussian.)
    /// </summary>
    public static void ExpandGradient(float vx, float vy, float vz, int degree, float dr, float dg, float db, Span<float> dSh) =>
        ExpandGradient(Vector256.Create(vx), Vector256.Create(vy), Vector256.Create(vz), degree,
                       Vector256.Create(dr), Vector256.Create(dg), Vector256.Create(db), 1, dSh.Length, dSh);

    /// <summary>
    /// <see cref="ExpandGradient(float, float, float, int, float, float, float, Span{float})"/> for
    /// the <paramref name="count"/> Gaussians in the first lanes (1 ≤ count ≤ 8): lane j's gradient
    /// goes to the <paramref name="stride"/> floats at dSh[j·stride] (3-float rows, at most 16; stride
    /// = 3·rows). Lanes are independent, so a Gaussian gets the same bits in any lane; the values are
    /// made one vector per coefficient and transposed to one row per Gaussian. The one place that
    /// expands the factored gradient.
    /// </summary>
    [SkipLocalsInit] // the coefficient vectors are all written before they are read
    public static void ExpandGradient(V vx, V vy, V vz, int degree, V dr, V dg, V db, int count, int stride, Span<float> dSh)
    {
        int rows = stride / 3;
        if (rows * 3 != stride || rows > 16 || count is < 1 or > Lanes.Count || dSh.Length < count * stride)
            throw new ArgumentException("the SH gradient must be up to 8 blocks of 3-float rows, at most 16 rows each", nameof(dSh));
        Normalise(ref vx, ref vy, ref vz, out _);
        Basis16.Compute(vx, vy, vz, degree, out Basis16 basis);
        // An unseen (or fully clamped) Gaussian gets +0 everywhere, whatever its direction (even NaN).
        V seen = ~(Vector256.Equals(dr, V.Zero) & Vector256.Equals(dg, V.Zero) & Vector256.Equals(db, V.Zero));
        // One vector per coefficient f = 3k + c, lane j holding Gaussian j's Y_k·dL/dcolour_c.
        Span<V> coefficient = stackalloc V[48];
        for (int k = 0; k < rows; k++)
        {
            V yk = Basis16.At(ref basis, k);
            coefficient[3 * k] = yk * dr & seen;
            coefficient[3 * k + 1] = yk * dg & seen;
            coefficient[3 * k + 2] = yk * db & seen;
        }
        // To one row per Gaussian: 8×8 transposes of 8 coefficients at a time, the rest lane by lane.
        ref float d = ref MemoryMarshal.GetReference(dSh);
        Span<V> row = stackalloc V[Lanes.Count];
        int f = 0;
        for (; f + Lanes.Count <= stride; f += Lanes.Count)
        {
            Lanes.Transpose(coefficient[f], coefficient[f + 1], coefficient[f + 2], coefficient[f + 3],
                            coefficient[f + 4], coefficient[f + 5], coefficient[f + 6], coefficient[f + 7],
                            out row[0], out row[1], out row[2], out row[3], out row[4], out row[5], out row[6], out row[7]);
            for (int lane = 0; lane < count; lane++) row[lane].StoreUnsafe(ref d, (nuint)(lane * stride + f));
        }
        for (; f < stride; f++)
            for (int lane = 0; lane < count; lane++) Unsafe.Add(ref d, lane * stride + f) = Lanes.At(coefficient[f], lane);
    }

    /// <summary>
    /// Backward of <see cref="Evaluate(ReadOnlySpan{float}, int, float, float, float, out float, out float, out float)"/>. dL/d coefficients is left in the factored form of
    /// <see cref="ExpandGradient"/>: returns <paramref name="dColour"/> = dL/dcolour with clamped
    /// channels zeroed (the other factor is the direction of v). Also returns dL/dv
    /// (v = mean − camera, so this is also dL/d mean through the direction).
    /// </summary>
    public static void Backward(ReadOnlySpan<float> sh, int degree, float vx, float vy, float vz,
                                float dr, float dg, float db, int clampMask,
                                out Vec3f dColour,
                                out float dvx, out float dvy, out float dvz)
    {
        if (sh.Length < 3 * CoefficientCount(degree)) throw new ArgumentException("too few SH coefficients for the degree");
        Backward(sh, Vector256<int>.Zero, degree, Vector256.Create(vx), Vector256.Create(vy), Vector256.Create(vz), Vector256.Create(dr), Vector256.Create(dg), Vector256.Create(db),
                 Vector256.Create(clampMask), out V r, out V g, out V b, out V x, out V y, out V z);
        dColour = new Vec3f(r.ToScalar(), g.ToScalar(), b.ToScalar());
        dvx = x.ToScalar(); dvy = y.ToScalar(); dvz = z.ToScalar();
    }

    /// <summary>
    /// <see cref="Backward(ReadOnlySpan{float}, int, float, float, float, float, float, float, int, out Vec3f, out float, out float, out float)"/>
    /// for 8 Gaussians, coefficients read as in the 8-lane Evaluate.
    /// </summary>
    public static void Backward(ReadOnlySpan<float> sh, Vector256<int> offset, int degree, V vx, V vy, V vz,
                                V dr, V dg, V db, Vector256<int> clampMask,
                                out V dColourR, out V dColourG, out V dColourB,
                                out V dvx, out V dvy, out V dvz)
    {
        int count = CoefficientCount(degree);
        dr = Vector256.ConditionalSelect(Clamped(clampMask, 1), V.Zero, dr);
        dg = Vector256.ConditionalSelect(Clamped(clampMask, 2), V.Zero, dg);
        db = Vector256.ConditionalSelect(Clamped(clampMask, 4), V.Zero, db);
        Normalise(ref vx, ref vy, ref vz, out V invLength);
        V x = vx, y = vy, z = vz;
        dColourR = dr; dColourG = dg; dColourB = db;
        // g_k = dL/dY_k = Σ_c sh[3k+c]·dL/dcolour_c  (dL/dsh_k = Y_k·dL/dcolour is left factored).
        Unsafe.SkipInit(out Coefficients c);
        c.Load(sh, offset, 3 * count);
        var gk = new Basis16();
        for (int k = 0; k < count; k++)
            Basis16.At(ref gk, k) = c[3 * k] * dr + c[3 * k + 1] * dg + c[3 * k + 2] * db;
        dvx = dvy = dvz = V.Zero;
        if (degree < 1) return;

        // dL/ddir = Σ_k g_k ∇Y_k (x, y, z treated as independent).
        V gx = -C1 * gk.Y3, gy = -C1 * gk.Y1, gz = C1 * gk.Y2;
        if (degree >= 2)
        {
            V xx = x * x, yy = y * y, zz = z * z;
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
        V radial = gx * x + gy * y + gz * z;
        dvx = (gx - radial * x) * invLength;
        dvy = (gy - radial * y) * invLength;
        dvz = (gz - radial * z) * invLength;
    }

    /// <summary>Lanes whose clamp mask has <paramref name="bit"/> set.</summary>
    private static V Clamped(Vector256<int> clampMask, int bit) =>
        Vector256.Equals(clampMask & Vector256.Create(bit), Vector256.Create(bit)).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Normalise(ref V x, ref V y, ref V z, out V invLength)
    {
        V length = Vector256.Sqrt(x * x + y * y + z * z);
        invLength = Vector256.ConditionalSelect(Vector256.GreaterThan(length, V.Zero), V.One / length, V.Zero);
        x *= invLength; y *= invLength; z *= invLength;
    }
}
