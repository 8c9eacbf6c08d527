using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Radiant.Model;
using V = System.Runtime.Intrinsics.Vector256<float>;

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
/// The kernels take 8 Gaussians at once, one per <see cref="Vector256{T}"/> lane (<see cref="ProjectionLanes"/>);
/// the per-Gaussian overloads are the same kernels with one lane.
/// </summary>
internal static partial class Projection
{
    public const float AlphaThreshold = 1f / 255f;

    /// <summary>
    /// Projects Gaussian <paramref name="i"/>. Returns its screen radius in pixels, 0 when culled
    /// (view depth below the near plane, degenerate 2D covariance, or 3σ box entirely outside the
    /// image); the splat and clamp mask are then left default. (The 8-lane kernel with one Gaussian.)
    /// </summary>
    public static int Forward(GaussianSet g, int i, in ProjectionCamera cam, in ProjectionSettings settings,
                              out ProjectedSplat splat, out byte clampMask)
    {
        if ((uint)i >= (uint)g.Count) throw new ArgumentOutOfRangeException(nameof(i));
        splat = default;
        clampMask = 0;
        int radius = 0;
        Forward(g, i, 1, cam, settings, new Span<ProjectedSplat>(ref splat), new Span<byte>(ref clampMask), new Span<int>(ref radius));
        return radius;
    }

    /// <summary>
    /// Projects Gaussians [first, first + count) (1 ≤ count ≤ 8), one per lane, into the first
    /// <paramref name="count"/> entries of the spans (radius 0 and default splat / clamp mask when culled).
    /// </summary>
    [SkipLocalsInit] // ProjectionLanes is 2.2 kB, fully set by its constructor: no zeroing per batch.
    public static void Forward(GaussianSet g, int first, int count, in ProjectionCamera cam, in ProjectionSettings settings,
                               Span<ProjectedSplat> splats, Span<byte> clampMasks, Span<int> radii)
    {
        Unsafe.SkipInit(out ProjectionLanes p);
        p.Compute(g, Lanes.Range(first, count), cam, settings);

        // Culling: depth below the near plane, degenerate Σ2d, 3σ box outside the image.
        V det = p.Sxx * p.Syy - p.Sxy * p.Sxy;
        V invDet = V.One / det;
        // Extent: 3σ along the major axis of Σ2d (λmax from the reference's eigenvalue formula).
        V mid = 0.5f * (p.Sxx + p.Syy);
        V lambdaMax = mid + Vector256.Sqrt(Vector256.Max(Lanes.All(0.1f), mid * mid - det));
        V radiusF = Vector256.Ceiling(3 * Vector256.Sqrt(lambdaMax));
        V meanX = cam.Fx * p.Tx / p.Tz + Lanes.All(cam.Cx);
        V meanY = cam.Fy * p.Ty / p.Tz + Lanes.All(cam.Cy);
        V visible = Vector256.GreaterThanOrEqual(p.Tz, Lanes.All(settings.NearPlane)) & Vector256.GreaterThan(det, V.Zero)
                  & Vector256.GreaterThan(meanX + radiusF, V.Zero) & Vector256.LessThan(meanX - radiusF, Lanes.All(cam.Width))
                  & Vector256.GreaterThan(meanY + radiusF, V.Zero) & Vector256.LessThan(meanY - radiusF, Lanes.All(cam.Height));
        uint visibleLanes = visible.ExtractMostSignificantBits();
        if ((visibleLanes & ((1u << count) - 1)) == 0)
        {
            splats[..count].Clear(); clampMasks[..count].Clear(); radii[..count].Clear();
            return;
        }

        // conic = Σ2d⁻¹; opacity = sigmoid(logit) · smoothing · mip; colour from SH along mean − camera.
        V conicA = p.Syy * invDet, conicB = -p.Sxy * invDet, conicC = p.Sxx * invDet;
        V opacity = p.Sigmoid * p.Smoothing * p.Mip;
        int degree = Math.Min(settings.ShDegree, g.ShDegree);
        p.ViewDirection(cam, out V vx, out V vy, out V vz);
        Vector256<int> clamped = SphericalHarmonics.Evaluate(g.Sh, p.ShOffset(g), degree, vx, vy, vz, out V r, out V gr, out V b);

        // Support boxes (double math), lanes 0–3 and 4–7.
        (Vector256<double> xLow, Vector256<double> xHigh) = Vector256.Widen(meanX);
        (Vector256<double> yLow, Vector256<double> yHigh) = Vector256.Widen(meanY);
        (Vector256<double> aLow, Vector256<double> aHigh) = Vector256.Widen(conicA);
        (Vector256<double> bLow, Vector256<double> bHigh) = Vector256.Widen(conicB);
        (Vector256<double> cLow, Vector256<double> cHigh) = Vector256.Widen(conicC);
        (Vector256<double> oLow, Vector256<double> oHigh) = Vector256.Widen(opacity);
        ProjectedSplat.Support(xLow, yLow, aLow, bLow, cLow, oLow, cam.Width, cam.Height, out SupportBox boxLow, out Vector256<double> qLow);
        SupportBox boxHigh = default;
        Vector256<double> qHigh = default;
        if (count > 4) ProjectedSplat.Support(xHigh, yHigh, aHigh, bHigh, cHigh, oHigh, cam.Width, cam.Height, out boxHigh, out qHigh);

        // The 8 splats, radii and clamp masks written as rows (culled lanes as default); a short batch
        // goes through a stack copy so that no lane past count is written.
        bool full = count == Lanes.Count;
        Span<ProjectedSplat> splatRows = full ? splats : stackalloc ProjectedSplat[Lanes.Count];
        Span<byte> clampRows = full ? clampMasks : stackalloc byte[Lanes.Count];
        Span<int> radiusRows = full ? radii : stackalloc int[Lanes.Count];
        ProjectedSplat.StoreLanes(splatRows, visible, meanX, meanY, conicA, conicB, conicC, opacity, r, gr, b, p.Tz, boxLow, boxHigh, qLow, qHigh);
        Vector256<int> keep = visible.AsInt32();
        (Vector256.ConvertToInt32(Vector256.Min(radiusF, Lanes.All(int.MaxValue / 4))) & keep).StoreUnsafe(ref MemoryMarshal.GetReference(radiusRows[..Lanes.Count]));
        Vector128<short> clamp16 = Vector128.Narrow((clamped & keep).GetLower(), (clamped & keep).GetUpper());
        Unsafe.WriteUnaligned(ref MemoryMarshal.GetReference(clampRows[..Lanes.Count]), Vector128.Narrow(clamp16, clamp16).AsUInt64().ToScalar());
        if (!full)
        {
            splatRows[..count].CopyTo(splats);
            clampRows[..count].CopyTo(clampMasks);
            radiusRows[..count].CopyTo(radii);
        }
    }
}
