using System.Text.Json;
using Radiant.Cli.Commands;
using Radiant.Data;
using Radiant.Evaluation;
using Radiant.Tests.Data;
using Radiant.Tests.Support;

using static Radiant.Tests.Support.CliRunner;

namespace Radiant.Tests.Cli;

/// <summary><c>radiant reproduce</c>: every scene of a benchmark folder trained under its protocol and set beside the published figures.</summary>
public class CliReproduceTests
{
    /// <summary>A tiny Blender scene ROOT/<paramref name="name"/> (24×16, 2 training views, 1 test view).</summary>
    private static void Scene(TempDir dir, string name) => BlenderTestScene.Create(dir.File("root", name), w: 24, h: 16, train: 2, val: 0, test: 1);

    [Fact]
    public void Scenes_are_recognised_by_name_and_layout_with_their_protocol_and_figure()
    {
        SceneProtocol lego = PublishedFigures.For("Lego", "blender");
        Assert.Same(PublishedFigures.NerfSynthetic, lego.Suite);
        Assert.Equal(1, lego.Downscale);
        Assert.Equal(35.78, lego.ReferencePsnr);
        SceneProtocol garden = PublishedFigures.For("garden", "colmap"), room = PublishedFigures.For("room", "colmap");
        Assert.Same(PublishedFigures.MipNerf360, garden.Suite);
        Assert.Equal(4, garden.Downscale);
        Assert.Equal(2, room.Downscale);
        Assert.Null(garden.ReferencePsnr);
        SceneProtocol multiscale = PublishedFigures.For("lego", "multiscale");
        Assert.Same(PublishedFigures.MultiscaleBlender, multiscale.Suite);
        Assert.Equal(1, multiscale.Downscale);
        Assert.Equal([32.63, 34.34, 35.47, 35.60], PublishedFigures.MultiscaleBlender.ScalePsnr);
        // A NeRF-synthetic name in another layout, or an unknown name: no suite, the automatic reduction.
        foreach (SceneProtocol other in new[] { PublishedFigures.For("lego", "colmap"), PublishedFigures.For("statue", "blender") })
        {
            Assert.Null(other.Suite);
            Assert.Equal(DatasetOptions.Auto, other.Downscale);
        }

        // Suite means: the published mean for the whole suite, the per-scene figures' mean for part of
        // NeRF-synthetic, nothing for part of Mip-NeRF 360 (only its mean is published).
        var all = PublishedFigures.NerfSynthetic.Scenes.Select(s => PublishedFigures.For(s, "blender")).ToList();
        Assert.Equal(33.32, PublishedFigures.MeanPsnr(PublishedFigures.NerfSynthetic, all));
        Assert.Equal((35.78 + 30.80) / 2, PublishedFigures.MeanPsnr(PublishedFigures.NerfSynthetic, [lego, PublishedFigures.For("ship", "blender")])!.Value, 10);
        Assert.Null(PublishedFigures.MeanPsnr(PublishedFigures.MipNerf360, [garden, room]));
        var allOf360 = PublishedFigures.MipNerf360.Scenes.Select(s => PublishedFigures.For(s, "colmap")).ToList();
        Assert.Equal(27.21, PublishedFigures.MeanPsnr(PublishedFigures.MipNerf360, allOf360));
    }

    [Fact]
    public void Reproduce_trains_each_scene_and_sets_its_test_figures_beside_the_published_ones()
    {
        using var dir = new TempDir("reproduce");
        Scene(dir, "lego");
        Scene(dir, "statue");
        Directory.CreateDirectory(dir.File("root", "notes"));   // not a dataset: passed over
        var (code, output, err) = Run("reproduce", dir.File("root"), "--out", dir.File("out"), "--iterations", "3");
        Assert.True(code == 0, err);

        JsonElement summary = JsonDocument.Parse(File.ReadAllText(dir.File("out", ReproduceCommand.SummaryJson))).RootElement;
        JsonElement[] scenes = [.. summary.GetProperty("scenes").EnumerateArray()];
        Assert.Equal(["lego", "statue"], scenes.Select(s => s.GetProperty("scene").GetString()));
        foreach (JsonElement scene in scenes)
        {
            // Each row holds what the scene's own run measured.
            JsonElement metrics = JsonDocument.Parse(File.ReadAllText(dir.File("out", scene.GetProperty("scene").GetString()!, "metrics.json"))).RootElement;
            Assert.Equal(3, scene.GetProperty("iterations").GetInt32());
            Assert.Equal(metrics.GetProperty("test").GetProperty("psnr").GetDouble(), scene.GetProperty("psnr").GetDouble(), 3);
            Assert.Equal(metrics.GetProperty("gaussians").GetInt32(), scene.GetProperty("gaussians").GetInt32());
        }
        Assert.Equal(35.78, scenes[0].GetProperty("reference_psnr").GetDouble());
        Assert.Equal(1, scenes[0].GetProperty("downscale").GetInt32());
        Assert.Equal(JsonValueKind.Null, scenes[1].GetProperty("suite").ValueKind);
        JsonElement suite = summary.GetProperty("suites").EnumerateArray().Single();
        Assert.Equal("NeRF-synthetic", suite.GetProperty("suite").GetString());
        Assert.Equal(1, suite.GetProperty("scenes").GetInt32());
        Assert.Equal(scenes[0].GetProperty("psnr").GetDouble(), suite.GetProperty("psnr").GetDouble(), 4);

        string table = File.ReadAllText(dir.File("out", ReproduceCommand.SummaryMarkdown));
        Assert.Contains("| lego | NeRF-synthetic | full | 3 |", table);
        Assert.Contains("| statue | - | auto | 3 |", table);
        Assert.Contains("NeRF-synthetic: the reference 3DGS's figures, at 30,000 iterations.", table);
        Assert.Contains("| lego | NeRF-synthetic | full | 3 |", output);
    }

