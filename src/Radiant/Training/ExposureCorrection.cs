using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Radiant.Imaging;
using Radiant.Rendering;

namespace Radiant.Training;

/// <summary>
/// A colour correction per training image, learned with the model (<c>train --exposure</c>; the
/// exposure compensation of Hierarchical 3DGS, Kerbl et al. 2024): image i's render C goes through
/// the affine map C′ = clamp(Aᵢ·C + bᵢ, 0, 1) (A 3×3, b 3, starting as the identity; clamped as a
/// camera's sensor clips: a brighter exposure saturates the white background rather than asking the
/// Gaussians to darken it) before the loss, so that photos
/// whose exposure or white balance differ (a phone's automatic settings) need not be explained by
/// the Gaussians, which would otherwise take the differences on as view-dependent colour and floaters.
/// <para>
/// Each image's 12 values take an Adam step when the image is trained on; after each step the mean
/// correction over the images is put back to the identity (every image's values move by the mean's
/// deviation), so the model keeps the images' average appearance: views with no correction of their
/// own (the test views, renders, exports) are rendered as that average.
/// </para>
/// </summary>
public sealed class ExposureCorrection
{
    /// <summary>Values per image: A row-major (a00 a01 a02 a10 … a22), then b.</summary>
    public const int Floats = 12;

    /// <summary>Every image's correction, <see cref="Floats"/> each.</summary>
    public float[] Values => State.Values;
    /// <summary>How many steps each image's correction has taken.</summary>
    public int[] Steps => State.Steps;
    public int Images => State.Views;
    /// <summary>The values with their Adam state (checkpointed).</summary>
    public PerViewAdam State { get; }

    private readonly double[] _gradient = new double[Floats];
    // The pass in hand (Apply or Backward), read by the workers: image index, its colour and the
    // other image (corrected output, or the gradient); the workers' partial sums of the gradient.
    private int _image, _workers;
    private Image? _color, _other;
    private Action<int>? _applyJob, _backwardJob;
    private double[] _partialSums = [];
    /// <summary>Images of at least this many pixels are split over the kernel pool's workers.</summary>
    private const int ParallelPixels = 1 << 16;

    public ExposureCorrection(int images)
    {
        if (images < 1) throw new ArgumentOutOfRangeException(nameof(images));
        State = new PerViewAdam(images, Floats);
        for (int i = 0; i < images; i++) Identity.CopyTo(Values.AsSpan(i * Floats));
    }

    private static ReadOnlySpan<float> Identity => [1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0];

    /// <summary>The gradient of the last <see cref="Backward"/>, dL/d(A, b) of its image.</summary>
    public ReadOnlySpan<double> Gradient => _gradient;

    /// <summary><paramref name="corrected"/> = clamp(A·<paramref name="color"/> + b, 0, 1) per pixel, for image <paramref name="image"/> (planar RGB, same size).</summary>
    public void Apply(int image, Image color, Image corrected)
    {
        CheckImages(color, corrected);
        Run(image, color, corrected, _applyJob ??= ApplyWorker);
    }

    private void ApplyWorker(int worker)
    {
        (int from, int to) = Range(worker);
        ReadOnlySpan<float> m = Values.AsSpan(_image * Floats, Floats);
        var input = new RgbPlanes(_color!);
        var output = new RgbPlanes(_other!);
        int p = from;
        for (; p <= to - Vector256<float>.Count; p += Vector256<float>.Count)
        {
            var cr = Vector256.LoadUnsafe(ref input.R, (nuint)p);
            var cg = Vector256.LoadUnsafe(ref input.G, (nuint)p);
            var cb = Vector256.LoadUnsafe(ref input.B, (nuint)p);
            Clamp(Row(m, 0, cr, cg, cb)).StoreUnsafe(ref output.R, (nuint)p);
            Clamp(Row(m, 1, cr, cg, cb)).StoreUnsafe(ref output.G, (nuint)p);
            Clamp(Row(m, 2, cr, cg, cb)).StoreUnsafe(ref output.B, (nuint)p);
        }
        for (; p < to; p++)
        {
            float cr = Unsafe.Add(ref input.R, p), cg = Unsafe.Add(ref input.G, p), cb = Unsafe.Add(ref input.B, p);
            Unsafe.Add(ref output.R, p) = Math.Clamp(Row(m, 0, cr, cg, cb), 0, 1);
            Unsafe.Add(ref output.G, p) = Math.Clamp(Row(m, 1, cr, cg, cb), 0, 1);
            Unsafe.Add(ref output.B, p) = Math.Clamp(Row(m, 2, cr, cg, cb), 0, 1);
        }
    }

