using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Radiant.CameraPaths;
using Radiant.Data;
using Radiant.Evaluation;
using Radiant.Export;
using Radiant.Imaging;
using Radiant.Logging;
using Radiant.Mathematics;
using Radiant.Model;
using Radiant.Rendering;

namespace Radiant.Training;

/// <summary>How a training run reports to whoever started it (the CLI shows it as progress bars or log lines).</summary>
public interface ITrainingObserver
{
    /// <summary>A phase begins ("loading images", "training", "evaluating"); returns the progress sink for it.</summary>
    IProgress<(int Done, int Total)> Phase(string name);
    void Message(string text);
    /// <summary>After every iteration; <paramref name="trainPsnr"/> is a running value on training views (NaN until known).</summary>
    void Step(TrainingStep step, double trainPsnr, double iterationsPerSecond);
    /// <summary>After each line of metrics.jsonl is written (a live feed of the run's log).</summary>
    void Logged(MetricsRecord record) { }

    /// <summary>
    /// After <see cref="Step"/>, on the training thread, while the trainer is between iterations: an
    /// observer may copy the model, save a checkpoint, or block (which pauses training). Returns the
    /// time it held training paused, which the run leaves out of its training time and speed. Default: nothing.
    /// </summary>
    TimeSpan BetweenIterations(Trainer trainer) => TimeSpan.Zero;
}

/// <summary>The result of a run, as written to metrics.json.</summary>
public sealed record TrainingSummary(string OutputDir, int Iterations, int Gaussians, double TrainingSeconds, double? TestPsnr, double? TestSsim, List<ViewMetrics> TestViews)
{
    /// <summary>The iteration this session started from: 0, or the checkpoint's when resumed (TrainingSeconds covers this session only).</summary>
    public int StartIteration { get; init; }
    /// <summary>Seconds of training over every session of the run; null when a checkpoint it resumed from did not record them.</summary>
    public double? RunTrainingSeconds { get; init; }
}

