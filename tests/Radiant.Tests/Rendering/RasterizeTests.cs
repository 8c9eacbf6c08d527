using System.Runtime.Intrinsics;
using Radiant.Model;
using Radiant.Rendering;

namespace Radiant.Tests.Rendering;

public class RasterizeTests
{
    internal static ProjectedSplat MakeSplat(float x, float y, double sxx, double sxy, double syy, float opacity, float r, float g, float b, float depth)
    {
        double det = sxx * syy - sxy * sxy;
        var s = new ProjectedSplat
        {
            X = x, Y = y, ConicA = (float)(syy / det), ConicB = (float)(-sxy / det), ConicC = (float)(sxx / det),
            Opacity = opacity, R = r, G = g, B = b, Depth = depth,
        };
        return s;
    }

    /// <summary>
    /// Splats of every size and orientation (variances from 0.3 to <paramref name="maxVariance"/> px²,
    /// aspect down to <paramref name="minAspect"/>), centres up to <paramref name="margin"/> px outside
    /// the image, random opacity, colour and depth.
    /// </summary>
    private static ProjectedSplat[] RandomSplats(Random rng, int count, int width, int height, double margin, double maxVariance, double minAspect, double minOpacity)
    {
        var splats = new ProjectedSplat[count];
        for (int i = 0; i < count; i++)
        {
            double s1 = Math.Exp(TestScenes.Uniform(rng, Math.Log(0.3), Math.Log(maxVariance))), s2 = s1 * TestScenes.Uniform(rng, minAspect, 1);
            double angle = rng.NextDouble() * Math.PI, c = Math.Cos(angle), s = Math.Sin(angle);
            splats[i] = MakeSplat(TestScenes.Uniform(rng, -margin, width + margin), TestScenes.Uniform(rng, -margin, height + margin),
                c * c * s1 + s * s * s2 + 0.3, c * s * (s1 - s2), s * s * s1 + c * c * s2 + 0.3,
                TestScenes.Uniform(rng, minOpacity, 1), TestScenes.Uniform(rng, 0, 1), TestScenes.Uniform(rng, 0, 1), TestScenes.Uniform(rng, 0, 1),
                TestScenes.Uniform(rng, 1, 10));
        }
        return splats;
    }

    internal static NaiveReference.Splat ToNaive(ProjectedSplat s, int id) =>
        new(id, s.X, s.Y, s.ConicA, s.ConicB, s.ConicC, s.Opacity, s.R, s.G, s.B, s.Depth, 1);

    private sealed class Frame(int width, int height)
    {
        public readonly float[] Color = new float[3 * width * height], Alpha = new float[width * height], Depth = new float[width * height];
    }

    private static Frame Rasterize(Rasterizer rasterizer, ProjectedSplat[] splats, int width, int height, float[] background, bool depth = true)
    {
        var f = new Frame(width, height);
        for (int i = 0; i < splats.Length; i++) splats[i].ComputeSupport(width, height);
        rasterizer.Forward(splats, Enumerable.Range(0, splats.Length).ToArray(), width, height, background, f.Color, f.Alpha, depth ? f.Depth : null);
        return f;
    }

    [Fact]
    public void Reach_packs_every_pair_of_row_ranges_into_16_bits_and_back()
    {
        // Every contiguous row range (and the empty one) of the left and right column group.
        var ranges = new List<uint> { 0 };
        for (int first = 0; first < 16; first++)
            for (int last = first; last < 16; last++) ranges.Add((2u << last) - (1u << first));
        Assert.Equal(137, ranges.Count);
        foreach (uint left in ranges)
            foreach (uint right in ranges)
            {
                ushort packed = Rasterizer.PackReach(left, right);
                Assert.Equal(Rasterizer.GroupMask<PixelLanes8, Vector256<float>>(left, right), Rasterizer.UnpackReach<PixelLanes8, Vector256<float>>(packed));
                Assert.Equal(left | right, Rasterizer.UnpackReach<PixelLanes16, Vector512<float>>(packed));
            }
        // A gap inside a range is covered (never a reached row lost).
        uint gapped = 0b1011u << 3;
        Assert.Equal(Rasterizer.GroupMask<PixelLanes8, Vector256<float>>(0b1111u << 3, 0), Rasterizer.UnpackReach<PixelLanes8, Vector256<float>>(Rasterizer.PackReach(gapped, 0)));
    }

