using Radiant.Evaluation;
using Radiant.Mathematics;
using Radiant.Tests.Evaluation;
using Radiant.Training;

namespace Radiant.Tests.Training;

public class SsimGradientTests
{
    private static void CheckGradient(float[] x, float[] y, int w, int h, int c, float[]? mask, int probes, int seed)
    {
        var grad = new float[x.Length];
        double value = new SsimLoss().ValueAndGradient(x, y, w, h, c, grad, mask);
        double[] xd = NaiveSsim.ToDouble(x), yd = NaiveSsim.ToDouble(y), md = mask is null ? null! : NaiveSsim.ToDouble(mask);
        Assert.InRange(value - NaiveSsim.Mean(xd, yd, w, h, c, mask is null ? null : md), -1e-5, 1e-5);
        int[] at = GradientCheck.Probes(w, h, c, probes, seed);
        double[] fd = GradientCheck.FiniteDifferences(v => NaiveSsim.Mean(v, yd, w, h, c, mask is null ? null : md), xd, at, 1e-3);
        GradientCheck.AssertMatches(grad, fd, at, 2e-3);
    }

    [Fact]
    public void Random_images_match_finite_differences()
    {
        const int w = 23, h = 17, c = 3;
        CheckGradient(TestImages.Random(w, h, c, 1), TestImages.Random(w, h, c, 2), w, h, c, null, 200, 3);
    }

    [Fact]
    public void Structured_images_match_finite_differences()
    {
        const int w = 23, h = 17, c = 3;
        float[] y = TestImages.Structured(w, h, c, 0);
        CheckGradient(TestImages.Perturbed(y, 0.1f, 4), y, w, h, c, null, 200, 5);
    }

    [Fact]
    public void Masked_mean_matches_finite_differences()
    {
        const int w = 23, h = 17, c = 3;
        float[] x = TestImages.Random(w, h, c, 6);
        CheckGradient(x, TestImages.Perturbed(x, 0.25f, 7), w, h, c, TestImages.Mask(w, h, 8), 200, 9);
    }

    [Fact]
    public void Banded_parallel_path_matches_finite_differences()
    {
        // 3·130·96 samples: several row bands per channel; probes include rows around band edges.
        const int w = 130, h = 96, c = 3;
        float[] x = TestImages.Random(w, h, c, 10);
        CheckGradient(x, TestImages.Perturbed(x, 0.3f, 11), w, h, c, null, 36, 12);
    }

    [Fact]
    public void Every_row_around_the_band_edges_matches_finite_differences()
    {
        // The backward streams behind the forward in each band, the forward making the band's 5-row
        // halo too: every row from 22 above to 22 below the middle of the image (a band edge on 2 to
        // 4 cores: 2 or 3 bands a channel; an edge at a third of it on 4 cores), at two columns of the
        // middle channel, and the bands' sums (the value) checked against the naive SSIM.
        const int w = 130, h = 96, c = 3;
        Assert.True(GaussianWindow.BandsPerChannel(c, h, w) > 1 || Environment.ProcessorCount == 1);
        float[] x = TestImages.Random(w, h, c, 17), y = TestImages.Perturbed(x, 0.3f, 18);
        var grad = new float[x.Length];
        double value = new SsimLoss().ValueAndGradient(x, y, w, h, c, grad);
        double[] xd = NaiveSsim.ToDouble(x), yd = NaiveSsim.ToDouble(y);
        Assert.InRange(value - NaiveSsim.Mean(xd, yd, w, h, c, null), -1e-5, 1e-5);
        int[] at = [.. Enumerable.Range(h / 2 - 22, 45).SelectMany(row => new[] { w * h + row * w + 3, w * h + row * w + 77 })];
        double[] fd = GradientCheck.FiniteDifferences(v => NaiveSsim.Mean(v, yd, w, h, c, null), xd, at, 1e-3);
        GradientCheck.AssertMatches(grad, fd, at, 2e-3);
    }

    [Fact]
    public void Gradient_vanishes_at_identical_images()
    {
        const int w = 31, h = 22, c = 3;
        float[] x = TestImages.Random(w, h, c, 13), grad = new float[x.Length];
        Assert.Equal(1.0, new SsimLoss().ValueAndGradient(x, x, w, h, c, grad), 6);
        // Typical magnitudes away from the optimum are ~1/n = 5e-4; at the maximum only rounding remains.
        Assert.True(grad.Max(MathF.Abs) < 1e-6f, $"max |∂SSIM/∂x| = {grad.Max(MathF.Abs)}");
    }

    [Fact]
    public void Every_simd_width_gives_the_same_gradient()
    {
        const int w = 37, h = 26, c = 3;
        float[] x = TestImages.Random(w, h, c, 14), y = TestImages.Perturbed(x, 0.2f, 15), m = TestImages.Mask(w, h, 16);
        var reference = new float[x.Length];
        new SsimLoss(SimdWidth.Scalar).ValueAndGradient(x, y, w, h, c, reference, m);
        float scale = reference.Max(MathF.Abs);
        foreach (SimdWidth simd in new[] { SimdWidth.V128, SimdWidth.V256, SimdWidth.V512 })
        {
            var g = new float[x.Length];
            new SsimLoss(simd).ValueAndGradient(x, y, w, h, c, g, m);
            for (int i = 0; i < g.Length; i++) Assert.True(Math.Abs(g[i] - reference[i]) <= 1e-5f * scale, $"{simd} at {i}: {g[i]} vs {reference[i]}");
        }
    }
}
