using Radiant.Mathematics;
using Radiant.Model;
using Radiant.Tests.Evaluation;
using Radiant.Training;

namespace Radiant.Tests.Training;

public class DensityControlTests
{
    [Fact]
    public void Densification_clones_small_splits_large_prunes_transparent_and_keeps_state_and_morton_order()
    {
        // 300 Gaussians: every third small with a large gradient (cloned), every third large with a
        // large gradient (split in two), the rest without gradient, a fifth of those transparent (pruned).
        const int n = 300;
        var g = new GaussianSet(n, 1);
        var rng = new Random(3);
        for (int i = 0; i < n; i++)
        {
            for (int a = 0; a < 3; a++) g.Means[3 * i + a] = rng.NextSingle() * 2 - 1;
            float logScale = MathF.Log(i % 3 == 0 ? 0.001f : i % 3 == 1 ? 0.1f : 0.005f);
            for (int a = 0; a < 3; a++) g.LogScales[3 * i + a] = logScale;
            g.OpacityLogits[i] = i % 3 == 2 && i % 5 == 0 ? GaussianSet.Logit(0.001f) : 0;
            for (int k = 0; k < g.Sh.Length / n; k++) g.Sh[i * (g.Sh.Length / n) + k] = rng.NextSingle();
        }
        var adam = new Adam();
        foreach (var (name, values, stride) in g.Parameters()) adam.AddGroup(name, values, stride, 1e-4f);
        adam.Step(adam.Groups.Select(a => Enumerable.Range(0, a.Values.Length).Select(_ => rng.NextSingle() - 0.5f).ToArray()).ToList());
        var original = g.Clone();
        var moments = adam["means"].FirstMoment.ToArray();

        var density = new DensityControl();
        density.Reset(n);
        for (int i = 0; i < n; i++) { density.GradAccum[i] = i % 3 == 2 ? 0 : 1; density.Denom[i] = 1; }
        var (cloned, split, pruned) = density.DensifyAndPrune(g, adam, new TrainingOptions(), extent: 1, pruneLarge: false, new Rng(5));

        Assert.Equal((100, 100, 20), (cloned, split, pruned));
        Assert.Equal(n - 20 - 100 + 100 + 2 * 100, g.Count);
        Assert.Equal(Enumerable.Range(0, g.Count), MortonOrder.Of(g.Means, g.Count));
        Assert.Equal(g.Count, density.GradAccum.Length);

        // Rows by centre: a kept Gaussian's row carries its optimiser state; its clone (same centre,
        // after it in the order) starts from zero state; split children are new, 1/1.6 the size.
        var rowsAt = Enumerable.Range(0, g.Count).GroupBy(r => (g.Means[3 * r], g.Means[3 * r + 1], g.Means[3 * r + 2]))
                               .ToDictionary(x => x.Key, x => x.ToList());
        float[] m = adam["means"].FirstMoment;
        int matched = 0;
        for (int i = 0; i < n; i++)
        {
            var centre = (original.Means[3 * i], original.Means[3 * i + 1], original.Means[3 * i + 2]);
            bool kept = i % 3 == 0 || (i % 3 == 2 && i % 5 != 0);
            if (!kept) { Assert.False(rowsAt.ContainsKey(centre)); continue; }
            List<int> rows = rowsAt[centre];
            Assert.Equal(i % 3 == 0 ? 2 : 1, rows.Count);
            Assert.Equal(moments.AsSpan(3 * i, 3).ToArray(), m.AsSpan(3 * rows[0], 3).ToArray());
            Assert.Equal(original.Sh.AsSpan(i * 12, 12).ToArray(), g.Sh.AsSpan(rows[0] * 12, 12).ToArray());
            if (rows.Count == 2) Assert.All(m.AsSpan(3 * rows[1], 3).ToArray(), x => Assert.Equal(0f, x));
            matched += rows.Count;
        }
        int children = g.Count - matched;
        Assert.Equal(200, children);
        float childScale = MathF.Log(0.1f) - MathF.Log(1.6f);
        Assert.Equal(200, Enumerable.Range(0, g.Count).Count(r => MathF.Abs(g.LogScales[3 * r] - childScale) < 1e-3f   // (the Adam step above moved every value by 1e-4)
                                                                   && m[3 * r] == 0 && m[3 * r + 1] == 0 && m[3 * r + 2] == 0));
    }