    [Fact]
    public void Group_masks_interleave_the_strips_at_8_lanes_and_merge_them_at_16()
    {
        // 8 lanes: row r's left strip is group 2r, its right strip group 2r + 1; OpenRows takes a column back out.
        Assert.Equal(0b0110_0001u, Rasterizer.GroupMask<PixelLanes8, Vector256<float>>(0b0001u | 0b1000u, 0b0100u) & 0xFFu);
        for (uint left = 0; left < 64; left += 5)
            for (uint right = 0; right < 64; right += 3)
            {
                uint groups = Rasterizer.GroupMask<PixelLanes8, Vector256<float>>(left << 9, right << 4);
                Assert.Equal(left << 9, Rasterizer.OpenRows<PixelLanes8, Vector256<float>>(groups, 0));
                Assert.Equal(right << 4, Rasterizer.OpenRows<PixelLanes8, Vector256<float>>(groups, 1));
                Assert.Equal(left << 9 | right << 4, Rasterizer.OpenRows<PixelLanes16, Vector512<float>>(Rasterizer.GroupMask<PixelLanes16, Vector512<float>>(left << 9, right << 4), 0));
            }
    }

    [Fact]
    public void Forward_matches_the_naive_per_pixel_renderer()
    {
        const int width = 61, height = 45;
        RenderCamera cam = TestScenes.LookAt(width, height, 50, (0.5, -0.5, -4.0));
        var rng = new Random(42);
        const int count = 700;
        var g = new GaussianSet(count, 3);
        for (int i = 0; i < count; i++)
        {
            for (int a = 0; a < 3; a++) g.Means[3 * i + a] = TestScenes.Uniform(rng, -1.3, 1.3);
            TestScenes.Randomise(g, i, rng, Math.Log(0.02), Math.Log(0.4), 0.02, 1.0, 0.2);
        }
        // A few behind the camera and one right at it.
        for (int i = 0; i < 5; i++) { g.Means[3 * i] = 0.5f; g.Means[3 * i + 1] = -0.5f; g.Means[3 * i + 2] = -4.5f - i; }
        var options = new RenderOptions { Background = [0.2f, 0.5f, 0.9f], ExpectedDepth = true };

        var renderer = new Renderer();
        RenderResult result = renderer.Render(g, cam, options);
        NaiveReference.Frame expected = NaiveReference.Render(g, cam, options);

        Assert.Equal(expected.Radii, result.Radii);
        Assert.Equal(expected.Radii.Count(r => r > 0), result.VisibleCount);
        Assert.True(result.VisibleCount > 500 && result.VisibleCount <= count - 5, $"visible {result.VisibleCount}");

        int n = width * height, ambiguous = expected.Ambiguous.Count(a => a);
        Assert.True(ambiguous < n / 100, $"{ambiguous} ambiguous pixels");
        double worstColor = 0, worstAlpha = 0, worstDepth = 0;
        int terminated = 0;
        for (int p = 0; p < n; p++)
        {
            if (expected.Alpha[p] > 1 - 2e-4) terminated++;
            if (expected.Ambiguous[p]) continue;
            for (int c = 0; c < 3; c++) worstColor = Math.Max(worstColor, Math.Abs(result.Color.Data[c * n + p] - expected.Color[c * n + p]));
            worstAlpha = Math.Max(worstAlpha, Math.Abs(result.Alpha[p] - expected.Alpha[p]));
            worstDepth = Math.Max(worstDepth, Math.Abs(result.Depth[p] - expected.Depth[p]) / Math.Max(1, expected.Depth[p]));
        }
        Assert.True(worstColor < 2e-5, $"colour differs by {worstColor:g3}");
        Assert.True(worstAlpha < 2e-5, $"alpha differs by {worstAlpha:g3}");
        Assert.True(worstDepth < 2e-5, $"depth differs by {worstDepth:g3}");
        Assert.True(terminated > n / 10, $"only {terminated} pixels reach the transmittance cut-off");

        // Without depth (the default): the same colour and alpha bits, and no depth.
        float[] color = result.Color.Data.ToArray(), alpha = result.Alpha.ToArray();
        RenderResult plain = renderer.Render(g, cam, options with { ExpectedDepth = false });
        Assert.Equal(color, plain.Color.Data);
        Assert.Equal(alpha, plain.Alpha);
        Assert.Empty(plain.Depth);
    }

