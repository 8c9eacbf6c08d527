using Radiant.Compression;
using Radiant.Mathematics;
using Xunit;

namespace Radiant.Tests.Compression;

/// <summary>The k-means codebook against brute force, across SIMD widths, and its seeding on a sample.</summary>
public class VectorCodebookTests
{
    private static float[] RandomVectors(int n, int dim, ulong seed)
    {
        var rng = new Rng(seed);
        var v = new float[n * dim];
        for (int i = 0; i < v.Length; i++) v[i] = rng.NextGaussian() * 0.1f;
        return v;
    }

    private static double Distance2(float[] vectors, int i, float[] codebook, int e, int dim)
    {
        double sum = 0;
        for (int d = 0; d < dim; d++)
        {
            double diff = (double)vectors[i * dim + d] - codebook[e * dim + d];
            sum += diff * diff;
        }
        return sum;
    }

    /// <summary>
    /// Every vector's entry is its nearest centre by a double-precision search over all centres
    /// (up to float rounding of near ties), and the reported error is the mean of those distances.
    /// 1,003 vectors and 37 entries: neither a whole number of the kernel's 16-vector blocks nor of its 8-centre groups.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(8)]
    [InlineData(16)]
    public void Every_vector_gets_its_nearest_centre(int lanes)
    {
        const int n = 1003, dim = 45, entries = 37;
        var simd = (SimdWidth)lanes;
        float[] vectors = RandomVectors(n, dim, 3);
        CodebookFit fit = VectorCodebook.Fit(vectors, dim, entries, 3, 1, null, simd);
        Assert.Equal(entries, fit.Entries);
        Assert.Equal(entries * dim, fit.Codebook.Length);
        double total = 0;
        for (int i = 0; i < n; i++)
        {
            double nearest = double.PositiveInfinity;
            for (int e = 0; e < entries; e++) nearest = Math.Min(nearest, Distance2(vectors, i, fit.Codebook, e, dim));
            double assigned = Distance2(vectors, i, fit.Codebook, fit.Assignment[i], dim);
            Assert.True(assigned <= nearest + 1e-6 * (1 + nearest), $"vector {i}: entry {fit.Assignment[i]} at {assigned}, nearest at {nearest}");
            total += assigned;
        }
        Assert.Equal(total / (n * dim), fit.MeanSquaredError, 1e-7);
    }

    [Fact]
    public void Every_simd_width_gives_the_same_codebook()
    {
        float[] vectors = RandomVectors(2000, 24, 5);
        CodebookFit reference = VectorCodebook.Fit(vectors, 24, 100, 4, 2, null, SimdWidth.V128);
        foreach (SimdWidth simd in new[] { SimdWidth.V256, SimdWidth.V512 })
        {
            CodebookFit fit = VectorCodebook.Fit(vectors, 24, 100, 4, 2, null, simd);
            Assert.Equal(reference.Assignment, fit.Assignment);
            Assert.Equal(reference.Codebook, fit.Codebook);
        }
    }

    /// <summary>An assignment pass is optimal for fixed centres and the update for a fixed assignment: the error never rises.</summary>
    [Fact]
    public void Lloyd_iterations_never_raise_the_error()
    {
        float[] vectors = RandomVectors(3000, 9, 7);
        double previous = double.PositiveInfinity;
        for (int iterations = 0; iterations <= 6; iterations++)
        {
            double mse = VectorCodebook.Fit(vectors, 9, 64, iterations, 4).MeanSquaredError;
            Assert.True(mse <= previous * (1 + 1e-6), $"{iterations} iterations: {mse} after {previous}");
            previous = mse;
        }
        Assert.True(previous < 0.8 * VectorCodebook.Fit(vectors, 9, 64, 0, 4).MeanSquaredError);
    }

    /// <summary>
    /// 20,000 vectors around 16 well-separated centres: the seeding sees a sample of 16 × 16 = 256
    /// of them, and the fit still finds one entry per cluster, its error the clusters' spread.
    /// </summary>
    [Fact]
    public void Seeding_on_a_sample_still_finds_every_cluster()
    {
        const int n = 20000, dim = 9, clusters = 16;
        var rng = new Rng(11);
        var centres = new float[clusters * dim];
        for (int j = 0; j < centres.Length; j++) centres[j] = 4 * rng.NextFloat() - 2;
        var vectors = new float[n * dim];
        for (int i = 0; i < n; i++)
            for (int d = 0; d < dim; d++) vectors[i * dim + d] = centres[(i % clusters) * dim + d] + 0.01f * (2 * rng.NextFloat() - 1);
        Assert.True(n > VectorCodebook.SeedSamplePerEntry * clusters);
        CodebookFit fit = VectorCodebook.Fit(vectors, dim, clusters, 5, 1);
        int[] entryOfCluster = Enumerable.Range(0, clusters).Select(c => fit.Assignment[c]).ToArray();
        Assert.Equal(clusters, entryOfCluster.Distinct().Count());
        for (int i = 0; i < n; i++) Assert.Equal(entryOfCluster[i % clusters], fit.Assignment[i]);
        Assert.True(fit.MeanSquaredError < 0.01 * 0.01 / 3 * 1.2, $"error {fit.MeanSquaredError}");   // uniform ±0.01: variance 0.01²/3
    }

    [Fact]
    public void Progress_counts_the_seeding_and_every_assignment_pass()
    {
        var reports = new List<(int Done, int Total)>();
        VectorCodebook.Fit(RandomVectors(500, 9, 1), 9, 20, 4, 1, new SyncProgress<(int Done, int Total)>(reports.Add));
        Assert.Equal(Enumerable.Range(0, 7).Select(k => (k, 6)), reports);
    }
}