    [Fact]
    public void Reproduce_keeps_scenes_already_trained_and_continues_shorter_runs()
    {
        using var dir = new TempDir("reproduce");
        Scene(dir, "lego");
        Assert.Equal(0, Run("reproduce", dir.File("root"), "--out", dir.File("out"), "--iterations", "2").Code);
        string metrics = dir.File("out", "lego", "metrics.json");
        byte[] first = File.ReadAllBytes(metrics);

        var (code, output, err) = Run("reproduce", dir.File("root"), "--out", dir.File("out"), "--iterations", "2");
        Assert.True(code == 0, err);
        Assert.Contains("already trained to 2 iterations: kept", output);
        Assert.Equal(first, File.ReadAllBytes(metrics));

        // A kept run is shown with the reduction it was trained at (its config.json), whatever is asked now.
        (code, output, err) = Run("reproduce", dir.File("root"), "--out", dir.File("out"), "--iterations", "2", "--downscale", "2");
        Assert.True(code == 0, err);
        Assert.Contains("| lego | NeRF-synthetic | full | 2 |", output);

        (code, output, err) = Run("reproduce", dir.File("root"), "--out", dir.File("out"), "--iterations", "4");
        Assert.True(code == 0, err);
        Assert.Contains("continuing from", output);
        Assert.Equal(4, JsonDocument.Parse(File.ReadAllText(metrics)).RootElement.GetProperty("iterations").GetInt32());

        // A metrics.json that is not a run's: one error naming it, the scene left out.
        File.WriteAllText(metrics, "{\"iterations\": 9}");
        (code, _, err) = Run("reproduce", dir.File("root"), "--out", dir.File("out"), "--iterations", "4");
        Assert.Equal(1, code);
        Assert.Contains($"{metrics}: is not a training run's metrics.json", err);
    }

    [Fact]
    public void A_downscale_for_every_scene_reaches_the_runs_and_its_copies_go_to_the_cache_folder()
    {
        using var dir = new TempDir("reproduce");
        Scene(dir, "lego");
        var (code, output, err) = Run("reproduce", dir.File("root"), "--out", dir.File("out"), "--iterations", "2", "--downscale", "2", "--cache-dir", dir.File("cache"));
        Assert.True(code == 0, err);
        Assert.Contains("| lego | NeRF-synthetic | 1/2 | 2 |", output);
        // Not set beside the full-size figure: a reduced run is not the published protocol.
        Assert.Contains("not compared: the published figure is at images full", output);
        Assert.Contains("Scenes trained at another image reduction than their protocol's are not compared.", output);
        JsonElement summary = JsonDocument.Parse(File.ReadAllText(dir.File("out", ReproduceCommand.SummaryJson))).RootElement;
        Assert.Equal(JsonValueKind.Null, summary.GetProperty("scenes")[0].GetProperty("reference_psnr").ValueKind);
        Assert.Equal(JsonValueKind.Null, summary.GetProperty("suites")[0].GetProperty("reference_psnr").ValueKind);
        JsonElement config = JsonDocument.Parse(File.ReadAllText(dir.File("out", "lego", "config.json"))).RootElement;
        Assert.Equal(2, config.GetProperty("downscale").GetInt32());
        Assert.NotEmpty(Directory.GetFiles(dir.File("cache"), "*", SearchOption.AllDirectories));
        Assert.False(Directory.Exists(dir.File("root", "lego", ".radiant-cache")));
    }

