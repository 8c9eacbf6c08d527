using Radiant.Mathematics;
using Radiant.Model;

namespace Radiant.Training;

/// <summary>
/// Adaptive density control (Kerbl et al. 2023, §5): accumulates each Gaussian's screen-space
/// positional gradient over the views that see it; under-reconstructed regions (large average
/// gradient) get small Gaussians cloned and large ones split; nearly transparent, huge, or
/// screen-filling Gaussians are pruned; opacities are periodically reset.
/// </summary>
public sealed class DensityControl
{
    /// <summary>Σ ‖∂L/∂mean2d‖ in NDC units, per Gaussian, since the last densification.</summary>
    public float[] GradAccum { get; private set; } = [];
    /// <summary>Number of views that saw each Gaussian since the last densification.</summary>
    public int[] Denom { get; private set; } = [];
    /// <summary>Largest screen radius (pixels) each Gaussian had since the last densification.</summary>
    public float[] MaxRadii { get; private set; } = [];

    public void Reset(int count)
    {
        GradAccum = new float[count];
        Denom = new int[count];
        MaxRadii = new float[count];
    }

    public void Restore(float[] gradAccum, int[] denom, float[] maxRadii)
    {
        if (gradAccum.Length != denom.Length || denom.Length != maxRadii.Length) throw new ArgumentException("statistics lengths differ");
        GradAccum = gradAccum; Denom = denom; MaxRadii = maxRadii;
    }

    /// <summary>
    /// Adds one view's statistics. The reference measures the gradient w.r.t. NDC positions,
    /// ∂L/∂ndc = ∂L/∂pixel · (W/2, H/2), and the 2e-4 threshold is in those units.
    /// </summary>
    public void Accumulate(ReadOnlySpan<float> meanScreenGrad, ReadOnlySpan<int> radii, int width, int height)
    {
        float halfW = 0.5f * width, halfH = 0.5f * height;
        for (int i = 0; i < radii.Length; i++)
        {
            if (radii[i] <= 0) continue;
            float gx = meanScreenGrad[2 * i] * halfW, gy = meanScreenGrad[2 * i + 1] * halfH;
            GradAccum[i] += MathF.Sqrt(gx * gx + gy * gy);
            Denom[i]++;
            if (radii[i] > MaxRadii[i]) MaxRadii[i] = radii[i];
        }
    }

    /// <summary>
    /// Clones, splits and prunes (the reference's <c>densify_and_prune</c>), keeping the optimiser
    /// state aligned, then clears the statistics. Returns (cloned, split, pruned) counts.
    /// <paramref name="farFrom"/> (the cameras' centre, with <see cref="TrainingOptions.FarShell"/>): beyond
    /// <paramref name="extent"/> from it, the world-size limit grows in proportion to the distance.
    /// </summary>
    public (int Cloned, int Split, int Pruned) DensifyAndPrune(GaussianSet g, Adam adam, TrainingOptions o, double extent, bool pruneLarge, Rng rng,
                                                              Vec3? farFrom = null)
    {
        int n = g.Count;
        float threshold = (float)o.DensifyGradThreshold;
        float denseScale = (float)(o.PercentDense * extent);
        int room = Math.Max(0, o.MaxGaussians - n);

        var clone = new List<int>();
        var split = new List<int>();
        for (int i = 0; i < n; i++)
        {
            float grad = Denom[i] > 0 ? GradAccum[i] / Denom[i] : 0;
            if (!(grad >= threshold)) continue;
            float maxScale = MathF.Exp(MathF.Max(g.LogScales[3 * i], MathF.Max(g.LogScales[3 * i + 1], g.LogScales[3 * i + 2])));
            if (maxScale <= denseScale) { if (room >= 1) { clone.Add(i); room--; } }
            else if (room >= 1) { split.Add(i); room -= 1; } // a split adds two and removes one
        }

        // New Gaussians: clones are exact copies; each split parent becomes two children sampled
        // from it (x ~ N(μ, Σ)) with scales divided by 1.6 (= 0.8 · 2).
        const int children = 2;
        var extra = new GaussianSet(clone.Count + children * split.Count, g.ShDegree);
        int e = 0;
        foreach (int i in clone) CopyRow(g, i, extra, e++);
        float logShrink = MathF.Log(0.8f * children);
        foreach (int i in split)
        {
            Mat3 r = Mat3.FromQuaternion(g.Rotations[4 * i], g.Rotations[4 * i + 1], g.Rotations[4 * i + 2], g.Rotations[4 * i + 3]);
            for (int c = 0; c < children; c++)
            {
                CopyRow(g, i, extra, e);
                var local = new Vec3(
                    rng.NextGaussian() * MathF.Exp(g.LogScales[3 * i]),
                    rng.NextGaussian() * MathF.Exp(g.LogScales[3 * i + 1]),
                    rng.NextGaussian() * MathF.Exp(g.LogScales[3 * i + 2]));
                Vec3 offset = r * local;
                extra.Means[3 * e] += (float)offset.X;
                extra.Means[3 * e + 1] += (float)offset.Y;
                extra.Means[3 * e + 2] += (float)offset.Z;
                for (int k = 0; k < 3; k++) extra.LogScales[3 * e + k] -= logShrink;
                e++;
            }
        }

        // Prune (the reference prunes after densifying, new Gaussians included).
        float minOpacityLogit = GaussianSet.Logit((float)o.PruneOpacity);
        float worldLimit = (float)(o.PruneWorldSize * extent);
        bool Prune(GaussianSet s, int i, float maxRadius)
        {
            if (s.OpacityLogits[i] < minOpacityLogit) return true;
            if (!pruneLarge) return false;
            if (o.PruneScreenSize > 0 && maxRadius > o.PruneScreenSize) return true;
            float maxScale = MathF.Exp(MathF.Max(s.LogScales[3 * i], MathF.Max(s.LogScales[3 * i + 1], s.LogScales[3 * i + 2])));
            if (farFrom is { } c)
            {
                // Beyond the extent, the limit grows with the distance d from the cameras' centre: the size
                // relative to distance (as the cameras see it) is limited instead, max scale > limit · d / extent.
                float dx = s.Means[3 * i] - (float)c.X, dy = s.Means[3 * i + 1] - (float)c.Y, dz = s.Means[3 * i + 2] - (float)c.Z;
                return maxScale > worldLimit * MathF.Max(1, MathF.Sqrt(dx * dx + dy * dy + dz * dz) / (float)extent);
            }
            return maxScale > worldLimit;
        }

        var keep = new bool[n];
        var splitSet = new HashSet<int>(split);
        int pruned = 0;
        for (int i = 0; i < n; i++)
        {
            keep[i] = !splitSet.Contains(i) && !Prune(g, i, MaxRadii[i]);
            if (!keep[i] && !splitSet.Contains(i)) pruned++;
        }
        var keepExtra = new bool[extra.Count];
        for (int i = 0; i < extra.Count; i++)
        {
            keepExtra[i] = !Prune(extra, i, 0);
            if (!keepExtra[i]) pruned++;
        }
        extra.Rebuild(keepExtra);
        RebuildInMortonOrder(g, adam, keep, extra);
        Reset(g.Count);
        return (clone.Count, split.Count, pruned);
    }

