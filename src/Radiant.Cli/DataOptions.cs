using System.CommandLine;
using System.Globalization;
using Radiant.Data;

namespace Radiant.Cli;

/// <summary>The options every verb that reads a dataset shares (train, eval, render, info, compress).</summary>
public sealed class DataOptions
{
    public Option<string> Downscale { get; } = new("--downscale")
    {
        Description = $"Reduce images by this integer factor (area averaging, cached; uses images_N/ when the dataset has it); auto: only images larger than {DatasetOptions.AutoMaxSide} px, by the smallest factor that fits them (1: full resolution)",
        DefaultValueFactory = _ => "auto",
    };

    public Option<string> Background { get; } = new("--background")
    {
        Description = "Colour that transparent images are composited over and that training and evaluation render over: white, black, R,G,B in [0,1], or auto: white for images with transparency (NeRF-synthetic), black for opaque photos (captures), as the reference trains them",
        DefaultValueFactory = _ => "auto",
    };

    public Option<int> TestEvery { get; } = new("--test-every")
    {
        Description = "For datasets without their own split, every N-th image (by name) is a test image (0: no test images, train on all of them)",
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
        Downscale = ParseDownscale(result.GetValue(Downscale) ?? "auto"),
        Background = result.GetValue(Background) is { } text && !text.Trim().Equals("auto", StringComparison.OrdinalIgnoreCase) ? ParseColor(text) : null,
        TestEvery = result.GetValue(TestEvery),
        CacheDir = result.GetValue(CacheDir),
    };

    /// <summary>"auto" → <see cref="DatasetOptions.Auto"/>, else an integer factor of 1 or more.</summary>
    public static int ParseDownscale(string text)
    {
        if (text.Trim().Equals("auto", StringComparison.OrdinalIgnoreCase)) return DatasetOptions.Auto;
        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int factor) && factor >= 1) return factor;
        throw new RadiantException($"--downscale must be 1 or more, or auto (got {text})");
    }

    /// <summary>
    /// The options for reading DATA with a trained MODEL (eval, render, compress): those given on the
    /// command line, and for each one left out, the value the run was trained with (<c>config.json</c>
    /// in the run folder, or beside the .ply), so that <c>radiant eval RUN DATA</c> after
    /// <c>radiant train DATA --downscale 4</c> measures the views and split the run was trained and tested
    /// on instead of full-size images. Each value taken from the run is named in a note.
    /// </summary>
    public DatasetOptions ReadForModel(ParseResult result, string modelPath, Console console)
    {
        DatasetOptions options = Read(result);
        if (TrainedDataOptions.Find(modelPath) is not { } trained) return options;
        bool Given(Option option) => result.GetResult(option) is { Implicit: false };
        var notes = new List<string>();
        if (!Given(Downscale) && trained.Downscale is { } downscale && downscale != options.Downscale)
        {
            options = options with { Downscale = downscale };
            // Auto (the default) and a full-size run agree on all but large images: a note only for a reduction.
            if (downscale > 1) notes.Add($"--downscale {downscale}");
        }
        if (!Given(Background) && trained.Background is { } background)
        {
            // Named whatever the colour: the default, auto, may pick another one for this data.
            options = options with { Background = background };
            notes.Add($"--background {string.Join(",", background.Select(v => v.ToString(CultureInfo.InvariantCulture)))}");
        }
        if (!Given(TestEvery) && trained.TestEvery is { } testEvery && testEvery != options.TestEvery)
        {
            options = options with { TestEvery = testEvery };
            notes.Add($"--test-every {testEvery}");
        }
        if (notes.Count > 0) console.Line($"note: using the run's {string.Join(", ", notes)} (from {trained.File}; give the option to override)");
        return options;
    }

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
        throw new RadiantException($"--background '{text}' is not white, black, auto or R,G,B with components in [0,1]");
    }
}
