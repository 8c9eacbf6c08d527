using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Radiant.Rendering;

namespace Radiant.Model;

/// <summary>
/// Mip-Splatting's 3D smoothing filter (Yu et al. 2024, §4.1; its <c>compute_3D_filter</c>): the
/// highest frequency the training views can sample at a Gaussian is set by the nearest of them,
/// so each Gaussian gets the variance floor σ3d² = 0.2·(d/f)², where d is its smallest view depth
/// over the training cameras that see it (depth above the near plane, centre projecting inside
/// the image widened by 15% on each side) and f the largest focal length of those cameras.
/// Gaussians no camera sees get the largest d of the others. The renderer then draws
/// Σ + σ3d²·I (see <see cref="Projection"/>). SIMD over 8 Gaussians at a time, on all cores.
/// </summary>
public static class SmoothingFilter
{
    /// <summary>Mip-Splatting's filter scale: σ3d = sqrt(0.2)·d/f.</summary>
    public const float VarianceScale = 0.2f;
    /// <summary>Fraction of the image size a centre may project outside it and still count as seen.</summary>
    public const float ScreenMargin = 0.15f;

    private const int Chunk = 1024;

    /// <summary>Sets <see cref="GaussianSet.SmoothingVariance"/> of <paramref name="g"/> from the training cameras.</summary>
    public static void Compute(GaussianSet g, IReadOnlyList<RenderCamera> cameras, float nearPlane = 0.2f)
    {
        ArgumentNullException.ThrowIfNull(g);
        ArgumentNullException.ThrowIfNull(cameras);
        int n = g.Count;
        float[] variance = g.SmoothingVariance is { } old && old.Length == n ? old : new float[n];
        var cams = new ProjectionCamera[cameras.Count];
        float focal = 0;
        for (int c = 0; c < cams.Length; c++)
        {
            cams[c] = new ProjectionCamera(cameras[c]);
            focal = MathF.Max(focal, MathF.Max(cams[c].Fx, cams[c].Fy));
        }

        // Pass 1 (parallel): nearest depth per Gaussian, +∞ where no camera sees it.
        float[] means = g.Means;
        int next = 0;
        KernelPool.Shared.Run(_ =>
        {
            while (true)
            {
                int begin = Interlocked.Add(ref next, Chunk) - Chunk;
                if (begin >= n) break;
                int end = Math.Min(begin + Chunk, n);
                for (int i = begin; i < end; i += Vector256<float>.Count)
                    NearestDepth(means, i, Math.Min(Vector256<float>.Count, end - i), cams, nearPlane, variance);
            }
        });

        // Pass 2: unseen Gaussians take the largest seen depth; σ3d² = 0.2·(d/f)².
        float farthest = 0;
        foreach (float d in variance) if (d < float.PositiveInfinity && d > farthest) farthest = d;
        float k = focal > 0 ? VarianceScale / (focal * focal) : 0;
        for (int i = 0; i < n; i++)
        {
            float d = variance[i] < float.PositiveInfinity ? variance[i] : farthest;
            variance[i] = k * d * d;
        }
        g.SmoothingVariance = variance;
    }

    /// <summary>
    /// Applies a filter of variance <paramref name="v"/> to the scales σ_j of one Gaussian:
    /// σ_j ← sqrt(σ_j² + v) (Σ + v·I has the same axes), and returns the opacity factor
    /// sqrt(det Σ / det(Σ + v·I)) = Π σ_j / sqrt(σ_j² + v).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Smooth(ref float s0, ref float s1, ref float s2, float v)
    {
        Vector256<float> v0 = Vector256.Create(s0), v1 = Vector256.Create(s1), v2 = Vector256.Create(s2);
        float factor = Smooth(ref v0, ref v1, ref v2, Vector256.Create(v)).ToScalar();
        s0 = v0.ToScalar(); s1 = v1.ToScalar(); s2 = v2.ToScalar();
        return factor;
    }

    /// <summary><see cref="Smooth(ref float, ref float, ref float, float)"/> for 8 Gaussians, one per lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<float> Smooth(ref Vector256<float> s0, ref Vector256<float> s1, ref Vector256<float> s2, Vector256<float> v)
    {
        Vector256<float> f0 = Vector256.Sqrt(s0 * s0 + v), f1 = Vector256.Sqrt(s1 * s1 + v), f2 = Vector256.Sqrt(s2 * s2 + v);
        Vector256<float> factor = s0 / f0 * (s1 / f1) * (s2 / f2);
        s0 = f0; s1 = f1; s2 = f2;
        return factor;
    }

