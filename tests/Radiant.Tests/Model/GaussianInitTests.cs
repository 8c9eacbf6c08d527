using Radiant.Data;
using Radiant.Mathematics;
using Radiant.Model;

namespace Radiant.Tests.Model;

public class GaussianInitTests
{
    [Fact]
    public void From_point_cloud_follows_the_reference_initialisation()
    {
        var rng = new Random(1);
        int n = 500;
        var pos = new float[3 * n];
        var col = new byte[3 * n];
        for (int i = 0; i < pos.Length; i++) pos[i] = (float)rng.NextDouble() * 4 - 2;
        rng.NextBytes(col);
        var cloud = new PointCloud(pos, col);
        GaussianSet g = GaussianInit.FromPointCloud(cloud);

        Assert.Equal(3, g.ShDegree);
        Assert.Equal(n, g.Count);
        Assert.Equal(pos, g.Means);
        float[] brute = NearestNeighborsTests.BruteForce(pos, 3);
        for (int i = 0; i < n; i++)
        {
            for (int c = 0; c < 3; c++)
            {
                float dc = g.Sh[i * 48 + c];
                Assert.Equal(col[3 * i + c] / 255f, 0.5f + GaussianSet.ShC0 * dc, 5);
            }
            for (int j = 3; j < 48; j++) Assert.Equal(0f, g.Sh[i * 48 + j]);
            float meanSq = (brute[3 * i] + brute[3 * i + 1] + brute[3 * i + 2]) / 3;
            float expected = MathF.Log(MathF.Sqrt(meanSq));
            for (int a = 0; a < 3; a++) Assert.Equal(expected, g.LogScales[3 * i + a], 1e-5f);
            Assert.Equal([1f, 0f, 0f, 0f], g.Rotations.AsSpan(4 * i, 4).ToArray());
            Assert.Equal(0.1f, GaussianSet.Sigmoid(g.OpacityLogits[i]), 6);
        }
    }

    [Fact]
    public void Duplicate_points_get_the_clamped_scale()
    {
        var pos = new float[3 * 5];
        for (int i = 0; i < 4; i++) { pos[3 * i] = 1; pos[3 * i + 1] = 2; pos[3 * i + 2] = 3; }
        pos[12] = 10; // a fifth point far away
        GaussianSet g = GaussianInit.FromPointCloud(new PointCloud(pos, new byte[15]), shDegree: 0);
        float clamped = MathF.Log(MathF.Sqrt(1e-7f));
        for (int i = 0; i < 4; i++) Assert.Equal(clamped, g.LogScales[3 * i], 1e-5f);
        Assert.True(g.LogScales[12] > 2);
        Assert.Equal((0 - 0.5f) / GaussianSet.ShC0, g.Sh[0], 5);
        Assert.Equal(3, g.Sh.Length / 5);
    }

    [Fact]
    public void Random_init_stays_in_the_box_and_is_deterministic()
    {
        var min = new Vec3(-1, 0, 2);
        var max = new Vec3(3, 0.5, 2.25);
        GaussianSet a = GaussianInit.Random(2000, min, max, seed: 42);
        GaussianSet b = GaussianInit.Random(2000, min, max, seed: 42);
        GaussianSet c = GaussianInit.Random(2000, min, max, seed: 43);
        Assert.Equal(a.Means, b.Means);
        Assert.Equal(a.Sh, b.Sh);
        Assert.Equal(a.LogScales, b.LogScales);
        Assert.NotEqual(a.Means, c.Means);
        for (int i = 0; i < 2000; i++)
            for (int k = 0; k < 3; k++)
            {
                float v = a.Means[3 * i + k];
                Assert.InRange(v, (float)min[k], (float)max[k]);
            }
        // Uniform: each axis should fill its range (means near the centre, extremes near the ends).
        for (int k = 0; k < 3; k++)
        {
            var axis = Enumerable.Range(0, 2000).Select(i => (double)a.Means[3 * i + k]).ToArray();
            double width = max[k] - min[k];
            Assert.InRange(axis.Average(), min[k] + 0.45 * width, min[k] + 0.55 * width);
            Assert.InRange(axis.Min(), min[k], min[k] + 0.01 * width);
            Assert.InRange(axis.Max(), max[k] - 0.01 * width, max[k]);
        }
        // Every point starts mid-grey, as the reference's random start (its points3d.ply stores 127/255).
        for (int i = 0; i < 2000; i++)
            for (int ch = 0; ch < 3; ch++)
                Assert.Equal(127f / 255f, 0.5f + GaussianSet.ShC0 * a.Sh[i * 48 + ch], 1e-6f);
    }

    [Fact]
    public void Nerf_synthetic_random_init_is_100k_points_in_the_cube()
    {
        GaussianSet g = GaussianInit.NerfSyntheticRandom(seed: 0);
        Assert.Equal(100_000, g.Count);
        Assert.All(g.Means, v => Assert.InRange(v, -1.3f, 1.3f));
        Assert.All(g.LogScales, v => Assert.True(float.IsFinite(v) && v < 0));
    }

    [Fact]
    public void Empty_cloud_gives_an_empty_set()
    {
        GaussianSet g = GaussianInit.FromPointCloud(new PointCloud([], []));
        Assert.Equal(0, g.Count);
    }

    [Fact]
    public void The_far_shell_spreads_grey_points_evenly_over_the_sphere()
    {
        var centre = new Vec3(1, -2, 3);
        const int count = 4000;
        const double radius = 50;
        PointCloud shell = GaussianInit.FarShell(count, centre, radius);
        Assert.Equal(count, shell.Count);
        Assert.All(shell.Colors, c => Assert.Equal(GaussianInit.RandomStartGrey, c));
        var octants = new int[8];
        Vec3 sum = Vec3.Zero;
        double nearest = double.MaxValue;
        for (int i = 0; i < count; i++)
        {
            var p = new Vec3(shell.Positions[3 * i], shell.Positions[3 * i + 1], shell.Positions[3 * i + 2]) - centre;
            Assert.Equal(radius, p.Length, 1e-3);
            octants[(p.X > 0 ? 1 : 0) + (p.Y > 0 ? 2 : 0) + (p.Z > 0 ? 4 : 0)]++;
            sum += p;
            if (i > 0)
            {
                var q = new Vec3(shell.Positions[3 * i - 3], shell.Positions[3 * i - 2], shell.Positions[3 * i - 1]) - centre;
                nearest = Math.Min(nearest, (p - q).Length);
            }
        }
        // Even: each octant holds an eighth (±5 %), the mean is the centre, and no two consecutive points coincide.
        Assert.All(octants, n => Assert.InRange(n, 0.95 * count / 8, 1.05 * count / 8));
        Assert.True((sum / count).Length < 0.01 * radius, $"mean offset {(sum / count).Length}");
        Assert.True(nearest > 0.5 * radius * Math.Sqrt(4 * Math.PI / count), $"consecutive points {nearest} apart");
        Assert.Throws<ArgumentException>(() => GaussianInit.FarShell(10, centre, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => GaussianInit.FarShell(-1, centre, 1));
    }
}