/// <summary>
/// A whole training run: read the data, initialise (or resume), train with periodic checkpoints,
/// evaluate the test split, and write the outputs of the reference trainer:
/// <c>point_cloud.ply</c>, <c>cameras.json</c>, <c>metrics.json</c>, test renders, and the checkpoint.
/// </summary>
public static class TrainingSession
{
    /// <summary>
    /// Runs (or, from <paramref name="resumeCheckpoint"/>, continues) the run; reduced image copies go
    /// to <paramref name="cacheDir"/> (default: <c>.radiant-cache</c> in the dataset), which is this
    /// machine's choice and not one of the run's settings.
    /// </summary>
    public static TrainingSummary Run(TrainingRunSettings settings, string outDir, ITrainingObserver observer, string? resumeCheckpoint = null,
                                      CancellationToken cancel = default, string? cacheDir = null)
    {
        ParseInit(settings.Init);
        PrepareOutput(outDir, resuming: resumeCheckpoint is not null);
        Dataset ds = DatasetLoader.Load(settings.DataPath, settings.DatasetOptions(cacheDir));
        if (settings.Downscale == DatasetOptions.Auto)
        {
            // The run records the factor auto chose, so a resume reads the same images whatever auto would pick then.
            settings = settings with { Downscale = ds.Options.Downscale };
            if (ds.Options.Downscale > 1)
                observer.Message($"--downscale auto: the images are larger than {DatasetOptions.AutoMaxSide} px, so they are reduced by {ds.Options.Downscale} (--downscale 1 keeps the full resolution)");
        }
        IReadOnlyList<Camera> trainCameras = settings.TrainCameras(ds);
        observer.Message($"{ds.Format} dataset {ds.Root}: {trainCameras.Count} train / {ds.Test.Count} test views, {ds.Train[0].Width}x{ds.Train[0].Height}");

        if (settings.Background is null && ds.Options.Background is float[] backdrop)   // set by the loader only when it found a backdrop
            observer.Message($"the photos' borders are a plain backdrop of colour ({backdrop[0]:0.###}, {backdrop[1]:0.###}, {backdrop[2]:0.###}): training over it as the background (--background black keeps the default for opaque photos)");
        // The run records the background auto chose (config.json, the checkpoint), for eval, render and resume.
        settings = settings with { Background = ds.Background };

        TrainingView[] views = TrainingViews.Load(ds, trainCameras, observer.Phase("loading images"));
        if (ds.Test.Count > 0) TrainingViews.Check(ds, ds.Test, observer.Phase("checking test images"));
        double extent = ds.CameraExtent().Radius;
        TrainingOptions o = settings.Options;

        Trainer trainer;
        if (resumeCheckpoint is not null)
        {
            var (reader, _) = TrainingCheckpoint.Open(resumeCheckpoint);
            trainer = new Trainer(TrainingCheckpoint.ReadModel(reader), views, extent, ds.Background, o);
            TrainingCheckpoint.Restore(reader, trainer);
            observer.Message($"resumed from {resumeCheckpoint} at iteration {trainer.Iteration} with {trainer.Gaussians.Count} Gaussians");
        }
        else
        {
            GaussianSet initial = Initialise(ds, settings, out string how, views);
            observer.Message($"initialised {initial.Count} Gaussians ({how}), scene extent {extent:0.###}");
            trainer = new Trainer(initial, views, extent, ds.Background, o);
        }
        WriteJson(Path.Combine(outDir, "config.json"), JsonSerializer.SerializeToNode(settings, TrainingRunSettings.Json)!);
        WriteCameras(Path.Combine(outDir, "cameras.json"), ds);
        using var log = TrainingLog.Open(outDir, settings.LogEvery, resumeCheckpoint is not null ? trainer.Iteration : null);
        log.Metrics.Logged += observer.Logged;

        string checkpointPath = Path.Combine(outDir, TrainingCheckpoint.FileName);
        var clock = Stopwatch.StartNew();
        var evalClock = new Stopwatch();
        TimeSpan paused = TimeSpan.Zero;   // held by the viewer's Pause button: not training time
        double secondsBefore = trainer.TrainingSeconds;   // earlier sessions of a resumed run
        double SessionSeconds() => (clock.Elapsed - evalClock.Elapsed - paused).TotalSeconds;
        IProgress<(int, int)> trainProgress = observer.Phase("training");
        double trainPsnr = double.NaN, smoothedMse = double.NaN;
        var rate = new Stopwatch();
        rate.Start();
        int rateStart = trainer.Iteration, startIteration = trainer.Iteration;
        double itPerSecond = 0;
        while (trainer.Iteration < o.Iterations)
        {
            trainer.TrainingSeconds = secondsBefore + SessionSeconds();   // what a checkpoint saved now records
            if (cancel.IsCancellationRequested)
            {
                // Stopping early keeps the work done so far: --resume continues from here.
                TrainingCheckpoint.Save(checkpointPath, trainer, settings);
                observer.Message($"stopped at iteration {trainer.Iteration}; checkpoint saved to {checkpointPath} (continue with --resume {outDir})");
                cancel.ThrowIfCancellationRequested();
            }
            TrainingStep step;
            try { step = trainer.Step(); }
            catch (TrainingDivergedException e)
            {
                throw new RadiantException(outDir, $"training diverged: {e.Message}; the last good checkpoint is {(File.Exists(checkpointPath) ? checkpointPath : "not written yet")}");
            }
            // Running PSNR on training views (exponential average of the MSE over ~20 steps).
            smoothedMse = double.IsNaN(smoothedMse) ? step.Mse : 0.95 * smoothedMse + 0.05 * step.Mse;
            trainPsnr = ImageMetrics.Psnr(smoothedMse);
            if (rate.Elapsed.TotalSeconds >= 1)
            {
                itPerSecond = (step.Iteration - rateStart) / rate.Elapsed.TotalSeconds;
                rate.Restart();
                rateStart = step.Iteration;
            }
            trainProgress.Report((step.Iteration, o.Iterations));
            observer.Step(step, trainPsnr, itPerSecond);
            TimeSpan held = observer.BetweenIterations(trainer);
            if (held > TimeSpan.Zero)
            {
                paused += held;
                rate.Restart();
                rateStart = step.Iteration;
            }

            bool last = step.Iteration == o.Iterations;
            log.Step(step, trainer.Optimizer["means"].LearningRate, itPerSecond, last);
            if (settings.CheckpointEvery > 0 && step.Iteration % settings.CheckpointEvery == 0 && !last)
                SaveIfFinite(checkpointPath, trainer, settings, outDir);
            if (settings.EvalEvery > 0 && step.Iteration % settings.EvalEvery == 0 && !last && ds.Test.Count > 0)
            {
                evalClock.Start();
                Image? firstRender = null;
                var m = Evaluator.Evaluate(trainer.Gaussians, ds, ds.Test, trainer.CurrentRenderOptions, (_, img) => firstRender ??= img.Clone());
                evalClock.Stop();
                log.Evaluation(step.Iteration, m, firstRender);
                observer.Message($"iteration {step.Iteration}: test PSNR {m.Average(v => v.Psnr):0.00} dB, SSIM {m.Average(v => v.Ssim):0.0000}, {trainer.Gaussians.Count} Gaussians");
            }
        }
        double seconds = SessionSeconds();
        trainer.TrainingSeconds = secondsBefore + seconds;

        SaveIfFinite(checkpointPath, trainer, settings, outDir);
        GaussianPly.Write(Path.Combine(outDir, "point_cloud.ply"), trainer.Gaussians, mipFilter2D: o.AntiAlias); // 3D filter baked in
        if (trainer.Exposure is { } exposure) WriteExposure(Path.Combine(outDir, "exposure.json"), exposure, views);
        if (trainer.Poses is { } poses) WritePoses(Path.Combine(outDir, "poses.json"), poses, views);

        // Final evaluation on the test split, saving the renders.
        List<ViewMetrics> test = [];
        if (ds.Test.Count > 0)
        {
            string renderDir = Path.Combine(outDir, "renders", "test");
            Directory.CreateDirectory(renderDir);
            var used = new HashSet<string>(StringComparer.Ordinal);
            Image? firstRender = null;
            test = Evaluator.Evaluate(trainer.Gaussians, ds, ds.Test, trainer.CurrentRenderOptions,
                (cam, img) => { ImageIO.SavePng(Path.Combine(renderDir, RenderFileName(cam, used)), img); firstRender ??= img.Clone(); }, observer.Phase("evaluating"));
            log.Evaluation(trainer.Iteration, test, firstRender);
        }
        var summary = new TrainingSummary(Path.GetFullPath(outDir), trainer.Iteration, trainer.Gaussians.Count, seconds,
            test.Count > 0 ? test.Average(v => v.Psnr) : null, test.Count > 0 ? test.Average(v => v.Ssim) : null, test)
        {
            StartIteration = startIteration,
            RunTrainingSeconds = double.IsNaN(trainer.TrainingSeconds) ? null : trainer.TrainingSeconds,
        };
        WriteMetrics(Path.Combine(outDir, "metrics.json"), summary, o.Iterations);
        return summary;
    }

