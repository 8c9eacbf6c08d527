using Radiant.Tests.Support;
using Radiant.Training;

namespace Radiant.Tests.Training;

public class PerViewAdamTests
{
    [Fact]
    public void Checkpointed_state_comes_back_whole_and_another_view_count_is_one_clear_error()
    {
        using var dir = new TempDir("per-view-adam");
        var state = new PerViewAdam(views: 4, floatsPerView: 6);
        var rng = new Random(2);
        for (int step = 0; step < 5; step++)
            state.Step(rng.Next(4), Enumerable.Range(0, 6).Select(_ => rng.NextDouble() - 0.5).ToArray(), 1e-3);
        string path = dir.File("state.ckpt");
        var writer = new CheckpointWriter();
        state.Save(writer, "poses");
        writer.Save(path);

        var same = new PerViewAdam(4, 6);
        same.Restore(CheckpointReader.Load(path), "poses", "pose corrections");
        Assert.Equal(state.Values, same.Values);
        Assert.Equal(state.FirstMoment, same.FirstMoment);
        Assert.Equal(state.SecondMoment, same.SecondMoment);
        Assert.Equal(state.Steps, same.Steps);
        Assert.Equal(5, same.Steps.Sum());

        var fewer = new PerViewAdam(3, 6);
        var e = Assert.Throws<RadiantException>(() => fewer.Restore(CheckpointReader.Load(path), "poses", "pose corrections"));
        Assert.Contains("pose corrections for 4 views, the dataset 3", e.Message);
        Assert.Contains("state.ckpt", e.Message);
        Assert.All(fewer.Values, v => Assert.Equal(0f, v));
    }
}
