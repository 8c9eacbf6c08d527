using Radiant.Tests.Data;
using Radiant.Tests.Support;

using static Radiant.Tests.Support.CliRunner;

namespace Radiant.Tests.Cli;

public class CliErrorTests
{
    [Fact]
    public void Missing_dataset_folder_gives_one_line_naming_it()
    {
        var (code, _, err) = Run("info", "/definitely/not/here");
        Assert.Equal(1, code);
        Assert.Equal("error: /definitely/not/here: dataset folder not found", err.Trim());
    }

    [Fact]
    public void Folder_without_a_known_layout_is_named()
    {
        using var dir = new TempDir("cli");
        File.WriteAllText(dir.File("readme.txt"), "hello");
        var (code, _, err) = Run("info", dir.Path);
        Assert.Equal(1, code);
        Assert.StartsWith($"error: {dir.Path}: no known dataset layout", err.Trim());
        Assert.DoesNotContain("\n", err.Trim());
        Assert.DoesNotContain("   at ", err);
    }

    [Fact]
    public void Folder_of_bare_photos_points_to_posing_them()
    {
        using var dir = new TempDir("cli");
        Radiant.Imaging.ImageIO.SavePng(dir.File("IMG_0001.png"), new Radiant.Imaging.Image(8, 8, 3));
        var (code, _, err) = Run("info", dir.Path);
        Assert.Equal(1, code);
        Assert.Equal($"error: {dir.Path}: a folder of photos without camera poses: `radiant train` poses it with COLMAP first (or `radiant data from-photos DIR OUT` makes a dataset of it)", err.Trim());
    }

    [Fact]
    public void Bad_option_values_are_errors_not_crashes()
    {
        using var dir = new TempDir("cli");
        var (code, _, err) = Run("info", dir.Path, "--background", "pink");
        Assert.Equal(1, code);
        Assert.Contains("--background 'pink'", err);
        var (code2, _, err2) = Run("info", dir.Path, "--downscale", "0");
        Assert.Equal(1, code2);
        Assert.Contains("--downscale must be 1 or more", err2);
    }

    /// <summary>Trains 2 iterations on a small Blender scene whose image SPLIT/NAME is cut to half its bytes.</summary>
    private static (int Code, string Err, string Broken) TrainWithTruncatedImage(TempDir dir, int train, int test, string split, string name)
    {
        BlenderTestScene.Create(dir.File("scene"), w: 24, h: 16, train: train, val: 0, test: test);
        string broken = dir.File("scene", split, name);
        byte[] png = File.ReadAllBytes(broken);
        File.WriteAllBytes(broken, png[..(png.Length / 2)]);
        var (code, _, err) = Run("train", dir.File("scene"), "--out", dir.File("run"), "--iterations", "2");
        return (code, err.Trim(), broken);
    }

    [Fact]
    public void A_corrupt_training_image_is_one_line_naming_it_though_views_load_in_parallel()
    {
        using var dir = new TempDir("cli");
        var (code, err, broken) = TrainWithTruncatedImage(dir, train: 4, test: 1, "train", "r_2.png");
        Assert.Equal(1, code);
        Assert.StartsWith($"error: {broken}: cannot decode image", err);
        Assert.DoesNotContain("\n", err);
    }

    [Fact]
    public void A_corrupt_test_image_stops_the_run_before_training_not_after()
    {
        using var dir = new TempDir("cli");
        var (code, err, broken) = TrainWithTruncatedImage(dir, train: 3, test: 2, "test", "r_1.png");
        Assert.Equal(1, code);
        Assert.StartsWith($"error: {broken}: cannot decode image", err);
        Assert.False(File.Exists(dir.File("run", "point_cloud.ply")), "the run trained before it found the broken test image");
    }

    [Fact]
    public void Viewing_on_an_address_this_machine_does_not_have_is_one_line()
    {
        using var dir = new TempDir("cli");
        string ply = dir.File("m.ply");
        Radiant.Export.GaussianPly.Write(ply, Radiant.Tests.Export.Compact.CompactTestModels.Random(10, 0));
        var (code, _, err) = Run("view", ply, "--host", "192.0.2.1");   // TEST-NET-1: assigned to nobody
        Assert.Equal(1, code);
        Assert.StartsWith("error: 192.0.2.1: cannot listen:", err.Trim());
        Assert.DoesNotContain("\n", err.Trim());
    }

    [Fact]
    public void Resume_names_a_missing_folder_and_a_file_given_instead_of_a_run_folder()
    {
        using var dir = new TempDir("cli");
        string file = dir.File("checkpoint.ckpt");
        File.WriteAllText(file, "not a run folder");
        var (code, _, err) = Run("train", "--resume", file);
        Assert.Equal(1, code);
        Assert.Equal($"error: {file}: --resume takes a run folder, not a file", err.Trim());
        (code, _, err) = Run("train", "--resume", dir.File("none"));
        Assert.Equal(1, code);
        Assert.Equal($"error: {dir.File("none")}: --resume folder not found", err.Trim());
    }

    [Fact]
    public void Every_verb_has_help()
    {
        var root = Radiant.Cli.Cli.Build();
        foreach (var command in root.Subcommands)
        {
            var (code, output, _) = Run(command.Name, "--help");
            Assert.Equal(0, code);
            Assert.Contains("Usage:", output);
            Assert.Contains(command.Name, output);
        }
    }
}
