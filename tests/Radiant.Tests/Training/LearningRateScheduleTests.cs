using Radiant.Training;

namespace Radiant.Tests.Training;

public class LearningRateScheduleTests
{
    [Fact]
    public void Endpoints_and_log_linear_midpoint()
    {
        var s = new LearningRateSchedule(1e-2, 1e-4, 1000);
        Assert.Equal(1e-2, s.At(0), 15);
        Assert.Equal(1e-4, s.At(1000), 15);
        Assert.Equal(1e-3, s.At(500), 15);                 // geometric mean
        Assert.Equal(1e-2 * Math.Pow(1e-2, 0.25), s.At(250), 15);
        Assert.Equal(1e-4, s.At(5000), 15);                // held after max steps
        Assert.Equal(0, s.At(-1));
        for (int t = 1; t <= 1000; t++) Assert.True(s.At(t) < s.At(t - 1));
    }

    [Fact]
    public void Position_schedule_scales_with_the_scene_extent()
    {
        var s = LearningRateSchedule.Positions(sceneExtent: 4.5);
        Assert.Equal(1.6e-4 * 4.5, s.At(0), 12);
        Assert.Equal(1.6e-6 * 4.5, s.At(30_000), 12);
        Assert.Equal(1.6e-5 * 4.5, s.At(15_000), 12);
    }

    [Fact]
    public void Delay_multiplier_warms_up_along_a_quarter_sine()
    {
        var s = new LearningRateSchedule(1e-2, 1e-2, 1000, delaySteps: 100, delayMultiplier: 0.01);
        Assert.Equal(1e-4, s.At(0), 15);
        Assert.Equal(1e-2 * (0.01 + 0.99 * Math.Sin(Math.PI / 4)), s.At(50), 15);
        Assert.Equal(1e-2, s.At(100), 15);
        Assert.Equal(1e-2, s.At(700), 15);
    }

    [Fact]
    public void Zero_rates_and_invalid_arguments()
    {
        Assert.Equal(0, new LearningRateSchedule(0, 0, 10).At(3));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LearningRateSchedule(1e-3, 0, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LearningRateSchedule(1e-3, 1e-4, 0));
    }
}
