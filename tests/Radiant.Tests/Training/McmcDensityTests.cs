using Radiant.Mathematics;
using Radiant.Model;
using Radiant.Training;

namespace Radiant.Tests.Training;

/// <summary>3DGS-MCMC density control: the relocation formula, a refinement, the regularisers' gradients and the noise.</summary>
public class McmcDensityTests
{
    [Theory]
    [InlineData(0.01)]
    [InlineData(0.3)]
    [InlineData(0.9)]
    [InlineData(0.999)]
    public void Copies_let_through_as_much_light_as_the_original_and_keep_its_centre_line_opacity(double opacity)
    {
        Assert.Equal((opacity, 1.0), McmcDensity.Relocation(opacity, 1));
        foreach (int copies in new[] { 2, 3, 5, 8, 9, 20, 51, 200 })
        {
            (double split, double scale) = McmcDensity.Relocation(opacity, copies);
            // N copies on one another: 1 − (1 − o′)ᴺ = o.
            Assert.Equal(opacity, 1 - Math.Pow(1 - split, copies), 12);
            Assert.InRange(scale, 1e-3, 1.0 + 1e-12);
            // The property the scale is chosen for, checked by brute force along a line through the
            // centre: ∫ 1 − (1 − o′·exp(−x²/2σ′²))ᴺ dx = ∫ o·exp(−x²/2σ²) dx (σ = 1, σ′ = scale).
            double copiesIntegral = 0, originalIntegral = 0, dx = 1e-3;
            for (double x = -12; x <= 12; x += dx)
            {
                copiesIntegral += (1 - Math.Pow(1 - split * Math.Exp(-x * x / (2 * scale * scale)), copies)) * dx;
                originalIntegral += opacity * Math.Exp(-x * x / 2) * dx;
            }
            Assert.True(Math.Abs(copiesIntegral / originalIntegral - 1) < 1e-6, $"N = {copies}: copies integrate to {copiesIntegral}, the original to {originalIntegral}");
        }
    }

    [Fact]
    public void The_papers_alternating_sum_and_its_integral_form_agree_where_the_sum_is_stable()
    {
        foreach (double split in new[] { 0.001, 0.05, 0.4, 0.8, 0.99 })
            for (int copies = 1; copies <= 8; copies++)
            {
                double sum = McmcDensity.AlternatingSum(split, copies), integral = McmcDensity.CentreLineIntegral(split, copies);
                Assert.True(Math.Abs(sum / integral - 1) < 1e-10, $"o′ = {split}, N = {copies}: sum {sum}, integral {integral}");
            }
        Assert.Equal(0.3, McmcDensity.AlternatingSum(0.3, 1), 15);   // N = 1: D = o′
    }

    private static (GaussianSet G, Adam Adam) Model(int n, Func<int, float> opacity)
    {
        var g = new GaussianSet(n, 1);
        var rng = new Rng(5);
        for (int i = 0; i < n; i++)
        {
            for (int a = 0; a < 3; a++) { g.Means[3 * i + a] = (float)rng.NextDouble(); g.LogScales[3 * i + a] = -3 + 0.1f * a; }
            g.OpacityLogits[i] = GaussianSet.Logit(opacity(i));
            for (int k = 0; k < g.ShCoefficients * 3; k++) g.Sh[i * g.ShCoefficients * 3 + k] = i + 0.01f * k;
        }
        var adam = new Adam();
        foreach (var (name, values, stride) in g.Parameters()) adam.AddGroup(name, values, stride, 0.01f);
        // Non-zero optimiser state everywhere, so that the test sees which rows are reset.
        foreach (var group in adam.Groups) { Array.Fill(group.FirstMoment, 1f); Array.Fill(group.SecondMoment, 2f); }
        return (g, adam);
    }

    [Fact]
    public void A_refinement_moves_the_dead_onto_live_ones_and_grows_by_5_percent_up_to_the_cap()
    {
        const int n = 400;
        var options = new TrainingOptions { Strategy = DensityStrategy.Mcmc, MaxGaussians = 1000 };
        // Every 10th Gaussian dead: 40 relocated, then ⌊1.05·400⌋ − 400 = 20 added.
        (GaussianSet g, Adam adam) = Model(n, i => i % 10 == 5 ? 0.001f : 0.02f);
        Assert.Equal((40, 20), McmcDensity.Refine(g, adam, options, new Rng(1)));
        Assert.Equal(420, g.Count);
        Assert.All(adam.Groups, group => Assert.Equal(420 * group.Stride, group.FirstMoment.Length));
        for (int i = 0; i < g.Count; i++) Assert.True(GaussianSet.Sigmoid(g.OpacityLogits[i]) > 0.005f);

        // At the cap nothing is added; the dead are still relocated.
        (g, adam) = Model(n, i => i % 10 == 5 ? 0.001f : 0.02f);
        Assert.Equal((40, 0), McmcDensity.Refine(g, adam, options with { MaxGaussians = n }, new Rng(1)));
        Assert.Equal(n, g.Count);
    }

