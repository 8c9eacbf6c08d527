using System.Text.Json;
using Radiant.Tests.Data;
using Radiant.Tests.Support;
using Radiant.Training;

using static Radiant.Tests.Support.CliRunner;

namespace Radiant.Tests.Cli;

/// <summary><c>radiant train</c>'s hyperparameter flags: they reach the run's settings, defaults are the reference's, bad values are one line.</summary>
public class CliTrainingFlagsTests
{
    [Fact]
    public void Flags_reach_the_runs_config_and_the_rest_keep_the_reference_defaults()
    {
        using var dir = new TempDir("cli-flags");
        BlenderTestScene.Create(dir.File("scene"), w: 24, h: 16, train: 2, val: 0, test: 1);
        var (code, output, err) = Run("train", dir.File("scene"), "--out", dir.File("run"), "--iterations", "2", "--init", "random:200",
            "--densify-grad-threshold", "0.0005", "--densify-from", "1", "--densify-interval", "1", "--opacity-reset-interval", "1000",
            "--prune-opacity", "0.01", "--percent-dense", "0.02", "--position-lr-init", "0.0002", "--lambda-dssim", "0.5", "--max-gaussians", "300",
            "--exposure", "--exposure-lr-init", "0.02", "--pose-opt", "--pose-lr-init", "0.003");
        Assert.True(code == 0, err);
        // With --pose-opt the test views keep the dataset's poses: the end points to the aligned score.
        Assert.Contains($"radiant eval {dir.File("run")} {Path.GetFullPath(dir.File("scene"))} --align-poses", output);

        JsonElement options = JsonDocument.Parse(File.ReadAllText(dir.File("run", "config.json"))).RootElement.GetProperty("options");
        Assert.Equal(0.0005, options.GetProperty("densify_grad_threshold").GetDouble());
        Assert.Equal(1, options.GetProperty("densify_from").GetInt32());
        Assert.Equal(1, options.GetProperty("densify_interval").GetInt32());
        Assert.Equal(1000, options.GetProperty("opacity_reset_interval").GetInt32());
        Assert.Equal(0.01, options.GetProperty("prune_opacity").GetDouble());
        Assert.Equal(0.02, options.GetProperty("percent_dense").GetDouble());
        Assert.Equal(0.0002, options.GetProperty("position_lr_init").GetDouble());
        Assert.Equal(0.5, options.GetProperty("lambda_ssim").GetDouble(), 6);
        Assert.Equal(300, options.GetProperty("max_gaussians").GetInt32());
        Assert.True(options.GetProperty("exposure").GetBoolean());
        Assert.Equal(0.02, options.GetProperty("exposure_lr_init").GetDouble());
        Assert.True(options.GetProperty("pose_opt").GetBoolean());
        Assert.Equal(0.003, options.GetProperty("pose_lr_init").GetDouble());
        // Not given: the reference's values.
        var defaults = new TrainingOptions();
        Assert.Equal(defaults.DensifyUntil, options.GetProperty("densify_until").GetInt32());
        Assert.Equal(defaults.OpacityLr, options.GetProperty("opacity_lr").GetDouble());
        Assert.Equal(defaults.PruneScreenSize, options.GetProperty("prune_screen_size").GetDouble());
        Assert.Equal(defaults.ExposureLrFinal, options.GetProperty("exposure_lr_final").GetDouble());
        Assert.Equal(defaults.PoseLrFinal, options.GetProperty("pose_lr_final").GetDouble());
    }

    [Fact]
    public void Strategy_mcmc_takes_its_own_cap_and_refinement_length_unless_given_and_reaches_the_config()
    {
        using var dir = new TempDir("cli-flags");
        BlenderTestScene.Create(dir.File("scene"), w: 24, h: 16, train: 2, val: 0, test: 1);
        JsonElement mcmc = Options(dir, "mcmc", "--strategy", "mcmc", "--noise-lr", "1000", "--opacity-reg", "0.02");
        Assert.Equal("mcmc", mcmc.GetProperty("strategy").GetString());
        Assert.Equal(McmcDensity.DefaultCap, mcmc.GetProperty("max_gaussians").GetInt32());
        Assert.Equal(McmcDensity.DefaultRefineUntil, mcmc.GetProperty("densify_until").GetInt32());
        Assert.Equal(1000, mcmc.GetProperty("noise_lr").GetDouble());
        Assert.Equal(0.02, mcmc.GetProperty("opacity_reg").GetDouble());
        Assert.Equal(new TrainingOptions().ScaleReg, mcmc.GetProperty("scale_reg").GetDouble());

        JsonElement given = Options(dir, "given", "--strategy", "mcmc", "--max-gaussians", "300", "--densify-until", "900");
        Assert.Equal((300, 900), (given.GetProperty("max_gaussians").GetInt32(), given.GetProperty("densify_until").GetInt32()));
        JsonElement adc = Options(dir, "adc");
        Assert.Equal("adc", adc.GetProperty("strategy").GetString());
        Assert.Equal(new TrainingOptions().MaxGaussians, adc.GetProperty("max_gaussians").GetInt32());

        // A random start without a count fits under the cap; one with a count above it is refused.
        var (smallCode, smallOut, smallErr) = Run("train", dir.File("scene"), "--out", dir.File("small"), "--iterations", "2", "--strategy", "mcmc", "--max-gaussians", "150");
        Assert.True(smallCode == 0, smallErr);
        Assert.Contains(": 150 Gaussians", smallOut);
        var (badCode, _, badErr) = Run("train", dir.File("scene"), "--out", dir.File("bad"), "--iterations", "1", "--strategy", "mcmc", "--max-gaussians", "100", "--init", "random:200");
        Assert.Equal(1, badCode);
        Assert.Contains("--max-gaussians", badErr);
        Assert.Single(badErr.Trim().Split('\n'), l => l.StartsWith("error:"));
    }

