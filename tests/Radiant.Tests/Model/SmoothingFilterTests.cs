using Radiant.Model;
using Radiant.Rendering;
using Radiant.Tests.Rendering;

namespace Radiant.Tests.Model;

public class SmoothingFilterTests
{
    /// <summary>The rule written out in double: nearest depth over cameras that see the centre (z &gt; near, inside the image ±15%), unseen → the largest seen depth; σ3d² = 0.2·(d / max focal)².</summary>
    private static double[] Direct(GaussianSet g, RenderCamera[] cams, double near)
    {
        var depth = new double[g.Count];
        double focal = cams.Max(c => Math.Max(c.Fx, c.Fy));
        for (int i = 0; i < g.Count; i++)
        {
            depth[i] = double.PositiveInfinity;
            foreach (RenderCamera c in cams)
            {
                float[] m = c.WorldToCamera;
                double x = g.Means[3 * i], y = g.Means[3 * i + 1], z = g.Means[3 * i + 2];
                double tx = m[0] * x + m[1] * y + m[2] * z + m[3], ty = m[4] * x + m[5] * y + m[6] * z + m[7], tz = m[8] * x + m[9] * y + m[10] * z + m[11];
                if (tz <= near) continue;
                double px = c.Fx * tx / tz + c.Cx, py = c.Fy * ty / tz + c.Cy;
                if (px < -0.15 * c.Width || px > 1.15 * c.Width || py < -0.15 * c.Height || py > 1.15 * c.Height) continue;
                depth[i] = Math.Min(depth[i], tz);
            }
        }
        double farthest = depth.Where(double.IsFinite).DefaultIfEmpty(0).Max();
        return depth.Select(d => 0.2 * Math.Pow((double.IsFinite(d) ? d : farthest) / focal, 2)).ToArray();
    }

    [Fact]
    public void Variance_is_the_nearest_seeing_depth_rule()
    {
        RenderCamera a = TestScenes.LookAt(64, 48, 60, (1.0, -0.8, -4.5));
        RenderCamera b = TestScenes.LookAt(40, 40, 90, (-3.0, 0.5, -2.0));
        RenderCamera[] cams = [a, b];
        var rng = new Random(5);
        var g = new GaussianSet(37, 0); // not a multiple of 8: the padded last block is exercised
        for (int i = 0; i < g.Count; i++)
            for (int k = 0; k < 3; k++) g.Means[3 * i + k] = TestScenes.Uniform(rng, -1.5, 1.5);
        // Edge cases in camera a's view: inside the 15% margin, outside it, behind the near plane, and seen by no camera.
        (g.Means[0], g.Means[1], g.Means[2]) = TestScenes.WorldFromView(a, (1.10 * 64 - 32) / 60.0 * 3, 0, 3);
        (g.Means[3], g.Means[4], g.Means[5]) = TestScenes.WorldFromView(a, (1.20 * 64 - 32) / 60.0 * 3, 0, 3);
        (g.Means[6], g.Means[7], g.Means[8]) = TestScenes.WorldFromView(a, 0, 0, 0.1);
        (g.Means[9], g.Means[10], g.Means[11]) = (0f, 50f, 0f); // far above both cameras' views

        SmoothingFilter.Compute(g, cams, 0.2f);
        double[] expected = Direct(g, cams, 0.2);
        float[] actual = g.SmoothingVariance!;
        for (int i = 0; i < g.Count; i++) Assert.Equal(1, actual[i] / expected[i], 5);
        // Gaussian 0 is seen by a at depth 3 (unless b is nearer); 3 falls back to the farthest seen depth.
        Assert.True(actual[0] <= 0.2 * 9 / (90.0 * 90) * 1.0001);
        Assert.Equal(expected.Max(), actual[3], 6);
        Assert.True(actual[2] > actual[0], "behind the near plane of a: only b sees it, farther away");
    }

    [Fact]
    public void Opacity_factor_is_the_determinant_ratio_and_densification_keeps_it_aligned()
    {
        var g = new GaussianSet(3, 0);
        var rng = new Random(1);
        for (int i = 0; i < 3; i++) TestScenes.Randomise(g, i, rng, Math.Log(0.01), Math.Log(0.1), 0.1, 0.9, 0);
        g.SmoothingVariance = [1e-3f, 2e-3f, 3e-3f];
        for (int i = 0; i < 3; i++)
        {
            double v = g.SmoothingVariance[i], ratio = 1;
            for (int k = 0; k < 3; k++) { double s2 = Math.Exp(2.0 * g.LogScales[3 * i + k]); ratio *= s2 / (s2 + v); }
            Assert.Equal(Math.Sqrt(ratio), SmoothingFilter.OpacityFactor(g, i), 5);
        }
        var extra = new GaussianSet(2, 0);
        g.Rebuild([true, false, true], extra);
        Assert.Equal([1e-3f, 3e-3f, 0, 0], g.SmoothingVariance);
        Assert.Equal(g.SmoothingVariance, g.Clone().SmoothingVariance);
    }

    [Fact]
    public void Projection_with_both_filters_matches_the_naive_reference()
    {
        RenderCamera cam = TestScenes.LookAt(64, 48, 60, (1.0, -0.8, -4.5));
        var rng = new Random(3);
        var options = new RenderOptions().WithFilter2D(mip: true);
        var settings = new ProjectionSettings(options.NearPlane, options.Dilation, 3, options.MipFilter);
        int compared = 0;
        for (int trial = 0; trial < 40; trial++)
        {
            var g = new GaussianSet(1, 3);
            (g.Means[0], g.Means[1], g.Means[2]) = TestScenes.WorldFromView(cam, TestScenes.Uniform(rng, -1, 1), TestScenes.Uniform(rng, -0.8, 0.8), TestScenes.Uniform(rng, 2, 6));
            TestScenes.Randomise(g, 0, rng, Math.Log(0.002), Math.Log(0.1), 0.2, 0.9, 0.1);
            g.SmoothingVariance = [TestScenes.Uniform(rng, 0, 2e-3)];
            int radius = Projection.Forward(g, 0, new ProjectionCamera(cam), settings, out ProjectedSplat s, out _);
            var reference = NaiveReference.Project(g, 0, cam, options);
            Assert.NotNull(reference);
            Assert.Equal(reference.Radius, radius);
            Assert.Equal(1, s.Opacity / reference.Opacity, 4);
            Assert.Equal(1, s.ConicA / reference.A, 4);
            Assert.Equal(1, s.ConicC / reference.C, 4);
            // The filters matter here: the combined factor is well below 1 for the smallest Gaussians.
            if (reference.Opacity < 0.7 / (1 + Math.Exp(-g.OpacityLogits[0]))) compared++;
        }
        Assert.True(compared > 10, $"only {compared} cases where the filters reduce opacity by 30%");
    }
}
