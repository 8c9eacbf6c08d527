using System.Runtime.Intrinsics;
using Radiant.Model;
using V = System.Runtime.Intrinsics.Vector256<float>;

namespace Radiant.Rendering;

/// <summary>
/// The forward quantities of 8 Gaussians (one per lane) that <see cref="Projection.Forward(GaussianSet, int, int, in ProjectionCamera, in ProjectionSettings, Span{ProjectedSplat}, Span{byte}, Span{int})"/>
/// and <see cref="Projection.Backward(GaussianSet, ReadOnlySpan{int}, in ProjectionCamera, in ProjectionSettings, ReadOnlySpan{SplatGradient}, ReadOnlySpan{float}, ReadOnlySpan{byte}, GaussianGradients)"/>
/// share, up to Σ2d and the Mip filter's opacity factor (see <see cref="Projection"/> for the equations).
/// Lanes are independent: a Gaussian's values do not depend on its lane or its neighbours.
/// </summary>
internal struct ProjectionLanes
{
    /// <summary>Gaussian ids (a short batch repeats its last one).</summary>
    public Vector256<int> Ids;
    /// <summary>World mean, view-space mean t = W·mean + T.</summary>
    public V Mx, My, Mz, Tx, Ty, Tz;
    /// <summary>Normalised quaternion q̂ = q/|q| and 1/|q| (a zero quaternion is read as the identity, 1/|q| = 0).</summary>
    public V Qw, Qx, Qy, Qz, InvNorm;
    /// <summary>R(q̂), row-major.</summary>
    public V R00, R01, R02, R10, R11, R12, R20, R21, R22;
    /// <summary>e = exp(log-scale); scale = e, or sqrt(e² + σ3d²) with the 3D smoothing filter.</summary>
    public V E0, E1, E2, Scale0, Scale1, Scale2;
    /// <summary>σ3d² (0 without a filter), lanes with σ3d² &gt; 0, and the opacity factor sqrt(det Σ / det(Σ + σ3d²·I)).</summary>
    public V SmoothingVariance, Smoothed, Smoothing;
    /// <summary>Σ = M Mᵀ, M = R·diag(scale) (upper triangle).</summary>
    public V SigmaXX, SigmaXY, SigmaXZ, SigmaYY, SigmaYZ, SigmaZZ;
    /// <summary>Tangent coordinates u = x/z, v = y/z clamped to the camera limits, and the lanes where they were clamped.</summary>
    public V TanU, TanV, ClampedU, ClampedV;
    /// <summary>T = J·W (2×3) with the perspective Jacobian J = [[fx/z, 0, −fx·u/z], [0, fy/z, −fy·v/z]].</summary>
    public V T00, T01, T02, T10, T11, T12;
    /// <summary>TΣ (2×3), for the backward pass.</summary>
    public V TSigma00, TSigma01, TSigma02, TSigma10, TSigma11, TSigma12;
    /// <summary>Σ2d = T Σ Tᵀ + dilation·I (upper triangle) and the 2D Mip filter's opacity factor (1 without it).</summary>
    public V Sxx, Sxy, Syy, Mip;
    /// <summary>sigmoid(opacity logit).</summary>
    public V Sigmoid;

