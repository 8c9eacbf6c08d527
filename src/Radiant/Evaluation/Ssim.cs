using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Radiant.Imaging;
using Radiant.Mathematics;
using Radiant.Rendering;

namespace Radiant.Evaluation;

/// <summary>
/// Structural similarity (Wang et al. 2004) exactly as the reference 3DGS <c>ssim()</c>: for each
/// channel, local moments under an 11×11 Gaussian window (σ = 1.5, zero padding, same size)
/// <code>
///   μx = G*x,  μy = G*y,  σx² = G*x² − μx²,  σy² = G*y² − μy²,  σxy = G*(x·y) − μx·μy
///   S  = (2μxμy + C1)(2σxy + C2) / ((μx² + μy² + C1)(σx² + σy² + C2)),  C1 = 0.01², C2 = 0.03²
/// </code>
/// and the result is the mean of S over all pixels and channels. With a per-pixel weight w (a mask)
/// it is the weighted mean Σ w·S / (channels · Σ w); windows still read masked-out neighbours.
/// <para>
/// Inputs are planar channels×height×width floats (as <see cref="Image"/>). The separable filter
/// streams each band of rows through a ring of 11 horizontally filtered rows, so the moment maps
/// (μx, μy, G*(x² + y²), G*(x·y): S needs σx² + σy² only as a sum) are never stored; bands of all
/// channels run on all cores. An instance owns its workspace (grown on demand, then reused without
/// allocating) and is not thread-safe.
/// </para>
/// </summary>
public sealed unsafe class Ssim
{
    public const float C1 = 0.01f * 0.01f;
    public const float C2 = 0.03f * 0.03f;
    public const int WindowSize = GaussianWindow.Size;
    public const double WindowSigma = GaussianWindow.Sigma;

    private const int R = GaussianWindow.Radius;
    // μx, μy, E[x² + y²], E[xy] (E[·] = G*·): S needs σx² and σy² only as their sum, σx² + σy² =
    // E[x² + y²] − μx² − μy², so the window filters x² + y² once instead of x² and y² apart.
    private const int Moments = 4;
    private const int MomentGradients = 3;  // ∂S/∂μx, ∂S/∂E[x²], ∂S/∂E[xy]

    internal readonly SimdWidth Simd;
    private readonly Action<int> _forwardBand;

    // Workspace, reused across calls.
    private BandWorkspace[] _bands = [];
    private float[] _ones = [];
    private double[] _ssimSums = [], _l1Sums = [], _squaredErrorSums = [];

    /// <summary>The call in progress (the passes run as band tasks that read it).</summary>
    internal Frame Current;

    public Ssim() : this(FloatVector.Best) { }

    internal Ssim(SimdWidth simd)
    {
        Simd = simd;
        _forwardBand = simd switch
        {
            SimdWidth.V512 => ForwardBand<F512>,
            SimdWidth.V256 => ForwardBand<F256>,
            SimdWidth.V128 => ForwardBand<F128>,
            _ => ForwardBand<F1>,
        };
    }

    /// <summary>Mean SSIM of two images of the same size and channel count (no clamping).</summary>
    public double Compute(Image x, Image y, ReadOnlySpan<float> weight = default)
    {
        CheckSameShape(x, y);
        return Compute(x.Data, y.Data, x.Width, x.Height, x.Channels, weight);
    }

    /// <summary>Mean SSIM of planar channels×height×width buffers; <paramref name="weight"/> is empty or height×width (0 when the weights sum to 0).</summary>
    public double Compute(ReadOnlySpan<float> x, ReadOnlySpan<float> y, int width, int height, int channels, ReadOnlySpan<float> weight = default)
    {
        CheckShape(x, y, width, height, channels, weight);
        fixed (float* px = x, py = y, pw = weight)
        {
            double weightSum = WeightSum(weight, width, height);
            if (weightSum <= 0) return 0;
            Forward(px, py, weight.IsEmpty ? null : pw, width, height, channels);
            return SsimSum / (channels * weightSum);
        }
    }