    [Theory]
    [InlineData(8)]
    [InlineData(16)]
    public void Random_splats_with_every_size_match_the_naive_compositor(int lanes)
    {
        // Directly from splats: tiny to huge, very elongated, clamped, sub-threshold opacities.
        const int width = 77, height = 50;
        var rng = new Random(9);
        ProjectedSplat[] splats = RandomSplats(rng, 300, width, height, margin: 20, maxVariance: 400, minAspect: 0.01, minOpacity: 0.001);
        float[] background = [1, 1, 1];
        Frame f = Rasterize(new Rasterizer(KernelPool.Shared) { PixelLanes = lanes }, splats, width, height, background);
        var ordered = splats.Select(ToNaive).OrderBy(s => (float)s.Depth).ToList();
        NaiveReference.Frame expected = NaiveReference.Composite(ordered, width, height, background);
        int n = width * height;
        double worst = 0;
        for (int p = 0; p < n; p++)
        {
            if (expected.Ambiguous[p]) continue;
            for (int ch = 0; ch < 3; ch++) worst = Math.Max(worst, Math.Abs(f.Color[ch * n + p] - expected.Color[ch * n + p]));
            worst = Math.Max(worst, Math.Abs(f.Alpha[p] - expected.Alpha[p]));
        }
        Assert.True(worst < 2e-5, $"differs by {worst:g3}");
    }

    [Theory]
    [InlineData(93, 71)]   // edge tiles cut inside a 16- and an 8-lane group
    [InlineData(5, 3)]     // one tile, most lanes outside the image
    [InlineData(16, 16)]   // exactly one tile
    [InlineData(17, 33)]   // a one-pixel column of tiles
    public void Eight_and_sixteen_pixel_lanes_give_the_same_image_and_gradients(int width, int height)
    {
        // Every lane does the same float operations at both register widths, so the frame (colour,
        // alpha, depth, final T, stop indices) is bit-identical; the gradients differ only in the
        // order their per-pixel terms are summed.
        var rng = new Random(5);
        ProjectedSplat[] splats = RandomSplats(rng, 400, width, height, margin: 10, maxVariance: 300, minAspect: 0.02, minOpacity: 0.01);
        float[] background = [0.2f, 0.4f, 0.6f];
        var dColor = new float[3 * width * height];
        var dAlpha = new float[width * height];
        foreach (ref float w in dColor.AsSpan()) w = TestScenes.Uniform(rng, -1, 1);
        foreach (ref float w in dAlpha.AsSpan()) w = TestScenes.Uniform(rng, -1, 1);

        (Frame Frame, float[] FinalT, SplatGradient[] Gradients) Run(int lanes)
        {
            var rasterizer = new Rasterizer(KernelPool.Shared) { PixelLanes = lanes };
            // The kernel without depth composites the same colour and alpha.
            Frame plain = Rasterize(rasterizer, splats, width, height, background, depth: false);
            Frame f = Rasterize(rasterizer, splats, width, height, background);
            Assert.Equal(f.Color, plain.Color);
            Assert.Equal(f.Alpha, plain.Alpha);
            Assert.All(plain.Depth, d => Assert.Equal(0, d));
            rasterizer.Backward(dColor, dAlpha);
            return (f, rasterizer.FinalTransmittance.ToArray(), Enumerable.Range(0, splats.Length).Select(rasterizer.Gradient).ToArray());
        }
        var narrow = Run(8);
        var wide = Run(16);
        Assert.Equal(narrow.Frame.Color, wide.Frame.Color);
        Assert.Equal(narrow.Frame.Alpha, wide.Frame.Alpha);
        Assert.Equal(narrow.Frame.Depth, wide.Frame.Depth);
        Assert.Equal(narrow.FinalT, wide.FinalT);
        Assert.Contains(narrow.FinalT, t => t < 1e-3f);   // some pixels stop early (the stop indices matter)

        string[] names = ["mean2d.x", "mean2d.y", "conic.a", "conic.b", "conic.c", "opacity", "red", "green", "blue"];
        for (int field = 0; field < names.Length; field++)
        {
            float[] a = narrow.Gradients.Select(g => Field(ref g, field)).ToArray();
            double[] b = wide.Gradients.Select(g => (double)Field(ref g, field)).ToArray();
            Assert.Contains(a, v => v != 0);
            GradientAssert.Close($"dL/d {names[field]} at 8 vs 16 lanes", a, b, 1e-4);
        }
    }

