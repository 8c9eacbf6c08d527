using System.Text.Json;
using Radiant.Data;
using Radiant.Tests.Support;

using static Radiant.Tests.Support.CliRunner;

namespace Radiant.Tests.Data;

/// <summary>
/// <c>--downscale auto</c> (the CLI default): images whose longer side exceeds 1,600 px are reduced
/// by the smallest integer factor that fits them, smaller ones are left alone, an explicit factor wins.
/// </summary>
public class AutoDownscaleTests
{
    [Theory]
    [InlineData(800, 1)]
    [InlineData(1600, 1)]
    [InlineData(1601, 2)]
    [InlineData(3200, 2)]
    [InlineData(4032, 3)]   // a 12 MP phone photo → 1344×1008
    [InlineData(5187, 4)]   // Mip-NeRF 360's garden → 1297 px wide, as its images_4
    public void The_factor_is_the_smallest_that_fits_1600_px(int longerSide, int factor) =>
        Assert.Equal(factor, DatasetOptions.AutoDownscale(longerSide));

    [Fact]
    public void Auto_reduces_only_large_images_and_records_the_factor_applied()
    {
        using var dir = new TempDir("auto-ds");
        BlenderTestScene.Create(dir.File("large"), w: 1700, h: 10, train: 1, val: 0, test: 1);
        BlenderTestScene.Create(dir.File("small"), w: 40, h: 30, train: 1, val: 0, test: 1);

        Dataset large = DatasetLoader.Load(dir.File("large"), new DatasetOptions { Downscale = DatasetOptions.Auto });
        Assert.Equal(2, large.Options.Downscale);
        Assert.All(large.AllCameras, c => Assert.Equal((850, 5), (c.Width, c.Height)));
        Assert.Equal((850, 5), (large.LoadImage(large.Train[0]).Width, large.LoadImage(large.Train[0]).Height));

        Dataset full = DatasetLoader.Load(dir.File("large"), new DatasetOptions { Downscale = 1 });
        Assert.Equal(1, full.Options.Downscale);
        Assert.Equal(1700, full.Train[0].Width);

        Dataset small = DatasetLoader.Load(dir.File("small"), new DatasetOptions { Downscale = DatasetOptions.Auto });
        Assert.Equal(1, small.Options.Downscale);
        Assert.Equal(40, small.Train[0].Width);
    }

    [Fact]
    public void Train_says_it_reduced_and_the_run_records_the_factor_for_resume()
    {
        using var dir = new TempDir("auto-ds");
        BlenderTestScene.Create(dir.File("large"), w: 1700, h: 10, train: 1, val: 0, test: 1);
        var (code, stdout, err) = Run("train", dir.File("large"), "--out", dir.File("run"), "--iterations", "1", "--init", "random:50");
        Assert.True(code == 0, err);
        Assert.Contains("--downscale auto: the images are larger than 1600 px, so they are reduced by 2", stdout);
        using JsonDocument config = JsonDocument.Parse(File.ReadAllText(dir.File("run", "config.json")));
        Assert.Equal(2, config.RootElement.GetProperty("downscale").GetInt32());
    }

    [Theory]
    [InlineData("auto", DatasetOptions.Auto)]
    [InlineData("AUTO", DatasetOptions.Auto)]
    [InlineData("3", 3)]
    public void Cli_values_parse(string text, int factor) => Assert.Equal(factor, Radiant.Cli.DataOptions.ParseDownscale(text));

    [Theory]
    [InlineData("0")]
    [InlineData("-2")]
    [InlineData("half")]
    public void Bad_cli_values_are_one_error_line(string text)
    {
        using var dir = new TempDir("auto-ds");
        var (code, _, err) = Run("info", dir.Path, "--downscale", text);
        Assert.Equal(1, code);
        Assert.Equal($"error: --downscale must be 1 or more, or auto (got {text})", err.Trim());
    }
}
