using System.Runtime.CompilerServices;
using Radiant.Mathematics;

namespace Radiant.Evaluation;

/// <summary>
/// The SSIM window: an 11-tap Gaussian, σ = 1.5, normalised to sum 1, applied separably (the 2D
/// window is the outer product g gᵀ) with zero padding and 'same' output size, as a conv2d with
/// padding 5. Holds the taps and the row kernels of the separable filter; the streaming passes
/// that use them are in <see cref="Ssim"/> and <see cref="Training.SsimLoss"/>.
/// </summary>
internal static unsafe class GaussianWindow
{
    public const int Size = 11;
    public const int Radius = Size / 2;
    public const double Sigma = 1.5;

    /// <summary>g[k] = exp(−(k−5)² / (2σ²)) / Σ, k = 0..10.</summary>
    public static readonly float[] Taps = MakeTaps();

    private static float[] MakeTaps()
    {
        var g = new double[Size];
        double sum = 0;
        for (int k = 0; k < Size; k++) sum += g[k] = Math.Exp(-(k - Radius) * (k - Radius) / (2 * Sigma * Sigma));
        var taps = new float[Size];
        for (int k = 0; k < Size; k++) taps[k] = (float)(g[k] / sum);
        return taps;
    }

    /// <summary>Floats in a zero-padded row buffer: <paramref name="width"/> samples with <see cref="Radius"/> zeros each side.</summary>
    public static int PaddedLength(int width) => width + 2 * Radius;

    /// <summary>
    /// Horizontal pass: out[i] = Σₖ g[k]·in[i + k − 5] for i in [0, width), where <paramref name="padded"/>
    /// points at in[−5] of a zero-padded row (so out-of-image samples read as zeros).
    /// </summary>
    public static void FilterRow<TV>(float* padded, float* output, int width) where TV : unmanaged, IFloatVector<TV>
    {
        int i = FilterRowSpan<TV>(padded, output, 0, width);
        FilterRowSpan<F1>(padded, output, i, width);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int FilterRowSpan<TV>(float* p, float* output, int i, int width) where TV : unmanaged, IFloatVector<TV>
    {
        float[] t = Taps;
        TV g0 = TV.Create(t[0]), g1 = TV.Create(t[1]), g2 = TV.Create(t[2]), g3 = TV.Create(t[3]), g4 = TV.Create(t[4]), g5 = TV.Create(t[5]);
        // The window is symmetric (g[k] = g[10−k]): pair the taps, 6 multiplies for 11 samples.
        for (; i + TV.Count <= width; i += TV.Count)
        {
            float* s = p + i;
            TV acc = g5 * TV.Load(s + 5);
            acc = TV.MultiplyAdd(g4, TV.Load(s + 4) + TV.Load(s + 6), acc);
            acc = TV.MultiplyAdd(g3, TV.Load(s + 3) + TV.Load(s + 7), acc);
            acc = TV.MultiplyAdd(g2, TV.Load(s + 2) + TV.Load(s + 8), acc);
            acc = TV.MultiplyAdd(g1, TV.Load(s + 1) + TV.Load(s + 9), acc);
            acc = TV.MultiplyAdd(g0, TV.Load(s + 0) + TV.Load(s + 10), acc);
            acc.Store(output + i);
        }
        return i;
    }

    /// <summary>
    /// The vertical taps that fall inside the image for output row <paramref name="row"/>: image rows
    /// row−5+k for k in [first, last]; the others multiply zero padding and are skipped.
    /// </summary>
    public static void VerticalTaps(int row, int height, out int first, out int last)
    {
        first = Math.Max(0, Radius - row);
        last = Math.Min(Size - 1, height - 1 - row + Radius);
    }

    /// <summary>
    /// The vertical taps of output row <paramref name="row"/> over a ring of 11 horizontally filtered
    /// rows (image row r in slot r mod 11, <paramref name="slotFloats"/> floats a slot): the weights and
    /// slot addresses of the taps inside the image (<see cref="VerticalTaps"/>); returns how many.
    /// </summary>
    public static int RingTaps(int row, int height, float* ring, int slotFloats, float* weights, float** rows)
    {
        VerticalTaps(row, height, out int first, out int last);
        for (int k = first; k <= last; k++)
        {
            weights[k - first] = Taps[k];
            rows[k - first] = ring + ((row - Radius + k) % Size) * slotFloats;
        }
        return last - first + 1;
    }

    /// <summary>Rows of a band task: each channel is cut into <paramref name="bandsPerChannel"/> bands of rows.</summary>
    public static void Band(int task, int bandsPerChannel, int height, out int channel, out int firstRow, out int endRow)
    {
        channel = task / bandsPerChannel;
        int b = task % bandsPerChannel;
        firstRow = (int)((long)height * b / bandsPerChannel);
        endRow = (int)((long)height * (b + 1) / bandsPerChannel);
    }

    /// <summary>
    /// How many row bands per channel: enough tasks to keep every core busy (the 2·cores bound
    /// balances 3 channels on 2 cores), but bands of at least 32 rows so the 10-row halo each band
    /// filters again stays a small overhead.
    /// </summary>
    public static int BandsPerChannel(int channels, int height, int width)
    {
        if ((long)channels * height * width < ParallelThreshold || Environment.ProcessorCount == 1) return 1;
        int wanted = (2 * Environment.ProcessorCount + channels - 1) / channels;
        return Math.Clamp(wanted, 1, Math.Max(1, height / 32));
    }

    /// <summary>Below this many samples the passes run on the calling thread.</summary>
    public const long ParallelThreshold = 1 << 15;
}
