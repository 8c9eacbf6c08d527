using Radiant.Model;

namespace Radiant.Rendering;

internal static partial class Projection
{
    /// <summary>
    /// Backward of <see cref="Forward"/> for a visible Gaussian: from dL/d(mean2d, conic, opacity,
    /// colour) — and optionally dL/d depth — to dL/d(mean, log-scale, quaternion, opacity logit) and the
    /// factors of dL/dSH (dL/dcolour; the camera position and SH degree of the view),
    /// added into <paramref name="grads"/>, together with dL/d mean2d into MeanScreenGrad.
    /// Forward quantities are recomputed from the parameters.
    /// </summary>
    public static void Backward(GaussianSet g, int i, in ProjectionCamera cam, in ProjectionSettings settings,
                                in SplatGradient d, float dDepth, int clampMask, GaussianGradients grads)
    {
        float mx = g.Means[3 * i], my = g.Means[3 * i + 1], mz = g.Means[3 * i + 2];
        ViewMean(cam, mx, my, mz, out float tx, out float ty, out float tz);
        Covariance3D(g, i, out Mat3f rot, out Vec3f scale, out Sym3 sigma, out float smoothing);
        var ewa = new EwaJacobian(cam, tx, ty, tz);
        ewa.ProjectCovariance(sigma, out float sxx, out float sxy, out float syy, out Mat23f tSigma);
        float mip = settings.MipFilter ? MipFilterFactor(sxx, sxy, syy, settings.Dilation) : 1;
        sxx += settings.Dilation;
        syy += settings.Dilation;
        float invDet = 1 / (sxx * syy - sxy * sxy);
        float a = syy * invDet, b = -sxy * invDet, c = sxx * invDet;
        float opacity = GaussianSet.Sigmoid(g.OpacityLogits[i]);
        float dConicA = d.ConicA, dConicB = d.ConicB, dConicC = d.ConicC;

        // 2D Mip filter: with the conic [[a, b], [b, c]] of Σ2d + s·I, mip² = det Σ2d / det(Σ2d + s·I)
        // = 1 − s·(a + c) + s²·(ac − b²), so dmip/d(a, b, c) = (−s + s²c, −2s²b, −s + s²a) / (2·mip)
        // and dL/dmip = dL/dopacity' · sigmoid · smoothing (opacity' = sigmoid · smoothing · mip).
        if (settings.MipFilter && mip > 0)
        {
            float s = settings.Dilation;
            float k = d.Opacity * opacity * smoothing / (2 * mip);
            dConicA += k * (s * s * c - s);
            dConicB += k * (-2 * s * s * b);
            dConicC += k * (s * s * a - s);
        }

        // conic = Σ2d⁻¹  ⇒  dL/dΣ2d = −Q·G_Q·Q, with Q = [[a, b], [b, c]] and the full-matrix
        // gradient G_Q = [[dA, dB/2], [dB/2, dC]] (b appears twice in Q).
        float hb = 0.5f * dConicB;
        float p00 = a * dConicA + b * hb, p01 = a * hb + b * dConicC;
        float p10 = b * dConicA + c * hb, p11 = b * hb + c * dConicC;
        float g00 = -(p00 * a + p01 * b);
        float g01 = -0.5f * ((p00 * b + p01 * c) + (p10 * a + p11 * b));
        float g11 = -(p10 * b + p11 * c);

        // Σ2d = T Σ Tᵀ  ⇒  G_Σ = Tᵀ G T,  G_T = 2 G T Σ  (G = [[g00, g01], [g01, g11]] symmetric).
        float gt00 = g00 * ewa.T00 + g01 * ewa.T10, gt01 = g00 * ewa.T01 + g01 * ewa.T11, gt02 = g00 * ewa.T02 + g01 * ewa.T12;
        float gt10 = g01 * ewa.T00 + g11 * ewa.T10, gt11 = g01 * ewa.T01 + g11 * ewa.T11, gt12 = g01 * ewa.T02 + g11 * ewa.T12;
        // G_Σ = Tᵀ (G T): rows j, columns k: Σ_r T[r][j]·(GT)[r][k]
        var gSigma = new Sym3(
            ewa.T00 * gt00 + ewa.T10 * gt10,
            ewa.T00 * gt01 + ewa.T10 * gt11,
            ewa.T00 * gt02 + ewa.T10 * gt12,
            ewa.T01 * gt01 + ewa.T11 * gt11,
            ewa.T01 * gt02 + ewa.T11 * gt12,
            ewa.T02 * gt02 + ewa.T12 * gt12);
        // G_T = 2 G (TΣ)
        float dT00 = 2 * (g00 * tSigma.M00 + g01 * tSigma.M10), dT01 = 2 * (g00 * tSigma.M01 + g01 * tSigma.M11), dT02 = 2 * (g00 * tSigma.M02 + g01 * tSigma.M12);
        float dT10 = 2 * (g01 * tSigma.M00 + g11 * tSigma.M10), dT11 = 2 * (g01 * tSigma.M01 + g11 * tSigma.M11), dT12 = 2 * (g01 * tSigma.M02 + g11 * tSigma.M12);

        // T = J W  ⇒  dL/dJ = G_T Wᵀ, for the four non-zero entries of J.
        float dJ00 = dT00 * cam.W00 + dT01 * cam.W01 + dT02 * cam.W02;
        float dJ02 = dT00 * cam.W20 + dT01 * cam.W21 + dT02 * cam.W22;
        float dJ11 = dT10 * cam.W10 + dT11 * cam.W11 + dT12 * cam.W12;
        float dJ12 = dT10 * cam.W20 + dT11 * cam.W21 + dT12 * cam.W22;

        // J and mean2d = (fx·x/z + cx, fy·y/z + cy) as functions of the view-space mean t.
        float invZ = 1 / tz, invZ2 = invZ * invZ;
        float dtx = cam.Fx * invZ * d.X;
        float dty = cam.Fy * invZ * d.Y;
        float dtz = -cam.Fx * tx * invZ2 * d.X - cam.Fy * ty * invZ2 * d.Y + dDepth;
        dtz += -cam.Fx * invZ2 * dJ00 - cam.Fy * invZ2 * dJ11;
        if (ewa.ClampedU) dtz += cam.Fx * ewa.U * invZ2 * dJ02;             // J02 = −fx·u_c/z, u_c constant
        else { dtx += -cam.Fx * invZ2 * dJ02; dtz += 2 * cam.Fx * tx * invZ2 * invZ * dJ02; } // J02 = −fx·x/z²
        if (ewa.ClampedV) dtz += cam.Fy * ewa.V * invZ2 * dJ12;
        else { dty += -cam.Fy * invZ2 * dJ12; dtz += 2 * cam.Fy * ty * invZ2 * invZ * dJ12; }

        // t = W·mean + T  ⇒  dL/dmean = Wᵀ dL/dt
        float dmx = cam.W00 * dtx + cam.W10 * dty + cam.W20 * dtz;
        float dmy = cam.W01 * dtx + cam.W11 * dty + cam.W21 * dtz;
        float dmz = cam.W02 * dtx + cam.W12 * dty + cam.W22 * dtz;

        // Σ = M Mᵀ, M = R·diag(s)  ⇒  G_M = 2 G_Σ M;  dR_ij = G_M_ij·s_j;  ds_j = Σ_i G_M_ij·R_ij.
        Mat3f m = rot.ScaleColumns(scale);
        Mat3f gm = MulSym(gSigma, m);
        float ds0 = 2 * (gm.M00 * rot.M00 + gm.M10 * rot.M10 + gm.M20 * rot.M20);
        float ds1 = 2 * (gm.M01 * rot.M01 + gm.M11 * rot.M11 + gm.M21 * rot.M21);
        float ds2 = 2 * (gm.M02 * rot.M02 + gm.M12 * rot.M12 + gm.M22 * rot.M22);
        var gr = new Mat3f(
            2 * gm.M00 * scale.X, 2 * gm.M01 * scale.Y, 2 * gm.M02 * scale.Z,
            2 * gm.M10 * scale.X, 2 * gm.M11 * scale.Y, 2 * gm.M12 * scale.Z,
            2 * gm.M20 * scale.X, 2 * gm.M21 * scale.Y, 2 * gm.M22 * scale.Z);

        // R(q̂) ⇒ dL/dq̂, then through q̂ = q/|q|: dL/dq = (dL/dq̂ − q̂ (q̂·dL/dq̂)) / |q|.
        NormalisedQuaternion(g, i, out float w, out float x, out float y, out float z, out float invNorm);
        float dw = 2 * (-z * gr.M01 + y * gr.M02 + z * gr.M10 - x * gr.M12 - y * gr.M20 + x * gr.M21);
        float dx = 2 * (y * gr.M01 + z * gr.M02 + y * gr.M10 - 2 * x * gr.M11 - w * gr.M12 + z * gr.M20 + w * gr.M21 - 2 * x * gr.M22);
        float dy = 2 * (-2 * y * gr.M00 + x * gr.M01 + w * gr.M02 + x * gr.M10 + z * gr.M12 - w * gr.M20 + z * gr.M21 - 2 * y * gr.M22);
        float dz = 2 * (-2 * z * gr.M00 - w * gr.M01 + x * gr.M02 + w * gr.M10 - 2 * z * gr.M11 + y * gr.M12 + x * gr.M20 + y * gr.M21);
        float qDot = w * dw + x * dx + y * dy + z * dz;

        // View-dependent colour (SH) and opacity = sigmoid(logit).
        int stored = g.ShCoefficients;
        int degree = Math.Min(settings.ShDegree, g.ShDegree);
        SphericalHarmonics.Backward(g.Sh.AsSpan(i * stored * 3, stored * 3), degree,
            mx - cam.PositionX, my - cam.PositionY, mz - cam.PositionZ, d.R, d.G, d.B, clampMask,
            out Vec3f dColour, out float dvx, out float dvy, out float dvz);
        // dL/dsh = Y(normalise(mean − camera)) ⊗ dL/dcolour, kept factored (GaussianGradients.ExpandSh expands it).
        grads.ShColourGrad[3 * i] += dColour.X;
        grads.ShColourGrad[3 * i + 1] += dColour.Y;
        grads.ShColourGrad[3 * i + 2] += dColour.Z;
        grads.SetShView(cam.PositionX, cam.PositionY, cam.PositionZ, degree);   // the same for every Gaussian of a pass

        grads.Means[3 * i] += dmx + dvx;
        grads.Means[3 * i + 1] += dmy + dvy;
        grads.Means[3 * i + 2] += dmz + dvz;
        if (g.SmoothingVariance is { } filter && filter[i] > 0)
        {
            // 3D smoothing filter: scale' = sqrt(e² + σ3d²) with e = exp(log-scale) ⇒ dscale'/dlog-scale = e²/scale';
            // smoothing = Π e/scale' ⇒ d ln smoothing / d log-scale_j = σ3d²/scale'_j² (σ3d² is a constant).
            float v = filter[i];
            float dLnSmoothing = d.Opacity * opacity * smoothing * mip;
            float e0 = MathF.Exp(g.LogScales[3 * i]), e1 = MathF.Exp(g.LogScales[3 * i + 1]), e2 = MathF.Exp(g.LogScales[3 * i + 2]);
            grads.LogScales[3 * i] += ds0 * e0 * e0 / scale.X + dLnSmoothing * v / (scale.X * scale.X);
            grads.LogScales[3 * i + 1] += ds1 * e1 * e1 / scale.Y + dLnSmoothing * v / (scale.Y * scale.Y);
            grads.LogScales[3 * i + 2] += ds2 * e2 * e2 / scale.Z + dLnSmoothing * v / (scale.Z * scale.Z);
        }
        else
        {
            grads.LogScales[3 * i] += ds0 * scale.X;
            grads.LogScales[3 * i + 1] += ds1 * scale.Y;
            grads.LogScales[3 * i + 2] += ds2 * scale.Z;
        }
        grads.Rotations[4 * i] += (dw - w * qDot) * invNorm;
        grads.Rotations[4 * i + 1] += (dx - x * qDot) * invNorm;
        grads.Rotations[4 * i + 2] += (dy - y * qDot) * invNorm;
        grads.Rotations[4 * i + 3] += (dz - z * qDot) * invNorm;
        grads.OpacityLogits[i] += d.Opacity * smoothing * mip * opacity * (1 - opacity);
        grads.MeanScreenGrad[2 * i] += d.X;
        grads.MeanScreenGrad[2 * i + 1] += d.Y;
    }

    /// <summary>S·M for symmetric S.</summary>
    private static Mat3f MulSym(in Sym3 s, in Mat3f m) => new(
        s.XX * m.M00 + s.XY * m.M10 + s.XZ * m.M20, s.XX * m.M01 + s.XY * m.M11 + s.XZ * m.M21, s.XX * m.M02 + s.XY * m.M12 + s.XZ * m.M22,
        s.XY * m.M00 + s.YY * m.M10 + s.YZ * m.M20, s.XY * m.M01 + s.YY * m.M11 + s.YZ * m.M21, s.XY * m.M02 + s.YY * m.M12 + s.YZ * m.M22,
        s.XZ * m.M00 + s.YZ * m.M10 + s.ZZ * m.M20, s.XZ * m.M01 + s.YZ * m.M11 + s.ZZ * m.M21, s.XZ * m.M02 + s.YZ * m.M12 + s.ZZ * m.M22);
}
