using System.CommandLine;
using System.Globalization;
using Radiant.Data.Multiscale;
using Radiant.Sample;
using Radiant.Training;
using Radiant.Viewer;

namespace Radiant.Cli.Commands;

/// <summary><c>radiant train [DATA]</c>: train a 3DGS model; with no DATA, on the built-in sample scene.</summary>
public static class TrainCommand
{
    public static Command Create()
    {
        var data = new Argument<string?>("data") { Description = "Dataset folder (any layout `radiant info` reads), or a folder of photos or a video (posed with COLMAP first, into OUT/data); omitted: the built-in sample scene", Arity = ArgumentArity.ZeroOrOne };
        var output = new Option<string?>("--out") { Description = "Output folder (default: runs/<dataset name>, numbered if it exists)" };
        var iterations = new Option<int>("--iterations") { Description = "Training iterations", DefaultValueFactory = _ => 30_000 };
        var shDegree = new Option<int>("--sh-degree") { Description = "Spherical-harmonics degree of the colours (0-3)", DefaultValueFactory = _ => 3 };
        var seed = new Option<ulong>("--seed") { Description = "Random seed (same seed, same result)", DefaultValueFactory = _ => 0 };
        var init = new Option<string>("--init") { Description = "auto (dataset points if any, else random), points, or random:N", DefaultValueFactory = _ => "auto" };
        var noDensify = new Option<bool>("--no-densify") { Description = "Disable clone/split/prune (keep the initial Gaussians)" };
        var strategy = new Option<string>("--strategy") { Description = "How Gaussians are added and removed: adc (the reference's clone, split, prune and opacity reset) or mcmc (3DGS-MCMC: relocation and growth to --max-gaussians, 1M unless given)", DefaultValueFactory = _ => "adc" };
        strategy.AcceptOnlyFromAmong("adc", "mcmc");
        var checkpointEvery = new Option<int>("--checkpoint-every") { Description = "Write a checkpoint every N iterations (and at the end)", DefaultValueFactory = _ => 5_000 };
        var evalEvery = new Option<int>("--eval-every") { Description = "Evaluate the test views every N iterations (0: only at the end)", DefaultValueFactory = _ => 0 };
        var logEvery = new Option<int>("--log-every") { Description = "Write a line of metrics.jsonl and TensorBoard scalars every N iterations", DefaultValueFactory = _ => 10 };
        var antialias = new Option<bool>("--antialias") { Description = "Mip-Splatting anti-aliasing: 3D smoothing filter and 2D Mip filter (the default)" };
        var noAntialias = new Option<bool>("--no-antialias") { Description = "Turn both anti-aliasing filters off (the reference 3DGS: 0.3 px² dilation)" };
        var trainScales = new Option<string?>("--train-scales") { Description = "Multiscale datasets: train only on the views of these scales, e.g. 1 (full resolution; test with eval --scales 1,2,4,8)" };
        var noSupersampleLevels = new Option<bool>("--no-supersample-levels") { Description = "Multiscale datasets: render each reduced view at its own size with the 2D filter, instead of at the full images' size averaged over its blocks as its photo was made (the default)" };
        var resume = new Option<string?>("--resume") { Description = "Continue the run in this output folder from its checkpoint (with the settings it was started with; --iterations N trains it on to N)" };
        var viewer = new Option<bool>("--viewer") { Description = "Serve the web viewer while training: live curves, renders, model refresh, pause and checkpoint buttons" };
        var viewerRefresh = new Option<int>("--viewer-refresh") { Description = "With --viewer: send the browser the current model every N iterations", DefaultValueFactory = _ => 500 };
        var viewerOptions = new ViewerOptions();
        var dataOptions = new DataOptions();
        var trainingFlags = new TrainingFlags();
        var command = new Command("train", "Train a 3D Gaussian Splatting model (the reference 3DGS recipe) and evaluate it on the test views")
        {
            data, output, iterations, shDegree, seed, init, noDensify, strategy, checkpointEvery, evalEvery, logEvery, antialias, noAntialias, resume, trainScales, noSupersampleLevels, viewer, viewerRefresh,
        };
        dataOptions.AddTo(command);
        trainingFlags.AddTo(command);
        viewerOptions.AddTo(command);

        CommandRunner.SetAction(command, (result, console) =>
        {
            string? resumeDir = result.GetValue(resume);
            TrainingRunSettings settings;
            string outDir;
            string? checkpoint = null;
            if (resumeDir is not null)
            {
                checkpoint = Path.Combine(resumeDir, TrainingCheckpoint.FileName);
                if (!Directory.Exists(resumeDir))
                    throw new RadiantException(resumeDir, File.Exists(resumeDir) ? "--resume takes a run folder, not a file" : "--resume folder not found");
                if (!File.Exists(checkpoint)) throw new RadiantException(resumeDir, $"--resume folder has no {TrainingCheckpoint.FileName} (is it a training output folder?)");
                // The run continues with its own settings; only its length (to train longer), the viewer and
                // where this machine keeps reduced image copies may be given.
                Option[] free = [resume, iterations, viewer, viewerRefresh, dataOptions.CacheDir, .. viewerOptions.All];
                List<string> fixedSettings = command.Options.Where(o => !free.Contains(o) && result.GetResult(o) is { Implicit: false })
                                                            .Select(o => o.Name).ToList();
                if (result.GetValue(data) is not null) fixedSettings.Insert(0, "DATA");
                if (fixedSettings.Count > 0)
                    throw new RadiantException(resumeDir, $"--resume continues the run with the settings it was started with (its config.json), so {string.Join(", ", fixedSettings)} cannot be given; only --iterations (to train longer), --cache-dir and the viewer options can");
                settings = ResumedSettings(checkpoint, result.GetResult(iterations) is { Implicit: false } ? result.GetValue(iterations) : null, resumeDir);
                outDir = resumeDir;
            }
            else
            {
                string dataPath = result.GetValue(data) ?? SampleDataset(console);
                int sh = result.GetValue(shDegree);
                if (sh is < 0 or > 3) throw new RadiantException($"--sh-degree must be 0..3 (got {sh})");
                int iters = result.GetValue(iterations);
                if (iters < 1) throw new RadiantException($"--iterations must be positive (got {iters})");
                if (result.GetValue(logEvery) < 1) throw new RadiantException($"--log-every must be positive (got {result.GetValue(logEvery)})");
                if (result.GetValue(antialias) && result.GetValue(noAntialias)) throw new RadiantException("--antialias and --no-antialias contradict each other");
                var d = dataOptions.Read(result);
                settings = new TrainingRunSettings
                {
                    DataPath = Path.GetFullPath(dataPath),
                    Downscale = d.Downscale,
                    Background = d.Background,
                    TestEvery = d.TestEvery,
                    Init = result.GetValue(init)!,
                    CheckpointEvery = result.GetValue(checkpointEvery),
                    EvalEvery = result.GetValue(evalEvery),
                    LogEvery = result.GetValue(logEvery),
                    TrainScales = result.GetValue(trainScales) is { } ts ? [.. ScaleLevels.Parse(ts, "--train-scales").Select(ScaleLevels.Scale)] : null,
                    Options = trainingFlags.Apply(result, new TrainingOptions
                    {
                        Iterations = iters,
                        ShDegree = sh,
                        Seed = result.GetValue(seed),
                        Densify = !result.GetValue(noDensify),
                        Strategy = result.GetValue(strategy) == "mcmc" ? DensityStrategy.Mcmc : DensityStrategy.Adc,
                        AntiAlias = !result.GetValue(noAntialias),
                        SupersampleLevels = !result.GetValue(noSupersampleLevels),   // (the default: on)
                    }),
                };
                outDir = result.GetValue(output) ?? DefaultOutput(dataPath);
                // A video or a folder of bare photos is posed with COLMAP into OUT/data first.
                settings = settings with { DataPath = Path.GetFullPath(FromPhotosCommand.PoseIfRaw(dataPath, outDir, console)) };
            }

            using var stop = new StopSignals();
            LiveTraining? live = null;
            ViewerServer? server = null;
            if (result.GetValue(viewer))
            {
                live = new LiveTraining(outDir, settings, result.GetValue(viewerRefresh), stop.Token);
                server = ViewerOptions.Start(live, viewerOptions.Read(result));
                console.Line($"viewer: {server.Url}");
            }
            try
            {
                TrainingSummary summary = TrainingDisplay.Run(console, observer =>
                    TrainingSession.Run(settings, outDir, live?.Observe(observer) ?? observer, checkpoint, stop.Token,
                                        cacheDir: result.GetValue(dataOptions.CacheDir)));
                string trained = summary.StartIteration == 0
                    ? $"trained {summary.Iterations} iterations"
                    : $"trained iterations {summary.StartIteration} to {summary.Iterations} ({summary.Iterations - summary.StartIteration} this time)";
                string inAll = summary.StartIteration > 0 && summary.RunTrainingSeconds is { } all
                    ? string.Create(CultureInfo.InvariantCulture, $" ({all / 60:0.0} min in all)") : "";
                console.Line(string.Create(CultureInfo.InvariantCulture,
                    $"{trained} in {summary.TrainingSeconds / 60:0.0} min{inAll}: {summary.Gaussians:N0} Gaussians"));
                if (summary.TestPsnr is { } psnr)
                {
                    console.Line(string.Create(CultureInfo.InvariantCulture, $"test PSNR {psnr:0.00} dB, SSIM {summary.TestSsim:0.0000} over {summary.TestViews.Count} views"));
                    // The training cameras moved away from the dataset's pose errors; the test cameras kept theirs.
                    if (settings.Options.PoseOpt)
                        console.Line($"note: the test views keep the dataset's poses; to score them with poses aligned as the training views' were corrected: radiant eval {summary.OutputDir} {settings.DataPath} --align-poses");
                }
                console.Line($"outputs in {summary.OutputDir} (point_cloud.ply, metrics.json, metrics.jsonl, cameras.json, renders/test/; curves: radiant plot {summary.OutputDir})");
                return 0;
            }
            catch (OperationCanceledException) when (stop.Token.IsCancellationRequested)
            {
                return 130;   // the session said where it stopped and where its checkpoint is
            }
            finally
            {
                live?.Finish();
                if (live is not null && server is not null)
                {
                    // Let a page that follows the run learn that it finished before the server goes.
                    live.WaitForPageToSeeFinish(TimeSpan.FromSeconds(10));
                    console.Line($"closed the viewer (radiant view {outDir} shows the final model)");
                }
                server?.DisposeAsync().AsTask().GetAwaiter().GetResult();
                live?.Dispose();
            }
        });
        return command;
    }

