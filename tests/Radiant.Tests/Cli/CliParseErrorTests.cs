using static Radiant.Tests.Support.CliRunner;

namespace Radiant.Tests.Cli;

/// <summary>A command line the parser refuses gives `error:` lines and a pointer to the help, not the whole help text.</summary>
public class CliParseErrorTests
{
    [Theory]
    [InlineData(new[] { "train", "--itrations", "5" }, "error: unknown option '--itrations' (did you mean --iterations?)")]
    [InlineData(new[] { "train", "--bogus" }, "error: unknown option '--bogus'")]
    [InlineData(new[] { "train", "--iterations", "abc" }, "error: --iterations 'abc' is not a whole number")]
    [InlineData(new[] { "train", "--sh-degree" }, "error: --sh-degree needs a value")]
    [InlineData(new[] { "trian" }, "error: unknown command 'trian' (did you mean train?)")]
    [InlineData(new[] { "data", "multiscal", "a", "b" }, "error: unknown command 'multiscal' (did you mean multiscale?)")]
    [InlineData(new[] { "eval", "a", "b", "--bogus", "1" }, "error: unknown option '--bogus'")]
    public void A_refused_command_line_is_one_error_line_and_a_help_pointer(string[] args, string expected)
    {
        var (code, stdout, err) = Run(args);
        Assert.Equal(1, code);
        string[] lines = err.Trim().Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        Assert.Equal(expected, lines[0]);
        Assert.Equal(2, lines.Length);
        Assert.Matches(@"^\(`radiant( \w+)? --help` lists the arguments and options\)$", lines[1]);
        Assert.DoesNotContain("Usage:", err + stdout);
    }

    [Fact]
    public void Every_missing_piece_is_named()
    {
        var (code, _, err) = Run("render");
        Assert.Equal(1, code);
        Assert.Contains("error: missing argument <model>", err);
        Assert.Contains("error: --out is required", err);
        Assert.Contains("`radiant render --help`", err);
    }

    [Fact]
    public void A_bare_command_group_still_shows_its_help()
    {
        var (code, stdout, err) = Run("data");
        Assert.Equal(1, code);
        Assert.Contains("from-photos", stdout + err);
    }

    [Theory]
    [InlineData("", "", 0)]
    [InlineData("abc", "", 3)]
    [InlineData("trian", "train", 2)]
    [InlineData("--itrations", "--iterations", 1)]
    [InlineData("kitten", "sitting", 3)]
    public void Edit_distance_counts_insertions_deletions_and_substitutions(string a, string b, int distance)
    {
        Assert.Equal(distance, Radiant.Cli.ParseErrors.EditDistance(a, b));
        Assert.Equal(distance, Radiant.Cli.ParseErrors.EditDistance(b, a));
    }
}