    [Fact]
    public void With_the_3D_filter_a_Gaussian_that_renders_fainter_than_the_threshold_is_dead()
    {
        const int n = 400;
        // Opacity 0.02 everywhere, scales 0.05; every 10th Gaussian has a 3D filter variance 15 times
        // its own, which renders it at 0.02·(1/4)³ = 3e-4, below 0.005.
        (GaussianSet g, Adam adam) = Model(n, _ => 0.02f);
        for (int k = 0; k < 3 * n; k++) g.LogScales[k] = MathF.Log(0.05f);
        g.SmoothingVariance = new float[n];
        for (int i = 5; i < n; i += 10) g.SmoothingVariance[i] = 15 * 0.05f * 0.05f;
        var options = new TrainingOptions { Strategy = DensityStrategy.Mcmc, MaxGaussians = n };
        Assert.Equal((40, 0), McmcDensity.Refine(g, adam, options, new Rng(2)));
        // The slots keep their filter until the trainer recomputes it; without one, none of the copies is dead.
        g.SmoothingVariance = null;
        Assert.Equal((0, 0), McmcDensity.Refine(g, adam, options, new Rng(2)));
    }

    [Theory]
    [InlineData(true)]    // relocation alone (at the cap)
    [InlineData(false)]   // growth alone (no dead Gaussian)
    public void Drawn_Gaussians_become_copies_with_the_opacity_and_scale_of_eq_9_and_a_fresh_optimiser_state(bool relocation)
    {
        const int n = 400;
        // Gaussian 0 far more opaque than the rest, so that it is drawn most.
        (GaussianSet g, Adam adam) = Model(n, i => i == 0 ? 0.999f : relocation && i % 10 == 5 ? 0.001f : 0.01f);
        var before = new Dictionary<float, (float Opacity, float[] Scale, float Sh)>();
        for (int i = 0; i < n; i++) before[g.Means[3 * i]] = (GaussianSet.Sigmoid(g.OpacityLogits[i]), [.. g.LogScales.AsSpan(3 * i, 3)], g.Sh[i * g.ShCoefficients * 3]);
        var options = new TrainingOptions { Strategy = DensityStrategy.Mcmc, MaxGaussians = relocation ? n : 1000 };
        McmcDensity.Refine(g, adam, options, new Rng(3));

        // Every Gaussian is a live one of before or a copy of one, with its colour.
        var copies = new Dictionary<float, int>();
        for (int i = 0; i < g.Count; i++)
        {
            float x = g.Means[3 * i];
            Assert.True(before.TryGetValue(x, out var source), $"Gaussian {i} is no Gaussian of before");
            Assert.True(source.Opacity > 0.005f, $"Gaussian {i} is a copy of a dead one");
            Assert.Equal(source.Sh, g.Sh[i * g.ShCoefficients * 3]);
            copies[x] = copies.GetValueOrDefault(x) + 1;
        }
        // A Gaussian drawn k times is now k + 1 copies, each with the opacity and scale of eq. 9; the
        // others are as they were. The optimiser forgets every copy (new rows start at zero); the rest keep their state.
        int copyRows = 0;
        for (int i = 0; i < g.Count; i++)
        {
            var source = before[g.Means[3 * i]];
            int count = copies[g.Means[3 * i]];
            (double opacity, double scale) = McmcDensity.Relocation(source.Opacity, count);
            Assert.Equal(opacity, GaussianSet.Sigmoid(g.OpacityLogits[i]), 5);
            for (int a = 0; a < 3; a++) Assert.Equal(source.Scale[a] + Math.Log(scale), g.LogScales[3 * i + a], 4);
            if (count > 1) copyRows++;
            Assert.Equal(count > 1 ? 0f : 1f, adam["opacity_logits"].FirstMoment[i]);
            Assert.Equal(count > 1 ? 0f : 2f, adam["sh"].SecondMoment[i * g.ShCoefficients * 3]);
        }
        // Drawn in proportion to opacity: Gaussian 0 about draws·p times (uniform draws would give it about 0.1).
        float brightest = before.First(b => b.Value.Opacity > 0.9f).Key;
        double p = 0.999 / before.Values.Where(b => b.Opacity > 0.005f).Sum(b => b.Opacity), expected = (relocation ? 40 : 20) * p;
        Assert.True(copies[brightest] - 1 > 0.3 * expected, $"the most opaque Gaussian was drawn {copies[brightest] - 1} times, about {expected:0.0} expected");
        Assert.True(copyRows > (relocation ? 40 : 20), $"{copyRows} rows are copies");
    }

