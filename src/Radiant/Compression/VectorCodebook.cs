using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using Radiant.Mathematics;

namespace Radiant.Compression;

/// <summary>A k-means codebook: <c>Entries</c> rows of <c>Dimension</c> floats, and each vector's entry.</summary>
public sealed record CodebookFit(float[] Codebook, int Entries, int Dimension, int[] Assignment, double MeanSquaredError);

/// <summary>
/// Vector quantisation by k-means (Lloyd's algorithm), as compact 3DGS variants use for the
/// view-dependent SH coefficients (Compact3DGS, Lee et al. 2024; LightGaussian's vector
/// quantisation).
/// <list type="bullet">
/// <item>Initial centres by k-means++ (Arthur and Vassilvitskii 2007: each next centre drawn with
/// probability proportional to its squared distance from the nearest centre so far), run on a
/// uniform sample of at most <see cref="SeedSamplePerEntry"/> vectors per entry: seeding is one
/// pass over the vectors per entry, so on all of a million Gaussians it would cost more than the
/// Lloyd iterations that follow, which then run on every vector.</item>
/// <item>Each iteration assigns every vector to its nearest centre by
/// ‖x − c‖² = ‖x‖² − 2x·c + ‖c‖² and moves each centre to the mean of its vectors; an empty
/// centre restarts at the vector with the largest error.</item>
/// </list>
/// The vectors are kept in blocks of 16, coordinate-major within a block (<c>lanes[(b·D + d)·16 + l]</c>),
/// so that one SIMD register holds coordinate d of 16 vectors and the distance kernels need no
/// horizontal sums; blocks are shared between the cores.
/// </summary>
public static class VectorCodebook
{
    /// <summary>k-means++ seeds from a uniform sample of at most this many vectors per codebook entry.</summary>
    public const int SeedSamplePerEntry = 16;

    /// <summary>Vectors per block of the lane-major layout.</summary>
    private const int Block = 16;
    /// <summary>Centres scored together in the assignment kernel (its accumulators).</summary>
    private const int CentreGroup = 8;

    /// <param name="progress">Steps done of 2 + <paramref name="iterations"/>: the seeding, then each assignment pass.</param>
    public static CodebookFit Fit(ReadOnlySpan<float> vectors, int dimension, int entries, int iterations, ulong seed,
                                  IProgress<(int Done, int Total)>? progress = null) =>
        Fit(vectors, dimension, entries, iterations, seed, progress, FloatVector.Best);