    /// <summary>Writes the checkpoint only if every parameter is finite, so the one on disk is always the last good one.</summary>
    private static void SaveIfFinite(string checkpointPath, Trainer trainer, TrainingRunSettings settings, string outDir)
    {
        foreach (var (name, values, _) in trainer.Gaussians.Parameters())
            if (!float.IsFinite(System.Numerics.Tensors.TensorPrimitives.Sum(values)) && values.Any(v => !float.IsFinite(v)))
                throw new RadiantException(outDir, $"training diverged: {name} became non-finite at iteration {trainer.Iteration}; " +
                    $"the last good checkpoint is {(File.Exists(checkpointPath) ? checkpointPath : "not written yet")}");
        TrainingCheckpoint.Save(checkpointPath, trainer, settings);
    }

    /// <summary>
    /// Points from the dataset when it has them (COLMAP, nerfstudio ply), else random points around
    /// the cameras' look-at region, and the far shell when asked for (coloured from
    /// <paramref name="views"/>' photos when given, <see cref="FarShellColours"/>); in Morton order
    /// (<see cref="GaussianSet.SortSpatially"/>).
    /// </summary>
    public static GaussianSet Initialise(Dataset ds, TrainingRunSettings s, out string how, IReadOnlyList<TrainingView>? views = null)
    {
        PointCloud? shell = null;
        int shellSeen = 0;
        if (s.Options.FarShell > 0)
        {
            if (ds.HasAlpha)
                throw new RadiantException(ds.Root, "--far-shell is for opaque photos of surroundings; this dataset's images have transparency (what lies behind the object is a background colour, not far away)");
            var (centre, radius) = ds.CameraExtent();
            shell = GaussianInit.FarShell(s.Options.FarShell, centre, s.Options.FarShellRadius * radius);
            if (views is not null) shellSeen = FarShellColours.FromViews(shell, views);
        }
        GaussianSet g = Points(ds, s, shell, out how);
        if (shell is not null)
            how += $", and {shell.Count} on a sphere of radius {s.Options.FarShellRadius:0.##} × the cameras' extent about their centre (--far-shell" +
                   (views is null ? ")" : $"; {shellSeen} of them seen in the photos, coloured from them)");
        g.SortSpatially();
        if (s.Options.Strategy == DensityStrategy.Mcmc)
        {
            if (g.Count > s.Options.MaxGaussians)
                throw new RadiantException(ds.Root, $"--strategy mcmc never removes Gaussians, and the start has {g.Count:N0}, more than --max-gaussians {s.Options.MaxGaussians:N0} (raise it, or start from fewer with --init random:N)");
            McmcDensity.PrepareInitial(g);
            how += $", opacity {McmcDensity.InitialOpacity} and scales ×{McmcDensity.InitialScaleFactor} for MCMC";
        }
        return g;
    }