    /// <summary>Mean SSIM of two images with one call (allocates a workspace).</summary>
    public static double Of(Image x, Image y) => new Ssim().Compute(x, y);

    // ---------------------------------------------------------------------------------------
    // Forward pass (also used by the loss)

    /// <summary>Σ w·S over all pixels and channels of the last forward pass.</summary>
    internal double SsimSum { get; private set; }
    /// <summary>Σ w·|x − y| over all samples of the last forward pass.</summary>
    internal double L1Sum { get; private set; }
    /// <summary>Σ (x − y)² over all samples of the last forward pass, unweighted (the MSE behind a training PSNR).</summary>
    internal double SquaredErrorSum { get; private set; }

    /// <summary>Runs the forward pass (the sums above).</summary>
    internal void Forward(float* x, float* y, float* weight, int width, int height, int channels)
    {
        Begin(x, y, weight, width, height, channels, loss: false, 0);
        RunBands(_forwardBand);
        EndSums();
    }

    /// <summary>
    /// Sets up a call (<see cref="Current"/>, the workspace) whose band tasks then run through
    /// <see cref="RunBands"/>, record their sums with <see cref="RecordBand"/>, and <see cref="EndSums"/>
    /// totals them. The bands of a <paramref name="loss"/> call also get the buffers of the streamed
    /// backward (<see cref="BandWorkspace.GradientRows"/>, <see cref="BandWorkspace.GradientRing"/>);
    /// k = <paramref name="gradientScale"/> multiplies the moment gradients it makes.
    /// </summary>
    internal void Begin(float* x, float* y, float* weight, int width, int height, int channels, bool loss, float gradientScale)
    {
        Prepare(width, height, channels, loss);
        Current = new Frame
        {
            X = x, Y = y, Weight = weight != null ? weight : Ptr(_ones), WeightRowStride = weight is null ? 0 : width,
            Width = width, Height = height, Channels = channels,
            BandsPerChannel = GaussianWindow.BandsPerChannel(channels, height, width),
            GradientScale = gradientScale,
        };
    }

    /// <summary>A band task's Σ w·S, Σ w·|x − y| and Σ (x − y)² over its rows.</summary>
    internal void RecordBand(int task, double ssim, double l1, double squaredError)
    {
        _ssimSums[task] = ssim; _l1Sums[task] = l1; _squaredErrorSums[task] = squaredError;
    }

    /// <summary>Totals the band tasks' sums into <see cref="SsimSum"/>, <see cref="L1Sum"/> and <see cref="SquaredErrorSum"/>.</summary>
    internal void EndSums()
    {
        double s = 0, l1 = 0, squared = 0;
        for (int t = 0; t < Current.Tasks; t++) { s += _ssimSums[t]; l1 += _l1Sums[t]; squared += _squaredErrorSums[t]; }
        SsimSum = s; L1Sum = l1; SquaredErrorSum = squared;
    }

    internal BandWorkspace Band(int task) => _bands[task];

    /// <summary>
    /// Runs the band tasks of the current call: for large images on the kernel workers (all cores,
    /// bands taken from a shared counter; nothing allocated, unlike Parallel.For), else on this thread.
    /// </summary>
    internal void RunBands(Action<int> band)
    {
        int tasks = Current.Tasks;
        if ((long)Current.Channels * Current.Height * Current.Width < GaussianWindow.ParallelThreshold || KernelPool.Shared.Workers == 1)
        {
            for (int t = 0; t < tasks; t++) band(t);
            return;
        }
        _band = band;
        _bandTasks = tasks;
        _nextBand = 0;
        try { KernelPool.Shared.Run(_bandJob ??= BandWorker); }
        finally { _band = null; }
    }

    private Action<int>? _band, _bandJob;
    private int _bandTasks, _nextBand;

    private void BandWorker(int worker)
    {
        for (int t = Interlocked.Increment(ref _nextBand) - 1; t < _bandTasks; t = Interlocked.Increment(ref _nextBand) - 1) _band!(t);
    }

