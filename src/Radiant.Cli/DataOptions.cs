using System.CommandLine;
using System.Globalization;
using Radiant.Data;

namespace Radiant.Cli;

/// <summary>The options every verb that reads a dataset shares (train, eval, render, info, compress).</summary>
public sealed class DataOptions
{
    public Option<int> Downscale { get; } = new("--downscale")
    {
        Description = "Reduce images by this integer factor (area averaging, cached; uses images_N/ when the dataset has it)",
        DefaultValueFactory = _ => 1,
    };

    public Option<string> Background { get; } = new("--background")
    {
        Description = "Colour that transparent images are composited over: white, black, or R,G,B in [0,1]",
        DefaultValueFactory = _ => "white",
    };

    public Option<int> TestEvery { get; } = new("--test-every")
    {
        Description = "For datasets without their own split, every N-th image (by name) is a test image",
        DefaultValueFactory = _ => 8,
    };

    public Option<string?> CacheDir { get; } = new("--cache-dir")
    {
        Description = "Folder for downscaled image copies (default: .radiant-cache inside the dataset)",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Downscale);
        command.Options.Add(Background);
        command.Options.Add(TestEvery);
        command.Options.Add(CacheDir);
    }

    public DatasetOptions Read(ParseResult result) => new()
    {
        Downscale = result.GetValue(Downscale),
        Background = ParseColor(result.GetValue(Background) ?? "white"),
        TestEvery = result.GetValue(TestEvery),
        CacheDir = result.GetValue(CacheDir),
    };

    public static float[] ParseColor(string text)
    {
        switch (text.Trim().ToLowerInvariant())
        {
            case "white": return [1, 1, 1];
            case "black": return [0, 0, 0];
        }
        string[] parts = text.Split(',');
        if (parts.Length == 3 && parts.All(p => float.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out float v) && v is >= 0 and <= 1))
            return parts.Select(p => float.Parse(p, CultureInfo.InvariantCulture)).ToArray();
        throw new RadiantException($"--background '{text}' is not white, black or R,G,B with components in [0,1]");
    }
}