    private static GaussianSet Points(Dataset ds, TrainingRunSettings s, PointCloud? shell, out string how)
    {
        int shDegree = s.Options.ShDegree;
        // The start's points, with the far shell's when asked for (nearest-neighbour scales over both).
        GaussianSet FromCloud(PointCloud cloud) => GaussianInit.FromPointCloud(
            shell is null ? cloud : new PointCloud([.. cloud.Positions, .. shell.Positions], [.. cloud.Colors, .. shell.Colors]), shDegree);
        string init = s.Init.Trim().ToLowerInvariant();
        bool hasPoints = ds.Points is { Count: > 0 };
        if (init == "points" || (init == "auto" && hasPoints))
        {
            if (!hasPoints) throw new RadiantException(ds.Root, "--init points: this dataset has no point cloud (use --init random:N)");
            how = $"from {ds.Points!.Count} dataset points";
            return FromCloud(ds.Points!);
        }
        // 100k as the reference; MCMC, which never removes Gaussians, starts with no more than its cap.
        int count = ParseInit(s.Init) ?? (s.Options.Strategy == DensityStrategy.Mcmc ? Math.Min(100_000, s.Options.MaxGaussians) : 100_000);

        // The reference's NeRF-synthetic start is the cube [−1.3, 1.3]³ about the object, its cameras at
        // radius ~4.03. Here: a cube of 0.325 × the mean camera distance about the point the cameras
        // look at (half-size 1.31 there).
        IReadOnlyList<Camera> cameras = ds.Train.Count > 0 ? ds.Train : ds.AllCameras.ToList();
        int seed = (int)(s.Options.Seed & 0x7FFFFFFF);
        if (SceneFraming.NearestPointToAxes(cameras.Select(c => (c.Center, c.Rotation.Row(2))).ToList()) is Vec3 center)
        {
            double half = 0.325 * cameras.Average(c => (c.Center - center).Length);
            var h = new Vec3(half, half, half);
            if (!ds.HasAlpha)
            {
                // Opaque photos show surroundings too (ground, walls, sky), which a cube about the object
                // leaves to densification: half the points go into a cube of 3 × the cameras' extent about
                // them instead (gsplat's random start; the unbounded sample at 200², 7,000 iterations:
                // 29.13 against 19.29 dB; the sample composited over white, trained over white: 33.32
                // against 33.39 dB).
                int outer = count / 2;
                var (cameraCenter, radius) = Dataset.CameraExtent(cameras);
                var around = new Vec3(3 * radius, 3 * radius, 3 * radius);
                PointCloud inside = GaussianInit.RandomPointCloud(count - outer, center - h, center + h, seed);
                PointCloud outside = GaussianInit.RandomPointCloud(outer, cameraCenter - around, cameraCenter + around, seed + 1);
                how = $"{count - outer} random points in a cube of half-size {half:0.###} about the point the cameras look at and {outer} in a cube of half-size {3 * radius:0.###} about the cameras (the photos are opaque: their surroundings need Gaussians too)";
                return FromCloud(new PointCloud([.. inside.Positions, .. outside.Positions], [.. inside.Colors, .. outside.Colors]));
            }
            how = $"{count} random points in a cube of half-size {half:0.###}";
            return GaussianInit.Random(count, center - h, center + h, seed, shDegree);
        }
        // Cameras that look at no one point (forward-facing, LLFF): points in their views instead, between
        // the dataset's depth bounds where it gives them (LLFF's near and far), else bounds guessed from how
        // far apart the cameras are (a cube about the cameras would put every point behind them).
        var bounds = ForwardFacingBounds(cameras, out bool guessed);
        how = guessed
            ? $"{count} random points in the cameras' views at depths {bounds[0].Near:0.###} to {bounds[0].Far:0.###}, guessed from the spread of the forward-facing cameras, which give no depth bounds; a point cloud starts better"
            : $"{count} random points in the cameras' views between their near and far bounds";
        return FromCloud(GaussianInit.RandomInFrusta(count, cameras, bounds, seed));
    }