    [Theory]
    [InlineData(0, true, 0)]      // the default: never by screen size (the reference's rule never fires)
    [InlineData(20, true, 1)]     // asked for: the Gaussian seen 30 px wide goes
    [InlineData(20, false, 0)]    // not before the first opacity reset
    [InlineData(40, true, 0)]     // under the limit
    public void Screen_size_pruning_applies_only_when_asked_for(double pruneScreenSize, bool pruneLarge, int expectedPruned)
    {
        // Two opaque, small Gaussians without gradient: one seen at most 30 px wide, one 5 px.
        var g = new GaussianSet(2, 0);
        g.Means[3] = 0.5f;
        Array.Fill(g.LogScales, MathF.Log(0.001f));
        var adam = new Adam();
        foreach (var (name, values, stride) in g.Parameters()) adam.AddGroup(name, values, stride, 1e-4f);
        var density = new DensityControl();
        density.Reset(2);
        density.MaxRadii[0] = 30;
        density.MaxRadii[1] = 5;
        var options = new TrainingOptions { PruneScreenSize = pruneScreenSize };
        var (_, _, pruned) = density.DensifyAndPrune(g, adam, options, extent: 1, pruneLarge, new Rng(1));
        Assert.Equal(expectedPruned, pruned);
        Assert.Equal(2 - expectedPruned, g.Count);
        Assert.Equal(0, new TrainingOptions().PruneScreenSize);
    }

    [Theory]
    [InlineData(false, 3)]   // the reference: all three are larger than 0.1 × the extent
    [InlineData(true, 2)]    // a far shell: the one 20 extents out is judged by 1.5 / 20 = 0.075 per extent of distance
    public void With_a_far_shell_far_Gaussians_are_pruned_by_their_size_relative_to_their_distance(bool farShell, int expectedPruned)
    {
        // Opacity 0.5, no gradient. 0: 0.5 from the centre, scale 0.2; 1: 20 out, scale 1.5; 2: 20 out, scale 3.
        var g = new GaussianSet(3, 0);
        (g.Means[0], g.Means[3], g.Means[6]) = (0.5f, 20f, -20f);
        (float a, float b, float c) = (MathF.Log(0.2f), MathF.Log(1.5f), MathF.Log(3f));
        for (int k = 0; k < 3; k++) (g.LogScales[k], g.LogScales[3 + k], g.LogScales[6 + k]) = (a, b, c);
        g.SortSpatially();
        var adam = new Adam();
        foreach (var (name, values, stride) in g.Parameters()) adam.AddGroup(name, values, stride, 1e-4f);
        var density = new DensityControl();
        density.Reset(3);
        var options = new TrainingOptions { FarShell = farShell ? 1000 : 0 };
        var (_, _, pruned) = density.DensifyAndPrune(g, adam, options, extent: 1, pruneLarge: true, new Rng(1), farFrom: farShell ? Vec3.Zero : null);
        Assert.Equal(expectedPruned, pruned);
        if (farShell) Assert.Equal(MathF.Log(1.5f), g.LogScales[0], 1e-6f);   // the survivor is the far one of scale 1.5

        // Without pruning of large ones (before the first opacity reset) the distance does not matter.
        g = new GaussianSet(1, 0);
        g.Means[0] = 20; Array.Fill(g.LogScales, MathF.Log(3f));
        adam = new Adam();
        foreach (var (name, values, stride) in g.Parameters()) adam.AddGroup(name, values, stride, 1e-4f);
        density.Reset(1);
        Assert.Equal(0, density.DensifyAndPrune(g, adam, options, extent: 1, pruneLarge: false, new Rng(1), farFrom: Vec3.Zero).Pruned);
    }

    [Fact]
    public void Absgrad_accumulates_the_summed_magnitudes_and_changes_nothing_else()
    {
        TrainingView view = MultiscaleEvaluatorTests.BlobsView(40, 32, 200);
        Trainer Train(bool absGrad)
        {
            var options = new TrainingOptions { Iterations = 100, ShDegree = 0, DensifyFrom = 1_000, AbsGrad = absGrad };
            var trainer = new Trainer(MultiscaleEvaluatorTests.Blobs(150, 5), [view], 4, [0, 0, 0], options);
            for (int i = 0; i < 6; i++) trainer.Step();
            return trainer;
        }
        Trainer signed = Train(false), absolute = Train(true);
        // Before the first densification the statistic is the only difference.
        Assert.Equal(signed.Gaussians.Means, absolute.Gaussians.Means);
        Assert.Equal(signed.Density.Denom, absolute.Density.Denom);
        float[] s = signed.Density.GradAccum, a = absolute.Density.GradAccum;
        Assert.Contains(s, v => v > 0);
        for (int i = 0; i < s.Length; i++) Assert.True(a[i] >= s[i] * (1 - 1e-5f), $"Gaussian {i}: {a[i]} < {s[i]}");
        Assert.True(Enumerable.Range(0, s.Length).Count(i => a[i] > 1.5f * s[i]) > s.Length / 10, "pixels' gradients cancel for many Gaussians");
    }
}