    /// <summary>
    /// Runs <paramref name="job"/> over the pixels: on the kernel pool's workers, each a contiguous
    /// range (multiples of 8 pixels), for an image of at least 64k pixels; else on this thread.
    /// </summary>
    private void Run(int image, Image color, Image other, Action<int> job)
    {
        if ((uint)image >= (uint)Images) throw new ArgumentOutOfRangeException(nameof(image));
        (_image, _color, _other) = (image, color, other);
        _workers = color.PixelCount >= ParallelPixels ? KernelPool.Shared.Workers : 1;
        if (_partialSums.Length < _workers * Floats) _partialSums = new double[_workers * Floats];
        try
        {
            if (_workers == 1) job(0);
            else KernelPool.Shared.Run(job);
        }
        finally { _color = _other = null; }
    }

    /// <summary>Worker <paramref name="worker"/>'s pixels [from, to) of the pass in hand.</summary>
    private (int From, int To) Range(int worker)
    {
        int n = _color!.PixelCount;
        if (worker >= _workers) return (n, n);
        int share = n / _workers / Vector256<float>.Count * Vector256<float>.Count;
        return (worker * share, worker == _workers - 1 ? n : (worker + 1) * share);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Clamp(Vector256<float> x) => Vector256.Min(Vector256.Max(x, Vector256<float>.Zero), Vector256<float>.One);

    /// <summary>dL/dC′ passes the clamp where 0 ≤ A·C + b ≤ 1 (as torch.clamp's gradient), else 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> ThroughClamp(Vector256<float> d, Vector256<float> x) =>
        d & Vector256.GreaterThanOrEqual(x, Vector256<float>.Zero) & Vector256.LessThanOrEqual(x, Vector256<float>.One);

    /// <summary>Output channel <paramref name="c"/>: a_c0·r + a_c1·g + a_c2·b + b_c (8 pixels).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Row(ReadOnlySpan<float> m, int c, Vector256<float> r, Vector256<float> g, Vector256<float> b) =>
        Vector256.FusedMultiplyAdd(Vector256.Create(m[3 * c]), r,
            Vector256.FusedMultiplyAdd(Vector256.Create(m[3 * c + 1]), g,
                Vector256.FusedMultiplyAdd(Vector256.Create(m[3 * c + 2]), b, Vector256.Create(m[9 + c]))));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Row(ReadOnlySpan<float> m, int c, float r, float g, float b) =>
        MathF.FusedMultiplyAdd(m[3 * c], r, MathF.FusedMultiplyAdd(m[3 * c + 1], g, MathF.FusedMultiplyAdd(m[3 * c + 2], b, m[9 + c])));

    /// <summary>
    /// Backward of <see cref="Apply"/> for image <paramref name="image"/>: from dL/dC′ in
    /// <paramref name="gradient"/> and the uncorrected <paramref name="color"/>, with d = dL/dC′ where
    /// the clamp passes it (else 0), dL/dA = Σ_pixels d·Cᵀ and dL/db = Σ_pixels d (kept for
    /// <see cref="Step"/>), and <paramref name="gradient"/> is replaced by dL/dC = Aᵀ·d.
    /// </summary>
    public void Backward(int image, Image color, Image gradient)
    {
        CheckImages(color, gradient);
        Run(image, color, gradient, _backwardJob ??= BackwardWorker);
        // The workers' partial sums, added in worker order (the same total for a given worker count).
        Array.Clear(_gradient);
        for (int w = 0; w < _workers; w++)
            for (int k = 0; k < Floats; k++) _gradient[k] += _partialSums[w * Floats + k];
    }

    private void BackwardWorker(int worker)
    {
        (int from, int to) = Range(worker);
        if (worker >= _workers) return;
        ReadOnlySpan<float> m = Values.AsSpan(_image * Floats, Floats);
        var input = new RgbPlanes(_color!);
        var d = new RgbPlanes(_other!);
        Span<double> total = _partialSums.AsSpan(worker * Floats, Floats);
        total.Clear();
        // Twelve lane sums: dL/dC′_c times r, g, b and 1 (c = 0, 1, 2), in float over blocks of at
        // most 1,024 vectors, then added into the double totals.
        Span<Vector256<float>> sums = stackalloc Vector256<float>[Floats];
        const int Block = 1024 * 8;
        int p = from;
        while (p <= to - Vector256<float>.Count)
        {
            sums.Clear();
            int end = Math.Min(to, p + Block);
            for (; p <= end - Vector256<float>.Count; p += Vector256<float>.Count)
            {
                var cr = Vector256.LoadUnsafe(ref input.R, (nuint)p);
                var cg = Vector256.LoadUnsafe(ref input.G, (nuint)p);
                var cb = Vector256.LoadUnsafe(ref input.B, (nuint)p);
                var d0 = ThroughClamp(Vector256.LoadUnsafe(ref d.R, (nuint)p), Row(m, 0, cr, cg, cb));
                var d1 = ThroughClamp(Vector256.LoadUnsafe(ref d.G, (nuint)p), Row(m, 1, cr, cg, cb));
                var d2 = ThroughClamp(Vector256.LoadUnsafe(ref d.B, (nuint)p), Row(m, 2, cr, cg, cb));
                sums[0] = Vector256.FusedMultiplyAdd(d0, cr, sums[0]); sums[1] = Vector256.FusedMultiplyAdd(d0, cg, sums[1]); sums[2] = Vector256.FusedMultiplyAdd(d0, cb, sums[2]);
                sums[3] = Vector256.FusedMultiplyAdd(d1, cr, sums[3]); sums[4] = Vector256.FusedMultiplyAdd(d1, cg, sums[4]); sums[5] = Vector256.FusedMultiplyAdd(d1, cb, sums[5]);
                sums[6] = Vector256.FusedMultiplyAdd(d2, cr, sums[6]); sums[7] = Vector256.FusedMultiplyAdd(d2, cg, sums[7]); sums[8] = Vector256.FusedMultiplyAdd(d2, cb, sums[8]);
                sums[9] += d0; sums[10] += d1; sums[11] += d2;
                // dL/dC_k = Σ_c a_ck·dL/dC′_c
                Column(m, 0, d0, d1, d2).StoreUnsafe(ref d.R, (nuint)p);
                Column(m, 1, d0, d1, d2).StoreUnsafe(ref d.G, (nuint)p);
                Column(m, 2, d0, d1, d2).StoreUnsafe(ref d.B, (nuint)p);
            }
            for (int k = 0; k < Floats; k++) total[k] += Vector256.Sum(sums[k]);
        }
        for (; p < to; p++)
        {
            float cr = Unsafe.Add(ref input.R, p), cg = Unsafe.Add(ref input.G, p), cb = Unsafe.Add(ref input.B, p);
            float d0 = Passes(Row(m, 0, cr, cg, cb)) ? Unsafe.Add(ref d.R, p) : 0;
            float d1 = Passes(Row(m, 1, cr, cg, cb)) ? Unsafe.Add(ref d.G, p) : 0;
            float d2 = Passes(Row(m, 2, cr, cg, cb)) ? Unsafe.Add(ref d.B, p) : 0;
            total[0] += d0 * cr; total[1] += d0 * cg; total[2] += d0 * cb;
            total[3] += d1 * cr; total[4] += d1 * cg; total[5] += d1 * cb;
            total[6] += d2 * cr; total[7] += d2 * cg; total[8] += d2 * cb;
            total[9] += d0; total[10] += d1; total[11] += d2;
            // (the same fused operations as Column, so a pixel's result does not depend on the split)
            Unsafe.Add(ref d.R, p) = MathF.FusedMultiplyAdd(m[0], d0, MathF.FusedMultiplyAdd(m[3], d1, m[6] * d2));
            Unsafe.Add(ref d.G, p) = MathF.FusedMultiplyAdd(m[1], d0, MathF.FusedMultiplyAdd(m[4], d1, m[7] * d2));
            Unsafe.Add(ref d.B, p) = MathF.FusedMultiplyAdd(m[2], d0, MathF.FusedMultiplyAdd(m[5], d1, m[8] * d2));
        }
    }

    private static bool Passes(float x) => x >= 0 && x <= 1;

    /// <summary>Input channel <paramref name="k"/>'s gradient a_0k·d0 + a_1k·d1 + a_2k·d2 (8 pixels).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Column(ReadOnlySpan<float> m, int k, Vector256<float> d0, Vector256<float> d1, Vector256<float> d2) =>
        Vector256.FusedMultiplyAdd(Vector256.Create(m[k]), d0,
            Vector256.FusedMultiplyAdd(Vector256.Create(m[3 + k]), d1, Vector256.Create(m[6 + k]) * d2));

    /// <summary>
    /// An Adam step of image <paramref name="image"/>'s correction on the last <see cref="Backward"/>'s
    /// gradient, then every image's values moved so that their mean is the identity again.
    /// </summary>
    public void Step(int image, double learningRate)
    {
        State.Step(image, _gradient, learningRate);
        Recentre();
    }

    /// <summary>Moves every image's values by the same amount so that their mean is the identity.</summary>
    private void Recentre()
    {
        Span<double> mean = stackalloc double[Floats];
        for (int i = 0; i < Images; i++)
            for (int k = 0; k < Floats; k++) mean[k] += Values[i * Floats + k];
        for (int k = 0; k < Floats; k++) mean[k] = mean[k] / Images - Identity[k];
        for (int i = 0; i < Images; i++)
            for (int k = 0; k < Floats; k++) Values[i * Floats + k] = (float)(Values[i * Floats + k] - mean[k]);
    }

    /// <summary>The three planes of an RGB image, as references to their first samples.</summary>
    private readonly ref struct RgbPlanes
    {
        public readonly ref float R, G, B;

        public RgbPlanes(Image image)
        {
            R = ref MemoryMarshal.GetArrayDataReference(image.Data);
            G = ref Unsafe.Add(ref R, image.PixelCount);
            B = ref Unsafe.Add(ref R, 2 * image.PixelCount);
        }
    }

    private static void CheckImages(Image color, Image other)
    {
        if (color.Channels != 3 || other.Channels != 3 || color.Width != other.Width || color.Height != other.Height)
            throw new ArgumentException("exposure correction needs two RGB images of the same size");
    }
}