    [Theory]
    [InlineData(8, false)]
    [InlineData(16, false)]
    [InlineData(8, true)]
    [InlineData(16, true)]
    public void Absolute_screen_gradient_sums_each_pixels_gradient_magnitude(int lanes, bool alphaLoss)
    {
        // The gradient is linear in dL/dC and dL/dA, so one pixel's own dL/dmean2d is the
        // backward pass's with every other pixel's weights zero; AbsGS sums their magnitudes.
        const int width = 37, height = 29;   // edge tiles cut inside a lane group
        var rng = new Random(17);
        ProjectedSplat[] splats = RandomSplats(rng, 60, width, height, margin: 6, maxVariance: 120, minAspect: 0.05, minOpacity: 0.05);
        float[] background = [0.2f, 0.4f, 0.6f];
        int pixels = width * height;
        var dColor = new float[3 * pixels];
        var dAlpha = new float[alphaLoss ? pixels : 0];
        foreach (ref float w in dColor.AsSpan()) w = TestScenes.Uniform(rng, -1, 1);
        foreach (ref float w in dAlpha.AsSpan()) w = TestScenes.Uniform(rng, -1, 1);

        var rasterizer = new Rasterizer(KernelPool.Shared) { PixelLanes = lanes };
        Rasterize(rasterizer, splats, width, height, background);
        rasterizer.Backward(dColor, dAlpha, absoluteScreenGradient: true);
        (float X, float Y)[] absolute = Enumerable.Range(0, splats.Length).Select(rasterizer.AbsoluteScreenGradient).ToArray();
        SplatGradient[] signed = Enumerable.Range(0, splats.Length).Select(rasterizer.Gradient).ToArray();
        rasterizer.Backward(dColor, dAlpha);
        Assert.Throws<InvalidOperationException>(() => rasterizer.AbsoluteScreenGradient(0));
        // Tracking the absolute sums changes no gradient.
        Assert.Equal(signed, Enumerable.Range(0, splats.Length).Select(rasterizer.Gradient).ToArray());

        var expected = new double[2 * splats.Length];
        var onePixelColor = new float[3 * pixels];
        var onePixelAlpha = new float[dAlpha.Length];
        for (int p = 0; p < pixels; p++)
        {
            for (int c = 0; c < 3; c++) onePixelColor[c * pixels + p] = dColor[c * pixels + p];
            if (alphaLoss) onePixelAlpha[p] = dAlpha[p];
            rasterizer.Backward(onePixelColor, onePixelAlpha);
            for (int i = 0; i < splats.Length; i++)
            {
                SplatGradient g = rasterizer.Gradient(i);
                expected[2 * i] += Math.Abs(g.X);
                expected[2 * i + 1] += Math.Abs(g.Y);
            }
            for (int c = 0; c < 3; c++) onePixelColor[c * pixels + p] = 0;
            if (alphaLoss) onePixelAlpha[p] = 0;
        }
        float[] actual = absolute.SelectMany(a => new[] { a.X, a.Y }).ToArray();
        GradientAssert.Close("Σ|dL/dmean2d| per pixel", actual, expected, 1e-4);
        // Pixels pull opposite ways: for some Gaussians the magnitudes' sum is far above the sum's magnitude.
        Assert.Contains(Enumerable.Range(0, splats.Length), i => absolute[i].X > 2 * Math.Abs(signed[i].X) + 1e-3);
    }

    [Fact]
    public void Pixel_lanes_default_to_the_widest_accelerated_register_and_are_8_or_16()
    {
        var rasterizer = new Rasterizer(KernelPool.Shared);
        if (Environment.GetEnvironmentVariable("RADIANT_RASTER_LANES") is not ("8" or "16"))
            Assert.Equal(Vector512.IsHardwareAccelerated ? 16 : 8, rasterizer.PixelLanes);
        Assert.Throws<ArgumentOutOfRangeException>(() => rasterizer.PixelLanes = 4);
        rasterizer.PixelLanes = 8;
        Assert.Equal(8, rasterizer.PixelLanes);
    }

