using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Radiant.Model;
using V = System.Runtime.Intrinsics.Vector256<float>;

namespace Radiant.Rendering;

internal static partial class Projection
{
    /// <summary>
    /// Backward of <see cref="Forward(GaussianSet, int, in ProjectionCamera, in ProjectionSettings, out ProjectedSplat, out byte)"/>
    /// for a visible Gaussian: from dL/d(mean2d, conic, opacity, colour) — and optionally dL/d depth —
    /// to dL/d(mean, log-scale, quaternion, opacity logit) and the factors of dL/dSH (dL/dcolour; the
    /// camera position and SH degree of the view), added into <paramref name="grads"/>, together with
    /// dL/d mean2d into MeanScreenGrad. Forward quantities are recomputed from the parameters.
    /// (The 8-lane kernel with one Gaussian.)
    /// </summary>
    public static void Backward(GaussianSet g, int i, in ProjectionCamera cam, in ProjectionSettings settings,
                                in SplatGradient d, float dDepth, int clampMask, GaussianGradients grads)
    {
        if ((uint)i >= (uint)g.Count) throw new ArgumentOutOfRangeException(nameof(i));
        byte mask = (byte)clampMask;
        Backward(g, new ReadOnlySpan<int>(in i), cam, settings, new ReadOnlySpan<SplatGradient>(in d), new ReadOnlySpan<float>(in dDepth),
                 new ReadOnlySpan<byte>(in mask), grads);
    }