    [Fact]
    public void A_multiscale_scene_is_measured_per_scale_as_eval_measures_it_beside_mip_nerfs_figures()
    {
        using var dir = new TempDir("reproduce");
        BlenderTestScene.Create(dir.File("single"), w: 32, h: 32, train: 2, val: 0, test: 1);
        Assert.Equal(0, Run("data", "multiscale", dir.File("single"), dir.File("root", "lego")).Code);
        var (code, output, err) = Run("reproduce", dir.File("root"), "--out", dir.File("out"), "--iterations", "2");
        Assert.True(code == 0, err);

        JsonElement scene = JsonDocument.Parse(File.ReadAllText(dir.File("out", ReproduceCommand.SummaryJson))).RootElement.GetProperty("scenes")[0];
        Assert.Equal("multiscale Blender", scene.GetProperty("suite").GetString());
        double[] scales = [.. scene.GetProperty("scale_psnr").EnumerateArray().Select(p => p.GetDouble())];
        Assert.Equal(4, scales.Length);
        // The same figures as `radiant eval RUN DATA --scales 1,2,4,8`.
        Assert.Equal(0, Run("eval", dir.File("out", "lego"), dir.File("root", "lego"), "--scales", "1,2,4,8", "--json", dir.File("eval.json")).Code);
        JsonElement perScale = JsonDocument.Parse(File.ReadAllText(dir.File("eval.json"))).RootElement.GetProperty("scales").GetProperty("per_scale");
        Assert.Equal(perScale.EnumerateArray().Select(s => Math.Round(s.GetProperty("psnr").GetDouble(), 3)), scales.Select(p => Math.Round(p, 3)));
        Assert.Contains("| mip-NeRF (mean of 8 scenes) | 32.63 | 34.34 | 35.47 | 35.60 | 34.51 |", output);
        Assert.Contains("multiscale Blender: mip-NeRF's figures", output);
    }

    [Fact]
    public void List_shows_each_scenes_protocol_and_figure_and_trains_nothing()
    {
        using var dir = new TempDir("reproduce");
        Scene(dir, "lego");
        Scene(dir, "statue");
        var (code, output, err) = Run("reproduce", dir.File("root"), "--list", "--out", dir.File("out"));
        Assert.True(code == 0, err);
        string[] lines = output.Trim().Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.Matches(@"^lego +blender +NeRF-synthetic +images full +3DGS 35\.78 dB$", lines[0].TrimEnd());
        Assert.Matches(@"^statue +blender +- +images auto +no published figure$", lines[1].TrimEnd());
        Assert.False(Directory.Exists(dir.File("out")));
    }

    [Fact]
    public void Bad_roots_and_scene_names_are_one_error_line()
    {
        using var dir = new TempDir("reproduce");
        var (code, _, err) = Run("reproduce", dir.File("missing"));
        Assert.Equal(1, code);
        Assert.Contains("folder not found", err);

        Directory.CreateDirectory(dir.File("empty", "sub"));
        (code, _, err) = Run("reproduce", dir.File("empty"), "--out", dir.File("out"));
        Assert.Equal(1, code);
        Assert.Contains("no scene folders here", err);

        Scene(dir, "lego");
        (code, _, err) = Run("reproduce", dir.File("root"), "--scenes", "lego,ship", "--out", dir.File("out"));
        Assert.Equal(1, code);
        Assert.Contains("--scenes names ship, not among its scenes (lego)", err);
        Assert.Single(err.Trim().Split('\n'));
        Assert.False(Directory.Exists(dir.File("out", "lego")));

        // A scene that cannot be read is left out with its error; the others are trained and summarised.
        Scene(dir, "chair");
        string broken = Directory.GetFiles(dir.File("root", "chair", "train"), "*.png").Order(StringComparer.Ordinal).First();
        File.WriteAllBytes(broken, File.ReadAllBytes(broken)[..40]);
        string output;
        (code, output, err) = Run("reproduce", dir.File("root"), "--iterations", "2", "--out", dir.File("out"));
        Assert.Equal(1, code);
        Assert.Contains(Path.GetFileName(broken), err);
        Assert.Contains("(scene chair left out)", err);
        Assert.Contains("1 of 2 scenes failed and are not in the summary: chair", err);
        Assert.Contains("| lego | NeRF-synthetic | full | 2 |", output);
        JsonElement scenes = JsonDocument.Parse(File.ReadAllText(dir.File("out", ReproduceCommand.SummaryJson))).RootElement.GetProperty("scenes");
        Assert.Equal(["lego"], scenes.EnumerateArray().Select(s => s.GetProperty("scene").GetString()));
    }
}
