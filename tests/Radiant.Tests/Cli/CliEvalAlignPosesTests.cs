using System.Text.Json;
using Radiant.Tests.Support;

using static Radiant.Tests.Support.CliRunner;

namespace Radiant.Tests.Cli;

/// <summary><c>radiant eval --align-poses</c>: each view's pose is aligned to its photo before it is scored.</summary>
public class CliEvalAlignPosesTests
{
    [Fact]
    public void Eval_with_aligned_poses_reports_each_views_correction()
    {
        using var dir = new TempDir("cli-align");
        var m = PathTestModel.Create(dir);
        var (code, output, err) = Run("eval", m.ModelDir, m.Data, "--align-poses", "--align-steps", "10", "--json", dir.File("a.json"));
        Assert.True(code == 0, err);
        Assert.Contains("aligning and evaluating 3 test views (at most 10 steps each)", output);
        Assert.Contains("(poses aligned; mean turn ", output);

        using var doc = JsonDocument.Parse(File.ReadAllText(dir.File("a.json")));
        Assert.Equal(10, doc.RootElement.GetProperty("align_poses_max_steps").GetInt32());
        JsonElement views = doc.RootElement.GetProperty("views");
        Assert.Equal(3, views.GetArrayLength());
        foreach (JsonElement v in views.EnumerateArray())
        {
            double turn = v.GetProperty("aligned_rotation_degrees").GetDouble(), move = v.GetProperty("aligned_translation").GetDouble();
            Assert.True(turn >= 0 && turn < 5 && move >= 0 && move < 1, $"{turn}° {move}");
            Assert.InRange(v.GetProperty("aligned_steps").GetInt32(), 1, 10);
        }
        // A random model does not look like the photos: the aligned poses moved.
        Assert.Contains(views.EnumerateArray(), v => v.GetProperty("aligned_rotation_degrees").GetDouble() > 0);

        // Without the flag: no alignment fields.
        (code, _, err) = Run("eval", m.ModelDir, m.Data, "--json", dir.File("b.json"));
        Assert.True(code == 0, err);
        using var plain = JsonDocument.Parse(File.ReadAllText(dir.File("b.json")));
        Assert.False(plain.RootElement.TryGetProperty("align_poses_max_steps", out _));
        Assert.False(plain.RootElement.GetProperty("views")[0].TryGetProperty("aligned_rotation_degrees", out _));
    }

    [Theory]
    [InlineData("--scales", "1,2", "error: --align-poses cannot be combined with --scales")]
    [InlineData("--align-steps", "0", "error: --align-steps must be at least 1")]
    public void Conflicting_alignment_options_are_one_line_errors(string option, string value, string message)
    {
        using var dir = new TempDir("cli-align");
        var m = PathTestModel.Create(dir);
        var (code, _, err) = Run("eval", m.ModelDir, m.Data, "--align-poses", option, value);
        Assert.Equal(1, code);
        Assert.Equal(message, err.Trim());
    }
}