    [Fact]
    public void Alpha_is_clamped_at_099_and_tiny_opacities_are_skipped()
    {
        float[] background = [0.1f, 0.2f, 0.3f];
        var rasterizer = new Rasterizer(KernelPool.Shared);
        // Huge, flat Gaussian of opacity 1: alpha = min(0.99, 1·G) = 0.99 wherever G > 0.99.
        ProjectedSplat opaque = MakeSplat(8, 8, 1e8, 0, 1e8, 1f, 0.5f, 0.6f, 0.7f, 2);
        Frame f = Rasterize(rasterizer, [opaque], 20, 18, background);
        int n = 20 * 18;
        for (int p = 0; p < n; p++)
        {
            Assert.Equal(0.99 * 0.5 + 0.01 * 0.1, f.Color[p], 5);
            Assert.Equal(0.99 * 0.7 + 0.01 * 0.3, f.Color[2 * n + p], 5);
            Assert.Equal(0.99, f.Alpha[p], 5);
            Assert.Equal(0.99 * 2, f.Depth[p], 4);
        }
        // Opacity below 1/255 can never reach the threshold: nothing is drawn.
        ProjectedSplat faint = MakeSplat(8, 8, 1e8, 0, 1e8, 0.9f / 255, 1, 1, 1, 2);
        f = Rasterize(rasterizer, [faint], 20, 18, background);
        for (int p = 0; p < n; p++) { Assert.Equal(0.1f, f.Color[p]); Assert.Equal(0f, f.Alpha[p]); }
        // Just above: drawn everywhere (G ≈ 1).
        ProjectedSplat barely = MakeSplat(8, 8, 1e8, 0, 1e8, 1.05f / 255, 1, 1, 1, 2);
        f = Rasterize(rasterizer, [barely], 20, 18, background);
        for (int p = 0; p < n; p++) Assert.Equal(1.05 / 255, f.Alpha[p], 5);
    }

    [Fact]
    public void A_pixel_stops_before_the_Gaussian_that_would_drop_transmittance_below_1e4()
    {
        float[] background = [0, 0, 1];
        // Flat Gaussians front to back with alphas 0.99, 0.9, 0.95, 0.5:
        // T: 1 → 0.01 → 0.001 → (0.00005 < 1e-4: stop; the third and fourth are not included).
        ProjectedSplat[] splats =
        [
            MakeSplat(5, 5, 1e8, 0, 1e8, 0.5f, 0, 0, 0, 4),   // declared first but deepest
            MakeSplat(5, 5, 1e8, 0, 1e8, 1f, 1, 0, 0, 1),
            MakeSplat(5, 5, 1e8, 0, 1e8, 0.9f, 0, 1, 0, 2),
            MakeSplat(5, 5, 1e8, 0, 1e8, 0.95f, 1, 1, 1, 3),
        ];
        Frame f = Rasterize(new Rasterizer(KernelPool.Shared), splats, 33, 17, background);
        int n = 33 * 17;
        for (int p = 0; p < n; p++)
        {
            Assert.Equal(0.99, f.Color[p], 4);              // red: first Gaussian only
            Assert.Equal(0.9 * 0.01, f.Color[n + p], 4);    // green: second
            Assert.Equal(0.001, f.Color[2 * n + p], 4);     // blue: background · T_final only
            Assert.Equal(1 - 0.001, f.Alpha[p], 4);
        }
    }

