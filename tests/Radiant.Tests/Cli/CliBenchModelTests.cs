using Radiant.Benchmarks;
using Radiant.Data;
using Radiant.Export;
using Radiant.Model;
using Radiant.Sample;
using Radiant.Tests.Support;

using static Radiant.Tests.Support.CliRunner;

namespace Radiant.Tests.Cli;

/// <summary>`radiant bench --model`: render speed of a trained model from its own cameras.</summary>
public class CliBenchModelTests
{
    [Fact]
    public void Model_folder_is_rendered_from_its_test_cameras_at_the_asked_width()
    {
        using var dir = new TempDir("cli-bench");
        var m = PathTestModel.Create(dir);
        var r = Run("bench", "--model", m.ModelDir, "--size", "48", "--views", "2", "--iterations", "3");
        Assert.True(r.Code == 0, $"exit {r.Code}: {r.Err}\n{r.Out}");
        Assert.Contains("400 Gaussians (SH degree 1), 2 views at 48x48, 3 timed renders each", r.Out);
        Assert.Matches(@"render median \d+\.\d ms, \d+\.\d FPS; visible \d+", r.Out);
    }

    [Fact]
    public void Step_times_training_steps_on_the_model_and_leaves_it_untouched()
    {
        using var dir = new TempDir("cli-bench");
        var m = PathTestModel.Create(dir);
        string ply = Path.Combine(m.ModelDir, "point_cloud.ply");
        byte[] before = File.ReadAllBytes(ply);
        var r = Run("bench", "--model", m.ModelDir, "--size", "48", "--views", "2", "--iterations", "2", "--step");
        Assert.True(r.Code == 0, $"exit {r.Code}: {r.Err}\n{r.Out}");
        Assert.Matches(@"render median \d+\.\d ms", r.Out);
        Assert.Matches(@"training step median \d+\.\d ms over 2 steps per view .*; stage minimums ms: project \d+\.\d, .*raster backward \d+\.\d, project backward \d+\.\d", r.Out);
        Assert.Equal(before, File.ReadAllBytes(ply));
    }

    [Fact]
    public void Model_without_cameras_is_one_clear_error()
    {
        using var dir = new TempDir("cli-bench");
        string ply = dir.File("lonely.ply");
        GaussianPly.Write(ply, GaussianInit.Random(50, new Radiant.Mathematics.Vec3(-1, -1, -1), new Radiant.Mathematics.Vec3(1, 1, 1), seed: 1, shDegree: 0));
        var r = Run("bench", "--model", ply);
        Assert.Equal(1, r.Code);
        Assert.Contains($"error: {ply}: no cameras.json in or beside the model", r.Err);
        Assert.DoesNotContain("   at ", r.Err);
    }

    [Fact]
    public void Size_without_model_is_refused_instead_of_ignored()
    {
        var r = Run("bench", "--size", "800");
        Assert.Equal(1, r.Code);
        Assert.Contains("--size and --views apply to --model only", r.Err);
        Assert.Equal(1, Run("bench", "--views", "3").Code);
    }

    [Fact]
    public void Pick_spreads_the_views_and_scales_the_intrinsics()
    {
        var cameras = SampleScene.Cameras(PathTestModel.Options with { TrainViews = 9 }, "train");
        Assert.Equal(9, cameras.Count);
        List<Camera> picked = ModelRenderBenchmark.Pick(cameras, 3, width: 16);
        Assert.Equal(new[] { cameras[0].Name, cameras[3].Name, cameras[6].Name }, picked.Select(c => c.Name));
        Camera a = cameras[3], b = picked[1];
        Assert.Equal((16, 16), (b.Width, b.Height));
        Assert.Equal(a.Fx / 2, b.Fx, 9);
        Assert.Equal(a.Cy / 2, b.Cy, 9);
        Assert.Equal(a.Translation, b.Translation);
        // Fewer cameras than asked: all of them, unresized without a width.
        Assert.Equal(cameras, ModelRenderBenchmark.Pick(cameras, 20, null));
    }
}
