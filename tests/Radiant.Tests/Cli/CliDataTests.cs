using System.Text.Json;
using Radiant.Tests.Support;

using static Radiant.Tests.Support.CliRunner;

namespace Radiant.Tests.Cli;

/// <summary>The dataset verbs end to end through the command line: sample → info → data multiscale → info.</summary>
public class CliDataTests
{
    [Fact]
    public void Sample_info_and_multiscale_conversion()
    {
        using var dir = new TempDir("cli");
        string scene = dir.File("scene");
        var (code, output, err) = Run("sample", scene, "--train-views", "6", "--test-views", "3", "--size", "40");
        Assert.True(code == 0, err);
        Assert.Contains("wrote 6 train and 3 test views (40x40)", output);

        (code, output, err) = Run("info", scene, "--json", "--decode");
        Assert.True(code == 0, err);
        string json = output[..(output.LastIndexOf('}') + 1)];
        using (var doc = JsonDocument.Parse(json))
        {
            JsonElement root = doc.RootElement;
            Assert.Equal("blender", root.GetProperty("format").GetString());
            Assert.Equal(6, root.GetProperty("cameras").GetProperty("train").GetInt32());
            Assert.Equal(3, root.GetProperty("cameras").GetProperty("test").GetInt32());
            Assert.Single(root.GetProperty("image_sizes").EnumerateObject());
            Assert.True(root.GetProperty("image_sizes").GetProperty("40x40").GetInt32() >= 9);
            Assert.True(root.GetProperty("alpha").GetBoolean());
            // Cameras sit at distance 4 from the origin: the bounds span about ±4.
            Assert.InRange(root.GetProperty("camera_bounds").GetProperty("max")[0].GetDouble(), 1, 4.01);
        }
        Assert.Contains("decoded", output);

        string multi = dir.File("multi");
        (code, output, err) = Run("data", "multiscale", scene, multi);
        Assert.True(code == 0, err);
        (code, output, err) = Run("info", multi);
        Assert.True(code == 0, err);
        Assert.Contains("multiscale", output);
        Assert.Contains("40x40", output);
        Assert.Contains("5x5", output);
        Assert.Contains("d3", output);

        // A second conversion into the same folder refuses and keeps what is there.
        string before = File.ReadAllText(Path.Combine(multi, "metadata.json"));
        (code, _, err) = Run("data", "multiscale", scene, multi);
        Assert.Equal(1, code);
        Assert.Contains("not empty", err);
        Assert.Equal(before, File.ReadAllText(Path.Combine(multi, "metadata.json")));
    }

    [Fact]
    public void Unbounded_sample_is_a_colmap_capture_with_points()
    {
        using var dir = new TempDir("cli");
        string scene = dir.File("scene");
        var (code, output, err) = Run("sample", scene, "--unbounded", "--train-views", "7", "--test-views", "1", "--size", "24", "--samples", "1");
        Assert.True(code == 0, err);
        Assert.Contains("wrote 8 photos (24x24) and their COLMAP model (sparse/0, text)", output);
        (code, output, err) = Run("info", scene, "--json");
        Assert.True(code == 0, err);
        using (var doc = JsonDocument.Parse(output[..(output.LastIndexOf('}') + 1)]))
        {
            JsonElement root = doc.RootElement;
            Assert.Equal("colmap", root.GetProperty("format").GetString());
            Assert.Equal(7, root.GetProperty("cameras").GetProperty("train").GetInt32());
            Assert.False(root.GetProperty("alpha").GetBoolean());
            Assert.True(root.GetProperty("points").GetInt32() > 1000);
        }
        (code, _, err) = Run("sample", dir.File("other"), "--unbounded", "--pose-jitter", "1");
        Assert.Equal(1, code);
        Assert.Contains("--unbounded does not take --exposure-jitter or --pose-jitter", err);
    }

    [Fact]
    public void Info_reports_a_corrupt_image_with_decode()
    {
        using var dir = new TempDir("cli");
        string scene = dir.File("scene");
        Assert.Equal(0, Run("sample", scene, "--train-views", "3", "--test-views", "1", "--size", "24").Code);
        string victim = Path.Combine(scene, "train", "r_1.png");
        byte[] bytes = File.ReadAllBytes(victim);
        bytes[bytes.Length / 2] ^= 0xFF;
        File.WriteAllBytes(victim, bytes);
        var (code, output, err) = Run("info", scene, "--decode");
        Assert.Equal(1, code);
        Assert.Contains($"error: {victim}: cannot decode image", err);
        Assert.Contains("CRC", err);
        Assert.Contains("decoded 4 of 5 images", output.Replace("\r", ""));
    }

    [Fact]
    public void Info_on_a_model_describes_the_model()
    {
        using var dir = new TempDir("cli-info-model");
        // 101 Gaussians on a line along x from 0 to 100, one far floater at x = 1000; all opacity 0.5, scale e^-2.
        var g = new Radiant.Model.GaussianSet(102, 0);
        for (int i = 0; i < g.Count; i++)
        {
            g.Means[3 * i] = i < 101 ? i : 1000;
            g.Rotations[4 * i] = 1;
            for (int a = 0; a < 3; a++) g.LogScales[3 * i + a] = -2 - a;
        }
        string run = dir.File("run");
        Directory.CreateDirectory(run);
        Radiant.Export.GaussianPly.Write(Path.Combine(run, "point_cloud.ply"), g, mipFilter2D: true);
        var (code, output, err) = Run("info", run, "--json");
        Assert.True(code == 0, err);
        JsonElement info = JsonDocument.Parse(output).RootElement;
        Assert.Equal(Path.Combine(run, "point_cloud.ply"), info.GetProperty("model").GetString());
        Assert.Equal(new FileInfo(Path.Combine(run, "point_cloud.ply")).Length, info.GetProperty("file_bytes").GetInt64());
        Assert.Equal(102, info.GetProperty("gaussians").GetInt32());
        Assert.Equal(0, info.GetProperty("sh_degree").GetInt32());
        Assert.StartsWith("Mip filter", info.GetProperty("filter_2d").GetString());
        double[] Box(string name, string end) => [.. info.GetProperty(name).GetProperty(end).EnumerateArray().Select(e => e.GetDouble())];
        Assert.Equal([0.0, 0, 0], Box("centre_bounds", "min"));
        Assert.Equal([1000.0, 0, 0], Box("centre_bounds", "max"));
        Assert.Equal([1.0, 0, 0], Box("centre_bounds_98", "min"));    // nearest rank of 1 % of 101 steps
        Assert.Equal([100.0, 0, 0], Box("centre_bounds_98", "max"));  // the floater is left out
        Assert.Equal(0.5, info.GetProperty("opacity_median").GetDouble());
        Assert.Equal(1.0, info.GetProperty("opaque_fraction").GetDouble());
        Assert.Equal(Math.Round(Math.Exp(-2), 4), info.GetProperty("largest_scale_median").GetDouble());

        (code, output, _) = Run("info", Path.Combine(run, "point_cloud.ply"));
        Assert.Equal(0, code);
        Assert.Contains("gaussians              102", output);
    }
}