    [Theory]
    [InlineData(40, 30, true, 8)]
    [InlineData(40, 30, true, 16)]
    // Edge tiles: a 16-pixel tile cut after 5 columns (a column group with 5 lanes in the image) and
    // 13 rows. Without the clamped core: its kink at alpha = 0.99 makes the ±0.5 px central
    // difference of its small mean gradient miss by 2–11 % for most draws at either size.
    [InlineData(37, 29, false, 8)]
    [InlineData(37, 29, false, 16)]
    public void Compositing_gradients_match_finite_differences(int width, int height, bool clampedCore, int lanes)
    {
        var rng = new Random(17);
        var splats = new ProjectedSplat[12];
        for (int i = 0; i < splats.Length; i++)
        {
            // Wide enough that alpha ≥ 1/255 over the whole image (no support cut-off inside it).
            double s1 = TestScenes.Uniform(rng, 900, 2500), s2 = TestScenes.Uniform(rng, 700, 1800), rho = TestScenes.Uniform(rng, -0.5, 0.5);
            splats[i] = MakeSplat(TestScenes.Uniform(rng, 5, 35), TestScenes.Uniform(rng, 5, 25), s1, rho * Math.Sqrt(s1 * s2), s2,
                TestScenes.Uniform(rng, 0.05, 0.3), TestScenes.Uniform(rng, 0.1, 0.9), TestScenes.Uniform(rng, 0.1, 0.9), TestScenes.Uniform(rng, 0.1, 0.9),
                TestScenes.Uniform(rng, 1, 5));
        }
        // One nearly opaque, still wide Gaussian whose core is clamped at alpha 0.99 (gradient 0 there).
        if (clampedCore) splats[3] = MakeSplat(20, 15, 2000, 300, 1500, 0.999f, 0.2f, 0.8f, 0.4f, 0.5f);
        float[] background = [0.3f, 0.6f, 0.1f];
        var weights = new float[3 * width * height];
        var alphaWeights = new float[width * height];
        foreach (ref float w in weights.AsSpan()) w = TestScenes.Uniform(rng, -1, 1);
        foreach (ref float w in alphaWeights.AsSpan()) w = TestScenes.Uniform(rng, -1, 1);

        var rasterizer = new Rasterizer(KernelPool.Shared) { PixelLanes = lanes };
        double Loss()
        {
            Frame f = Rasterize(rasterizer, splats, width, height, background);
            double sum = 0;
            for (int k = 0; k < weights.Length; k++) sum += (double)weights[k] * f.Color[k];
            for (int k = 0; k < alphaWeights.Length; k++) sum += (double)alphaWeights[k] * f.Alpha[k];
            foreach (float a in f.Alpha) Assert.True(a < 1 - 2e-4, "no pixel may reach the transmittance cut-off");
            return sum;
        }

        Loss();
        foreach (float t in rasterizer.FinalTransmittance) Assert.True(t > 2e-4);
        rasterizer.Backward(weights, alphaWeights);
        SplatGradient[] analytic = Enumerable.Range(0, splats.Length).Select(rasterizer.Gradient).ToArray();

        string[] names = ["mean2d.x", "mean2d.y", "conic.a", "conic.b", "conic.c", "opacity", "red", "green", "blue"];
        for (int field = 0; field < names.Length; field++)
        {
            var a = new float[splats.Length];
            var numeric = new double[splats.Length];
            for (int i = 0; i < splats.Length; i++)
            {
                a[i] = Field(ref analytic[i], field);
                ref float value = ref SplatField(ref splats[i], field);
                float keep = value;
                double h = field switch { 0 or 1 => 0.5, 2 or 3 or 4 => 1e-2 * Math.Abs(splats[i].ConicA + splats[i].ConicC), 5 => Math.Min(1e-2, 0.1 * (1 - keep)), _ => 0.05 };
                value = (float)(keep + h); float hi = value; double up = Loss();
                value = (float)(keep - h); float lo = value; double down = Loss();
                value = keep;
                numeric[i] = (up - down) / (hi - lo);
            }
            GradientAssert.Close($"dL/d {names[field]}", a, numeric, 2e-2);
        }
    }

    private static float Field(ref SplatGradient g, int k) => k switch
    {
        0 => g.X, 1 => g.Y, 2 => g.ConicA, 3 => g.ConicB, 4 => g.ConicC, 5 => g.Opacity, 6 => g.R, 7 => g.G, _ => g.B,
    };

    private static ref float SplatField(ref ProjectedSplat s, int k)
    {
        switch (k)
        {
            case 0: return ref s.X;
            case 1: return ref s.Y;
            case 2: return ref s.ConicA;
            case 3: return ref s.ConicB;
            case 4: return ref s.ConicC;
            case 5: return ref s.Opacity;
            case 6: return ref s.R;
            case 7: return ref s.G;
            default: return ref s.B;
        }
    }
}
