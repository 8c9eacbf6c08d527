using System.Text.Json;
using Radiant.Tests.Data;
using Radiant.Tests.Support;

using static Radiant.Tests.Support.CliRunner;

namespace Radiant.Tests.Cli;

/// <summary>
/// <c>radiant train --resume RUN --iterations N</c> trains a finished (or stopped) run on to N
/// iterations; any other setting given with --resume is refused instead of silently ignored.
/// </summary>
public class CliResumeLongerTests
{
    [Fact]
    public void A_run_trained_on_equals_one_trained_that_long_with_the_same_learning_rate_decay()
    {
        using var dir = new TempDir("cli-resume-longer");
        BlenderTestScene.Create(dir.File("scene"), w: 24, h: 16, train: 3, val: 0, test: 1);
        string[] common = ["--init", "random:300", "--log-every", "1"];

        var (code, _, err) = Run(["train", dir.File("scene"), "--out", dir.File("longer"), "--iterations", "30", .. common]);
        Assert.True(code == 0, err);
        (code, string stdout, err) = Run("train", "--resume", dir.File("longer"), "--iterations", "45");
        Assert.True(code == 0, err);
        Assert.Contains("trained iterations 30 to 45 (15 this time)", stdout);

        JsonElement options = JsonDocument.Parse(File.ReadAllText(dir.File("longer", "config.json"))).RootElement.GetProperty("options");
        Assert.Equal(45, options.GetProperty("iterations").GetInt32());
        Assert.Equal(30, options.GetProperty("position_lr_max_steps").GetInt32());

        // The position learning rate reached its final value at 30 and stays there.
        Dictionary<int, double> lr = File.ReadLines(dir.File("longer", "metrics.jsonl")).Select(l => JsonDocument.Parse(l).RootElement)
            .ToDictionary(e => e.GetProperty("iteration").GetInt32(), e => e.GetProperty("lr_means").GetDouble());
        Assert.True(lr[20] > lr[30], $"lr at 20 {lr[20]} is not above lr at 30 {lr[30]}");
        Assert.Equal(lr[30], lr[40]);
        Assert.Equal(lr[30], lr[45]);

        // The same run in one go: --iterations 45 with the decay over 30.
        (code, _, err) = Run(["train", dir.File("scene"), "--out", dir.File("straight"), "--iterations", "45", "--position-lr-max-steps", "30", .. common]);
        Assert.True(code == 0, err);
        Assert.Equal(File.ReadAllBytes(dir.File("straight", "point_cloud.ply")), File.ReadAllBytes(dir.File("longer", "point_cloud.ply")));
    }

    [Theory]
    [InlineData(new[] { "--seed", "5" }, "so --seed cannot be given")]
    [InlineData(new[] { "--downscale", "2", "--densify-until", "10" }, "so --downscale, --densify-until cannot be given")]
    [InlineData(new[] { "--iterations", "10" }, "--iterations 10 is below the iteration the run has reached (20)")]
    public void Other_settings_or_a_shorter_length_are_one_error_and_the_run_is_kept(string[] extra, string message)
    {
        using var dir = new TempDir("cli-resume-longer");
        BlenderTestScene.Create(dir.File("scene"), w: 24, h: 16, train: 2, val: 0, test: 1);
        var (code, _, err) = Run("train", dir.File("scene"), "--out", dir.File("run"), "--iterations", "20", "--init", "random:100");
        Assert.True(code == 0, err);
        byte[] checkpoint = File.ReadAllBytes(dir.File("run", "checkpoint.ckpt"));

        (code, _, err) = Run(["train", "--resume", dir.File("run"), .. extra]);
        Assert.Equal(1, code);
        Assert.Single(err.Trim().Split('\n'));
        Assert.Contains(message, err);
        Assert.Equal(checkpoint, File.ReadAllBytes(dir.File("run", "checkpoint.ckpt")));
    }
}