    private void Prepare(int width, int height, int channels, bool gradient)
    {
        int tasks = channels * GaussianWindow.BandsPerChannel(channels, height, width);
        if (_bands.Length < tasks)
        {
            Array.Resize(ref _bands, tasks);
            _ssimSums = new double[tasks];
            _l1Sums = new double[tasks];
            _squaredErrorSums = new double[tasks];
        }
        for (int t = 0; t < tasks; t++)
        {
            if (_bands[t] is null || _bands[t].Width < width) _bands[t] = new BandWorkspace(width);
            if (gradient) _bands[t].EnsureGradientBuffers();
        }
        if (_ones.Length < width)
        {
            _ones = GC.AllocateArray<float>(width, pinned: true);
            Array.Fill(_ones, 1f);
        }
    }

    /// <summary>One band of rows of one channel: stream the moment rows through the ring, then the per-pixel SSIM.</summary>
    private void ForwardBand<TV>(int task) where TV : unmanaged, IFloatVector<TV>
    {
        Frame f = Current;
        GaussianWindow.Band(task, f.BandsPerChannel, f.Height, out int c, out int firstRow, out int endRow);
        var rows = new ForwardRows(f, _bands[task], c, firstRow, stackalloc float[GaussianWindow.Size], stackalloc nint[GaussianWindow.Size]);
        double ssimSum = 0, l1Sum = 0, squaredSum = 0;
        for (int row = firstRow; row < endRow; row++)
        {
            RowSums sums = rows.Next<TV>(row, null);
            ssimSum += sums.Ssim;
            l1Sum += sums.L1;
            squaredSum += sums.SquaredError;
        }
        RecordBand(task, ssimSum, l1Sum, squaredSum);
    }

    /// <summary>
    /// The forward pass of one channel's rows, asked for in increasing order (a band task's state):
    /// each row runs the horizontal pass of the rows its window needs that are not in the ring yet,
    /// then the vertical pass and the per-pixel SSIM. The tap buffers are the caller's (stack) memory.
    /// </summary>
    internal ref struct ForwardRows
    {
        private readonly Frame _f;
        private readonly float* _ring, _pad, _tapWeights;
        private readonly float** _tapRows;
        private readonly int _c;
        private int _nextRow;

        public ForwardRows(in Frame f, BandWorkspace ws, int c, int firstRow, Span<float> tapWeights, Span<nint> tapRows)
        {
            _f = f;
            _ring = ws.Ring;          // slot s (row r at slot r mod 11) holds Moments rows of width w
            _pad = ws.Padded;         // Moments zero-padded input rows of width + 10
            _c = c;
            _nextRow = Math.Max(0, firstRow - R);
            _tapWeights = (float*)Unsafe.AsPointer(ref MemoryMarshal.GetReference(tapWeights));
            _tapRows = (float**)Unsafe.AsPointer(ref MemoryMarshal.GetReference(tapRows));
        }

        /// <summary>
        /// Row <paramref name="row"/>'s sums; with <paramref name="momentGradients"/> (three rows of
        /// width w, <paramref name="rowStride"/> floats apart) also k·w·∂S/∂μx, k·w·∂S/∂E[x²] and
        /// k·w·∂S/∂E[xy] of its pixels (k = the frame's gradient scale; see <see cref="PixelSpan"/>).
        /// </summary>
        public RowSums Next<TV>(int row, float* momentGradients, int rowStride = 0) where TV : unmanaged, IFloatVector<TV>
        {
            int w = _f.Width, h = _f.Height;
            long plane = (long)w * h;
            // Horizontal pass for every row the vertical window of this row needs.
            for (int last = Math.Min(h - 1, row + R); _nextRow <= last; _nextRow++)
                FilterMomentRow<TV>(_f.X + _c * plane + _nextRow * w, _f.Y + _c * plane + _nextRow * w, w, _pad,
                                    _ring + (_nextRow % GaussianWindow.Size) * Moments * w);

            var args = new PixelArgs { Width = w, C1 = C1, C2 = C2, GradientScale = _f.GradientScale, TapWeights = _tapWeights, TapRows = _tapRows };
            args.TapCount = GaussianWindow.RingTaps(row, h, _ring, Moments * w, _tapWeights, _tapRows);
            long offset = _c * plane + (long)row * w;
            args.X = _f.X + offset;
            args.Y = _f.Y + offset;
            args.Weight = _f.Weight + (long)row * _f.WeightRowStride;
            if (momentGradients is not null)
            {
                args.DMu = momentGradients;
                args.DXX = momentGradients + rowStride;
                args.DXY = momentGradients + 2 * rowStride;
            }
            var rowSums = new RowSums();
            int i = PixelSpan<TV>(ref args, 0, ref rowSums);
            PixelSpan<F1>(ref args, i, ref rowSums);
            return rowSums;
        }
    }