    /// <summary>
    /// Backward of up to 8 visible Gaussians <paramref name="ids"/> (distinct), one per lane, with
    /// their rasterizer gradients <paramref name="d"/>, clamp masks, and dL/d depth (empty: 0).
    /// </summary>
    [SkipLocalsInit] // ProjectionLanes is fully set by Compute: no zeroing per batch.
    public static void Backward(GaussianSet g, ReadOnlySpan<int> ids, in ProjectionCamera cam, in ProjectionSettings settings,
                                ReadOnlySpan<SplatGradient> d, ReadOnlySpan<float> dDepths, ReadOnlySpan<byte> clampMasks,
                                GaussianGradients grads)
    {
        int count = ids.Length;
        Unsafe.SkipInit(out ProjectionLanes p);
        p.Compute(g, Lanes.Ids(ids), cam, settings);
        // The rasterizer gradients, lane k from d[k] (a short batch repeats its last one).
        // The first 8 of the 9 floats as rows transposed to columns, the ninth (B) gathered.
        ReadOnlySpan<float> dFloats = Lanes.Floats(d);
        Vector256<int> row = Vector256.Min(Vector256<int>.Indices, Vector256.Create(count - 1)) * SplatGradient.Floats;
        Lanes.LoadRows(dFloats, row, out V dX, out V dY, out V dConicA, out V dConicB, out V dConicC, out V dOpacity, out V dR, out V dG);
        V dB = Lanes.Gather(dFloats, row + Vector256.Create(8));
        V dDepth = V.Zero;
        Vector256<int> clampMask = Vector256<int>.Zero;
        for (int k = 0; k < count; k++)
        {
            if (dDepths.Length > 0) dDepth = dDepth.WithElement(k, dDepths[k]);
            clampMask = clampMask.WithElement(k, (int)clampMasks[k]);
        }

        V sxx = p.Sxx, sxy = p.Sxy, syy = p.Syy;
        V invDet = V.One / (sxx * syy - sxy * sxy);
        V a = syy * invDet, b = -sxy * invDet, c = sxx * invDet;
        V opacity = p.Sigmoid, smoothing = p.Smoothing, mip = p.Mip;

        // 2D Mip filter: with the conic [[a, b], [b, c]] of Σ2d + s·I, mip² = det Σ2d / det(Σ2d + s·I)
        // = 1 − s·(a + c) + s²·(ac − b²), so dmip/d(a, b, c) = (−s + s²c, −2s²b, −s + s²a) / (2·mip)
        // and dL/dmip = dL/dopacity' · sigmoid · smoothing (opacity' = sigmoid · smoothing · mip).
        if (settings.MipFilter)
        {
            float s = settings.Dilation;
            V hasMip = Vector256.GreaterThan(mip, V.Zero);
            V k = dOpacity * opacity * smoothing / (2 * mip);
            dConicA = Lanes.Select(hasMip, dConicA + k * (s * s * c - Lanes.All(s)), dConicA);
            dConicB = Lanes.Select(hasMip, dConicB + k * (-2 * s * s * b), dConicB);
            dConicC = Lanes.Select(hasMip, dConicC + k * (s * s * a - Lanes.All(s)), dConicC);
        }

        // conic = Σ2d⁻¹  ⇒  dL/dΣ2d = −Q·G_Q·Q, with Q = [[a, b], [b, c]] and the full-matrix
        // gradient G_Q = [[dA, dB/2], [dB/2, dC]] (b appears twice in Q).
        V hb = 0.5f * dConicB;
        V p00 = a * dConicA + b * hb, p01 = a * hb + b * dConicC;
        V p10 = b * dConicA + c * hb, p11 = b * hb + c * dConicC;
        V g00 = -(p00 * a + p01 * b);
        V g01 = -0.5f * ((p00 * b + p01 * c) + (p10 * a + p11 * b));
        V g11 = -(p10 * b + p11 * c);

        // Σ2d = T Σ Tᵀ  ⇒  G_Σ = Tᵀ G T,  G_T = 2 G T Σ  (G = [[g00, g01], [g01, g11]] symmetric).
        V gt00 = g00 * p.T00 + g01 * p.T10, gt01 = g00 * p.T01 + g01 * p.T11, gt02 = g00 * p.T02 + g01 * p.T12;
        V gt10 = g01 * p.T00 + g11 * p.T10, gt11 = g01 * p.T01 + g11 * p.T11, gt12 = g01 * p.T02 + g11 * p.T12;
        // G_Σ = Tᵀ (G T): rows j, columns k: Σ_r T[r][j]·(GT)[r][k]
        V gSxx = p.T00 * gt00 + p.T10 * gt10;
        V gSxy = p.T00 * gt01 + p.T10 * gt11;
        V gSxz = p.T00 * gt02 + p.T10 * gt12;
        V gSyy = p.T01 * gt01 + p.T11 * gt11;
        V gSyz = p.T01 * gt02 + p.T11 * gt12;
        V gSzz = p.T02 * gt02 + p.T12 * gt12;
        // G_T = 2 G (TΣ)
        V dT00 = 2 * (g00 * p.TSigma00 + g01 * p.TSigma10), dT01 = 2 * (g00 * p.TSigma01 + g01 * p.TSigma11), dT02 = 2 * (g00 * p.TSigma02 + g01 * p.TSigma12);
        V dT10 = 2 * (g01 * p.TSigma00 + g11 * p.TSigma10), dT11 = 2 * (g01 * p.TSigma01 + g11 * p.TSigma11), dT12 = 2 * (g01 * p.TSigma02 + g11 * p.TSigma12);

        // T = J W  ⇒  dL/dJ = G_T Wᵀ, for the four non-zero entries of J.
        V dJ00 = dT00 * cam.W00 + dT01 * cam.W01 + dT02 * cam.W02;
        V dJ02 = dT00 * cam.W20 + dT01 * cam.W21 + dT02 * cam.W22;
        V dJ11 = dT10 * cam.W10 + dT11 * cam.W11 + dT12 * cam.W12;
        V dJ12 = dT10 * cam.W20 + dT11 * cam.W21 + dT12 * cam.W22;

        // J and mean2d = (fx·x/z + cx, fy·y/z + cy) as functions of the view-space mean t.
        V tx = p.Tx, ty = p.Ty;
        V invZ = V.One / p.Tz, invZ2 = invZ * invZ;
        V dtx = cam.Fx * invZ * dX;
        V dty = cam.Fy * invZ * dY;
        V dtz = -cam.Fx * tx * invZ2 * dX - cam.Fy * ty * invZ2 * dY + dDepth;
        dtz += -cam.Fx * invZ2 * dJ00 - cam.Fy * invZ2 * dJ11;
        // J02 = −fx·u_c/z with u_c a constant where clamped, else J02 = −fx·x/z².
        dtz = Lanes.Select(p.ClampedU, dtz + cam.Fx * p.TanU * invZ2 * dJ02, dtz + 2 * cam.Fx * tx * invZ2 * invZ * dJ02);
        dtx = Lanes.Select(p.ClampedU, dtx, dtx + -cam.Fx * invZ2 * dJ02);
        dtz = Lanes.Select(p.ClampedV, dtz + cam.Fy * p.TanV * invZ2 * dJ12, dtz + 2 * cam.Fy * ty * invZ2 * invZ * dJ12);
        dty = Lanes.Select(p.ClampedV, dty, dty + -cam.Fy * invZ2 * dJ12);

        // t = W·mean + T  ⇒  dL/dmean = Wᵀ dL/dt
        V dmx = cam.W00 * dtx + cam.W10 * dty + cam.W20 * dtz;
        V dmy = cam.W01 * dtx + cam.W11 * dty + cam.W21 * dtz;
        V dmz = cam.W02 * dtx + cam.W12 * dty + cam.W22 * dtz;

        // Σ = M Mᵀ, M = R·diag(s)  ⇒  G_M = 2 G_Σ M;  dR_ij = G_M_ij·s_j;  ds_j = Σ_i G_M_ij·R_ij.
        V m00 = p.R00 * p.Scale0, m01 = p.R01 * p.Scale1, m02 = p.R02 * p.Scale2;
        V m10 = p.R10 * p.Scale0, m11 = p.R11 * p.Scale1, m12 = p.R12 * p.Scale2;
        V m20 = p.R20 * p.Scale0, m21 = p.R21 * p.Scale1, m22 = p.R22 * p.Scale2;
        // G_Σ·M (G_Σ symmetric)
        V gm00 = gSxx * m00 + gSxy * m10 + gSxz * m20, gm01 = gSxx * m01 + gSxy * m11 + gSxz * m21, gm02 = gSxx * m02 + gSxy * m12 + gSxz * m22;
        V gm10 = gSxy * m00 + gSyy * m10 + gSyz * m20, gm11 = gSxy * m01 + gSyy * m11 + gSyz * m21, gm12 = gSxy * m02 + gSyy * m12 + gSyz * m22;
        V gm20 = gSxz * m00 + gSyz * m10 + gSzz * m20, gm21 = gSxz * m01 + gSyz * m11 + gSzz * m21, gm22 = gSxz * m02 + gSyz * m12 + gSzz * m22;
        V ds0 = 2 * (gm00 * p.R00 + gm10 * p.R10 + gm20 * p.R20);
        V ds1 = 2 * (gm01 * p.R01 + gm11 * p.R11 + gm21 * p.R21);
        V ds2 = 2 * (gm02 * p.R02 + gm12 * p.R12 + gm22 * p.R22);
        V gr00 = 2 * gm00 * p.Scale0, gr01 = 2 * gm01 * p.Scale1, gr02 = 2 * gm02 * p.Scale2;
        V gr10 = 2 * gm10 * p.Scale0, gr11 = 2 * gm11 * p.Scale1, gr12 = 2 * gm12 * p.Scale2;
        V gr20 = 2 * gm20 * p.Scale0, gr21 = 2 * gm21 * p.Scale1, gr22 = 2 * gm22 * p.Scale2;

        // R(q̂) ⇒ dL/dq̂, then through q̂ = q/|q|: dL/dq = (dL/dq̂ − q̂ (q̂·dL/dq̂)) / |q|.
        V w = p.Qw, x = p.Qx, y = p.Qy, z = p.Qz;
        V dw = 2 * (-z * gr01 + y * gr02 + z * gr10 - x * gr12 - y * gr20 + x * gr21);
        V dx = 2 * (y * gr01 + z * gr02 + y * gr10 - 2 * x * gr11 - w * gr12 + z * gr20 + w * gr21 - 2 * x * gr22);
        V dy = 2 * (-2 * y * gr00 + x * gr01 + w * gr02 + x * gr10 + z * gr12 - w * gr20 + z * gr21 - 2 * y * gr22);
        V dz = 2 * (-2 * z * gr00 - w * gr01 + x * gr02 + w * gr10 - 2 * z * gr11 + y * gr12 + x * gr20 + y * gr21);
        V qDot = w * dw + x * dx + y * dy + z * dz;

        // View-dependent colour (SH): dL/dsh = Y(normalise(mean − camera)) ⊗ dL/dcolour, kept
        // factored (GaussianGradients.ExpandSh expands it); dL/dmean through the direction.
        int degree = Math.Min(settings.ShDegree, g.ShDegree);
        p.ViewDirection(cam, out V vx, out V vy, out V vz);
        SphericalHarmonics.Backward(g.Sh, p.ShOffset(g), degree, vx, vy, vz, dR, dG, dB, clampMask,
            out V dColourR, out V dColourG, out V dColourB, out V dvx, out V dvy, out V dvz);
        grads.SetShView(cam.PositionX, cam.PositionY, cam.PositionZ, degree);   // the same for every Gaussian of a pass

        // log-scale: scale = e = exp(log-scale) ⇒ dscale/dlog-scale = scale. With the 3D smoothing
        // filter scale' = sqrt(e² + σ3d²) ⇒ dscale'/dlog-scale = e²/scale'; smoothing = Π e/scale' ⇒
        // d ln smoothing / d log-scale_j = σ3d²/scale'_j² (σ3d² is a constant).
        V v = p.SmoothingVariance;
        V dLnSmoothing = dOpacity * opacity * smoothing * mip;
        V dLogScale0 = Lanes.Select(p.Smoothed, ds0 * p.E0 * p.E0 / p.Scale0 + dLnSmoothing * v / (p.Scale0 * p.Scale0), ds0 * p.Scale0);
        V dLogScale1 = Lanes.Select(p.Smoothed, ds1 * p.E1 * p.E1 / p.Scale1 + dLnSmoothing * v / (p.Scale1 * p.Scale1), ds1 * p.Scale1);
        V dLogScale2 = Lanes.Select(p.Smoothed, ds2 * p.E2 * p.E2 / p.Scale2 + dLnSmoothing * v / (p.Scale2 * p.Scale2), ds2 * p.Scale2);
        V dQw = (dw - w * qDot) * p.InvNorm, dQx = (dx - x * qDot) * p.InvNorm;
        V dQy = (dy - y * qDot) * p.InvNorm, dQz = (dz - z * qDot) * p.InvNorm;
        // opacity = sigmoid(logit)
        V dLogit = dOpacity * smoothing * mip * opacity * (V.One - opacity);
        V dMeanX = dmx + dvx, dMeanY = dmy + dvy, dMeanZ = dmz + dvz;

        // Added into the Gaussians' rows (each id once per pass): vector adds for a run of 8 consecutive ids.
        Vector256<int> idLanes = p.Ids;
        Lanes.AddTriples(grads.ShColourGrad, idLanes, count, dColourR, dColourG, dColourB);
        Lanes.AddTriples(grads.Means, idLanes, count, dMeanX, dMeanY, dMeanZ);
        Lanes.AddTriples(grads.LogScales, idLanes, count, dLogScale0, dLogScale1, dLogScale2);
        Lanes.AddQuads(grads.Rotations, idLanes, count, dQw, dQx, dQy, dQz);
        Lanes.Add(grads.OpacityLogits, idLanes, count, dLogit);
        Lanes.AddPairs(grads.MeanScreenGrad, idLanes, count, dX, dY);
    }

