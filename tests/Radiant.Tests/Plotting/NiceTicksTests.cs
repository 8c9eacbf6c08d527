using Radiant.Plotting;

namespace Radiant.Tests.Plotting;

public class NiceTicksTests
{
    [Theory]
    [InlineData(0.013, true, 0.01)]
    [InlineData(1.6, true, 2)]
    [InlineData(2.9, true, 2)]
    [InlineData(3.1, true, 5)]
    [InlineData(7.2, true, 10)]
    [InlineData(4960, true, 5000)]
    [InlineData(1.01, false, 2)]
    [InlineData(2.2, false, 5)]
    [InlineData(5, false, 5)]
    [InlineData(5.5, false, 10)]
    public void Nice_numbers_are_1_2_5_times_a_power_of_ten(double x, bool round, double expected) =>
        Assert.Equal(expected, NiceTicks.NiceNumber(x, round), 12);

    [Fact]
    public void Linear_ticks_cover_the_range_in_nice_steps()
    {
        AxisTicks t = NiceTicks.Linear(8.3, 33.1, 6);
        Assert.Equal([5.0, 10, 15, 20, 25, 30, 35], t.Values);
        Assert.Equal(["5", "10", "15", "20", "25", "30", "35"], t.Labels);
        Assert.Equal((5.0, 35.0), (t.Min, t.Max));

        t = NiceTicks.Linear(0, 1, 6);
        Assert.Equal([0.0, 0.2, 0.4, 0.6, 0.8, 1.0], t.Values); // no 0.6000000000000001
        Assert.Equal(["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"], t.Labels);

        t = NiceTicks.Linear(0, 30_000, 8);
        Assert.Equal(["0", "5k", "10k", "15k", "20k", "25k", "30k"], t.Labels);

        t = NiceTicks.Linear(0.0213, 0.0291, 5);
        Assert.Equal(["0.020", "0.022", "0.024", "0.026", "0.028", "0.030"], t.Labels);
    }

    [Fact]
    public void A_flat_range_still_gets_an_axis()
    {
        AxisTicks t = NiceTicks.Linear(20, 20, 5);
        Assert.True(t.Min < 20 && t.Max > 20);
        Assert.True(t.Values.Length >= 2);
    }

    [Fact]
    public void Log_ticks_follow_1_2_5_within_two_decades_and_powers_of_ten_beyond()
    {
        AxisTicks t = NiceTicks.Logarithmic(0.09, 0.47);
        Assert.Equal([0.05, 0.1, 0.2, 0.5], t.Values);
        Assert.Equal(["0.05", "0.1", "0.2", "0.5"], t.Labels);

        t = NiceTicks.Logarithmic(0.0012, 0.5);
        Assert.Equal([0.001, 0.01, 0.1, 1], t.Values);
        Assert.Equal(["0.001", "0.01", "0.1", "1"], t.Labels);
    }

    [Fact]
    public void Smoothing_is_a_bias_corrected_moving_average()
    {
        Assert.All(TrainingCurves.Smooth([3, 3, 3, 3], 0.9), v => Assert.Equal(3, v, 12));
        double[] s = TrainingCurves.Smooth([1, double.NaN, 3], 0.5);
        Assert.Equal(1, s[0], 12);
        Assert.True(double.IsNaN(s[1]));
        // m = 0.5·(0.5·1) + 0.5·3 = 1.75, debiased by 1 − 0.25.
        Assert.Equal(1.75 / 0.75, s[2], 12);
    }
}
