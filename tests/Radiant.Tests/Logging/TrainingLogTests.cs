using System.Text.Json.Nodes;
using Radiant.Logging;
using Radiant.Sample;
using Radiant.Tests.Support;
using Radiant.Training;

namespace Radiant.Tests.Logging;

/// <summary>What a short training run writes to metrics.jsonl and its event file, and that a resumed run's log equals an uninterrupted one's.</summary>
public class TrainingLogTests
{
    private static TrainingRunSettings Settings(string data) => new()
    {
        DataPath = data,
        Init = "random:2000",
        CheckpointEvery = 0,
        EvalEvery = 20,
        LogEvery = 10,
        Options = new TrainingOptions
        {
            Iterations = 50,
            Seed = 3,
            DensifyFrom = 20,
            DensifyInterval = 20,
            DensifyUntil = 40,
            OpacityResetInterval = 30,
            ShIncreaseInterval = 15,
        },
    };

    private static string Scene(TempDir dir)
    {
        string path = dir.File("scene");
        SampleScene.Write(path, new SampleSceneOptions { Width = 24, Height = 24, TrainViews = 6, TestViews = 2, ValViews = 0, SamplesPerAxis = 1 });
        return path;
    }

    [Fact]
    public void A_run_logs_every_tenth_iteration_with_test_metrics_where_it_evaluated()
    {
        using var dir = new TempDir("trainlog");
        var seen = new List<int>();
        var observer = new LoggedObserver(seen);
        TrainingSession.Run(Settings(Scene(dir)), dir.File("run"), observer);

        string[] lines = File.ReadAllLines(dir.File("run", MetricsLog.FileName));
        int[] expected = [1, 10, 20, 30, 40, 50];
        Assert.Equal(expected.Length, lines.Length);
        Assert.Equal(expected, seen); // the in-process feed saw every line
        for (int i = 0; i < lines.Length; i++)
        {
            JsonObject o = JsonNode.Parse(lines[i])!.AsObject();
            Assert.Equal(expected[i], (int)o["iteration"]!);
            foreach (string field in new[] { "loss", "l1", "ssim", "train_psnr", "gaussians", "lr_means", "elapsed_s", "it_per_s" })
                Assert.True(o[field] is JsonValue, $"line {i + 1} lacks {field}: {lines[i]}");
            Assert.InRange((double)o["loss"]!, 0, 1);
            Assert.InRange((double)o["train_psnr"]!, 3, 60);
            // Evaluated every 20 iterations and at the end (50).
            bool tested = expected[i] is 20 or 40 or 50;
            Assert.Equal(tested, o.ContainsKey("test_psnr"));
            Assert.Equal(tested, o.ContainsKey("test_ssim"));
        }

        // The event file holds the same scalars and one test render per evaluation.
        string events = Assert.Single(EventFileReader.FilesIn(dir.File("run")));
        EventFile f = EventFileReader.Read(events);
        Assert.Null(f.Incomplete);
        Assert.Equal("brain.Event:2", f.Events[0].FileVersion);
        var losses = f.Events.SelectMany(e => e.Values.Where(v => v.Tag == TrainingLog.LossTag).Select(v => (e.Step, v.Scalar!.Value))).ToList();
        Assert.Equal(expected.Select(i => (long)i), losses.Select(l => l.Step));
        Assert.Equal((float)(double)JsonNode.Parse(lines[^1])!["loss"]!, losses[^1].Value);
        var renders = f.Events.Where(e => e.Values.Any(v => v.Image is not null)).ToList();
        Assert.Equal([20L, 40L, 50L], renders.Select(e => e.Step));
        Assert.Equal(24, renders[0].Values[0].Image!.Width);

        // Both sources give the plot the same records (event files carry no elapsed time).
        var fromJsonl = RunMetrics.Load(dir.File("run")).Records;
        File.Delete(dir.File("run", MetricsLog.FileName));
        var fromEvents = RunMetrics.Load(dir.File("run")).Records;
        Assert.Equal(fromJsonl.Select(r => (r.Iteration, (float)r.Loss, (float)r.TrainPsnr, r.Gaussians, (float?)r.TestPsnr)),
                     fromEvents.Select(r => (r.Iteration, (float)r.Loss, (float)r.TrainPsnr, r.Gaussians, (float?)r.TestPsnr)));
    }

    [Fact]
    public void Resumed_run_logs_the_same_lines_as_an_uninterrupted_one()
    {
        using var dir = new TempDir("trainlog");
        TrainingRunSettings s = Settings(Scene(dir));
        TrainingSession.Run(s, dir.File("full"), new QuietObserver());
        string[] full = File.ReadAllLines(dir.File("full", MetricsLog.FileName));

        using var cancel = new CancellationTokenSource();
        var stopper = new QuietObserver(step => { if (step.Iteration == 25) cancel.Cancel(); });
        Assert.Throws<OperationCanceledException>(() => TrainingSession.Run(s, dir.File("split"), stopper, cancel: cancel.Token));
        string splitLog = dir.File("split", MetricsLog.FileName);
        Assert.Equal(3, File.ReadAllLines(splitLog).Length); // 1, 10, 20

        // As if the run had gone on past its checkpoint (at 25) and died at 40: the resumed run drops those lines.
        File.AppendAllLines(splitLog, full.Where(l => (int)JsonNode.Parse(l)!["iteration"]! is 30 or 40));
        TrainingSession.Run(s, dir.File("split"), new QuietObserver(), resumeCheckpoint: dir.File("split", TrainingCheckpoint.FileName));
        string[] split = File.ReadAllLines(splitLog);

        Assert.Equal(full.Length, split.Length);
        for (int i = 0; i < full.Length; i++)
            Assert.Equal(WithoutTiming(full[i]), WithoutTiming(split[i]));
        // Elapsed time continues from the checkpoint's line rather than restarting.
        Assert.True((double)JsonNode.Parse(split[^1])!["elapsed_s"]! >= (double)JsonNode.Parse(split[2])!["elapsed_s"]!);
        // One event file per session; the second starts after the checkpoint.
        Assert.Equal(2, EventFileReader.FilesIn(dir.File("split")).Count);
    }

    private static string WithoutTiming(string line)
    {
        JsonObject o = JsonNode.Parse(line)!.AsObject();
        foreach (string f in MetricsRecord.TimingFields) Assert.True(o.Remove(f), $"no {f} in {line}");
        return o.ToJsonString();
    }

    private sealed class LoggedObserver(List<int> seen) : ITrainingObserver
    {
        public IProgress<(int Done, int Total)> Phase(string name) => new Progress<(int, int)>();
        public void Message(string text) { }
        public void Step(TrainingStep step, double trainPsnr, double iterationsPerSecond) { }
        public void Logged(MetricsRecord record) => seen.Add(record.Iteration);
    }
}
