using Radiant.Export;
using Radiant.Export.Compact;
using Radiant.Mathematics;
using Radiant.Model;
using Radiant.Tests.Support;
using Radiant.Viewer;

namespace Radiant.Tests.Viewer;

/// <summary>What <c>radiant view</c> serves the page for each model file format.</summary>
public class StaticModelTests
{
    /// <summary>
    /// A compact file (.spz, .splat, .compressed.ply, .rgc) reaches the page as a standard .ply of
    /// exactly the Gaussians Radiant loaded from it (the splat renderer reads that layout).
    /// </summary>
    [Theory]
    [InlineData("model.spz")]
    [InlineData("model.splat")]
    [InlineData("model.compressed.ply")]
    [InlineData("model.rgc")]
    [InlineData("model.ply")]
    public void Every_model_format_is_served_as_the_standard_ply_of_what_was_loaded(string name)
    {
        using var dir = new TempDir("static-model");
        GaussianSet g = GaussianInit.Random(300, new Vec3(-1, -1, -1), new Vec3(1, 1, 1), seed: 7, shDegree: name.EndsWith(".splat") ? 0 : 2);
        string path = dir.File(name);
        ModelFormats.Write(path, g);
        GaussianSet loaded = ModelFile.LoadForRendering(path).Gaussians;   // (in Morton order, as every renderer loads it)

        StaticModel model = StaticModel.Open(path, [0, 0, 0]);
        string served = dir.File("served.ply");
        File.WriteAllBytes(served, model.Model.Ply);
        GaussianPlyData back = GaussianPly.Read(served);

        Assert.Equal(loaded.Count, back.Gaussians.Count);
        Assert.Equal(loaded.ShDegree, back.Gaussians.ShDegree);
        // The standard .ply stores float32: the served model is the loaded one, bit for bit.
        Assert.Equal(loaded.Means, back.Gaussians.Means);
        Assert.Equal(loaded.LogScales, back.Gaussians.LogScales);
        Assert.Equal(loaded.OpacityLogits, back.Gaussians.OpacityLogits);
        Assert.Equal(loaded.Sh, back.Gaussians.Sh);
    }

    [Fact]
    public void A_model_too_large_for_the_page_is_refused_by_name_before_encoding()
    {
        // SH degree 3: 62 floats (248 bytes) a Gaussian, so 8,659,000 still fit in one array and 8,660,000 do not.
        Assert.Equal(8_659_000 * 248 + 4096, StaticModel.ServedPlySize("m.ply", 8_659_000, 3));
        var e = Assert.Throws<RadiantException>(() => StaticModel.ServedPlySize("m.ply", 8_660_000, 3));
        Assert.StartsWith("m.ply: 8,660,000 Gaussians at SH degree 3 make a 2.15 GB .ply", e.Message);
        Assert.Equal(20_000_000 * 68 + 4096, StaticModel.ServedPlySize("m.ply", 20_000_000, 0));   // SH degree 0: 17 floats (normals included)
    }
}
