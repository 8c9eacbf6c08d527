using System.Numerics.Tensors;
using Radiant.Mathematics;

namespace Radiant.Compression;

/// <summary>A k-means codebook: <c>Entries</c> rows of <c>Dimension</c> floats, and each vector's entry.</summary>
public sealed record CodebookFit(float[] Codebook, int Entries, int Dimension, int[] Assignment, double MeanSquaredError);

/// <summary>
/// Vector quantisation by k-means (Lloyd's algorithm), as compact 3DGS variants use for the
/// view-dependent SH coefficients (Compact3DGS, Lee et al. 2024; LightGaussian's vector
/// quantisation). Initial centres by k-means++ (Arthur and Vassilvitskii 2007: each next centre
/// drawn with probability proportional to its squared distance from the nearest centre so far); each iteration assigns every
/// vector to its nearest centre by ‖x − c‖² = ‖x‖² − 2x·c + ‖c‖² (dot products with
/// <see cref="TensorPrimitives"/>, vectors in parallel) and moves each centre to the mean of its
/// vectors; an empty centre restarts at the vector with the largest error.
/// </summary>
public static class VectorCodebook
{
    public static CodebookFit Fit(ReadOnlySpan<float> vectors, int dimension, int entries, int iterations, ulong seed)
    {
        int n = vectors.Length / dimension;
        if (n == 0) return new CodebookFit([], 0, dimension, [], 0);
        entries = Math.Clamp(entries, 1, n);
        float[] data = vectors.ToArray();
        var codebook = new float[entries * dimension];
        SeedPlusPlus(data, dimension, codebook, entries, new Rng(seed));
        var assignment = new int[n];
        var error = new float[n];
        var sums = new double[entries * dimension];
        var counts = new int[entries];
        for (int it = 0; it <= iterations; it++)
        {
            Assign(data, dimension, codebook, entries, assignment, error);
            if (it == iterations) break;
            Array.Clear(sums); Array.Clear(counts);
            for (int i = 0; i < n; i++)
            {
                int a = assignment[i];
                counts[a]++;
                for (int d = 0; d < dimension; d++) sums[a * dimension + d] += data[i * dimension + d];
            }
            for (int e = 0; e < entries; e++)
            {
                if (counts[e] > 0)
                {
                    for (int d = 0; d < dimension; d++) codebook[e * dimension + d] = (float)(sums[e * dimension + d] / counts[e]);
                    continue;
                }
                int worst = TensorPrimitives.IndexOfMax(error);
                Array.Copy(data, worst * dimension, codebook, e * dimension, dimension);
                error[worst] = 0;
            }
        }
        double mse = 0;
        foreach (float e in error) mse += e;
        return new CodebookFit(codebook, entries, dimension, assignment, mse / ((double)n * dimension));
    }

    /// <summary>k-means++ seeding, the distance to the nearest chosen centre kept up to date (vectors in parallel).</summary>
    private static void SeedPlusPlus(float[] data, int dim, float[] codebook, int entries, Rng rng)
    {
        int n = data.Length / dim;
        var nearest = new float[n];
        Array.Fill(nearest, float.PositiveInfinity);
        int chosen = rng.NextInt(n);
        for (int e = 0; e < entries; e++)
        {
            Array.Copy(data, chosen * dim, codebook, e * dim, dim);
            float[] centre = codebook.AsSpan(e * dim, dim).ToArray();
            Parallel.For(0, (n + 1023) / 1024, block =>
            {
                Span<float> diff = stackalloc float[dim];
                for (int i = block * 1024; i < Math.Min(n, block * 1024 + 1024); i++)
                {
                    TensorPrimitives.Subtract(data.AsSpan(i * dim, dim), centre, diff);
                    nearest[i] = MathF.Min(nearest[i], TensorPrimitives.Dot(diff, diff));
                }
            });
            if (e + 1 == entries) break;
            double total = 0;
            foreach (float d in nearest) total += d;
            if (!(total > 0)) { chosen = rng.NextInt(n); continue; } // all vectors covered: any row
            double target = rng.NextDouble() * total, run = 0;
            chosen = n - 1;
            for (int i = 0; i < n; i++)
            {
                run += nearest[i];
                if (run >= target && nearest[i] > 0) { chosen = i; break; }
            }
        }
    }

    /// <summary>Nearest centre of every vector and its squared distance.</summary>
    private static void Assign(float[] data, int dim, float[] codebook, int entries, int[] assignment, float[] error)
    {
        int n = assignment.Length;
        var norms = new float[entries];
        for (int e = 0; e < entries; e++)
        {
            ReadOnlySpan<float> c = codebook.AsSpan(e * dim, dim);
            norms[e] = TensorPrimitives.Dot(c, c);
        }
        Parallel.For(0, (n + 255) / 256, block =>
        {
            for (int i = block * 256; i < Math.Min(n, block * 256 + 256); i++)
            {
                ReadOnlySpan<float> x = data.AsSpan(i * dim, dim);
                float best = float.PositiveInfinity;
                int bestE = 0;
                for (int e = 0; e < entries; e++)
                {
                    float d = norms[e] - 2 * TensorPrimitives.Dot(x, codebook.AsSpan(e * dim, dim));
                    if (d < best) { best = d; bestE = e; }
                }
                assignment[i] = bestE;
                error[i] = MathF.Max(0, best + TensorPrimitives.Dot(x, x));
            }
        });
    }
}