    internal static CodebookFit Fit(ReadOnlySpan<float> vectors, int dimension, int entries, int iterations, ulong seed,
                                    IProgress<(int Done, int Total)>? progress, SimdWidth simd)
    {
        KernelSet kernels = Kernels(simd);
        int n = vectors.Length / dimension;
        if (n == 0) return new CodebookFit([], 0, dimension, [], 0);
        entries = Math.Clamp(entries, 1, n);
        int steps = iterations + 2;
        progress?.Report((0, steps));
        var rng = new Rng(seed);
        float[] data = vectors[..(n * dimension)].ToArray();
        // Rows past `entries` pad the codebook to whole groups; their +∞ norm keeps them unchosen.
        var codebook = new float[RoundUp(entries, CentreGroup) * dimension];
        SeedPlusPlus(data, dimension, codebook, entries, rng, kernels.UpdateNearest);
        progress?.Report((1, steps));

        float[] lanes = ToLanes(data, n, dimension);
        var assignment = new int[n];
        var error = new float[n];
        var sums = new double[entries * dimension];
        var counts = new int[entries];
        for (int it = 0; it <= iterations; it++)
        {
            Assign(lanes, n, dimension, codebook, entries, assignment, error, kernels.AssignBlock);
            progress?.Report((it + 2, steps));
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
        return new CodebookFit(codebook[..(entries * dimension)], entries, dimension, assignment, mse / ((double)n * dimension));
    }

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;

    /// <summary>The rows in blocks of <see cref="Block"/>, coordinate-major within a block; the last block padded with zeros.</summary>
    private static float[] ToLanes(float[] rows, int n, int dim)
    {
        var lanes = new float[RoundUp(n, Block) * dim];
        for (int i = 0; i < n; i++)
        {
            int b = i / Block, l = i % Block;
            for (int d = 0; d < dim; d++) lanes[(b * dim + d) * Block + l] = rows[i * dim + d];
        }
        return lanes;
    }

    /// <summary>k-means++ on a uniform sample of the rows (a partial Fisher–Yates shuffle picks it).</summary>
    private static void SeedPlusPlus(float[] data, int dim, float[] codebook, int entries, Rng rng, UpdateNearestKernel update)
    {
        int n = data.Length / dim;
        int m = (int)Math.Min(n, (long)SeedSamplePerEntry * entries);
        var rows = new float[m * dim];
        if (m == n) Array.Copy(data, rows, data.Length);
        else
        {
            int[] order = new int[n];
            for (int i = 0; i < n; i++) order[i] = i;
            for (int i = 0; i < m; i++)
            {
                int j = i + rng.NextInt(n - i);
                (order[i], order[j]) = (order[j], order[i]);
                Array.Copy(data, order[i] * dim, rows, i * dim, dim);
            }
        }
        float[] lanes = ToLanes(rows, m, dim);
        var nearest = new float[RoundUp(m, Block)];
        Array.Fill(nearest, float.PositiveInfinity, 0, m);   // padding lanes stay at 0: never drawn
        int chosen = rng.NextInt(m);
        for (int e = 0; e < entries; e++)
        {
            Array.Copy(rows, chosen * dim, codebook, e * dim, dim);
            double total = update(lanes, nearest, dim, codebook.AsSpan(e * dim, dim));
            if (e + 1 == entries) break;
            if (!(total > 0)) { chosen = rng.NextInt(m); continue; } // every sampled row is a centre already: any row
            double target = rng.NextDouble() * total, run = 0;
            chosen = m - 1;
            for (int i = 0; i < m; i++)
            {
                run += nearest[i];
                if (run >= target && nearest[i] > 0) { chosen = i; break; }
            }
        }
    }

    /// <summary>Nearest centre of every vector and its squared distance.</summary>
    private static void Assign(float[] lanes, int n, int dim, float[] codebook, int entries, int[] assignment, float[] error, AssignBlockKernel assignBlock)
    {
        // ‖c‖² of each centre; +∞ for the padding rows.
        var norms = new float[codebook.Length / dim];
        Array.Fill(norms, float.PositiveInfinity);
        for (int e = 0; e < entries; e++)
        {
            ReadOnlySpan<float> c = codebook.AsSpan(e * dim, dim);
            norms[e] = TensorPrimitives.Dot(c, c);
        }
        const int blocksPerTask = 16;
        int blocks = RoundUp(n, Block) / Block;
        Parallel.For(0, (blocks + blocksPerTask - 1) / blocksPerTask, task =>
        {
            Span<float> index = stackalloc float[Block], distance = stackalloc float[Block];
            for (int b = task * blocksPerTask; b < Math.Min(blocks, (task + 1) * blocksPerTask); b++)
            {
                assignBlock(lanes, b, dim, codebook, norms, index, distance);
                for (int l = 0, i = b * Block; l < Block && i < n; l++, i++)
                {
                    assignment[i] = (int)index[l];
                    error[i] = distance[l];
                }
            }
        });
    }

    private delegate double UpdateNearestKernel(float[] lanes, float[] nearest, int dim, ReadOnlySpan<float> centre);
    private delegate void AssignBlockKernel(float[] lanes, int block, int dim, float[] codebook, float[] norms, Span<float> index, Span<float> distance);
    private sealed record KernelSet(UpdateNearestKernel UpdateNearest, AssignBlockKernel AssignBlock);

    private static KernelSet Kernels(SimdWidth simd) => simd switch
    {
        SimdWidth.V512 => new(UpdateNearest<F512>, AssignBlock<F512>),
        SimdWidth.V256 => new(UpdateNearest<F256>, AssignBlock<F256>),
        SimdWidth.V128 => new(UpdateNearest<F128>, AssignBlock<F128>),
        _ => new(UpdateNearest<F1>, AssignBlock<F1>),
    };

    // The kernels are compiled optimised at once: the seeding calls one thousands of times in a
    // row, and tier-0 code (the vector structs' operators not inlined) would run the first of them unoptimised.

    /// <summary>nearest = min(nearest, ‖x − c‖²) for every lane; returns Σ nearest.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe double UpdateNearest<TV>(float[] lanes, float[] nearest, int dim, ReadOnlySpan<float> centre)
        where TV : unmanaged, IFloatVector<TV>
    {
        double total = 0;
        fixed (float* x = lanes, near = nearest, c = centre)
        {
            for (int b = 0; b < nearest.Length / Block; b++)
            {
                for (int sub = 0; sub < Block; sub += TV.Count)
                {
                    float* xb = x + b * dim * Block + sub;
                    TV distance2 = TV.Create(0);
                    for (int d = 0; d < dim; d++)
                    {
                        TV diff = TV.Load(xb + d * Block) - TV.Create(c[d]);
                        distance2 = TV.MultiplyAdd(diff, diff, distance2);
                    }
                    float* nb = near + b * Block + sub;
                    TV updated = TV.Min(TV.Load(nb), distance2);
                    updated.Store(nb);
                    total += TV.Sum(updated);
                }
            }
        }
        return total;
    }

    /// <summary>
    /// For the 16 vectors of one block: the index of the nearest centre (as a float) and
    /// ‖x − c‖² = ‖x‖² + (‖c‖² − 2x·c), the bracket minimised over the centres,
    /// <see cref="CentreGroup"/> centres at a time; ties go to the lower index.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void AssignBlock<TV>(float[] lanes, int block, int dim, float[] codebook, float[] norms, Span<float> index, Span<float> distance)
        where TV : unmanaged, IFloatVector<TV>
    {
        int centres = norms.Length;
        fixed (float* x0 = lanes, cb = codebook, norm = norms, indexOut = index, distanceOut = distance)
        {
            for (int sub = 0; sub < Block; sub += TV.Count)
            {
                float* x = x0 + block * dim * Block + sub;
                TV best = TV.Create(float.PositiveInfinity), bestIndex = TV.Create(0), minusTwo = TV.Create(-2);
                for (int e = 0; e < centres; e += CentreGroup)
                {
                    float* c = cb + e * dim;
                    TV dot0 = TV.Create(0), dot1 = dot0, dot2 = dot0, dot3 = dot0, dot4 = dot0, dot5 = dot0, dot6 = dot0, dot7 = dot0;
                    for (int d = 0; d < dim; d++)
                    {
                        TV xd = TV.Load(x + d * Block);
                        dot0 = TV.MultiplyAdd(xd, TV.Create(c[d]), dot0);
                        dot1 = TV.MultiplyAdd(xd, TV.Create(c[dim + d]), dot1);
                        dot2 = TV.MultiplyAdd(xd, TV.Create(c[2 * dim + d]), dot2);
                        dot3 = TV.MultiplyAdd(xd, TV.Create(c[3 * dim + d]), dot3);
                        dot4 = TV.MultiplyAdd(xd, TV.Create(c[4 * dim + d]), dot4);
                        dot5 = TV.MultiplyAdd(xd, TV.Create(c[5 * dim + d]), dot5);
                        dot6 = TV.MultiplyAdd(xd, TV.Create(c[6 * dim + d]), dot6);
                        dot7 = TV.MultiplyAdd(xd, TV.Create(c[7 * dim + d]), dot7);
                    }
                    Closer(TV.MultiplyAdd(dot0, minusTwo, TV.Create(norm[e])), e, ref best, ref bestIndex);
                    Closer(TV.MultiplyAdd(dot1, minusTwo, TV.Create(norm[e + 1])), e + 1, ref best, ref bestIndex);
                    Closer(TV.MultiplyAdd(dot2, minusTwo, TV.Create(norm[e + 2])), e + 2, ref best, ref bestIndex);
                    Closer(TV.MultiplyAdd(dot3, minusTwo, TV.Create(norm[e + 3])), e + 3, ref best, ref bestIndex);
                    Closer(TV.MultiplyAdd(dot4, minusTwo, TV.Create(norm[e + 4])), e + 4, ref best, ref bestIndex);
                    Closer(TV.MultiplyAdd(dot5, minusTwo, TV.Create(norm[e + 5])), e + 5, ref best, ref bestIndex);
                    Closer(TV.MultiplyAdd(dot6, minusTwo, TV.Create(norm[e + 6])), e + 6, ref best, ref bestIndex);
                    Closer(TV.MultiplyAdd(dot7, minusTwo, TV.Create(norm[e + 7])), e + 7, ref best, ref bestIndex);
                }
                TV squaredNorm = TV.Create(0);
                for (int d = 0; d < dim; d++)
                {
                    TV xd = TV.Load(x + d * Block);
                    squaredNorm = TV.MultiplyAdd(xd, xd, squaredNorm);
                }
                TV.Max(best + squaredNorm, TV.Create(0)).Store(distanceOut + sub);
                bestIndex.Store(indexOut + sub);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Closer<TV>(TV score, int centre, ref TV best, ref TV bestIndex) where TV : unmanaged, IFloatVector<TV>
    {
        bestIndex = TV.SelectWhereLess(score, best, TV.Create(centre), bestIndex);
        best = TV.Min(score, best);
    }
}