    /// <summary>
    /// Each camera's (near, far) when every camera has them, else one guess for all: from 2 to 50 times
    /// the cameras' RMS distance from their centroid (a forward-facing capture's cameras stand close
    /// together compared with the depth of what they see), 1 to 25 when they all stand in one place.
    /// </summary>
    private static (double Near, double Far)[] ForwardFacingBounds(IReadOnlyList<Camera> cameras, out bool guessed)
    {
        guessed = !cameras.All(c => c.Near > 0 && c.Far >= c.Near && double.IsFinite(c.Far!.Value));
        if (!guessed) return [.. cameras.Select(c => (c.Near!.Value, c.Far!.Value))];
        Vec3 centroid = cameras.Aggregate(Vec3.Zero, (sum, c) => sum + c.Center) * (1.0 / cameras.Count);
        double spread = Math.Sqrt(cameras.Average(c => (c.Center - centroid).Dot(c.Center - centroid)));
        if (!(spread > 1e-6)) spread = 0.5;
        return [.. cameras.Select(_ => (2 * spread, 50 * spread))];
    }

    /// <summary>Checks an --init value: "auto", "points" or "random[:N]"; returns N when given.</summary>
    public static int? ParseInit(string value)
    {
        string init = value.Trim().ToLowerInvariant();
        if (init is "auto" or "points" or "random") return null;
        string[] parts = init.Split(':');
        if (parts.Length == 2 && parts[0] == "random")
            return int.TryParse(parts[1], out int n) && n > 0 ? n : throw new RadiantException($"--init '{value}': N in random:N must be a positive integer");
        throw new RadiantException($"--init '{value}' is not auto, points or random:N");
    }

    private static void PrepareOutput(string outDir, bool resuming)
    {
        if (File.Exists(outDir)) throw new RadiantException(outDir, "output path is a file, not a folder");
        if (!resuming && Directory.Exists(outDir) && File.Exists(Path.Combine(outDir, TrainingCheckpoint.FileName)))
            throw new RadiantException(outDir, "already holds a training run (use --resume to continue it, or choose another --out)");
        try { Directory.CreateDirectory(outDir); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new RadiantException(outDir, $"cannot create the output folder: {e.Message}"); }
        // Before the data loads: a folder that cannot be written would otherwise fail at the first checkpoint.
        AtomicFile.EnsureFolderWritable(outDir);
    }

    /// <summary>The photo's own file name as PNG (r_12.png, DSC_0042.png), numbered if two photos share a name.</summary>
    public static string RenderFileName(Camera cam, HashSet<string> used)
    {
        string stem = string.Concat(Path.GetFileNameWithoutExtension(cam.ImagePath).Select(ch => char.IsLetterOrDigit(ch) || ch is '-' or '_' or '.' ? ch : '_'));
        string name = stem + ".png";
        for (int k = 2; !used.Add(name); k++) name = $"{stem}-{k}.png";
        return name;
    }

