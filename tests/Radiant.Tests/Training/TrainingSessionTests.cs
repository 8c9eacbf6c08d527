using Radiant.Sample;
using Radiant.Tests.Support;
using Radiant.Training;
using Xunit.Abstractions;

namespace Radiant.Tests.Training;

/// <summary>Whole training runs on small sample scenes: quality, determinism, resume, outputs, failures.</summary>
public class TrainingSessionTests(ITestOutputHelper output)
{
    private static string SmallScene(TempDir dir, int size, int train, int test)
    {
        string path = dir.File("scene");
        SampleScene.Write(path, new SampleSceneOptions { Width = size, Height = size, TrainViews = train, TestViews = test, ValViews = 0, SamplesPerAxis = 2 });
        return path;
    }

    private static TrainingRunSettings Settings(string data, int iterations, string init = "random:3000", int checkpointEvery = 0) => new()
    {
        DataPath = data,
        Init = init,
        CheckpointEvery = checkpointEvery,
        Options = new TrainingOptions
        {
            Iterations = iterations,
            Seed = 7,
            // Densification and opacity resets early and often, so short runs exercise them.
            DensifyFrom = 20,
            DensifyInterval = 20,
            DensifyUntil = iterations - 10,
            OpacityResetInterval = 50,
            ShIncreaseInterval = 15,
        },
    };

    /// <summary>The quality runs' 80×80 sample scene, written into <paramref name="dir"/>, and their compressed 2,000-iteration schedule.</summary>
    private static TrainingRunSettings QualityRun(TempDir dir, string init, double exposureJitter = 0, double poseJitter = 0)
    {
        string scene = dir.File("scene");
        SampleScene.Write(scene, new SampleSceneOptions { Width = 80, Height = 80, TrainViews = 40, TestViews = 8, ValViews = 0, ExposureJitter = exposureJitter, PoseJitter = poseJitter });
        return new TrainingRunSettings
        {
            DataPath = scene,
            Init = init,
            CheckpointEvery = 0,
            Options = QualitySchedule.Options,
        };
    }

    /// <summary>
    /// Trains on an 80×80 sample scene with the reference recipe on a compressed schedule and
    /// requires a test PSNR that a trainer with a broken gradient, optimiser or density control
    /// cannot reach.
    /// </summary>
    [Fact]
    public void Training_on_the_sample_scene_reaches_the_measured_quality()
    {
        using var dir = new TempDir("train");
        TrainingRunSettings settings = QualityRun(dir, "random:20000");
        TrainingSummary trained = TrainingSession.Run(settings, dir.File("run"), new QuietObserver());
        TrainingSummary untrained = TrainingSession.Run(settings with { Options = settings.Options with { Iterations = 1 } }, dir.File("untrained"), new QuietObserver());
        output.WriteLine($"test PSNR after 2000 iterations {trained.TestPsnr:0.00} dB (SSIM {trained.TestSsim:0.0000}, {trained.Gaussians} Gaussians, {trained.TrainingSeconds:0.0} s); untrained {untrained.TestPsnr:0.00} dB");
        Assert.True(trained.TestPsnr > untrained.TestPsnr + 10, "training gained less than 10 dB");
        // Measured on this machine: 29.25 dB (29.28 before the grey random start and with screen-size
        // pruning on; 26.2–26.4 before the random start was centred on the point the cameras look at). With density control off the same run reaches 26.0 dB,
        // untrained 7.1 dB. Frozen positions still reach 28.6 dB (the start now fills the object's
        // region and splits sample new positions): a wrong position gradient is for the
        // finite-difference tests to catch.
        Assert.True(trained.TestPsnr > 27.5, $"test PSNR {trained.TestPsnr:0.00} dB is below the measured level (29.3 dB)");
        Assert.True(trained.TestSsim > 0.9);
    }