    /// <summary>
    /// The settings a run was started with, from its checkpoint; with a <paramref name="total"/> length
    /// it trains on to that many iterations, its position learning rate decaying over the original
    /// length (then staying at its final value, as the reference's does past position_lr_max_steps).
    /// The checkpoint is checked whole but its arrays are not kept: the run reads them itself, and a
    /// second copy of a checkpoint of millions of Gaussians, even as garbage, raised a resumed
    /// run's peak memory.
    /// </summary>
    internal static TrainingRunSettings ResumedSettings(string checkpoint, int? total, string runDir)
    {
        var (reader, started) = TrainingCheckpoint.Open(checkpoint, arrays: false);
        if (total is null) return started;
        int reached = reader.GetInt("iteration");
        if (total < reached)
            throw new RadiantException(runDir, $"--iterations {total} is below the iteration the run has reached ({reached}); give at least that to train longer");
        TrainingOptions o = started.Options;
        if (total == o.Iterations) return started;
        return started with { Options = o with { Iterations = total.Value, PositionLrMaxSteps = o.PositionLrMaxSteps ?? o.Iterations } };
    }

    /// <summary>The built-in scene, rendered once into a cache folder.</summary>
    private static string SampleDataset(Console console)
    {
        string dir = SampleScene.EnsureCached();
        console.Line($"no dataset given: training on the built-in sample scene ({dir})");
        return dir;
    }

    private static string DefaultOutput(string dataPath)
    {
        string name = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(dataPath)));
        if (name.EndsWith(".json", StringComparison.OrdinalIgnoreCase)) name = Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(dataPath))!);
        string baseDir = Path.Combine("runs", string.IsNullOrEmpty(name) ? "run" : name);
        string candidate = baseDir;
        for (int k = 2; Directory.Exists(candidate) && Directory.EnumerateFileSystemEntries(candidate).Any(); k++) candidate = $"{baseDir}-{k}";
        return candidate;
    }
}
