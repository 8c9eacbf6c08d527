using Radiant.Model;

namespace Radiant.Tests.Model;

public class NearestNeighborsTests
{
    /// <summary>Brute force: the k smallest squared distances to other points, computed with the same float expression.</summary>
    internal static float[] BruteForce(float[] xyz, int k)
    {
        int n = xyz.Length / 3;
        var result = new float[n * k];
        var d = new float[Math.Max(0, n - 1)];
        for (int i = 0; i < n; i++)
        {
            int m = 0;
            for (int j = 0; j < n; j++)
            {
                if (j == i) continue;
                float dx = xyz[3 * j] - xyz[3 * i], dy = xyz[3 * j + 1] - xyz[3 * i + 1], dz = xyz[3 * j + 2] - xyz[3 * i + 2];
                d[m++] = dx * dx + dy * dy + dz * dz;
            }
            Array.Sort(d);
            for (int j = 0; j < k; j++) result[i * k + j] = j < d.Length ? d[j] : float.PositiveInfinity;
        }
        return result;
    }

    private static void AssertExact(float[] xyz, int k)
    {
        (int[] idx, float[] dist) = NearestNeighbors.Find(xyz, k);
        float[] expected = BruteForce(xyz, k);
        Assert.Equal(expected, dist);
        int n = xyz.Length / 3;
        for (int i = 0; i < n; i++)
        {
            var seen = new HashSet<int>();
            for (int j = 0; j < k; j++)
            {
                int o = idx[i * k + j];
                if (float.IsPositiveInfinity(dist[i * k + j])) { Assert.Equal(-1, o); continue; }
                Assert.NotEqual(i, o);
                Assert.True(seen.Add(o), $"point {i} lists neighbour {o} twice");
                float dx = xyz[3 * o] - xyz[3 * i], dy = xyz[3 * o + 1] - xyz[3 * i + 1], dz = xyz[3 * o + 2] - xyz[3 * i + 2];
                Assert.Equal(dist[i * k + j], dx * dx + dy * dy + dz * dz);
            }
        }
    }

    private static float[] Uniform(int n, int seed, float scale = 1)
    {
        var rng = new Random(seed);
        var p = new float[3 * n];
        for (int i = 0; i < p.Length; i++) p[i] = (float)(rng.NextDouble() * 2 - 1) * scale;
        return p;
    }

    [Theory]
    [InlineData(3)]
    [InlineData(1)]
    [InlineData(8)]
    public void Uniform_points_match_brute_force(int k) => AssertExact(Uniform(3000, seed: k), k);

    [Fact]
    public void Duplicates_count_as_neighbours_at_distance_zero()
    {
        var rng = new Random(4);
        var pts = new List<float>();
        float[] baseSet = Uniform(400, seed: 5);
        for (int i = 0; i < 400; i++)
        {
            int copies = 1 + rng.Next(4); // 1..4 identical copies
            for (int c = 0; c < copies; c++) pts.AddRange(baseSet.AsSpan(3 * i, 3).ToArray());
        }
        for (int c = 0; c < 60; c++) pts.AddRange([0.25f, 0.25f, 0.25f]); // a big pile of identical points
        AssertExact(pts.ToArray(), 3);
    }

    [Fact]
    public void All_points_identical()
    {
        var pts = Enumerable.Repeat(new[] { 1f, -2f, 3f }, 500).SelectMany(p => p).ToArray();
        (_, float[] d) = NearestNeighbors.Find(pts, 3);
        Assert.All(d, v => Assert.Equal(0f, v));
    }

    [Fact]
    public void Clustered_data_at_very_different_scales()
    {
        var rng = new Random(6);
        var pts = new List<float>();
        (float cx, float cy, float cz, float spread, int count)[] clusters =
            [(0, 0, 0, 1e-4f, 800), (5, 5, 5, 10f, 800), (-3, 2, 0, 1e-2f, 800), (100, -100, 50, 0.5f, 300)];
        foreach (var (cx, cy, cz, s, count) in clusters)
            for (int i = 0; i < count; i++)
            {
                // Box–Muller normal offsets.
                double u1 = 1 - rng.NextDouble(), u2 = rng.NextDouble(), u3 = 1 - rng.NextDouble(), u4 = rng.NextDouble();
                double r1 = Math.Sqrt(-2 * Math.Log(u1)), r2 = Math.Sqrt(-2 * Math.Log(u3));
                pts.Add(cx + s * (float)(r1 * Math.Cos(2 * Math.PI * u2)));
                pts.Add(cy + s * (float)(r1 * Math.Sin(2 * Math.PI * u2)));
                pts.Add(cz + s * (float)(r2 * Math.Cos(2 * Math.PI * u4)));
            }
        AssertExact(pts.ToArray(), 3);
    }

    [Fact]
    public void Integer_lattice_with_many_equal_distances()
    {
        var pts = new List<float>();
        for (int x = 0; x < 12; x++) for (int y = 0; y < 12; y++) for (int z = 0; z < 12; z++) pts.AddRange([x, y, z]);
        AssertExact(pts.ToArray(), 3);
        AssertExact(pts.ToArray(), 7);
    }

    [Fact]
    public void Points_on_a_plane_and_a_line()
    {
        var rng = new Random(7);
        var plane = new float[3 * 1500];
        for (int i = 0; i < 1500; i++) { plane[3 * i] = (float)rng.NextDouble(); plane[3 * i + 1] = (float)rng.NextDouble(); }
        AssertExact(plane, 3);
        var line = new float[3 * 500];
        for (int i = 0; i < 500; i++) line[3 * i + 2] = rng.Next(100);
        AssertExact(line, 3);
    }

    [Fact]
    public void Tiny_sets_are_padded()
    {
        Assert.Empty(NearestNeighbors.Find([], 3).Indices);
        (int[] idx, float[] d) = NearestNeighbors.Find([0, 0, 0], 3);
        Assert.Equal([-1, -1, -1], idx);
        Assert.All(d, v => Assert.Equal(float.PositiveInfinity, v));
        AssertExact([0, 0, 0, 1, 0, 0, 0, 3, 0], 5);
        Assert.Equal([0f], NearestNeighbors.MeanSquaredDistances([5, 5, 5]));
        // Three points on a line at 0, 1, 2: only two neighbours each, averaged over those two.
        Assert.Equal([2.5f, 1f, 2.5f], NearestNeighbors.MeanSquaredDistances([0, 0, 0, 1, 0, 0, 2, 0, 0], 3));
    }

    [Fact]
    public void Mean_squared_distance_matches_brute_force()
    {
        float[] pts = Uniform(2000, seed: 9, scale: 3);
        float[] brute = BruteForce(pts, 3);
        float[] mean = NearestNeighbors.MeanSquaredDistances(pts, 3);
        for (int i = 0; i < 2000; i++)
            Assert.Equal((brute[3 * i] + brute[3 * i + 1] + brute[3 * i + 2]) / 3, mean[i]);
    }

    [Fact]
    public void Non_finite_input_is_refused()
    {
        var ex = Assert.Throws<ArgumentException>(() => NearestNeighbors.Find([0, 0, 0, float.NaN, 0, 0], 3));
        Assert.Contains("point 1", ex.Message);
    }
}
