using Radiant.Sample;
using Radiant.Tests.Support;
using Radiant.Tests.Viewer;
using Radiant.Training;

namespace Radiant.Tests.Cli;

/// <summary>Stopping a run from outside: SIGTERM (`kill`, `timeout`, `docker stop`) saves the checkpoint as Ctrl+C does.</summary>
public class CliSignalTests
{
    [Fact]
    public void Sigterm_stops_training_with_a_checkpoint_to_resume_from()
    {
        using var dir = new TempDir("sigterm");
        string data = dir.File("data"), run = dir.File("run");
        SampleScene.Write(data, new SampleSceneOptions { TrainViews = 8, TestViews = 2, ValViews = 0, Width = 48, Height = 48, SamplesPerAxis = 2 });
        using var train = ViewerProcess.StartRadiant("train", data, "--out", run, "--iterations", "1000000", "--init", "random:2000");
        train.WaitForLine("iter ");
        train.Terminate();
        Assert.Equal(130, train.WaitForExit(60_000));
        Assert.Contains("stopped at iteration", train.Log);
        Assert.DoesNotContain("cancelled", train.Log);
        Assert.True(File.Exists(Path.Combine(run, TrainingCheckpoint.FileName)), $"no checkpoint; output:\n{train.Log}");
    }
}