    /// <summary>
    /// Prefetches the rows <see cref="Backward(GaussianSet, ReadOnlySpan{int}, in ProjectionCamera, in ProjectionSettings, ReadOnlySpan{SplatGradient}, ReadOnlySpan{float}, ReadOnlySpan{byte}, GaussianGradients)"/>
    /// reads and adds into for Gaussian <paramref name="id"/>: its parameters (the SH row a line at a
    /// time) and its gradient rows. (Hints only: a prefetch never faults, so the arrays need not be pinned.)
    /// </summary>
    public static void PrefetchBackward(GaussianSet g, GaussianGradients grads, int id)
    {
        if (!Sse.IsSupported) return;
        Prefetch(g.Means, 3 * id); Prefetch(g.Rotations, 4 * id); Prefetch(g.LogScales, 3 * id); Prefetch(g.OpacityLogits, id);
        int shFloats = 3 * g.ShCoefficients, sh = id * shFloats;
        for (int f = 0; f < shFloats; f += 16) Prefetch(g.Sh, sh + f);
        Prefetch(g.Sh, sh + shFloats - 1);
        Prefetch(grads.Means, 3 * id); Prefetch(grads.Rotations, 4 * id); Prefetch(grads.LogScales, 3 * id);
        Prefetch(grads.OpacityLogits, id); Prefetch(grads.ShColourGrad, 3 * id); Prefetch(grads.MeanScreenGrad, 2 * id);
    }

    /// <summary>Prefetches the cache line of <paramref name="array"/>[<paramref name="index"/>] (in range).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static unsafe void Prefetch(float[] array, int index) =>
        Sse.Prefetch0(Unsafe.AsPointer(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(array), index)));
}
