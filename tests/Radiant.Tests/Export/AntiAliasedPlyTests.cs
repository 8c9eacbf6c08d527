using System.Text;
using Radiant.Export;
using Radiant.Model;
using Radiant.Rendering;
using Radiant.Tests.Rendering;
using Radiant.Tests.Support;

namespace Radiant.Tests.Export;

/// <summary>Anti-aliased models in .ply: the 3D filter baked (any viewer) or as filter_3D (Mip-Splatting), and the 2D Mip filter mark.</summary>
public class AntiAliasedPlyTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static (GaussianSet G, RenderCamera Camera) FilteredScene()
    {
        var (g, cam) = TestScenes.SmoothScene(60, seed: 4);
        var rng = new Random(2);
        for (int i = 0; i < g.Count; i++) TestScenes.Randomise(g, i, rng, Math.Log(0.005), Math.Log(0.3), 0.1, 0.95, 0.05);
        SmoothingFilter.Compute(g, [cam]);
        // Make the filter matter: σ3d² comparable to the smaller scales.
        for (int i = 0; i < g.Count; i++) g.SmoothingVariance![i] *= 20;
        return (g, cam);
    }

    private static float[] Render(GaussianSet g, RenderCamera cam, RenderOptions o) => new Renderer().Render(g, cam, o).Color.Data.ToArray();

    private static double MaxDifference(float[] a, float[] b) => a.Zip(b, (x, y) => (double)Math.Abs(x - y)).Max();

    [Fact]
    public void Baked_model_renders_what_training_rendered_in_any_viewer()
    {
        using var dir = new TempDir("ply");
        var (g, cam) = FilteredScene();
        string path = dir.File("point_cloud.ply");
        GaussianPly.Write(path, g, mipFilter2D: true);

        string header = Encoding.ASCII.GetString(File.ReadAllBytes(path).AsSpan(0, 200));
        Assert.Contains("\ncomment mip_filter_2d 0.1\n", header);
        GaussianPlyData back = GaussianPly.Read(path);
        Assert.Null(back.Filter3D);                     // a standard property list
        Assert.Null(back.Gaussians.SmoothingVariance);
        Assert.True(back.MipFilter2D);
        RenderOptions options = back.RenderOptions([1, 1, 1]);
        Assert.Equal(RenderOptions.MipFilterVariance, options.Dilation);

        float[] trained = Render(g, cam, options);
        float[] baked = Render(back.Gaussians, cam, options);
        g.SmoothingVariance = null;
        float[] unfiltered = Render(g, cam, options);
        output.WriteLine($"baked vs filtered {MaxDifference(trained, baked):g3}, filtered vs unfiltered {MaxDifference(trained, unfiltered):g3}");
        // Measured: baked vs filtered 6.0e-8 (float rounding); the filter itself changes pixels by up to 0.47.
        Assert.True(MaxDifference(trained, baked) < 1e-5, $"baked model differs by {MaxDifference(trained, baked):g3}");
        Assert.True(MaxDifference(trained, unfiltered) > 1e-2, "the 3D filter should visibly change this scene");
    }

    [Fact]
    public void Filter_3D_property_round_trips_as_mip_splatting_writes_it()
    {
        using var dir = new TempDir("ply");
        var (g, cam) = FilteredScene();
        string path = dir.File("mip.ply");
        GaussianPly.Write(path, g, mipFilter2D: false, Filter3DLayout.Property);
        GaussianPlyData back = GaussianPly.Read(path);

        // Raw parameters stay bit-exact; filter_3D is σ3d (Mip-Splatting's convention).
        Assert.Equal(TestPly.Bits(g.LogScales), TestPly.Bits(back.Gaussians.LogScales));
        Assert.Equal(TestPly.Bits(g.OpacityLogits), TestPly.Bits(back.Gaussians.OpacityLogits));
        for (int i = 0; i < g.Count; i++)
        {
            Assert.Equal(MathF.Sqrt(g.SmoothingVariance![i]), back.Filter3D![i]);
            Assert.Equal(1, back.Gaussians.SmoothingVariance![i] / g.SmoothingVariance[i], 5);
        }
        Assert.True(back.MipFilter2D, "a filter_3D model is a Mip-Splatting model: it renders with the 2D Mip filter");
        RenderOptions options = back.RenderOptions([0, 0, 0]);
        Assert.True(MaxDifference(Render(g, cam, options), Render(back.Gaussians, cam, options)) < 1e-5);
    }

    [Fact]
    public void Loading_for_rendering_puts_the_gaussians_in_morton_order_and_draws_the_same_image()
    {
        using var dir = new TempDir("ply");
        var (g, cam) = FilteredScene();
        string path = dir.File("mip.ply");
        GaussianPly.Write(path, g, mipFilter2D: false, Filter3DLayout.Property);
        GaussianPlyData asStored = GaussianPly.Read(path);
        GaussianPlyData sorted = ModelFile.LoadForRendering(path);

        int n = g.Count;
        Assert.NotEqual(Enumerable.Range(0, n), MortonOrder.Of(asStored.Gaussians.Means, n));
        Assert.Equal(Enumerable.Range(0, n), MortonOrder.Of(sorted.Gaussians.Means, n));
        // Each Gaussian keeps its parameters, its 3D filter (both forms) with it.
        var byMean = Enumerable.Range(0, n).ToDictionary(i => (asStored.Gaussians.Means[3 * i], asStored.Gaussians.Means[3 * i + 1], asStored.Gaussians.Means[3 * i + 2]));
        for (int r = 0; r < n; r++)
        {
            int i = byMean[(sorted.Gaussians.Means[3 * r], sorted.Gaussians.Means[3 * r + 1], sorted.Gaussians.Means[3 * r + 2])];
            Assert.Equal(asStored.Gaussians.OpacityLogits[i], sorted.Gaussians.OpacityLogits[r]);
            Assert.Equal(asStored.Gaussians.SmoothingVariance![i], sorted.Gaussians.SmoothingVariance![r]);
            Assert.Equal(asStored.Filter3D![i], sorted.Filter3D![r]);
        }
        RenderOptions options = sorted.RenderOptions([0, 0, 0]);
        Assert.Equal(Render(asStored.Gaussians, cam, options), Render(sorted.Gaussians, cam, options));
    }

    [Fact]
    public void Standard_ply_without_marks_renders_with_the_reference_dilation()
    {
        using var dir = new TempDir("ply");
        var (g, _) = FilteredScene();
        g.SmoothingVariance = null;
        string path = dir.File("plain.ply");
        GaussianPly.Write(path, g);
        GaussianPlyData back = GaussianPly.Read(path);
        Assert.False(back.MipFilter2D);
        RenderOptions options = back.RenderOptions([1, 1, 1]);
        Assert.False(options.MipFilter);
        Assert.Equal(0.3f, options.Dilation);
        Assert.Equal(GaussianPly.Header(g.Count, g.ShDegree), Encoding.ASCII.GetString(File.ReadAllBytes(path).AsSpan(0, GaussianPly.Header(g.Count, g.ShDegree).Length)));
    }
}
