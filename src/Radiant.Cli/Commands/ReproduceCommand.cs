using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Radiant.Data;
using Radiant.Evaluation;
using Radiant.Export;
using Radiant.Training;

namespace Radiant.Cli.Commands;

/// <summary>
/// <c>radiant reproduce ROOT</c>: trains every scene of a standard benchmark folder (NeRF-synthetic,
/// Mip-NeRF 360) under its published protocol and sets the test figures beside the reference 3DGS's
/// (<see cref="PublishedFigures"/>). A scene already trained in the output folder is kept, an
/// interrupted one continues from its checkpoint, so the same command picks up where it stopped.
/// </summary>
public static class ReproduceCommand
{
    public const string SummaryJson = "summary.json", SummaryMarkdown = "summary.md";

    public static Command Create()
    {
        var root = new Argument<string>("root") { Description = "A benchmark's folder of scenes (e.g. nerf_synthetic/ with chair, drums, …, or 360_v2/ with bicycle, garden, …), or one scene folder" };
        var output = new Option<string?>("--out") { Description = "Output folder: a run folder per scene and summary.md / summary.json (default: runs/reproduce-<root name>)" };
        var iterations = new Option<int>("--iterations") { Description = "Training iterations per scene (the published figures are at 30,000)", DefaultValueFactory = _ => PublishedFigures.Iterations };
        var scenes = new Option<string?>("--scenes") { Description = "Only these scenes, by folder name, e.g. lego,chair" };
        var downscale = new Option<string?>("--downscale") { Description = "Reduce every scene's images by this integer factor instead of its protocol's (NeRF-synthetic: full 800x800; Mip-NeRF 360: images_4 outdoors, images_2 indoors; others: auto)" };
        var list = new Option<bool>("--list") { Description = "Only list the scenes found, with the protocol and published figure each would be trained and compared under; train nothing" };
        var cacheDir = new Option<string?>("--cache-dir") { Description = "Folder for downscaled image copies (default: .radiant-cache inside each scene; give one when the data is read-only)" };
        var command = new Command("reproduce", "Train every scene of a standard benchmark (NeRF-synthetic, Mip-NeRF 360, multiscale Blender) with its published protocol and compare the test PSNR with the published figures")
        {
            root, output, iterations, scenes, downscale, cacheDir, list,
        };
        CommandRunner.SetAction(command, (result, console) =>
        {
            string rootPath = result.GetValue(root)!;
            int iters = result.GetValue(iterations);
            if (iters < 1) throw new RadiantException($"--iterations must be positive (got {iters})");
            int? reduction = result.GetValue(downscale) is { } text ? DataOptions.ParseDownscale(text) : null;
            List<(string Path, string Layout)> found = FindScenes(rootPath);
            if (result.GetValue(scenes) is { } names) found = Select(found, names, rootPath);
            if (result.GetValue(list))
            {
                foreach (var (scenePath, layout) in found)
                {
                    SceneProtocol p = PublishedFigures.For(Path.GetFileName(scenePath), layout);
                    string figure = p.Suite is null ? "no published figure"
                        : p.ReferencePsnr is { } psnr ? string.Create(CultureInfo.InvariantCulture, $"{p.Suite.Method} {psnr:0.00} dB")
                        : $"{p.Suite.Method}: only the suite's means";
                    console.Line($"{p.Scene,-12} {layout,-10} {p.Suite?.Name ?? "-",-20} images {BenchmarkTable.Reduction(reduction ?? p.Downscale),-5} {figure}");
                }
                return 0;
            }
            string outDir = result.GetValue(output) ?? Path.Combine("runs", "reproduce-" + Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(rootPath))));
            Directory.CreateDirectory(outDir);

            using var stop = new StopSignals();
            var rows = new List<SceneResult>();
            var failed = new List<string>();
            for (int i = 0; i < found.Count; i++)
            {
                var (scenePath, layout) = found[i];
                string name = Path.GetFileName(scenePath);
                SceneProtocol protocol = PublishedFigures.For(name, layout);
                int factor = reduction ?? protocol.Downscale;
                string runDir = Path.Combine(outDir, name);
                console.Line($"scene {i + 1}/{found.Count}: {name} ({protocol.Suite?.Name ?? "no published figure"}, {layout}, images {BenchmarkTable.Reduction(factor)}) -> {runDir}");
                SceneResult? row;
                try
                {
                    row = Finished(runDir, protocol, factor, iters);
                    if (row is not null) console.Line($"  already trained to {row.Iterations:N0} iterations: kept");
                    else row = Train(console, scenePath, runDir, protocol, factor, iters, result.GetValue(cacheDir), stop.Token);
                    if (protocol.Suite?.ScalePsnr is not null) row = row with { ScalePsnr = ScalePsnr(console, runDir, scenePath, result.GetValue(cacheDir)) };
                }
                catch (OperationCanceledException) when (stop.Token.IsCancellationRequested)
                {
                    console.Line($"stopped: run the same command again to continue from {runDir}'s checkpoint");
                    return 130;
                }
                catch (Exception e) when (CommandRunner.BadInput(e) is { } bad)
                {
                    // One broken scene does not end a long suite: the others still train and are summarised.
                    console.Error($"error: {bad.Message} (scene {name} left out)");
                    failed.Add(name);
                    continue;
                }
                rows.Add(row);
                console.Line(string.Create(CultureInfo.InvariantCulture,
                    $"  test PSNR {Show(row.Psnr, "0.00")} dB, SSIM {Show(row.Ssim, "0.0000")}{Comparison(protocol, row)}"));
                if (row.ScalePsnr is { } scales)
                    console.Line($"  per scale (full, 1/2, 1/4, 1/8): {Figures(scales)} dB" +
                                 (row.Downscale == protocol.Downscale ? $" ({protocol.Suite!.Method}, mean of its scenes: {Figures(protocol.Suite.ScalePsnr!)})" : ""));
                WriteSummary(outDir, rows);
            }
            console.Line();
            foreach (string line in BenchmarkTable.Markdown(rows).TrimEnd().Split('\n')) console.Line(line);
            console.Line($"wrote {Path.Combine(outDir, SummaryMarkdown)} and {SummaryJson}");
            if (failed.Count == 0) return 0;
            console.Error($"error: {failed.Count} of {found.Count} scenes failed and are not in the summary: {string.Join(", ", failed)}");
            return 1;
        });
        return command;
    }

    /// <summary>ROOT itself when it is a dataset, else its subfolders that are, by name.</summary>
    private static List<(string Path, string Layout)> FindScenes(string rootPath)
    {
        if (!Directory.Exists(rootPath))
            throw new RadiantException(rootPath, File.Exists(rootPath) ? "is a file; give a benchmark's folder of scenes or one scene folder" : "folder not found");
        if (TryLayout(rootPath) is { } own) return [(Path.GetFullPath(rootPath), own)];
        var found = new List<(string, string)>();
        foreach (string dir in Directory.GetDirectories(rootPath).Order(StringComparer.Ordinal))
            if (TryLayout(dir) is { } layout) found.Add((Path.GetFullPath(dir), layout));
        if (found.Count == 0)
            throw new RadiantException(rootPath, "no scene folders here: neither it nor any folder in it is a dataset (transforms_train.json, transforms.json, sparse/0, poses_bounds.npy, metadata.json)");
        return found;

        static string? TryLayout(string path)
        {
            try { return DatasetLoader.DetectLayout(path, out _); }
            catch (RadiantException) { return null; }
        }
    }

    private static List<(string Path, string Layout)> Select(List<(string Path, string Layout)> found, string names, string rootPath)
    {
        var wanted = names.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var available = found.Select(f => Path.GetFileName(f.Path)).ToList();
        var missing = wanted.Where(w => !available.Contains(w, StringComparer.OrdinalIgnoreCase)).ToList();
        if (missing.Count > 0)
            throw new RadiantException(rootPath, $"--scenes names {string.Join(", ", missing)}, not among its scenes ({string.Join(", ", available)})");
        return found.Where(f => wanted.Contains(Path.GetFileName(f.Path), StringComparer.OrdinalIgnoreCase)).ToList();
    }

    /// <summary>
    /// The figures of a run that has already trained at least <paramref name="iterations"/> (its
    /// metrics.json, and the reduction it used from its config.json), else null.
    /// </summary>
    private static SceneResult? Finished(string runDir, SceneProtocol protocol, int factor, int iterations)
    {
        string metrics = Path.Combine(runDir, "metrics.json"), config = Path.Combine(runDir, "config.json");
        if (!File.Exists(metrics)) return null;
        string file = metrics;
        try
        {
            JsonElement m = JsonDocument.Parse(File.ReadAllText(metrics)).RootElement;
            int reached = m.GetProperty("iterations").GetInt32();
            if (reached < iterations) return null;
            double? psnr = null, ssim = null;
            if (m.TryGetProperty("test", out JsonElement test) && test.ValueKind == JsonValueKind.Object)
            {
                psnr = test.GetProperty("psnr").GetDouble();
                ssim = test.GetProperty("ssim").GetDouble();
            }
            int gaussians = m.GetProperty("gaussians").GetInt32();
            double seconds = m.GetProperty("training_seconds").GetDouble();
            file = config;
            if (File.Exists(config) && JsonDocument.Parse(File.ReadAllText(config)).RootElement.TryGetProperty("downscale", out JsonElement used)) factor = used.GetInt32();
            return new SceneResult(protocol, factor, reached, psnr, ssim, gaussians, seconds);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new RadiantException(file, $"is not a training run's {Path.GetFileName(file)} ({e.Message}); delete the scene's folder to train it again");
        }
    }

    /// <summary>Trains the scene (or continues its interrupted or shorter run) under its protocol.</summary>
    private static SceneResult Train(Console console, string scenePath, string runDir, SceneProtocol protocol, int factor, int iterations, string? cacheDir,
                                     CancellationToken cancel)
    {
        string checkpoint = Path.Combine(runDir, TrainingCheckpoint.FileName);
        bool resume = File.Exists(checkpoint);
        TrainingRunSettings settings = resume
            ? TrainCommand.ResumedSettings(checkpoint, iterations, runDir)
            : new TrainingRunSettings
            {
                DataPath = scenePath,
                Downscale = factor,
                Options = new TrainingOptions { Iterations = iterations },
            };
        if (resume) console.Line($"  continuing from {checkpoint}");
        TrainingSummary s = TrainingDisplay.Run(console, observer =>
            TrainingSession.Run(settings, runDir, observer, resume ? checkpoint : null, cancel, cacheDir));
        return new SceneResult(protocol, settings.Downscale, s.Iterations, s.TestPsnr, s.TestSsim, s.Gaussians, s.RunTrainingSeconds ?? s.TrainingSeconds);
    }

    /// <summary>The trained model's test PSNR at each scale of a multiscale dataset (full, 1/2, 1/4, 1/8), as <c>radiant eval --scales 1,2,4,8</c> measures it.</summary>
    private static List<double> ScalePsnr(Console console, string runDir, string scenePath, string? cacheDir)
    {
        GaussianPlyData ply = ModelFile.LoadForRendering(runDir);
        Dataset ds = DatasetLoader.Load(scenePath, new DatasetOptions { CacheDir = cacheDir });
        IReadOnlyList<Camera> cameras = ds.Split("test");
        if (cameras.Count == 0) throw new RadiantException(ds.Root, "the multiscale dataset has no test views");
        MultiscaleResult m = console.Progress("evaluating per scale", p =>
            MultiscaleEvaluator.Evaluate(ply.Gaussians, ds, cameras, [0, 1, 2, 3],
                ply.RenderOptions(ds.Background) with { SupersampleLevels = SupersampleLevelsOption.AsTrained(runDir) }, "test", p));
        return [.. m.Scales.Select(s => s.Psnr)];
    }

    private static void WriteSummary(string outDir, List<SceneResult> rows)
    {
        AtomicFile.WriteAllText(Path.Combine(outDir, SummaryMarkdown), BenchmarkTable.Markdown(rows));
        AtomicFile.WriteAllText(Path.Combine(outDir, SummaryJson), BenchmarkTable.Json(rows).ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }

    /// <summary>The scene's published figure, when it has one and was trained at its protocol's reduction.</summary>
    private static string Comparison(SceneProtocol protocol, SceneResult row) => protocol.ReferencePsnr switch
    {
        null => "",
        _ when row.Downscale != protocol.Downscale => $" (not compared: the published figure is at images {BenchmarkTable.Reduction(protocol.Downscale)})",
        double r => string.Create(CultureInfo.InvariantCulture, $" (reference 3DGS {r:0.00} dB at {PublishedFigures.Iterations:N0} iterations)"),
    };

    private static string Figures(IEnumerable<double> psnr) => string.Join(" / ", psnr.Select(p => p.ToString("0.00", CultureInfo.InvariantCulture)));

    private static string Show(double? value, string format) => value is { } v ? v.ToString(format, CultureInfo.InvariantCulture) : "-";
}