    /// <summary>One row's sums (in float, added into the band's double sums row by row): Σ w·S, Σ w·|x − y|, Σ (x − y)².</summary>
    internal struct RowSums
    {
        public float Ssim, L1, SquaredError;
    }

    /// <summary>Horizontal pass of one image row: the four signals x, y, x² + y², x·y, zero-padded, each filtered by g.</summary>
    private static void FilterMomentRow<TV>(float* xRow, float* yRow, int w, float* pad, float* dst) where TV : unmanaged, IFloatVector<TV>
    {
        int pw = GaussianWindow.PaddedLength(w);
        float* px = pad, py = pad + pw, psq = pad + 2 * pw, pxy = pad + 3 * pw;
        // Zero padding: R zeros each side of every signal row (cleared each time: the buffer is shared by calls of any width).
        for (int s = 0; s < Moments; s++) ClearEdges(pad + s * pw, w);
        Buffer.MemoryCopy(xRow, px + R, w * sizeof(float), w * sizeof(float));
        Buffer.MemoryCopy(yRow, py + R, w * sizeof(float), w * sizeof(float));
        int i = ProductSpan<TV>(px + R, py + R, psq + R, pxy + R, 0, w);
        ProductSpan<F1>(px + R, py + R, psq + R, pxy + R, i, w);
        for (int s = 0; s < Moments; s++) GaussianWindow.FilterRow<TV>(pad + s * pw, dst + s * w, w);
    }