    [Fact]
    public void Absgrad_takes_gsplats_threshold_unless_given_and_is_refused_with_mcmc()
    {
        using var dir = new TempDir("cli-flags");
        BlenderTestScene.Create(dir.File("scene"), w: 24, h: 16, train: 2, val: 0, test: 1);
        JsonElement abs = Options(dir, "abs", "--absgrad");
        Assert.True(abs.GetProperty("abs_grad").GetBoolean());
        Assert.Equal(TrainingOptions.AbsGradThreshold, abs.GetProperty("densify_grad_threshold").GetDouble());
        JsonElement given = Options(dir, "given", "--absgrad", "--densify-grad-threshold", "0.0006");
        Assert.Equal(0.0006, given.GetProperty("densify_grad_threshold").GetDouble());
        JsonElement plain = Options(dir, "plain");
        Assert.False(plain.GetProperty("abs_grad").GetBoolean());
        Assert.Equal(new TrainingOptions().DensifyGradThreshold, plain.GetProperty("densify_grad_threshold").GetDouble());

        var (code, _, err) = Run("train", dir.File("scene"), "--out", dir.File("mcmc"), "--iterations", "1", "--absgrad", "--strategy", "mcmc");
        Assert.Equal(1, code);
        Assert.Equal("error: --absgrad changes adaptive density control's statistic; --strategy mcmc does not use it", err.Trim());
        Assert.False(Directory.Exists(dir.File("mcmc")));
    }

    /// <summary>Trains the scene in <paramref name="dir"/> for 2 iterations with <paramref name="flags"/>; the options its config.json records.</summary>
    private static JsonElement Options(TempDir dir, string run, params string[] flags)
    {
        var (code, output, err) = Run(["train", dir.File("scene"), "--out", dir.File(run), "--iterations", "2", "--init", "random:200", .. flags]);
        Assert.True(code == 0, err);
        Assert.DoesNotContain("--align-poses", output);   // (none of these runs corrects its poses)
        return JsonDocument.Parse(File.ReadAllText(dir.File(run, "config.json"))).RootElement.GetProperty("options");
    }

    [Theory]
    [InlineData("--densify-grad-threshold", "0", "--densify-grad-threshold must be positive (got 0)")]
    [InlineData("--densify-interval", "0", "--densify-interval must be 1 or more (got 0)")]
    [InlineData("--lambda-dssim", "1.5", "--lambda-dssim must be in [0, 1] (got 1.5)")]
    [InlineData("--prune-opacity", "1", "--prune-opacity must be in [0, 1) (got 1)")]
    [InlineData("--opacity-lr", "-0.1", "--opacity-lr must be 0 or more (got -0.1)")]
    [InlineData("--percent-dense", "NaN", "--percent-dense must be positive (got NaN)")]
    [InlineData("--far-shell", "-5", "--far-shell must be 0 or more (got -5)")]
    [InlineData("--far-shell-radius", "0", "--far-shell-radius must be positive (got 0)")]
    public void Out_of_range_values_are_one_error_line_and_nothing_is_written(string flag, string value, string message)
    {
        using var dir = new TempDir("cli-flags");
        BlenderTestScene.Create(dir.File("scene"), w: 24, h: 16, train: 2, val: 0, test: 1);
        var (code, _, err) = Run("train", dir.File("scene"), "--out", dir.File("run"), "--iterations", "1", flag, value);
        Assert.Equal(1, code);
        Assert.Equal($"error: {message}", err.Trim());
        Assert.False(Directory.Exists(dir.File("run")));
    }

    [Fact]
    public void Far_shell_reaches_the_config_and_is_one_error_line_for_transparent_photos()
    {
        using var dir = new TempDir("cli-flags");
        BlenderTestScene.Create(dir.File("scene"), w: 24, h: 16, train: 2, val: 0, test: 1);
        var (code, _, err) = Run("train", dir.File("scene"), "--out", dir.File("run"), "--iterations", "1", "--far-shell", "100");
        Assert.Equal(1, code);
        Assert.StartsWith("error: ", err.Trim());
        Assert.Contains("--far-shell is for opaque photos", err);
        Assert.Single(err.Trim().Split('\n'));

        // Opaque photos: the shell joins the start and the options reach config.json.
        BlenderTestScene.Create(dir.File("opaque"), w: 24, h: 16, train: 2, val: 0, test: 1, alpha: false);
        (code, string output, err) = Run("train", dir.File("opaque"), "--out", dir.File("run2"), "--iterations", "2", "--init", "random:200", "--far-shell", "100", "--far-shell-radius", "6");
        Assert.True(code == 0, err);
        Assert.Contains("and 100 on a sphere of radius 6 × the cameras' extent", output);
        JsonElement options = JsonDocument.Parse(File.ReadAllText(dir.File("run2", "config.json"))).RootElement.GetProperty("options");
        Assert.Equal(100, options.GetProperty("far_shell").GetInt32());
        Assert.Equal(6, options.GetProperty("far_shell_radius").GetDouble());
    }
}
