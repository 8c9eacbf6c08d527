using Radiant.Data;
using Radiant.Data.Colmap;
using Radiant.Tests.Support;

namespace Radiant.Tests.Data;

/// <summary>
/// COLMAP itself (`colmap model_converter`) as the independent reference: it must read what the
/// test-side writer writes, and its own output must read back as the same dataset.
/// </summary>
public class ColmapConverterTests
{
    private static readonly DatasetOptions Options = new() { TestEvery = 4 };

    private static void Convert(string input, string output, string type)
    {
        Directory.CreateDirectory(output);
        var (code, stdout, stderr) = ExternalTool.Run("colmap",
            ["model_converter", "--input_path", input, "--output_path", output, "--output_type", type]);
        Assert.True(code == 0, $"colmap model_converter {type} failed ({code}): {stderr}\n{System.Text.Encoding.UTF8.GetString(stdout)}");
    }

    [Fact]
    public void Colmap_reads_our_binary_and_its_text_output_reads_as_the_same_dataset()
    {
        var scene = ColmapTestScene.Circle(8);
        using var ours = new TempDir("colmap-ours");
        using var theirs = new TempDir("colmap-theirs");
        scene.WriteDataset(ours.Path, binary: true);
        scene.WriteImages(Path.Combine(theirs.Path, "images"));
        string theirModel = Path.Combine(theirs.Path, "sparse", "0");
        Convert(Path.Combine(ours.Path, "sparse", "0"), theirModel, "TXT");
        Assert.True(File.Exists(Path.Combine(theirModel, "images.txt")));

        Dataset a = ColmapReader.Read(ours.Path, Options);
        Dataset b = ColmapReader.Read(theirs.Path, Options);
        // COLMAP writes text with 17 significant digits, which round-trips doubles; allow for float formatting anyway.
        ColmapAssert.SameDataset(a, b, 1e-12);

        // COLMAP's text also keeps every observation and track the writer put in.
        string points = File.ReadAllText(Path.Combine(theirModel, "points3D.txt"));
        foreach (var p in scene.Points)
            Assert.Contains($"\n{p.Id} ", points);
    }

    [Fact]
    public void Colmap_reads_our_text_and_its_binary_output_reads_as_the_same_dataset()
    {
        var scene = ColmapTestScene.Circle(8);
        using var ours = new TempDir("colmap-ours");
        using var theirs = new TempDir("colmap-theirs");
        scene.WriteDataset(ours.Path, binary: false);
        scene.WriteImages(Path.Combine(theirs.Path, "images"));
        string theirModel = Path.Combine(theirs.Path, "sparse", "0");
        Convert(Path.Combine(ours.Path, "sparse", "0"), theirModel, "BIN");
        Assert.True(File.Exists(Path.Combine(theirModel, "images.bin")));

        Dataset a = ColmapReader.Read(ours.Path, Options);
        Dataset b = ColmapReader.Read(theirs.Path, Options);
        // COLMAP normalises the quaternions it reads, which moves rotations by an ulp or so.
        ColmapAssert.SameDataset(a, b, 1e-12);
        // Reading our own binary of the scene gives the same as reading COLMAP's binary of it.
        Dataset c;
        using (var again = new TempDir("colmap-again"))
        {
            scene.WriteDataset(again.Path, binary: true);
            c = ColmapReader.Read(again.Path, Options);
        }
        ColmapAssert.SameDataset(b, c, 1e-12);
    }
}
