using Radiant.Model;
using Radiant.Rendering;

namespace Radiant.Tests.Rendering;

/// <summary>Views of a reduced pyramid level rendered at the full size and averaged over their blocks (RenderOptions.SupersampleLevels).</summary>
public class SupersamplingTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public void The_block_average_is_each_blocks_mean_and_the_spread_is_its_adjoint(int k)
    {
        const int width = 5, height = 3, planes = 3;
        var rng = new Random(k);
        int plane = width * height, sampledWidth = k * width, sampledPlane = sampledWidth * k * height;
        float[] sampled = Enumerable.Range(0, planes * sampledPlane).Select(_ => TestScenes.Uniform(rng, -1, 1)).ToArray();
        float[] pixels = Enumerable.Range(0, planes * plane).Select(_ => TestScenes.Uniform(rng, -1, 1)).ToArray();

        var averaged = new float[planes * plane];
        Supersampling.Average(sampled, averaged, width, height, k, planes, new float[sampledWidth]);
        var spread = new float[planes * sampledPlane];
        Supersampling.Spread(pixels, spread, width, height, k, planes);

        double averagedDotPixels = 0, sampledDotSpread = 0;
        for (int c = 0; c < planes; c++)
            for (int y = 0; y < height; y++)
                for (int x = 0; x < width; x++)
                {
                    int pixel = c * plane + y * width + x;
                    double sum = 0;
                    for (int dy = 0; dy < k; dy++)
                        for (int dx = 0; dx < k; dx++)
                        {
                            int sample = c * sampledPlane + (y * k + dy) * sampledWidth + x * k + dx;
                            sum += sampled[sample];
                            Assert.Equal(pixels[pixel] / (k * k), spread[sample]);
                            sampledDotSpread += (double)sampled[sample] * spread[sample];
                        }
                    Assert.Equal(sum / (k * k), averaged[pixel], 1e-6);
                    averagedDotPixels += (double)averaged[pixel] * pixels[pixel];
                }
        // ⟨Average(s), p⟩ = ⟨s, Spread(p)⟩: the backward pass of the average.
        Assert.Equal(averagedDotPixels, sampledDotSpread, 1e-5);
    }

    [Fact]
    public void A_supersampled_pyramid_view_is_the_full_view_averaged_over_its_blocks()
    {
        var (g, full, level2) = SmallSplats();
        var options = new RenderOptions { Background = [0.2f, 0.3f, 0.4f], ExpectedDepth = true }.WithFilter2D(mip: true);
        var renderer = new Renderer();
        RenderResult r = renderer.Render(g, full, options);
        float[] color = r.Color.Data.ToArray(), alpha = r.Alpha.ToArray(), depth = r.Depth.ToArray();
        int[] radii = r.Radii.ToArray();
        Assert.Equal(1, r.Samples);

        RenderResult s = renderer.Render(g, level2, options with { SupersampleLevels = true });
        Assert.Equal(4, s.Samples);
        Assert.Equal(radii, s.Radii);   // in the full image's pixels
        Assert.Equal((8, 6), (s.Color.Width, s.Color.Height));
        for (int y = 0; y < 6; y++)
            for (int x = 0; x < 8; x++)
            {
                Assert.Equal(BlockMean(alpha, 32, 0, x, y), s.Alpha[y * 8 + x], 1e-6);
                Assert.Equal(BlockMean(depth, 32, 0, x, y), s.Depth[y * 8 + x], 1e-5);
                for (int c = 0; c < 3; c++) Assert.Equal(BlockMean(color, 32, c * 32 * 24, x, y), s.Color.Data[c * 48 + y * 8 + x], 1e-6);
            }

        // Rendered at its own size (the option off) it is another image, though close: the Mip filter keeps
        // each splat's energy, and these overlap little (largest difference 0.029).
        float[] supersampled = s.Color.Data.ToArray();
        RenderResult direct = renderer.Render(g, level2, options);
        Assert.Equal(1, direct.Samples);
        double largest = supersampled.Zip(direct.Color.Data).Max(p => Math.Abs(p.First - p.Second));
        Assert.True(largest > 0.01, $"rendered directly the view differs by at most {largest:g3}");
    }

    [Fact]
    public void Uniform_supersampling_averages_a_larger_render_and_multiplies_the_levels_factor()
    {
        var (g, full, _) = SmallSplats();
        var options = new RenderOptions { Background = [0.2f, 0.3f, 0.4f] }.WithFilter2D(mip: true);
        var renderer = new Renderer();
        float[] Colour(RenderCamera camera, RenderOptions o) => renderer.Render(g, camera, o).Color.Data.ToArray();
        RenderCamera doubled = full with { Width = 64, Height = 48, Fx = 2 * full.Fx, Fy = 2 * full.Fy, Cx = 2 * full.Cx, Cy = 2 * full.Cy };
        float[] large = Colour(doubled, options), plain = Colour(full, options);

        // Two samples a side on the full view: the doubled view averaged over 2×2 blocks.
        Assert.Equal(2, renderer.Render(g, full, options with { Supersample = 2 }).Samples);
        float[] twice = Colour(full, options with { Supersample = 2 });
        for (int c = 0; c < 3; c++)
            for (int y = 0; y < 24; y++)
                for (int x = 0; x < 32; x++)
                {
                    double mean = 0;
                    for (int dy = 0; dy < 2; dy++)
                        for (int dx = 0; dx < 2; dx++) mean += large[c * 64 * 48 + (2 * y + dy) * 64 + 2 * x + dx] / 4.0;
                    Assert.Equal(mean, twice[c * 32 * 24 + y * 32 + x], 1e-6);
                }
        Assert.True(twice.Zip(plain).Max(p => Math.Abs(p.First - p.Second)) > 0.01);

        // On a view of level 1 with SupersampleLevels: 2 × 2 samples a side, the doubled view averaged over 4×4.
        RenderCamera level1 = Level(full, 1);
        RenderResult r = renderer.Render(g, level1, options with { Supersample = 2, SupersampleLevels = true });
        Assert.Equal(4, r.Samples);
        for (int y = 0; y < 12; y++)
            for (int x = 0; x < 16; x++)
                Assert.Equal(BlockMean(large, 64, 0, x, y), r.Color.Data[y * 16 + x], 1e-6);

        Assert.Throws<ArgumentException>(() => renderer.Render(g, full, options with { Supersample = 0 }));
    }

    [Fact]
    public void A_supersampled_views_gradients_are_the_full_views_with_each_pixels_weight_spread_over_its_block()
    {
        var (g, full, level2) = SmallSplats();
        var options = new RenderOptions { Background = [0.2f, 0.3f, 0.4f] }.WithFilter2D(mip: true);
        var (dColor, dAlpha) = RendererTests.Weights(8, 6, seed: 7);
        var renderer = new Renderer();
        renderer.Render(g, level2, options with { SupersampleLevels = true });
        var supersampled = new GaussianGradients(g) { TrackAbsoluteScreenGrad = true };
        renderer.Backward(dColor, dAlpha, supersampled);

        // The same weights on the full view: each of a pixel's 4×4 samples gets 1/16 of it.
        var dColorFull = new float[3 * 32 * 24];
        var dAlphaFull = new float[32 * 24];
        for (int y = 0; y < 24; y++)
            for (int x = 0; x < 32; x++)
            {
                int pixel = y / 4 * 8 + x / 4;
                dAlphaFull[y * 32 + x] = dAlpha[pixel] / 16;
                for (int c = 0; c < 3; c++) dColorFull[c * 32 * 24 + y * 32 + x] = dColor[c * 48 + pixel] / 16;
            }
        renderer.Render(g, full, options);
        var reference = new GaussianGradients(g) { TrackAbsoluteScreenGrad = true };
        renderer.Backward(dColorFull, dAlphaFull, reference);

        foreach (var ((name, expected, _), (_, actual, _)) in reference.Parameters(g).Zip(supersampled.Parameters(g)))
            Assert.True(expected.SequenceEqual(actual), $"dL/d {name} differs");
        Assert.Equal(reference.MeanScreenGrad, supersampled.MeanScreenGrad);   // in the full image's pixels
        Assert.Equal(reference.MeanScreenAbsGrad, supersampled.MeanScreenAbsGrad);
        Assert.Contains(supersampled.MeanScreenGrad, v => v != 0);
    }

    [Fact]
    public void Supersampled_gradients_match_finite_differences()
    {
        (GaussianSet g, RenderCamera full) = TestScenes.SmoothScene(12, seed: 9);
        RenderCamera level1 = Level(full, 1);
        var options = new RenderOptions { Background = [0.2f, 0.3f, 0.4f], SupersampleLevels = true };
        var (dColor, dAlpha) = RendererTests.Weights(level1.Width, level1.Height, seed: 3);
        var renderer = new Renderer();
        Assert.Equal(2, renderer.Render(g, level1, options).Samples);
        var grads = new GaussianGradients(g);
        renderer.Backward(dColor, dAlpha, grads);

        RendererTests.MatchFiniteDifferences(g, grads, () => RendererTests.Loss(renderer.Render(g, level1, options), dColor, dAlpha));
    }

    [Fact]
    public void Significance_of_a_supersampled_view_is_in_its_own_pixels()
    {
        var (g, full, level2) = SmallSplats();
        var options = new RenderOptions { Background = [0.2f, 0.3f, 0.4f] }.WithFilter2D(mip: true);
        double[] fromFull = GaussianContribution.Compute(g, [full], options);
        double[] fromLevel = GaussianContribution.Compute(g, [level2], options with { SupersampleLevels = true });
        // The level-2 view's 8×6 pixels are the full view's 32×24 averaged over 4×4 blocks: Σ αT over its pixels is 1/16 of the full view's.
        Assert.Contains(fromFull, s => s > 0.1);
        for (int i = 0; i < g.Count; i++) Assert.Equal(fromFull[i] / 16, fromLevel[i], 1e-5);
    }

    /// <summary>
    /// 40 Gaussians of about a pixel at 32×24, and the same camera as level 2 of mip-NeRF's pyramid
    /// (8×6, intrinsics / 4), where they are a quarter of a pixel.
    /// </summary>
    private static (GaussianSet G, RenderCamera Full, RenderCamera Level2) SmallSplats()
    {
        (GaussianSet g, RenderCamera full) = TestScenes.SmoothScene(40, seed: 5);
        for (int i = 0; i < g.LogScales.Length; i++) g.LogScales[i] -= MathF.Log(25f);
        for (int i = 0; i < g.Count; i++) g.OpacityLogits[i] = GaussianSet.Logit(0.9f);
        return (g, full, Level(full, 2));
    }

    private static RenderCamera Level(RenderCamera full, int level)
    {
        int s = 1 << level;
        return full with { Width = full.Width / s, Height = full.Height / s, Fx = full.Fx / s, Fy = full.Fy / s, Cx = full.Cx / s, Cy = full.Cy / s, ScaleLevel = level };
    }

    private static double BlockMean(float[] image, int width, int offset, int x, int y)
    {
        double sum = 0;
        for (int dy = 0; dy < 4; dy++)
            for (int dx = 0; dx < 4; dx++) sum += image[offset + (4 * y + dy) * width + 4 * x + dx];
        return sum / 16;
    }
}