    /// <summary>
    /// The same scene and schedule with MCMC density control, from 8,000 Gaussians grown to a cap of
    /// 20,000 (near the count the run above ends with). Measured: 28.20 dB (27.92 before the dead test
    /// and the draws went by the opacity as rendered); with refinement off (8,000 Gaussians
    /// throughout) 25.12 dB. Copies that keep their source's full opacity and scale, or noise 1,000
    /// times too strong, still gave 27.93 and 27.90 dB on this scene (before that change): those
    /// parts are checked in <see cref="McmcDensityTests"/>.
    /// </summary>
    [Fact]
    public void Mcmc_training_on_the_sample_scene_reaches_the_measured_quality()
    {
        using var dir = new TempDir("train");
        TrainingRunSettings settings = QualityRun(dir, "random:8000");
        settings = settings with { Options = settings.Options with { Strategy = DensityStrategy.Mcmc, MaxGaussians = 20_000 } };
        TrainingSummary trained = TrainingSession.Run(settings, dir.File("run"), new QuietObserver());
        output.WriteLine($"MCMC: test PSNR after 2000 iterations {trained.TestPsnr:0.00} dB (SSIM {trained.TestSsim:0.0000}, {trained.Gaussians} Gaussians, {trained.TrainingSeconds:0.0} s)");
        Assert.Equal(20_000, trained.Gaussians);
        Assert.True(trained.TestPsnr > 27.0, $"test PSNR {trained.TestPsnr:0.00} dB is below the measured level (28.2 dB)");
        Assert.True(trained.TestSsim > 0.95);
    }

    [Fact]
    public void Resumed_run_ends_bit_identical_to_an_uninterrupted_one()
    {
        using var dir = new TempDir("train");
        string scene = SmallScene(dir, 32, 8, 2);

        TrainingRunSettings s = Settings(scene, 80);
        TrainingSession.Run(s, dir.File("full"), new QuietObserver());

        using var cancel = new CancellationTokenSource();
        var stopper = new QuietObserver(step => { if (step.Iteration == 45) cancel.Cancel(); });
        Assert.Throws<OperationCanceledException>(() => TrainingSession.Run(s, dir.File("split"), stopper, cancel: cancel.Token));
        Assert.Contains(stopper.Messages, m => m.Contains("stopped at iteration 45"));
        Assert.False(File.Exists(dir.File("split", "point_cloud.ply")));
        var (stopped, _) = TrainingCheckpoint.Open(dir.File("split", TrainingCheckpoint.FileName));
        double firstSession = stopped.GetDouble("training_seconds");
        Assert.True(firstSession > 0);
        TrainingSummary resumed = TrainingSession.Run(s, dir.File("split"), new QuietObserver(), resumeCheckpoint: dir.File("split", TrainingCheckpoint.FileName));
        // The run's training time is both sessions', in the summary and metrics.json; the resumed session's alone is kept beside it.
        Assert.Equal(45, resumed.StartIteration);
        Assert.Equal(firstSession + resumed.TrainingSeconds, resumed.RunTrainingSeconds!.Value, 6);
        var metrics = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(dir.File("split", "metrics.json")))!;
        Assert.Equal(Math.Round(resumed.RunTrainingSeconds.Value, 2), (double)metrics["training_seconds"]!);
        Assert.Equal(Math.Round(resumed.TrainingSeconds, 2), (double)metrics["session_training_seconds"]!);
        Assert.Equal(45, (int)metrics["resumed_at_iteration"]!);