    /// <summary>
    /// Keeps the Gaussians flagged in <paramref name="keep"/> (all when null), appends
    /// <paramref name="extra"/> (its optimiser state zero), and puts them all in Morton order of their
    /// centres (GaussianSet.SortSpatially), so that training keeps the order it starts from.
    /// </summary>
    internal static void RebuildInMortonOrder(GaussianSet g, Adam adam, bool[]? keep, GaussianSet extra)
    {
        if (keep is null) { keep = new bool[g.Count]; Array.Fill(keep, true); }
        int[] rows = GaussianSet.KeptThenAppended(keep, extra.Count);
        int[] sortedRows = MortonOrder.Of(GaussianSet.Gather(g.Means, 3, rows, extra.Means), rows.Length);
        for (int r = 0; r < sortedRows.Length; r++) sortedRows[r] = rows[sortedRows[r]];   // Morton rank → row map
        g.Rebuild(sortedRows, extra);
        adam.Rebuild(sortedRows, g.Parameters());
    }

    /// <summary>Copies Gaussian <paramref name="i"/> of <paramref name="src"/> over Gaussian <paramref name="j"/> of <paramref name="dst"/> (its parameters; not the smoothing filter, recomputed after).</summary>
    internal static void CopyRow(GaussianSet src, int i, GaussianSet dst, int j)
    {
        Array.Copy(src.Means, 3 * i, dst.Means, 3 * j, 3);
        Array.Copy(src.LogScales, 3 * i, dst.LogScales, 3 * j, 3);
        Array.Copy(src.Rotations, 4 * i, dst.Rotations, 4 * j, 4);
        dst.OpacityLogits[j] = src.OpacityLogits[i];
        int k = src.ShCoefficients * 3;
        Array.Copy(src.Sh, k * i, dst.Sh, k * j, k);
    }

    /// <summary>
    /// Opacity reset (the reference's <c>reset_opacity</c>): α ← min(α, 0.01), and the optimiser
    /// forgets the opacity moments. With a 3D smoothing filter the rendered opacity α·c is capped
    /// (Mip-Splatting): α ← min(α·c, 0.01)/c.
    /// </summary>
    public static void ResetOpacity(GaussianSet g, Adam adam, float ceiling = 0.01f)
    {
        float ceilingLogit = GaussianSet.Logit(ceiling);
        for (int i = 0; i < g.Count; i++)
        {
            float limit = ceilingLogit;
            if (g.SmoothingVariance is not null)
            {
                float c = SmoothingFilter.OpacityFactor(g, i);
                if (c < 1) limit = ceiling < c ? GaussianSet.Logit(ceiling / c) : float.PositiveInfinity;
            }
            if (g.OpacityLogits[i] > limit) g.OpacityLogits[i] = limit;
        }
        adam["opacity_logits"].ResetState();
    }
}
