using System.Runtime.CompilerServices;
using Radiant.Evaluation;
using Radiant.Imaging;
using Radiant.Mathematics;

namespace Radiant.Training;

/// <summary>
/// Mean SSIM (<see cref="Ssim"/>) together with its analytic gradient with respect to the first
/// (rendered) image x. SSIM at pixel p depends on x only through the local moments μx = G*x,
/// E[x²] = G*x² and E[xy] = G*(x·y), so with the per-pixel derivatives the forward pass makes,
/// <code>
///   ∂S̄/∂x_q = Σ_p G(p−q)·[∂S_p/∂μx + 2·x_q·∂S_p/∂E[x²] + y_q·∂S_p/∂E[xy]]
///           = (G*a)_q + 2·x_q·(G*b)_q + y_q·(G*c)_q,
/// </code>
/// where a, b, c are those derivatives times w_p / (channels·Σw), and the window's adjoint is the
/// window itself (it is symmetric, and zero padding transposes to zero padding). The backward pass
/// is three more separable convolutions, streamed behind the forward one in the same band task: each
/// row's a, b, c are filtered horizontally as soon as the forward makes them, and a gradient row is
/// written as soon as the 11 rows its vertical window needs are there. A band makes the forward rows
/// of its 5-row halo too (the forward's own window then reads 10 rows past the band).
/// An instance owns its workspace and is not thread-safe.
/// </summary>
public sealed unsafe class SsimLoss
{
    private const int R = GaussianWindow.Radius;
    private const int Planes = 3;

    private readonly Ssim _ssim;
    private readonly Action<int> _band;

    public SsimLoss() : this(FloatVector.Best) { }

    internal SsimLoss(SimdWidth simd)
    {
        _ssim = new Ssim(simd);
        _band = simd switch
        {
            SimdWidth.V512 => Band<F512>,
            SimdWidth.V256 => Band<F256>,
            SimdWidth.V128 => Band<F128>,
            _ => Band<F1>,
        };
    }

    /// <summary>Returns mean SSIM(x, y) and overwrites <paramref name="gradient"/> with ∂SSIM/∂x (planar, the shape of x).</summary>
    public double ValueAndGradient(Image x, Image y, Image gradient, ReadOnlySpan<float> weight = default)
    {
        Ssim.CheckSameShape(x, y);
        Ssim.CheckSameShape(x, gradient);
        return ValueAndGradient(x.Data, y.Data, x.Width, x.Height, x.Channels, gradient.Data, weight);
    }

    /// <summary>
    /// Returns mean SSIM(x, y) of planar channels×height×width buffers and overwrites
    /// <paramref name="gradient"/> with ∂SSIM/∂x. <paramref name="weight"/> is empty or height×width.
    /// </summary>
    public double ValueAndGradient(ReadOnlySpan<float> x, ReadOnlySpan<float> y, int width, int height, int channels,
        Span<float> gradient, ReadOnlySpan<float> weight = default)
    {
        Ssim.CheckShape(x, y, width, height, channels, weight);
        if (gradient.Length != x.Length) throw new ArgumentException("gradient buffer differs in size from the image");
        fixed (float* px = x, py = y, pw = weight, pg = gradient)
            return Evaluate(px, py, weight.IsEmpty ? null : pw, Ssim.WeightSum(weight, width, height), width, height, channels, pg, 1, 0).Ssim;
    }

    /// <summary>
    /// One forward and backward pass: returns the (weighted) means of SSIM and |x − y|, the unweighted
    /// mean of (x − y)² (0 with zero total weight, like the others), and writes
    /// gradient = ssimCoefficient·∂SSIM/∂x + l1Coefficient·∂L1/∂x, where L1 is the mean |x − y|
    /// (∂|d|/∂x = sign(d), 0 at d = 0 as torch). With zero total weight both means are 0 and so is the gradient.
    /// </summary>
    internal (double Ssim, double L1, double Mse) Evaluate(float* x, float* y, float* weight, double weightSum, int width, int height, int channels,
        float* gradient, float ssimCoefficient, float l1Coefficient)
    {
        double n = channels * weightSum;
        if (!(n > 0))
        {
            new Span<float>(gradient, width * height * channels).Clear();
            return (0, 0, 0);
        }
        _ssim.Begin(x, y, weight, width, height, channels, loss: true, (float)(ssimCoefficient / n));
        _ssim.Current.Gradient = gradient;
        _ssim.Current.L1Scale = (float)(l1Coefficient / n);
        _ssim.RunBands(_band);
        _ssim.EndSums();
        return (_ssim.SsimSum / n, _ssim.L1Sum / n, _ssim.SquaredErrorSum / ((double)channels * width * height));
    }