        byte[] a = File.ReadAllBytes(dir.File("full", "point_cloud.ply"));
        byte[] b = File.ReadAllBytes(dir.File("split", "point_cloud.ply"));
        Assert.True(a.AsSpan().SequenceEqual(b), $"resumed model differs from the uninterrupted one ({a.Length} vs {b.Length} bytes)");
    }

    [Fact]
    public void Mcmc_run_grows_to_its_cap_and_a_resumed_one_ends_bit_identical()
    {
        using var dir = new TempDir("train");
        string scene = SmallScene(dir, 32, 8, 2);
        // 3,000 Gaussians grow by 5 % at iterations 40 and 60 (3,150, then the cap 3,300); noise and
        // regularisers every step; a checkpoint between the two refinements.
        TrainingRunSettings s = Settings(scene, 80);
        s = s with { Options = s.Options with { Strategy = DensityStrategy.Mcmc, MaxGaussians = 3_300, DensifyUntil = 70 } };
        TrainingSummary full = TrainingSession.Run(s, dir.File("full"), new QuietObserver());
        Assert.Equal(3_300, full.Gaussians);

        using var cancel = new CancellationTokenSource();
        var stopper = new QuietObserver(step => { if (step.Iteration == 50) cancel.Cancel(); });
        Assert.Throws<OperationCanceledException>(() => TrainingSession.Run(s, dir.File("split"), stopper, cancel: cancel.Token));
        TrainingSession.Run(s, dir.File("split"), new QuietObserver(), resumeCheckpoint: dir.File("split", TrainingCheckpoint.FileName));
        byte[] a = File.ReadAllBytes(dir.File("full", "point_cloud.ply"));
        byte[] b = File.ReadAllBytes(dir.File("split", "point_cloud.ply"));
        Assert.True(a.AsSpan().SequenceEqual(b), "the resumed MCMC run differs from the uninterrupted one");

        // The noise is part of the run: without it the model differs.
        TrainingSession.Run(s with { Options = s.Options with { NoiseLr = 0 } }, dir.File("quiet"), new QuietObserver());
        Assert.False(a.AsSpan().SequenceEqual(File.ReadAllBytes(dir.File("quiet", "point_cloud.ply"))));
    }

    /// <summary>
    /// Training photos whose exposure and white balance differ (the sample with exposure jitter 0.2),
    /// test views in the true colours: with a correction per photo the model keeps the true colours.
    /// Measured: 28.73 dB with correction, 28.00 dB without (on the sample without jitter the same
    /// run reaches 29.25 dB).
    /// </summary>
    [Fact]
    public void Exposure_correction_keeps_the_true_colours_of_photos_with_varying_exposure()
    {
        using var dir = new TempDir("train");
        TrainingRunSettings settings = QualityRun(dir, "random:20000", exposureJitter: 0.2);
        TrainingSummary plain = TrainingSession.Run(settings, dir.File("plain"), new QuietObserver());
        TrainingSummary corrected = TrainingSession.Run(settings with { Options = settings.Options with { Exposure = true } }, dir.File("exposure"), new QuietObserver());
        output.WriteLine($"jittered photos: test PSNR {plain.TestPsnr:0.00} dB without correction, {corrected.TestPsnr:0.00} dB with (SSIM {plain.TestSsim:0.0000}, {corrected.TestSsim:0.0000})");
        Assert.True(corrected.TestPsnr > plain.TestPsnr + 0.35, $"{corrected.TestPsnr:0.00} dB with correction against {plain.TestPsnr:0.00} without");
    }

    [Fact]
    public void Exposure_corrections_are_checkpointed_and_a_resumed_run_ends_bit_identical()
    {
        var views = PerViewCorrectionRun(o => o with { Exposure = true }, o => o with { Exposure = false }, "exposure", ExposureCorrection.Floats, "exposure.json",
            values => Assert.Contains(values, v => v != 0 && v != 1));
        Assert.All(views, v => Assert.Equal(3, v!["matrix"]!.AsArray().Count));
        Assert.Contains(views, v => Math.Abs((double)v!["matrix"]![0]![0]! - 1) > 1e-4 || Math.Abs((double)v!["offset"]![0]!) > 1e-4);
    }

    /// <summary>
    /// A run with a per-view correction (<paramref name="enable"/>) on an 80-iteration run of 8 views:
    /// stopped at iteration 45, its checkpoint holds one step per iteration and values that moved
    /// (<paramref name="moved"/>); resumed, it ends bit-identical to the uninterrupted run; with the
    /// correction off (<paramref name="disable"/>) the model differs and <paramref name="json"/> is not
    /// written. Returns the uninterrupted run's <paramref name="json"/> views (8, one per name).
    /// </summary>
    private static System.Text.Json.Nodes.JsonArray PerViewCorrectionRun(Func<TrainingOptions, TrainingOptions> enable, Func<TrainingOptions, TrainingOptions> disable,
        string section, int floatsPerView, string json, Action<float[]> moved)
    {
        using var dir = new TempDir("train");
        string scene = SmallScene(dir, 32, 8, 2);
        TrainingRunSettings s = Settings(scene, 80);
        s = s with { Options = enable(s.Options) };
        TrainingSession.Run(s, dir.File("full"), new QuietObserver());
        using var cancel = new CancellationTokenSource();
        var stopper = new QuietObserver(step => { if (step.Iteration == 45) cancel.Cancel(); });
        Assert.Throws<OperationCanceledException>(() => TrainingSession.Run(s, dir.File("split"), stopper, cancel: cancel.Token));
        var (checkpoint, _) = TrainingCheckpoint.Open(dir.File("split", TrainingCheckpoint.FileName));
        Assert.Equal(45, checkpoint.GetInts($"{section}/steps").Sum());   // one step per iteration, on the view trained
        moved(checkpoint.GetFloats($"{section}/values", floatsPerView * 8));
        TrainingSession.Run(s, dir.File("split"), new QuietObserver(), resumeCheckpoint: dir.File("split", TrainingCheckpoint.FileName));
        byte[] a = File.ReadAllBytes(dir.File("full", "point_cloud.ply"));
        Assert.True(a.AsSpan().SequenceEqual(File.ReadAllBytes(dir.File("split", "point_cloud.ply"))), "the resumed run differs from the uninterrupted one");
        // The JSON lists each training view's correction by name.
        var views = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(dir.File("full", json)))!["views"]!.AsArray();
        Assert.Equal(8, views.Count);
        Assert.Equal(8, views.Select(v => (string)v!["name"]!).Distinct().Count());
        // The corrections take part: without them the model differs.
        TrainingSession.Run(s with { Options = disable(s.Options) }, dir.File("plain"), new QuietObserver());
        Assert.False(a.AsSpan().SequenceEqual(File.ReadAllBytes(dir.File("plain", "point_cloud.ply"))));
        Assert.False(File.Exists(dir.File("plain", json)));
        return views;
    }

    /// <summary>
    /// Training poses off by a random rigid motion (the sample with pose jitter 1°: images from the
    /// true poses), test views exact: with a pose correction per view the model is sharper.
    /// Measured: 20.93 dB with correction, 18.28 dB without (the same run on exact poses: 29.25 dB;
    /// each view's correction has had only 50 steps by the end).
    /// </summary>
    [Fact]
    public void Pose_correction_recovers_from_training_poses_that_are_slightly_off()
    {
        using var dir = new TempDir("train");
        TrainingRunSettings settings = QualityRun(dir, "random:20000", poseJitter: 1);
        TrainingSummary plain = TrainingSession.Run(settings, dir.File("plain"), new QuietObserver());
        TrainingSummary corrected = TrainingSession.Run(settings with { Options = settings.Options with { PoseOpt = true } }, dir.File("poses"), new QuietObserver());
        output.WriteLine($"jittered poses: test PSNR {plain.TestPsnr:0.00} dB without correction, {corrected.TestPsnr:0.00} dB with (SSIM {plain.TestSsim:0.0000}, {corrected.TestSsim:0.0000})");
        Assert.True(corrected.TestPsnr > plain.TestPsnr + 1.5, $"{corrected.TestPsnr:0.00} dB with correction against {plain.TestPsnr:0.00} without");
    }

    [Fact]
    public void Pose_corrections_are_checkpointed_and_a_resumed_run_ends_bit_identical()
    {
        var views = PerViewCorrectionRun(o => o with { PoseOpt = true }, o => o with { PoseOpt = false }, "poses", PoseCorrection.Floats, "poses.json",
            values => Assert.Contains(values, v => v != 0));
        Assert.All(views, v => Assert.Equal(3, v!["world_to_camera"]!.AsArray().Count));
        Assert.Contains(views, v => (double)v!["rotation_degrees"]! > 0);
    }

    [Fact]
    public void Time_the_viewer_held_training_paused_is_not_training_time()
    {
        using var dir = new TempDir("train");
        string scene = SmallScene(dir, 24, 6, 2);
        TrainingRunSettings s = Settings(scene, 30);
        var pause = TimeSpan.FromSeconds(3);
        var holder = new QuietObserver(hold: t =>
        {
            if (t.Iteration != 10) return TimeSpan.Zero;
            Thread.Sleep(pause);
            return pause;
        });
        var wall = System.Diagnostics.Stopwatch.StartNew();
        TrainingSummary held = TrainingSession.Run(s, dir.File("held"), holder);
        output.WriteLine($"training time with a {pause.TotalSeconds} s hold: {held.TrainingSeconds:0.00} s (the whole run {wall.Elapsed.TotalSeconds:0.0} s)");
        // The run's wall time is loading + training + the hold + evaluation: training time leaves the hold out.
        double outsideHold = wall.Elapsed.TotalSeconds - pause.TotalSeconds;
        Assert.True(held.TrainingSeconds < outsideHold + 0.25, $"the hold was counted as training time: {held.TrainingSeconds:0.00} s of a {wall.Elapsed.TotalSeconds:0.00} s run");
    }

    [Fact]
    public void Settings_json_spells_the_2D_filter_key_and_reads_older_runs_spelling()
    {
        var settings = new TrainingRunSettings { DataPath = "scene", Options = new TrainingOptions { MipFilter2D = true } };
        string json = System.Text.Json.JsonSerializer.Serialize(settings, TrainingRunSettings.Json);
        Assert.Contains("\"mip_filter_2d\": true", json);
        Assert.DoesNotContain("mip_filter2_d", json);
        // Runs and checkpoints written before the key was renamed.
        string older = json.Replace("\"mip_filter_2d\"", "\"mip_filter2_d\"");
        Assert.True(System.Text.Json.JsonSerializer.Deserialize<TrainingRunSettings>(older, TrainingRunSettings.Json)!.Options.MipFilter2D);
        Assert.True(System.Text.Json.JsonSerializer.Deserialize<TrainingRunSettings>(json, TrainingRunSettings.Json)!.Options.MipFilter2D);
    }

    [Fact]
    public void A_checkpoint_from_before_supersampling_resumes_without_it()
    {
        using var dir = new TempDir("ckpt");
        string json = System.Text.Json.JsonSerializer.Serialize(new TrainingRunSettings { DataPath = "scene", Options = new TrainingOptions() }, TrainingRunSettings.Json);
        Assert.Contains("\"supersample_levels\": true,", json);
        foreach (var (name, settings, supersampled) in new[] { ("now", json, true), ("older", json.Replace("\"supersample_levels\": true,", ""), false) })
        {
            string path = dir.File(name + ".ckpt");
            new CheckpointWriter().Add("settings", settings).Save(path);
            Assert.Equal(supersampled, TrainingCheckpoint.Open(path, arrays: false).Settings.Options.SupersampleLevels);
        }
    }

    [Fact]
    public void Same_seed_same_result_and_another_seed_differs()
    {
        using var dir = new TempDir("train");
        string scene = SmallScene(dir, 24, 6, 2);
        TrainingRunSettings s = Settings(scene, 40);
        TrainingSession.Run(s, dir.File("a"), new QuietObserver());
        TrainingSession.Run(s, dir.File("b"), new QuietObserver());
        TrainingSession.Run(s with { Options = s.Options with { Seed = 8 } }, dir.File("c"), new QuietObserver());
        byte[] a = File.ReadAllBytes(dir.File("a", "point_cloud.ply"));
        Assert.True(a.AsSpan().SequenceEqual(File.ReadAllBytes(dir.File("b", "point_cloud.ply"))), "same seed gave different models");
        Assert.False(a.AsSpan().SequenceEqual(File.ReadAllBytes(dir.File("c", "point_cloud.ply"))), "another seed gave the same model");
    }

    [Fact]
    public void Existing_run_is_not_overwritten_and_resume_needs_a_checkpoint()
    {
        using var dir = new TempDir("train");
        string scene = SmallScene(dir, 16, 4, 1);
        TrainingSession.Run(Settings(scene, 5), dir.File("run"), new QuietObserver());
        byte[] before = File.ReadAllBytes(dir.File("run", "point_cloud.ply"));
        var e = Assert.Throws<RadiantException>(() => TrainingSession.Run(Settings(scene, 5), dir.File("run"), new QuietObserver()));
        Assert.Contains("already holds a training run", e.Message);
        Assert.Equal(before, File.ReadAllBytes(dir.File("run", "point_cloud.ply")));

        File.WriteAllText(dir.File("afile"), "x");
        var f = Assert.Throws<RadiantException>(() => TrainingSession.Run(Settings(scene, 5), dir.File("afile"), new QuietObserver()));
        Assert.Contains("is a file", f.Message);
    }

    [Fact]
    public void Diverging_run_names_the_iteration_and_keeps_the_last_checkpoint()
    {
        using var dir = new TempDir("train");
        string scene = SmallScene(dir, 16, 4, 1);
        TrainingRunSettings s = Settings(scene, 30, checkpointEvery: 1);
        // A colour learning rate of 1e30 gives colours of ~1e30 after one step, whose squares overflow in SSIM at the next.
        var exploding = s with { Options = s.Options with { ShDcLr = 1e30, Densify = false } };
        var e = Assert.Throws<RadiantException>(() => TrainingSession.Run(exploding, dir.File("run"), new QuietObserver()));
        output.WriteLine(e.Message);
        var m = System.Text.RegularExpressions.Regex.Match(e.Message, "training diverged: .* at iteration ([0-9]+)");
        Assert.True(m.Success, e.Message);
        int failed = int.Parse(m.Groups[1].Value);
        Assert.True(failed > 1, "the first step cannot diverge: the model starts finite");

        // The checkpoint on disk is the last good one: it loads and is at the iteration before.
        string ckpt = dir.File("run", TrainingCheckpoint.FileName);
        Assert.Contains(ckpt, e.Message);
        var (reader, _) = TrainingCheckpoint.Open(ckpt);
        Assert.Equal(failed - 1, reader.GetInt("iteration"));
        Assert.All(TrainingCheckpoint.ReadModel(reader).Sh, v => Assert.True(float.IsFinite(v)));
    }
}
