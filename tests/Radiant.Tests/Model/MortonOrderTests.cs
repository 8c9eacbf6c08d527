using Radiant.Model;

namespace Radiant.Tests.Model;

public class MortonOrderTests
{
    /// <summary>Mean distance between consecutive centres of the order that both lie in the unit cube.</summary>
    private static double MeanStep(float[] means, int[] order)
    {
        bool Inside(int i) => Math.Abs(means[3 * i]) <= 1 && Math.Abs(means[3 * i + 1]) <= 1 && Math.Abs(means[3 * i + 2]) <= 1;
        double sum = 0;
        int steps = 0;
        for (int r = 1; r < order.Length; r++)
        {
            int a = order[r - 1], b = order[r];
            if (!Inside(a) || !Inside(b)) continue;
            double dx = means[3 * a] - means[3 * b], dy = means[3 * a + 1] - means[3 * b + 1], dz = means[3 * a + 2] - means[3 * b + 2];
            sum += Math.Sqrt(dx * dx + dy * dy + dz * dz);
            steps++;
        }
        return sum / steps;
    }

    [Fact]
    public void Neighbours_in_the_order_are_neighbours_in_space_even_with_a_few_far_points()
    {
        const int n = 20_000;
        var rng = new Random(4);
        var means = new float[3 * n];
        for (int k = 0; k < means.Length; k++) means[k] = rng.NextSingle() * 2 - 1;
        double random = MeanStep(means, Enumerable.Range(0, n).ToArray());
        int[] plain = MortonOrder.Of(means, n);
        // Stray points far away (2 in 1,000, as COLMAP leaves) and one NaN centre.
        for (int i = 0; i < n; i += 500) { means[3 * i] = 1e4f * (i % 1000 == 0 ? 1 : -1); means[3 * i + 2] = 3e3f; }
        means[3 * 7 + 1] = float.NaN;
        int[] withFarPoints = MortonOrder.Of(means, n);

        Assert.Equal(Enumerable.Range(0, n), plain.Order());
        Assert.Equal(Enumerable.Range(0, n), withFarPoints.Order());
        // Random order: consecutive points are about 1.32 apart in the cube of side 2; in Morton order
        // about 0.1 (20k points, cells of 2/1024). The far points must not squeeze the cube into a few cells.
        Assert.InRange(random, 1.2, 1.45);
        Assert.True(MeanStep(means, plain) < 0.15, $"plain {MeanStep(means, plain):g3}");
        Assert.True(MeanStep(means, withFarPoints) < 0.15, $"with far points {MeanStep(means, withFarPoints):g3}");
    }
}
