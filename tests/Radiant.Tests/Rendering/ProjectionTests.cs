using Radiant.Model;
using Radiant.Rendering;

namespace Radiant.Tests.Rendering;

public class ProjectionTests
{
    private static readonly RenderCamera Camera = TestScenes.LookAt(64, 48, 60, (1.0, -0.8, -4.5));
    private static readonly ProjectionSettings Settings = new(0.2f, 0.3f, 3);

    private static GaussianSet OneGaussian(int seed, double tx, double ty, double tz, double logScaleLo, double logScaleHi)
    {
        var g = new GaussianSet(1, 3);
        var rng = new Random(seed);
        (g.Means[0], g.Means[1], g.Means[2]) = TestScenes.WorldFromView(Camera, tx, ty, tz);
        TestScenes.Randomise(g, 0, rng, logScaleLo, logScaleHi, 0.2, 0.8, 0.1);
        return g;
    }

    private const int Outputs = 10;
    private static readonly string[] OutputNames = ["mean2d.x", "mean2d.y", "conic.a", "conic.b", "conic.c", "depth", "opacity", "red", "green", "blue"];

    private static double[] Outputs_(GaussianSet g, ProjectionSettings settings)
    {
        int radius = Projection.Forward(g, 0, new ProjectionCamera(Camera), settings, out ProjectedSplat s, out byte clamp);
        Assert.True(radius > 0, "the test Gaussian must stay visible");
        Assert.Equal(0, clamp);
        return [s.X, s.Y, s.ConicA, s.ConicB, s.ConicC, s.Depth, s.Opacity, s.R, s.G, s.B];
    }