    /// <summary>
    /// cameras.json as the reference writes it: id, img_name, width, height, position, rotation
    /// (camera-to-world), fx, fy; plus cx and cy, which the reference leaves out because its cameras
    /// are centred, but a COLMAP capture's principal point usually is not.
    /// </summary>
    private static void WriteCameras(string path, Dataset ds)
    {
        var list = new JsonArray();
        int id = 0;
        foreach (Camera c in ds.Train.Concat(ds.Test))
        {
            Mat3 c2w = c.Rotation.Transposed();
            Vec3 p = c.Center;
            list.Add(new JsonObject
            {
                ["id"] = id++,
                ["img_name"] = c.Name,
                ["width"] = c.Width,
                ["height"] = c.Height,
                ["position"] = new JsonArray(p.X, p.Y, p.Z),
                ["rotation"] = new JsonArray(
                    new JsonArray(c2w.M00, c2w.M01, c2w.M02),
                    new JsonArray(c2w.M10, c2w.M11, c2w.M12),
                    new JsonArray(c2w.M20, c2w.M21, c2w.M22)),
                ["fx"] = c.Fx,
                ["fy"] = c.Fy,
                ["cx"] = c.Cx,
                ["cy"] = c.Cy,
                ["split"] = ds.Test.Contains(c) ? "test" : "train",
            });
        }
        WriteJson(path, list);
    }

    private static void WriteMetrics(string path, TrainingSummary s, int iterations)
    {
        var views = new JsonArray();
        foreach (var v in s.TestViews)
            views.Add(new JsonObject { ["name"] = v.Name, ["psnr"] = Math.Round(v.Psnr, 4), ["ssim"] = Math.Round(v.Ssim, 5) });
        var metrics = new JsonObject
        {
            ["iterations"] = iterations,
            ["gaussians"] = s.Gaussians,
            // Over every session of a resumed run (this session's alone when its checkpoint did not record the earlier ones).
            ["training_seconds"] = Math.Round(s.RunTrainingSeconds ?? s.TrainingSeconds, 2),
        };
        if (s.StartIteration > 0)
        {
            metrics["resumed_at_iteration"] = s.StartIteration;
            metrics["session_training_seconds"] = Math.Round(s.TrainingSeconds, 2);
        }
        metrics["test"] = new JsonObject
        {
            ["psnr"] = s.TestPsnr is { } p ? Math.Round(p, 4) : null,
            ["ssim"] = s.TestSsim is { } q ? Math.Round(q, 5) : null,
            ["views"] = views,
        };
        WriteJson(path, metrics);
    }

    /// <summary>
    /// exposure.json: each training view's learned colour correction (<see cref="ExposureCorrection"/>),
    /// C′ = clamp(matrix·C + offset, 0, 1), by view name: how the run saw each photo's exposure and
    /// white balance (a photo far from the others stands out).
    /// </summary>
    private static void WriteExposure(string path, ExposureCorrection exposure, TrainingView[] views)
    {
        var list = new JsonArray();
        for (int i = 0; i < views.Length; i++)
        {
            float[] v = exposure.Values[(i * ExposureCorrection.Floats)..((i + 1) * ExposureCorrection.Floats)];
            JsonArray Row(int r) => [v[3 * r], v[3 * r + 1], v[3 * r + 2]];
            list.Add(new JsonObject
            {
                ["name"] = views[i].Camera.Name,
                ["matrix"] = new JsonArray(Row(0), Row(1), Row(2)),
                ["offset"] = new JsonArray(v[9], v[10], v[11]),
            });
        }
        WriteJson(path, new JsonObject { ["views"] = list });
    }

    /// <summary>
    /// poses.json: each training view's learned pose correction (<see cref="PoseCorrection"/>) by view
    /// name: its rotation in degrees, its translation in scene units, and the corrected world-to-camera
    /// matrix [R | t] (OpenCV axes, as COLMAP's), which a later run or another tool can take as the pose.
    /// </summary>
    private static void WritePoses(string path, PoseCorrection poses, TrainingView[] views)
    {
        var list = new JsonArray();
        for (int i = 0; i < views.Length; i++)
        {
            var (omega, tau) = poses.Correction(i);
            var (r, t) = poses.Pose(i);
            JsonArray Row(int row) => [r[row, 0], r[row, 1], r[row, 2], t[row]];
            list.Add(new JsonObject
            {
                ["name"] = views[i].Camera.Name,
                ["rotation_degrees"] = omega.Length * 180 / Math.PI,
                ["translation"] = (tau * poses.TranslationScale).Length,
                ["world_to_camera"] = new JsonArray(Row(0), Row(1), Row(2)),
            });
        }
        WriteJson(path, new JsonObject { ["views"] = list });
    }

    private static void WriteJson(string path, JsonNode node) =>
        AtomicFile.WriteAllText(path, node.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
}