    /// <summary>
    /// One band of rows of one channel: the forward rows of the band and its halo, each row's three
    /// moment gradients filtered horizontally into the ring, and each gradient row of the band combined
    /// from the ring as soon as its window's rows are in it.
    /// </summary>
    private void Band<TV>(int task) where TV : unmanaged, IFloatVector<TV>
    {
        Ssim.Frame f = _ssim.Current;
        GaussianWindow.Band(task, f.BandsPerChannel, f.Height, out int c, out int firstRow, out int endRow);
        Ssim.BandWorkspace ws = _ssim.Band(task);
        int w = f.Width, h = f.Height, pw = GaussianWindow.PaddedLength(w);
        long plane = (long)w * h;
        float* rows = ws.GradientRows;   // the row just made: three zero-padded rows of stride pw
        float* ring = ws.GradientRing;   // slot of row r: r mod 11, Planes rows of width w
        for (int p = 0; p < Planes; p++) Ssim.ClearEdges(rows + p * pw, w);   // the forward writes only the w samples

        int forwardFirst = Math.Max(0, firstRow - R), forwardEnd = Math.Min(h, endRow + R);
        var forward = new Ssim.ForwardRows(f, ws, c, forwardFirst, stackalloc float[GaussianWindow.Size], stackalloc nint[GaussianWindow.Size]);
        var args = new CombineArgs { Width = w, L1Scale = f.L1Scale };
        float* tapWeights = stackalloc float[GaussianWindow.Size];
        float** tapRows = stackalloc float*[GaussianWindow.Size];
        args.TapWeights = tapWeights;
        args.TapRows = tapRows;

        double ssimSum = 0, l1Sum = 0, squaredSum = 0;
        int nextOut = firstRow;
        for (int row = forwardFirst; row < forwardEnd; row++)
        {
            Ssim.RowSums sums = forward.Next<TV>(row, rows + R, pw);
            if (row >= firstRow && row < endRow)
            {
                ssimSum += sums.Ssim;
                l1Sum += sums.L1;
                squaredSum += sums.SquaredError;
            }
            float* slot = ring + (row % GaussianWindow.Size) * Planes * w;
            for (int p = 0; p < Planes; p++) GaussianWindow.FilterRow<TV>(rows + p * pw, slot + p * w, w);

            // Gradient rows whose vertical window (rows out − 5 … out + 5 in the image) is now complete.
            for (; nextOut < endRow && Math.Min(h - 1, nextOut + R) <= row; nextOut++)
            {
                args.TapCount = GaussianWindow.RingTaps(nextOut, h, ring, Planes * w, tapWeights, tapRows);
                long offset = c * plane + (long)nextOut * w;
                args.X = f.X + offset;
                args.Y = f.Y + offset;
                args.Weight = f.Weight + (long)nextOut * f.WeightRowStride;
                args.Gradient = f.Gradient + offset;
                int i = CombineSpan<TV>(ref args, 0);
                CombineSpan<F1>(ref args, i);
            }
        }
        _ssim.RecordBand(task, ssimSum, l1Sum, squaredSum);
    }

    /// <summary>
    /// Vertical pass of the three maps and the gradient of one output row from <paramref name="i"/> on:
    /// dx = G*a + 2x·(G*b) + y·(G*c) + l1Scale·w·sign(x − y).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int CombineSpan<TV>(ref CombineArgs a, int i) where TV : unmanaged, IFloatVector<TV>
    {
        int w = a.Width, taps = a.TapCount;
        float** tapRows = a.TapRows;
        float* tapWeights = a.TapWeights;
        nint s1 = w, s2 = 2 * w;   // the three map rows of a ring slot
        TV two = TV.Create(2f), l1Scale = TV.Create(a.L1Scale);
        for (; i + TV.Count <= w; i += TV.Count)
        {
            TV g_dmu = TV.Create(0f), g_dxx = g_dmu, g_dxy = g_dmu;
            for (int t = 0; t < taps; t++)
            {
                TV g = TV.Create(tapWeights[t]);
                float* r = tapRows[t] + i;
                g_dmu = TV.MultiplyAdd(g, TV.Load(r), g_dmu);
                g_dxx = TV.MultiplyAdd(g, TV.Load(r + s1), g_dxx);
                g_dxy = TV.MultiplyAdd(g, TV.Load(r + s2), g_dxy);
            }
            TV x = TV.Load(a.X + i), y = TV.Load(a.Y + i);
            TV dx = g_dmu + two * x * g_dxx + y * g_dxy;
            dx = TV.MultiplyAdd(l1Scale * TV.Load(a.Weight + i), TV.Sign(x - y), dx);
            dx.Store(a.Gradient + i);
        }
        return i;
    }

    private struct CombineArgs
    {
        public float** TapRows;
        public float* TapWeights;
        public int TapCount, Width;
        public float* X, Y, Weight, Gradient;
        public float L1Scale;
    }
}