    /// <summary>Name, view-space mean, log-scale range, 2D Mip filter on, 3D smoothing variance (0: none).</summary>
    public static TheoryData<string, double, double, double, double, double, bool, double> Cases => new()
    {
        { "centre", 0.2, -0.1, 4.0, Math.Log(0.05), Math.Log(0.3), false, 0 },
        { "off-centre", -0.9, 0.6, 3.0, Math.Log(0.1), Math.Log(0.25), false, 0 },
        { "u clamped", 3.3, 0.2, 4.0, Math.Log(0.5), Math.Log(1.0), false, 0 },
        { "v clamped", 0.3, -2.9, 4.0, Math.Log(0.5), Math.Log(1.0), false, 0 },
        // Anti-aliasing: Gaussians of about a pixel (fx = 60, z = 4: 0.067 world units a pixel),
        // where the filters change opacity by tens of percent. σ3d² = 0.2·(4/60)² = 8.9e-4.
        { "mip 2D", 0.2, -0.1, 4.0, Math.Log(0.008), Math.Log(0.03), true, 0 },
        { "3D smoothing", -0.9, 0.6, 3.0, Math.Log(0.01), Math.Log(0.05), false, 8.9e-4 },
        { "both filters", 0.4, 0.3, 4.0, Math.Log(0.006), Math.Log(0.04), true, 8.9e-4 },
        { "both, u clamped", 3.3, 0.2, 4.0, Math.Log(0.15), Math.Log(0.4), true, 0.05 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Gradients_of_every_output_match_finite_differences(string name, double tx, double ty, double tz, double lsLo, double lsHi,
                                                                   bool mip, double smoothing)
    {
        GaussianSet g = OneGaussian(name.Length * 7, tx, ty, tz, lsLo, lsHi);
        if (smoothing > 0) g.SmoothingVariance = [(float)smoothing];
        ProjectionSettings settings = mip ? new ProjectionSettings(0.2f, RenderOptions.MipFilterVariance, 3, MipFilter: true) : Settings;
        var groups = g.Parameters().ToArray();
        int total = groups.Sum(p => p.Values.Length);

        // Numeric Jacobian: outputs × parameters, central differences.
        var jacobian = new double[Outputs, total];
        int column = 0;
        foreach (var (pname, values, _) in groups)
        {
            // Rotations at 1e-2 too: opacity depends on them only through the Mip filter, weakly, and a
            // 1e-3 step moves it by a few float ulp (difference quotients 6.0e-5–8.9e-5 for one element
            // whose steps of 1e-2 and 2e-2 agree on 6.6e-5).
            double h = pname switch { "sh" or "means" or "rotations" => 1e-2, _ => 1e-3 };
            for (int k = 0; k < values.Length; k++, column++)
            {
                float keep = values[k];
                values[k] = (float)(keep + h); float hi = values[k]; double[] up = Outputs_(g, settings);
                values[k] = (float)(keep - h); float lo = values[k]; double[] down = Outputs_(g, settings);
                values[k] = keep;
                for (int o = 0; o < Outputs; o++) jacobian[o, column] = (up[o] - down[o]) / (hi - lo);
            }
        }

        byte clampMask = 0;
        var cam = new ProjectionCamera(Camera);
        for (int o = 0; o < Outputs; o++)
        {
            var d = new SplatGradient();
            float dDepth = 0;
            switch (o)
            {
                case 0: d.X = 1; break;
                case 1: d.Y = 1; break;
                case 2: d.ConicA = 1; break;
                case 3: d.ConicB = 1; break;
                case 4: d.ConicC = 1; break;
                case 5: dDepth = 1; break;
                case 6: d.Opacity = 1; break;
                case 7: d.R = 1; break;
                case 8: d.G = 1; break;
                case 9: d.B = 1; break;
            }
            var grads = new GaussianGradients(g);
            Projection.Backward(g, 0, cam, settings, d, dDepth, clampMask, grads);

            double overall = 0;
            for (int c = 0; c < total; c++) overall = Math.Max(overall, Math.Abs(jacobian[o, c]));
            Assert.True(overall > 1e-6, $"{name}/{OutputNames[o]}: trivial");
            column = 0;
            foreach (var ((gname, analytic, _), (_, values, _)) in grads.Parameters(g).Zip(groups))
            {
                var numeric = new double[values.Length];
                for (int k = 0; k < numeric.Length; k++) numeric[k] = jacobian[o, column + k];
                column += values.Length;
                double groupMax = numeric.Max(Math.Abs);
                if (groupMax > 1e-3 * overall)
                    GradientAssert.Close($"{name}: d {OutputNames[o]} / d {gname}", analytic, numeric, 2e-2);
                else
                    Assert.True(analytic.Max(Math.Abs) <= 2e-3 * overall + 1e-9,
                        $"{name}: d {OutputNames[o]} / d {gname} should vanish, got {analytic.Max(Math.Abs):g3} (numeric {groupMax:g3})");
            }
            if (o is 0 or 1) Assert.Equal(o == 0 ? 1f : 0f, grads.MeanScreenGrad[0]);
        }
    }

    [Fact]
    public void Gaussians_behind_the_near_plane_are_culled()
    {
        GaussianSet g = OneGaussian(1, 0, 0, 0.19, Math.Log(0.05), Math.Log(0.1));
        Assert.Equal(0, Projection.Forward(g, 0, new ProjectionCamera(Camera), Settings, out _, out _));
        (g.Means[0], g.Means[1], g.Means[2]) = TestScenes.WorldFromView(Camera, 0, 0, -2);
        Assert.Equal(0, Projection.Forward(g, 0, new ProjectionCamera(Camera), Settings, out _, out _));
        (g.Means[0], g.Means[1], g.Means[2]) = TestScenes.WorldFromView(Camera, 0, 0, 0.21);
        Assert.True(Projection.Forward(g, 0, new ProjectionCamera(Camera), Settings, out _, out _) > 0);
    }

    [Fact]
    public void Gaussians_whose_3_sigma_box_misses_the_image_are_culled()
    {
        // mean2d.x = 60·u + 32.7 ≈ −28 for u = −1.0: a small Gaussian is culled, a wide one is not.
        GaussianSet small = OneGaussian(2, -4.0, 0, 4, Math.Log(0.02), Math.Log(0.03));
        Assert.Equal(0, Projection.Forward(small, 0, new ProjectionCamera(Camera), Settings, out _, out _));
        GaussianSet wide = OneGaussian(2, -4.0, 0, 4, Math.Log(1.5), Math.Log(2.0));
        int radius = Projection.Forward(wide, 0, new ProjectionCamera(Camera), Settings, out ProjectedSplat s, out _);
        Assert.True(radius > 0);
        Assert.True(s.X + radius > 0 && s.X < 0);
        // Below and to the right as well.
        GaussianSet below = OneGaussian(3, 0, 5.0, 4, Math.Log(0.02), Math.Log(0.03));
        Assert.Equal(0, Projection.Forward(below, 0, new ProjectionCamera(Camera), Settings, out _, out _));
    }

    [Fact]
    public void Screen_quantities_match_the_naive_projection()
    {
        var rng = new Random(3);
        for (int trial = 0; trial < 20; trial++)
        {
            GaussianSet g = OneGaussian(trial, TestScenes.Uniform(rng, -1, 1), TestScenes.Uniform(rng, -0.8, 0.8), TestScenes.Uniform(rng, 2, 6), Math.Log(0.02), Math.Log(0.4));
            int radius = Projection.Forward(g, 0, new ProjectionCamera(Camera), Settings, out ProjectedSplat s, out _);
            var reference = NaiveReference.Project(g, 0, Camera, new RenderOptions());
            Assert.NotNull(reference);
            Assert.Equal(reference.Radius, radius);
            Assert.Equal(reference.X, s.X, 3);
            Assert.Equal(reference.Y, s.Y, 3);
            Assert.Equal(1, s.ConicA / reference.A, 4);
            Assert.Equal(1, s.ConicC / reference.C, 4);
            Assert.Equal(reference.B, s.ConicB, 1e-4 * Math.Sqrt(reference.A * reference.C));
            Assert.Equal(reference.Depth, s.Depth, 4);
            Assert.Equal(reference.R, s.R, 5);
        }
    }
}