    /// <summary>Zeros the R samples before and after the <paramref name="w"/> samples of a padded row.</summary>
    internal static void ClearEdges(float* padded, int w)
    {
        new Span<float>(padded, R).Clear();
        new Span<float>(padded + R + w, R).Clear();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int ProductSpan<TV>(float* x, float* y, float* squares, float* xy, int i, int n) where TV : unmanaged, IFloatVector<TV>
    {
        for (; i + TV.Count <= n; i += TV.Count)
        {
            TV a = TV.Load(x + i), b = TV.Load(y + i);
            TV.MultiplyAdd(a, a, b * b).Store(squares + i);
            (a * b).Store(xy + i);
        }
        return i;
    }

    /// <summary>
    /// Vertical pass and per-pixel SSIM for one output row from index <paramref name="i"/> on, in
    /// vectors of TV (returns where it stopped). With a gradient scale k it also writes the
    /// derivatives of S with respect to the moments of x that the backward pass convolves:
    /// <code>
    ///   ∂S/∂μx|σ = 2·cs·(μy − μx·l/L) / L    (l, L: luminance numerator/denominator; cs = (2σxy+C2)/(σx²+σy²+C2))
    ///   ∂S/∂σx²  = −S / (σx² + σy² + C2)
    ///   ∂S/∂σxy  = 2·l / (L·(σx² + σy² + C2))
    ///   σx² = E[x²] − μx², σxy = E[xy] − μxμy  ⇒
    ///   ∂S/∂μx = ∂S/∂μx|σ − 2μx·∂S/∂σx² − μy·∂S/∂σxy,  ∂S/∂E[x²] = ∂S/∂σx²,  ∂S/∂E[xy] = ∂S/∂σxy
    /// </code>
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int PixelSpan<TV>(ref PixelArgs a, int i, ref RowSums sums) where TV : unmanaged, IFloatVector<TV>
    {
        TV one = TV.Create(1f), two = TV.Create(2f), c1 = TV.Create(a.C1), c2 = TV.Create(a.C2), k = TV.Create(a.GradientScale);
        TV ssimAcc = TV.Create(0f), l1Acc = ssimAcc, squaredAcc = ssimAcc;
        int w = a.Width, taps = a.TapCount;
        float** tapRows = a.TapRows;
        float* tapWeights = a.TapWeights;
        nint s1 = w, s2 = 2 * w, s3 = 3 * w;   // the four moment rows of a ring slot
        bool gradient = a.DMu is not null;
        for (; i + TV.Count <= w; i += TV.Count)
        {
            // Local moments: vertical pass over the ring of horizontally filtered rows.
            TV mu_x = TV.Create(0f), mu_y = mu_x, e_sq = mu_x, e_xy = mu_x;
            for (int t = 0; t < taps; t++)
            {
                TV g = TV.Create(tapWeights[t]);
                float* r = tapRows[t] + i;
                mu_x = TV.MultiplyAdd(g, TV.Load(r), mu_x);
                mu_y = TV.MultiplyAdd(g, TV.Load(r + s1), mu_y);
                e_sq = TV.MultiplyAdd(g, TV.Load(r + s2), e_sq);
                e_xy = TV.MultiplyAdd(g, TV.Load(r + s3), e_xy);
            }
            TV mu_x2 = mu_x * mu_x, mu_y2 = mu_y * mu_y, mu_xy = mu_x * mu_y;
            TV sigma_sum = e_sq - mu_x2 - mu_y2, sigma_xy = e_xy - mu_xy;   // σx² + σy², σxy

            TV lum_num = TV.MultiplyAdd(two, mu_xy, c1);        // 2μxμy + C1
            TV lum_den = mu_x2 + mu_y2 + c1;                     // μx² + μy² + C1
            TV cs_num = TV.MultiplyAdd(two, sigma_xy, c2);      // 2σxy + C2
            TV cs_den = sigma_sum + c2;                          // σx² + σy² + C2
            TV inv_den = one / (lum_den * cs_den);
            TV ssim = lum_num * cs_num * inv_den;

            TV weight = TV.Load(a.Weight + i);
            ssimAcc = TV.MultiplyAdd(weight, ssim, ssimAcc);
            TV error = TV.Load(a.X + i) - TV.Load(a.Y + i);
            l1Acc = TV.MultiplyAdd(weight, TV.Abs(error), l1Acc);
            squaredAcc = TV.MultiplyAdd(error, error, squaredAcc);

            if (gradient)
            {
                TV inv_lum_den = cs_den * inv_den, inv_cs_den = lum_den * inv_den;
                TV dS_dsigma_x2 = TV.Create(0f) - ssim * inv_cs_den;
                TV dS_dsigma_xy = two * lum_num * inv_den;
                TV dS_dmu_x_at_sigma = two * cs_num * inv_cs_den * (mu_y - mu_x * lum_num * inv_lum_den) * inv_lum_den;
                TV dS_dmu_x = dS_dmu_x_at_sigma - two * mu_x * dS_dsigma_x2 - mu_y * dS_dsigma_xy;
                TV kw = k * weight;
                (kw * dS_dmu_x).Store(a.DMu + i);
                (kw * dS_dsigma_x2).Store(a.DXX + i);
                (kw * dS_dsigma_xy).Store(a.DXY + i);
            }
        }
        sums.Ssim += TV.Sum(ssimAcc);
        sums.L1 += TV.Sum(l1Acc);
        sums.SquaredError += TV.Sum(squaredAcc);
        return i;
    }

    // ---------------------------------------------------------------------------------------

    internal static double WeightSum(ReadOnlySpan<float> weight, int width, int height) =>
        weight.IsEmpty ? (double)width * height : System.Numerics.Tensors.TensorPrimitives.Sum(weight);

    internal static void CheckSameShape(Image x, Image y)
    {
        if (x.Width != y.Width || x.Height != y.Height || x.Channels != y.Channels)
            throw new ArgumentException($"images differ in shape: {x.Width}x{x.Height}x{x.Channels} vs {y.Width}x{y.Height}x{y.Channels}");
    }

    internal static void CheckShape(ReadOnlySpan<float> x, ReadOnlySpan<float> y, int width, int height, int channels, ReadOnlySpan<float> weight)
    {
        if (width <= 0 || height <= 0 || channels <= 0) throw new ArgumentOutOfRangeException(nameof(width), $"shape {width}x{height}x{channels}");
        long n = (long)width * height * channels;
        if (x.Length != n || y.Length != n) throw new ArgumentException($"buffers of {x.Length} and {y.Length} floats for a {width}x{height}x{channels} image");
        if (!weight.IsEmpty && weight.Length != (long)width * height) throw new ArgumentException($"weight has {weight.Length} floats, expected {width}x{height}");
    }

    internal static float* Ptr(float[] pinned) => (float*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(pinned));

    /// <summary>Arguments of one call, shared by its band tasks.</summary>
    internal struct Frame
    {
        public float* X, Y, Weight, Gradient;
        public int WeightRowStride;
        public int Width, Height, Channels, BandsPerChannel;
        public float GradientScale;   // k: multiplies the moment gradients a loss call makes
        public float L1Scale;         // backward: multiplies w·sign(x − y)
        public readonly int Tasks => Channels * BandsPerChannel;
    }

    /// <summary>Pointers for one output row of the per-pixel kernel.</summary>
    private struct PixelArgs
    {
        public float** TapRows;
        public float* TapWeights;
        public int TapCount, Width;
        public float* X, Y, Weight, DMu, DXX, DXY;
        public float C1, C2, GradientScale;
    }

    /// <summary>
    /// Per-task buffers (pinned, so the kernels use raw pointers): the ring of 11 filtered rows and the
    /// padded input rows; for the loss also the rows of the streamed backward.
    /// </summary>
    internal sealed class BandWorkspace
    {
        public readonly int Width;
        private readonly float[] _ring, _padded;
        private float[] _gradientRows = [], _gradientRing = [];

        public BandWorkspace(int width)
        {
            Width = width;
            _ring = GC.AllocateArray<float>(GaussianWindow.Size * Moments * width, pinned: true);
            _padded = GC.AllocateArray<float>(Moments * GaussianWindow.PaddedLength(width), pinned: true);
        }

        /// <summary>Room for 11 slots of up to four rows of <see cref="Width"/> floats.</summary>
        public float* Ring => Ptr(_ring);

        /// <summary>Room for four zero-padded rows of stride width + 10 (for the width of the current call).</summary>
        public float* Padded => Ptr(_padded);

        /// <summary>Allocates the loss's buffers below (once per workspace).</summary>
        public void EnsureGradientBuffers()
        {
            if (_gradientRing.Length > 0) return;
            _gradientRows = GC.AllocateArray<float>(MomentGradients * GaussianWindow.PaddedLength(Width), pinned: true);
            _gradientRing = GC.AllocateArray<float>(GaussianWindow.Size * MomentGradients * Width, pinned: true);
        }

        /// <summary>The moment gradients of the row just made: three zero-padded rows of stride width + 10 (the loss's).</summary>
        public float* GradientRows => Ptr(_gradientRows);

        /// <summary>11 slots (row r at slot r mod 11) of the three moment-gradient rows filtered horizontally, of width w (the loss's).</summary>
        public float* GradientRing => Ptr(_gradientRing);
    }
}