    /// <summary>
    /// Sets every field for the Gaussians <paramref name="ids"/>. An initialiser rather than a
    /// constructor: callers skip-init a local and call it in place (<c>new</c> made the JIT zero a
    /// 1.8 kB temporary and copy it into the local on every batch).
    /// </summary>
    public void Compute(GaussianSet g, Vector256<int> ids, in ProjectionCamera cam, in ProjectionSettings settings)
    {
        Ids = ids;
        Vector256<int> i4 = ids * 4;
        Lanes.LoadTriples(g.Means, ids, out Mx, out My, out Mz);
        // t = W·mean + T
        Tx = cam.W00 * Mx + cam.W01 * My + cam.W02 * Mz + Lanes.All(cam.Tx);
        Ty = cam.W10 * Mx + cam.W11 * My + cam.W12 * Mz + Lanes.All(cam.Ty);
        Tz = cam.W20 * Mx + cam.W21 * My + cam.W22 * Mz + Lanes.All(cam.Tz);

        // q̂ = q/|q| (identity for a zero quaternion), R(q̂).
        Lanes.LoadQuads(g.Rotations, i4, out V w, out V x, out V y, out V z);
        V norm = Vector256.Sqrt(w * w + x * x + y * y + z * z);
        V hasNorm = Vector256.GreaterThan(norm, V.Zero);
        V invNorm = V.One / norm;
        InvNorm = Lanes.Select(hasNorm, invNorm, V.Zero);
        Qw = w = Lanes.Select(hasNorm, w * invNorm, V.One);
        Qx = x = Lanes.Select(hasNorm, x * invNorm, V.Zero);
        Qy = y = Lanes.Select(hasNorm, y * invNorm, V.Zero);
        Qz = z = Lanes.Select(hasNorm, z * invNorm, V.Zero);
        R00 = V.One - 2 * (y * y + z * z); R01 = 2 * (x * y - w * z); R02 = 2 * (x * z + w * y);
        R10 = 2 * (x * y + w * z); R11 = V.One - 2 * (x * x + z * z); R12 = 2 * (y * z - w * x);
        R20 = 2 * (x * z - w * y); R21 = 2 * (y * z + w * x); R22 = V.One - 2 * (x * x + y * y);

        // scale = exp(log-scale), widened by the 3D smoothing filter where σ3d² > 0 (Mip-Splatting §4.1).
        Lanes.LoadTriples(g.LogScales, ids, out V logScale0, out V logScale1, out V logScale2);
        E0 = Lanes.Exp(logScale0);
        E1 = Lanes.Exp(logScale1);
        E2 = Lanes.Exp(logScale2);
        SmoothingVariance = g.SmoothingVariance is { } filter ? Lanes.Load(filter, ids) : V.Zero;
        Smoothed = Vector256.GreaterThan(SmoothingVariance, V.Zero);
        V s0 = E0, s1 = E1, s2 = E2;
        V factor = SmoothingFilter.Smooth(ref s0, ref s1, ref s2, SmoothingVariance);
        Scale0 = Lanes.Select(Smoothed, s0, E0);
        Scale1 = Lanes.Select(Smoothed, s1, E1);
        Scale2 = Lanes.Select(Smoothed, s2, E2);
        Smoothing = Lanes.Select(Smoothed, factor, V.One);

        // Σ = M Mᵀ with M = R·diag(scale).
        V m00 = R00 * Scale0, m01 = R01 * Scale1, m02 = R02 * Scale2;
        V m10 = R10 * Scale0, m11 = R11 * Scale1, m12 = R12 * Scale2;
        V m20 = R20 * Scale0, m21 = R21 * Scale1, m22 = R22 * Scale2;
        SigmaXX = m00 * m00 + m01 * m01 + m02 * m02;
        SigmaXY = m00 * m10 + m01 * m11 + m02 * m12;
        SigmaXZ = m00 * m20 + m01 * m21 + m02 * m22;
        SigmaYY = m10 * m10 + m11 * m11 + m12 * m12;
        SigmaYZ = m10 * m20 + m11 * m21 + m12 * m22;
        SigmaZZ = m20 * m20 + m21 * m21 + m22 * m22;

        // EWA: J at the clamped tangent coordinates (a clamped coordinate is a constant), T = J·W.
        V u = Tx / Tz, v = Ty / Tz;
        V limitX = Lanes.All(cam.LimitX), limitY = Lanes.All(cam.LimitY);
        ClampedU = Vector256.LessThan(u, -limitX) | Vector256.GreaterThan(u, limitX);
        ClampedV = Vector256.LessThan(v, -limitY) | Vector256.GreaterThan(v, limitY);
        TanU = Vector256.Min(Vector256.Max(u, -limitX), limitX);
        TanV = Vector256.Min(Vector256.Max(v, -limitY), limitY);
        V invZ = V.One / Tz;
        V j00 = cam.Fx * invZ;
        V j02 = -cam.Fx * TanU * invZ;
        V j11 = cam.Fy * invZ;
        V j12 = -cam.Fy * TanV * invZ;
        T00 = j00 * cam.W00 + j02 * cam.W20;
        T01 = j00 * cam.W01 + j02 * cam.W21;
        T02 = j00 * cam.W02 + j02 * cam.W22;
        T10 = j11 * cam.W10 + j12 * cam.W20;
        T11 = j11 * cam.W11 + j12 * cam.W21;
        T12 = j11 * cam.W12 + j12 * cam.W22;

        // Σ2d = T Σ Tᵀ, via TΣ.
        TSigma00 = T00 * SigmaXX + T01 * SigmaXY + T02 * SigmaXZ;
        TSigma01 = T00 * SigmaXY + T01 * SigmaYY + T02 * SigmaYZ;
        TSigma02 = T00 * SigmaXZ + T01 * SigmaYZ + T02 * SigmaZZ;
        TSigma10 = T10 * SigmaXX + T11 * SigmaXY + T12 * SigmaXZ;
        TSigma11 = T10 * SigmaXY + T11 * SigmaYY + T12 * SigmaYZ;
        TSigma12 = T10 * SigmaXZ + T11 * SigmaYZ + T12 * SigmaZZ;
        V sxx = TSigma00 * T00 + TSigma01 * T01 + TSigma02 * T02;
        V sxy = TSigma00 * T10 + TSigma01 * T11 + TSigma02 * T12;
        V syy = TSigma10 * T10 + TSigma11 * T11 + TSigma12 * T12;

        // 2D Mip filter (Mip-Splatting §4.2): opacity × sqrt(det Σ2d / det(Σ2d + s·I)), 0 for a degenerate Σ2d.
        V dilation = Lanes.All(settings.Dilation);
        Mip = V.One;
        if (settings.MipFilter)
        {
            V det0 = sxx * syy - sxy * sxy;
            V det1 = (sxx + dilation) * (syy + dilation) - sxy * sxy;
            Mip = Lanes.Select(Vector256.GreaterThan(det0, V.Zero) & Vector256.GreaterThan(det1, V.Zero), Vector256.Sqrt(det0 / det1), V.Zero);
        }
        Sxx = sxx + dilation;
        Sxy = sxy;
        Syy = syy + dilation;
        Sigmoid = Lanes.Sigmoid(Lanes.Load(g.OpacityLogits, ids));
    }

    /// <summary>The camera-to-mean vectors v = mean − camera of the SH directions.</summary>
    public readonly void ViewDirection(in ProjectionCamera cam, out V vx, out V vy, out V vz)
    {
        vx = Mx - Lanes.All(cam.PositionX);
        vy = My - Lanes.All(cam.PositionY);
        vz = Mz - Lanes.All(cam.PositionZ);
    }

    /// <summary>Offsets of the lanes' SH coefficients in <see cref="GaussianSet.Sh"/>.</summary>
    public readonly Vector256<int> ShOffset(GaussianSet g) => Ids * (3 * g.ShCoefficients);
}
