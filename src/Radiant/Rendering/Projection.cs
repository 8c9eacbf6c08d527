using System.Runtime.CompilerServices;
using Radiant.Model;

namespace Radiant.Rendering;

/// <summary>
/// Settings of the projection stage taken from <see cref="RenderOptions"/>. With
/// <paramref name="MipFilter"/> the dilation is Mip-Splatting's energy-preserving 2D filter.
/// </summary>
internal readonly record struct ProjectionSettings(float NearPlane, float Dilation, int ShDegree, bool MipFilter = false);

/// <summary>
/// Projection of one Gaussian to the screen (the role of gsplat's projection kernel; Kerbl et al.
/// 2023 §4, EWA splatting of Zwicker et al. 2002): Σ = R S Sᵀ Rᵀ from the normalised quaternion and
/// exp(log-scale); view-space mean t = W·mean + T; Σ2d = J W Σ Wᵀ Jᵀ + dilation·I with the local
/// affine Jacobian J of the perspective map; conic = Σ2d⁻¹; radius = ceil(3·sqrt(λmax)).
/// Anti-aliasing (Mip-Splatting, Yu et al. 2024, §4): a model with a 3D smoothing filter renders
/// Σ + σ3d²·I with opacity × sqrt(det Σ / det(Σ + σ3d²·I)) (§4.1); the 2D Mip filter adds s·I to
/// Σ2d and multiplies opacity by sqrt(det Σ2d / det(Σ2d + s·I)) (§4.2), so energy is preserved.
/// </summary>
internal static partial class Projection
{
    public const float AlphaThreshold = 1f / 255f;