    [Fact]
    public void Regulariser_gradients_match_finite_differences()
    {
        (GaussianSet g, _) = Model(11, i => 0.02f + 0.09f * i);
        for (int k = 0; k < 33; k++) g.LogScales[k] = -4 + 0.2f * k;
        var grads = new GaussianGradients(g);
        grads.Clear();
        const float opacityReg = 0.03f, scaleReg = 0.07f;
        McmcDensity.AddRegularizerGradients(g, grads, opacityReg, scaleReg);

        double Regulariser(float[] logits, float[] logScales) =>
            opacityReg * logits.Average(l => 1 / (1 + Math.Exp(-(double)l))) + scaleReg * logScales.Average(s => Math.Exp(s));
        const float h = 1e-3f;
        for (int i = 0; i < 11; i++)
        {
            float[] plus = (float[])g.OpacityLogits.Clone(), minus = (float[])g.OpacityLogits.Clone();
            plus[i] += h; minus[i] -= h;
            double numeric = (Regulariser(plus, g.LogScales) - Regulariser(minus, g.LogScales)) / (plus[i] - minus[i]);
            Assert.Equal(numeric, grads.OpacityLogits[i], 1e-7);
        }
        for (int k = 0; k < 33; k++)
        {
            float[] plus = (float[])g.LogScales.Clone(), minus = (float[])g.LogScales.Clone();
            plus[k] += h; minus[k] -= h;
            double numeric = (Regulariser(g.OpacityLogits, plus) - Regulariser(g.OpacityLogits, minus)) / (plus[k] - minus[k]);
            Assert.True(Math.Abs(numeric - grads.LogScales[k]) < 1e-4 * Math.Abs(numeric) + 1e-9, $"log scale {k}: {grads.LogScales[k]} against {numeric}");
        }
    }

    [Fact]
    public void Noise_moves_the_transparent_along_their_covariance_and_leaves_the_opaque()
    {
        const int n = 20_003;   // (not a multiple of the 8 Gaussians a block takes)
        // Even Gaussians nearly transparent, odd ones opaque; all with scales (0.1, 0.2, 0.4) about axes
        // rotated 90° about z (so the covariance's x is the local y: variance 0.04, y: 0.01, z: 0.16).
        (GaussianSet g, _) = Model(n, i => i % 2 == 0 ? 0.0001f : 0.5f);
        float half = MathF.Sqrt(0.5f);
        for (int i = 0; i < n; i++)
        {
            g.LogScales[3 * i] = MathF.Log(0.1f); g.LogScales[3 * i + 1] = MathF.Log(0.2f); g.LogScales[3 * i + 2] = MathF.Log(0.4f);
            (g.Rotations[4 * i], g.Rotations[4 * i + 1], g.Rotations[4 * i + 2], g.Rotations[4 * i + 3]) = (half, 0, 0, half);
        }
        float[] start = (float[])g.Means.Clone();
        const float amount = 0.5f;
        new McmcDensity().InjectNoise(g, amount, key: 42);

        double[] sumSquares = new double[3];
        for (int i = 0; i < n; i++)
            for (int a = 0; a < 3; a++)
            {
                double step = g.Means[3 * i + a] - start[3 * i + a];
                if (i % 2 == 1) Assert.Equal(0, step);
                else sumSquares[a] += step * step;
            }
        for (int i = n - 3; i < n; i += 2) Assert.NotEqual(start[3 * i], g.Means[3 * i]);   // the last, partial block moved too
        // Gate σ(−100(0.0001 − 0.005)) = 0.619; the step along axis a has standard deviation 0.5·0.619·variance_a.
        double gate = 1 / (1 + Math.Exp(100 * (0.0001 - 0.005)));
        double[] variances = [0.04, 0.01, 0.16];
        for (int a = 0; a < 3; a++)
        {
            double rms = Math.Sqrt(sumSquares[a] / ((n + 1) / 2)), expected = amount * gate * variances[a];
            Assert.True(Math.Abs(rms / expected - 1) < 0.04, $"axis {a}: rms step {rms}, expected {expected}");
        }

        // The same key gives the same steps; another key others.
        (GaussianSet again, _) = Model(n, i => i % 2 == 0 ? 0.0001f : 0.5f);
        Array.Copy(g.LogScales, again.LogScales, g.LogScales.Length);
        Array.Copy(g.Rotations, again.Rotations, g.Rotations.Length);
        new McmcDensity().InjectNoise(again, amount, key: 42);
        Assert.Equal(g.Means, again.Means);
        new McmcDensity().InjectNoise(again, amount, key: 43);
        Assert.NotEqual(g.Means[0], again.Means[0]);
    }
}
