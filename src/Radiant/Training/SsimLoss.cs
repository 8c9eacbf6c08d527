using System.Runtime.CompilerServices;
using Radiant.Evaluation;
using Radiant.Imaging;
using Radiant.Mathematics;

namespace Radiant.Training;

/// <summary>
/// Mean SSIM (<see cref="Ssim"/>) together with its analytic gradient with respect to the first
/// (rendered) image x. SSIM at pixel p depends on x only through the local moments μx = G*x,
/// E[x²] = G*x² and E[xy] = G*(x·y), so with the per-pixel derivatives the forward pass stores,
/// <code>
///   ∂S̄/∂x_q = Σ_p G(p−q)·[∂S_p/∂μx + 2·x_q·∂S_p/∂E[x²] + y_q·∂S_p/∂E[xy]]
///           = (G*a)_q + 2·x_q·(G*b)_q + y_q·(G*c)_q,
/// </code>
/// where a, b, c are those derivatives times w_p / (channels·Σw), and the window's adjoint is the
/// window itself (it is symmetric, and zero padding transposes to zero padding). The backward pass
/// is three more separable convolutions, streamed like the forward one.
/// An instance owns its workspace and is not thread-safe.
/// </summary>
public sealed unsafe class SsimLoss
{
    private const int R = GaussianWindow.Radius;
    private const int Planes = 3;

    private readonly Ssim _ssim;
    private readonly Action<int> _backwardBand;

    public SsimLoss() : this(FloatVector.Best) { }

    internal SsimLoss(SimdWidth simd)
    {
        _ssim = new Ssim(simd);
        _backwardBand = simd switch
        {
            SimdWidth.V512 => BackwardBand<F512>,
            SimdWidth.V256 => BackwardBand<F256>,
            SimdWidth.V128 => BackwardBand<F128>,
            _ => BackwardBand<F1>,
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
        _ssim.Forward(x, y, weight, width, height, channels, true, (float)(ssimCoefficient / n));
        _ssim.Current.Gradient = gradient;
        _ssim.Current.L1Scale = (float)(l1Coefficient / n);
        _ssim.RunBands(_backwardBand);
        return (_ssim.SsimSum / n, _ssim.L1Sum / n, _ssim.SquaredErrorSum / ((double)channels * width * height));
    }

    /// <summary>One band of rows of one channel: filter the three moment-gradient maps and combine them with x and y.</summary>
    private void BackwardBand<TV>(int task) where TV : unmanaged, IFloatVector<TV>
    {
        Ssim.Frame f = _ssim.Current;
        GaussianWindow.Band(task, f.BandsPerChannel, f.Height, out int c, out int firstRow, out int endRow);
        Ssim.BandWorkspace ws = _ssim.Band(task);
        int w = f.Width, h = f.Height, pw = GaussianWindow.PaddedLength(w);
        long plane = (long)w * h;
        long mapPlaneStride = (long)f.Channels * h * pw;
        float* maps = _ssim.MomentGradientPlanes + (long)c * h * pw;   // zero-padded rows of stride pw
        float* ring = ws.Ring;   // slot of row r: r mod 11, Planes rows of width w

        var args = new CombineArgs { Width = w, L1Scale = f.L1Scale };
        float* tapWeights = stackalloc float[GaussianWindow.Size];
        float** tapRows = stackalloc float*[GaussianWindow.Size];
        args.TapWeights = tapWeights;
        args.TapRows = tapRows;

        int nextRow = Math.Max(0, firstRow - R);
        for (int row = firstRow; row < endRow; row++)
        {
            for (int last = Math.Min(h - 1, row + R); nextRow <= last; nextRow++)
            {
                float* slot = ring + (nextRow % GaussianWindow.Size) * Planes * w;
                for (int p = 0; p < Planes; p++)
                    GaussianWindow.FilterRow<TV>(maps + p * mapPlaneStride + (long)nextRow * pw, slot + p * w, w);
            }

            GaussianWindow.VerticalTaps(row, h, out int k0, out int k1);
            args.TapCount = k1 - k0 + 1;
            for (int k = k0; k <= k1; k++)
            {
                tapWeights[k - k0] = GaussianWindow.Taps[k];
                tapRows[k - k0] = ring + ((row - R + k) % GaussianWindow.Size) * Planes * w;
            }
            long offset = c * plane + (long)row * w;
            args.X = f.X + offset;
            args.Y = f.Y + offset;
            args.Weight = f.Weight + (long)row * f.WeightRowStride;
            args.Gradient = f.Gradient + offset;
            int i = CombineSpan<TV>(ref args, 0);
            CombineSpan<F1>(ref args, i);
        }
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