    /// <summary>
    /// Projects Gaussian <paramref name="i"/>. Returns its screen radius in pixels, 0 when culled
    /// (view depth below the near plane, degenerate 2D covariance, or 3σ box entirely outside the
    /// image); the splat and clamp mask are then left default.
    /// </summary>
    public static int Forward(GaussianSet g, int i, in ProjectionCamera cam, in ProjectionSettings settings,
                              out ProjectedSplat splat, out byte clampMask)
    {
        splat = default;
        clampMask = 0;
        float mx = g.Means[3 * i], my = g.Means[3 * i + 1], mz = g.Means[3 * i + 2];
        ViewMean(cam, mx, my, mz, out float tx, out float ty, out float tz);
        if (!(tz >= settings.NearPlane)) return 0;

        Covariance3D(g, i, out _, out _, out Sym3 sigma, out float smoothing);
        var ewa = new EwaJacobian(cam, tx, ty, tz);
        ewa.ProjectCovariance(sigma, out float sxx, out float sxy, out float syy, out _);
        float mip = settings.MipFilter ? MipFilterFactor(sxx, sxy, syy, settings.Dilation) : 1;
        sxx += settings.Dilation;
        syy += settings.Dilation;

        float det = sxx * syy - sxy * sxy;
        if (!(det > 0)) return 0;
        float invDet = 1 / det;

        // Extent: 3σ along the major axis of Σ2d (λmax from the reference's eigenvalue formula).
        float mid = 0.5f * (sxx + syy);
        float lambdaMax = mid + MathF.Sqrt(MathF.Max(0.1f, mid * mid - det));
        float radiusF = MathF.Ceiling(3 * MathF.Sqrt(lambdaMax));

        float meanX = cam.Fx * tx / tz + cam.Cx;
        float meanY = cam.Fy * ty / tz + cam.Cy;
        if (!(meanX + radiusF > 0 && meanX - radiusF < cam.Width && meanY + radiusF > 0 && meanY - radiusF < cam.Height))
            return 0;

        splat.X = meanX;
        splat.Y = meanY;
        splat.ConicA = syy * invDet;
        splat.ConicB = -sxy * invDet;
        splat.ConicC = sxx * invDet;
        splat.Opacity = GaussianSet.Sigmoid(g.OpacityLogits[i]) * smoothing * mip;
        splat.Depth = tz;

        int stored = g.ShCoefficients;
        int degree = Math.Min(settings.ShDegree, g.ShDegree);
        clampMask = (byte)SphericalHarmonics.Evaluate(g.Sh.AsSpan(i * stored * 3, stored * 3), degree,
            mx - cam.PositionX, my - cam.PositionY, mz - cam.PositionZ, out splat.R, out splat.G, out splat.B);
        splat.ComputeSupport(cam.Width, cam.Height);
        return (int)MathF.Min(radiusF, int.MaxValue / 4);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void ViewMean(in ProjectionCamera cam, float mx, float my, float mz, out float tx, out float ty, out float tz)
    {
        tx = cam.W00 * mx + cam.W01 * my + cam.W02 * mz + cam.Tx;
        ty = cam.W10 * mx + cam.W11 * my + cam.W12 * mz + cam.Ty;
        tz = cam.W20 * mx + cam.W21 * my + cam.W22 * mz + cam.Tz;
    }

    /// <summary>
    /// Σ = M Mᵀ with M = R(q/|q|)·diag(scale). Returns the rotation, the scales and Σ (a zero
    /// quaternion is read as the identity). With a 3D smoothing filter (Mip-Splatting §4.1) the
    /// scales are sqrt(exp(2·log-scale) + σ3d²), i.e. Σ + σ3d²·I, and <paramref name="smoothing"/>
    /// = sqrt(det Σ / det(Σ + σ3d²·I)) = Π exp(log-scale) / scale; without one it is 1.
    /// </summary>
    internal static void Covariance3D(GaussianSet g, int i, out Mat3f rotation, out Vec3f scale, out Sym3 sigma, out float smoothing)
    {
        NormalisedQuaternion(g, i, out float w, out float x, out float y, out float z, out _);
        rotation = Mat3f.FromUnitQuaternion(w, x, y, z);
        float s0 = MathF.Exp(g.LogScales[3 * i]), s1 = MathF.Exp(g.LogScales[3 * i + 1]), s2 = MathF.Exp(g.LogScales[3 * i + 2]);
        smoothing = 1;
        if (g.SmoothingVariance is { } filter && filter[i] > 0)
            smoothing = SmoothingFilter.Smooth(ref s0, ref s1, ref s2, filter[i]);
        scale = new Vec3f(s0, s1, s2);
        Mat3f m = rotation.ScaleColumns(scale);
        sigma = Sym3.OuterOfRows(m);
    }

    /// <summary>
    /// The 2D Mip filter's opacity factor (Mip-Splatting §4.2): sqrt(det Σ2d / det(Σ2d + s·I)) for
    /// the covariance before the filter of variance s; 0 for a degenerate Σ2d.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float MipFilterFactor(float sxx, float sxy, float syy, float s)
    {
        float det0 = sxx * syy - sxy * sxy;
        float det1 = (sxx + s) * (syy + s) - sxy * sxy;
        return det0 > 0 && det1 > 0 ? MathF.Sqrt(det0 / det1) : 0;
    }

    internal static void NormalisedQuaternion(GaussianSet g, int i, out float w, out float x, out float y, out float z, out float invNorm)
    {
        w = g.Rotations[4 * i]; x = g.Rotations[4 * i + 1]; y = g.Rotations[4 * i + 2]; z = g.Rotations[4 * i + 3];
        float norm = MathF.Sqrt(w * w + x * x + y * y + z * z);
        if (!(norm > 0)) { w = 1; x = y = z = 0; invNorm = 0; return; }
        invNorm = 1 / norm;
        w *= invNorm; x *= invNorm; y *= invNorm; z *= invNorm;
    }
}

/// <summary>
/// The EWA projection of a 3D covariance at view-space mean t: T = J·W with the perspective
/// Jacobian J = [[fx/z, 0, −fx·u/z], [0, fy/z, −fy·v/z]], where u = x/z, v = y/z are clamped to the
/// camera's limits (a clamped coordinate is a constant: no gradient flows through it).
/// </summary>
internal readonly struct EwaJacobian
{
    public readonly float J00, J02, J11, J12;
    public readonly float T00, T01, T02, T10, T11, T12;
    public readonly float U, V;
    public readonly bool ClampedU, ClampedV;

    public EwaJacobian(in ProjectionCamera cam, float tx, float ty, float tz)
    {
        float u = tx / tz, v = ty / tz;
        ClampedU = u < -cam.LimitX || u > cam.LimitX;
        ClampedV = v < -cam.LimitY || v > cam.LimitY;
        U = Math.Clamp(u, -cam.LimitX, cam.LimitX);
        V = Math.Clamp(v, -cam.LimitY, cam.LimitY);
        float invZ = 1 / tz;
        J00 = cam.Fx * invZ;
        J02 = -cam.Fx * U * invZ;
        J11 = cam.Fy * invZ;
        J12 = -cam.Fy * V * invZ;
        T00 = J00 * cam.W00 + J02 * cam.W20;
        T01 = J00 * cam.W01 + J02 * cam.W21;
        T02 = J00 * cam.W02 + J02 * cam.W22;
        T10 = J11 * cam.W10 + J12 * cam.W20;
        T11 = J11 * cam.W11 + J12 * cam.W21;
        T12 = J11 * cam.W12 + J12 * cam.W22;
    }

    /// <summary>Σ2d = T Σ Tᵀ (before dilation); also returns TΣ (2×3) for the backward pass.</summary>
    public void ProjectCovariance(in Sym3 s, out float xx, out float xy, out float yy, out Mat23f tSigma)
    {
        tSigma = new Mat23f(
            T00 * s.XX + T01 * s.XY + T02 * s.XZ,
            T00 * s.XY + T01 * s.YY + T02 * s.YZ,
            T00 * s.XZ + T01 * s.YZ + T02 * s.ZZ,
            T10 * s.XX + T11 * s.XY + T12 * s.XZ,
            T10 * s.XY + T11 * s.YY + T12 * s.YZ,
            T10 * s.XZ + T11 * s.YZ + T12 * s.ZZ);
        xx = tSigma.M00 * T00 + tSigma.M01 * T01 + tSigma.M02 * T02;
        xy = tSigma.M00 * T10 + tSigma.M01 * T11 + tSigma.M02 * T12;
        yy = tSigma.M10 * T10 + tSigma.M11 * T11 + tSigma.M12 * T12;
    }
}
