using System.Text.Json;
using Radiant.Tests.Support;

using static Radiant.Tests.Support.CliRunner;

namespace Radiant.Tests.Cli;

/// <summary>
/// eval, render and compress read DATA the way the run was trained (its config.json) unless told
/// otherwise: after <c>radiant train DATA --downscale 4</c>, <c>radiant eval RUN DATA</c> used to measure
/// full-size images and a model trained on a black background was scored against white.
/// </summary>
public class CliTrainedDataOptionsTests
{
    private static PathTestModel RunWithConfig(TempDir dir, string config)
    {
        var m = PathTestModel.Create(dir);
        File.WriteAllText(Path.Combine(m.ModelDir, "config.json"), config);
        return m;
    }

    private static (int Width, int Height, double Psnr, int Views) EvalJson(string file)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(file));
        JsonElement views = doc.RootElement.GetProperty("views");
        return (views[0].GetProperty("width").GetInt32(), views[0].GetProperty("height").GetInt32(),
            doc.RootElement.GetProperty("psnr").GetDouble(), views.GetArrayLength());
    }

    [Fact]
    public void Eval_uses_the_runs_downscale_and_background_unless_given()
    {
        using var dir = new TempDir("cli-trained-options");
        var m = RunWithConfig(dir, """{ "data_path": "x", "downscale": 2, "background": [0, 0, 0], "test_every": 8, "options": {} }""");

        var (code, output, err) = Run("eval", m.ModelDir, m.Data, "--json", dir.File("a.json"));
        Assert.True(code == 0, err);
        Assert.Contains("note: using the run's --downscale 2, --background 0,0,0 (from ", output);
        var fromRun = EvalJson(dir.File("a.json"));
        Assert.Equal((16, 16), (fromRun.Width, fromRun.Height));

        // Explicit options win, and nothing is noted for them.
        (code, output, err) = Run("eval", m.ModelDir, m.Data, "--downscale", "1", "--background", "black", "--json", dir.File("b.json"));
        Assert.True(code == 0, err);
        Assert.DoesNotContain("note: using the run's", output);
        Assert.Equal((32, 32), (EvalJson(dir.File("b.json")).Width, EvalJson(dir.File("b.json")).Height));

        // The background from the run is the one composited: the same as giving it, not white's figure.
        Run("eval", m.ModelDir, m.Data, "--downscale", "2", "--background", "black", "--json", dir.File("black.json"));
        Run("eval", m.ModelDir, m.Data, "--downscale", "2", "--background", "white", "--json", dir.File("white.json"));
        Assert.Equal(EvalJson(dir.File("black.json")).Psnr, fromRun.Psnr, 6);
        Assert.NotEqual(EvalJson(dir.File("white.json")).Psnr, fromRun.Psnr, 2);

        // render of the split too: PNGs at the run's size.
        (code, output, err) = Run("render", m.ModelDir, m.Data, "--out", dir.File("renders"));
        Assert.True(code == 0, err);
        Assert.Contains("--downscale 2", output);
        string png = Directory.GetFiles(dir.File("renders"), "*.png")[0];
        Assert.Equal((16, 16), Radiant.Imaging.ImageIO.ReadSize(png));
    }

    [Fact]
    public void A_model_without_config_or_with_a_malformed_one_reads_the_command_line_defaults()
    {
        using var dir = new TempDir("cli-trained-options");
        var m = RunWithConfig(dir, """{ "downscale": "two", "background": [2, 0, 0] }""");
        var (code, output, err) = Run("eval", m.ModelDir, m.Data, "--json", dir.File("a.json"));
        Assert.True(code == 0, err);
        Assert.DoesNotContain("note:", output);
        Assert.Equal((32, 32), (EvalJson(dir.File("a.json")).Width, EvalJson(dir.File("a.json")).Height));

        File.Delete(Path.Combine(m.ModelDir, "config.json"));
        (code, output, err) = Run("eval", Path.Combine(m.ModelDir, "point_cloud.ply"), m.Data, "--json", dir.File("c.json"));
        Assert.True(code == 0, err);
        Assert.DoesNotContain("note:", output);
        Assert.Equal(3, EvalJson(dir.File("c.json")).Views);
    }
}