    /// <summary>
    /// Bakes a 3D smoothing filter of variance v into (opacity logit, log-scale ×3), in double:
    /// scale' = sqrt(scale² + v), opacity' = opacity · Π scale/scale' (the model renders the same
    /// without the filter). An opacity that would round to 1 keeps its logit.
    /// </summary>
    public static void Bake(Span<float> opacityAndScales, float v)
    {
        double factor = 1;
        for (int j = 1; j <= 3; j++)
        {
            double s2 = Math.Exp(2.0 * opacityAndScales[j]);
            factor *= Math.Sqrt(s2 / (s2 + v));
            opacityAndScales[j] = (float)(0.5 * Math.Log(s2 + v));
        }
        double opacity = factor / (1 + Math.Exp(-opacityAndScales[0]));
        if (opacity < 1) opacityAndScales[0] = (float)Math.Log(opacity / (1 - opacity));
    }

    /// <summary>Bakes <paramref name="g"/>'s 3D smoothing filter into its scales and opacities (see above) and drops it.</summary>
    public static void Bake(GaussianSet g)
    {
        if (g.SmoothingVariance is not { } filter) return;
        Span<float> row = stackalloc float[4];
        for (int i = 0; i < g.Count; i++)
        {
            if (!(filter[i] > 0)) continue;
            row[0] = g.OpacityLogits[i];
            g.LogScales.AsSpan(3 * i, 3).CopyTo(row[1..]);
            Bake(row, filter[i]);
            g.OpacityLogits[i] = row[0];
            row[1..].CopyTo(g.LogScales.AsSpan(3 * i, 3));
        }
        g.SmoothingVariance = null;
    }

    /// <summary>Gaussian <paramref name="i"/>'s opacity factor sqrt(det Σ / det(Σ + σ3d²·I)); 1 without a filter.</summary>
    public static float OpacityFactor(GaussianSet g, int i)
    {
        if (g.SmoothingVariance is not { } filter || !(filter[i] > 0)) return 1;
        float s0 = MathF.Exp(g.LogScales[3 * i]), s1 = MathF.Exp(g.LogScales[3 * i + 1]), s2 = MathF.Exp(g.LogScales[3 * i + 2]);
        return Smooth(ref s0, ref s1, ref s2, filter[i]);
    }

    /// <summary>
    /// min over cameras of the view depth z of Gaussians [first, first + count) (count ≤ 8), over the
    /// cameras where z &gt; near and the centre (fx·x/z + cx, fy·y/z + cy) lies within the image
    /// widened by <see cref="ScreenMargin"/>; written to <paramref name="depth"/>.
    /// </summary>
    private static void NearestDepth(float[] means, int first, int count, ProjectionCamera[] cams, float nearPlane, float[] depth)
    {
        Span<float> x = stackalloc float[8], y = stackalloc float[8], z = stackalloc float[8];
        for (int k = 0; k < 8; k++)
        {
            int i = first + Math.Min(k, count - 1); // pad with the last Gaussian
            x[k] = means[3 * i]; y[k] = means[3 * i + 1]; z[k] = means[3 * i + 2];
        }
        Vector256<float> mx = Vector256.Create<float>(x), my = Vector256.Create<float>(y), mz = Vector256.Create<float>(z);
        Vector256<float> nearest = Vector256.Create(float.PositiveInfinity);
        Vector256<float> near = Vector256.Create(nearPlane);
        foreach (ref readonly ProjectionCamera c in cams.AsSpan())
        {
            Vector256<float> tx = mx * c.W00 + my * c.W01 + mz * c.W02 + Vector256.Create(c.Tx);
            Vector256<float> ty = mx * c.W10 + my * c.W11 + mz * c.W12 + Vector256.Create(c.Ty);
            Vector256<float> tz = mx * c.W20 + my * c.W21 + mz * c.W22 + Vector256.Create(c.Tz);
            Vector256<float> invZ = Vector256<float>.One / tz;
            Vector256<float> px = tx * invZ * c.Fx + Vector256.Create(c.Cx);
            Vector256<float> py = ty * invZ * c.Fy + Vector256.Create(c.Cy);
            Vector256<float> seen = Vector256.GreaterThan(tz, near)
                & Vector256.GreaterThanOrEqual(px, Vector256.Create(-ScreenMargin * c.Width))
                & Vector256.LessThanOrEqual(px, Vector256.Create((1 + ScreenMargin) * c.Width))
                & Vector256.GreaterThanOrEqual(py, Vector256.Create(-ScreenMargin * c.Height))
                & Vector256.LessThanOrEqual(py, Vector256.Create((1 + ScreenMargin) * c.Height));
            nearest = Vector256.ConditionalSelect(seen, Vector256.Min(nearest, tz), nearest);
        }
        for (int k = 0; k < count; k++) depth[first + k] = nearest[k];
    }
}
