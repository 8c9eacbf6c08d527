using System.Buffers;
using System.Numerics.Tensors;
using Radiant.Imaging;

namespace Radiant.Evaluation;

/// <summary>Image-quality figures of one rendered view against its ground truth.</summary>
public readonly record struct ImageQuality(double Psnr, double Ssim, double Mse);

/// <summary>
/// Evaluation metrics on images in [0, 1], as the reference 3DGS evaluation reports them: the
/// rendered image is first clamped to [0, 1] (renders can overshoot; the target is used as given),
/// then MSE = mean (x − y)² over all samples of all channels, PSNR = −10·log10(MSE) (at most
/// <see cref="MaxPsnr"/>) and SSIM as <see cref="Evaluation.Ssim"/>. Every channel of the images is
/// compared: composite RGBA onto the background first when only colour should count. With a
/// per-pixel weight both are weighted means (the evaluation leaves out the pixels an undistorted
/// photo does not cover that way).
/// </summary>
public static class ImageMetrics
{
    private const int Chunk = 4096;

    /// <summary>Mean squared error of the clamped rendered image against the target.</summary>
    public static double Mse(Image rendered, Image target)
    {
        Evaluation.Ssim.CheckSameShape(rendered, target);
        return Mse(rendered.Data, target.Data);
    }

    /// <summary>Mean squared error of clamp(rendered, 0, 1) against target, over buffers of equal length.</summary>
    public static double Mse(ReadOnlySpan<float> rendered, ReadOnlySpan<float> target)
    {
        if (rendered.Length != target.Length) throw new ArgumentException("buffers differ in length");
        if (rendered.IsEmpty) throw new ArgumentException("empty buffers");
        Span<float> d = stackalloc float[Chunk];
        double sum = 0;
        for (int i = 0; i < rendered.Length; i += Chunk)
        {
            int n = Math.Min(Chunk, rendered.Length - i);
            Span<float> di = d[..n];
            TensorPrimitives.Clamp(rendered.Slice(i, n), 0f, 1f, di);
            TensorPrimitives.Subtract(di, target.Slice(i, n), di);
            sum += TensorPrimitives.SumOfSquares<float>(di);   // float within a chunk, double across chunks
        }
        return sum / rendered.Length;
    }

    /// <summary>
    /// Weighted mean squared error of clamp(rendered, 0, 1) against target, planar channels×pixels:
    /// Σ w·(x − y)² over all channels / (channels · Σ w), with <paramref name="weight"/> one value per pixel.
    /// </summary>
    public static double Mse(ReadOnlySpan<float> rendered, ReadOnlySpan<float> target, ReadOnlySpan<float> weight)
    {
        if (rendered.Length != target.Length) throw new ArgumentException("buffers differ in length");
        if (weight.IsEmpty || rendered.Length % weight.Length != 0) throw new ArgumentException("the weights are not one per pixel");
        double weightSum = TensorPrimitives.Sum(weight);
        if (!(weightSum > 0)) throw new ArgumentException("the weights sum to 0");
        int pixels = weight.Length, channels = rendered.Length / pixels;
        Span<float> d = stackalloc float[Chunk];
        double sum = 0;
        for (int c = 0; c < channels; c++)
            for (int i = 0; i < pixels; i += Chunk)
            {
                int n = Math.Min(Chunk, pixels - i);
                Span<float> di = d[..n];
                TensorPrimitives.Clamp(rendered.Slice(c * pixels + i, n), 0f, 1f, di);
                TensorPrimitives.Subtract(di, target.Slice(c * pixels + i, n), di);
                TensorPrimitives.Multiply(di, di, di);
                sum += TensorPrimitives.Dot(di, weight.Slice(i, n));   // float within a chunk, double across chunks
            }
        return sum / (channels * weightSum);
    }

    /// <summary>
    /// PSNR in dB of images in [0, 1] from their MSE: −10·log10(MSE), at most <see cref="MaxPsnr"/>. An exact
    /// match (a uniform test photo drawn exactly, MSE 0) would be +∞, which no JSON file can hold: a
    /// run's metrics.json and eval's report failed to write it.
    /// </summary>
    public static double Psnr(double mse) => -10 * Math.Log10(Math.Max(mse, MinMse));

    /// <summary>The PSNR of an exact match: 100 dB (an RMS error of 1e-5, below a 16-bit level).</summary>
    public const double MaxPsnr = 100;
    private const double MinMse = 1e-10;

    /// <summary>PSNR of the clamped rendered image against the target.</summary>
    public static double Psnr(Image rendered, Image target) => Psnr(Mse(rendered, target));

    /// <summary>
    /// Mean SSIM of the clamped rendered image against the target (weighted by <paramref name="weight"/>,
    /// one value per pixel, when given); pass an <see cref="Evaluation.Ssim"/> to reuse its workspace.
    /// </summary>
    public static double Ssim(Image rendered, Image target, Evaluation.Ssim? evaluator = null, float[]? weight = null)
    {
        Evaluation.Ssim.CheckSameShape(rendered, target);
        float[] clamped = ArrayPool<float>.Shared.Rent(rendered.Data.Length);
        try
        {
            Span<float> x = clamped.AsSpan(0, rendered.Data.Length);
            TensorPrimitives.Clamp(rendered.Data, 0f, 1f, x);
            return (evaluator ?? new Evaluation.Ssim()).Compute(x, target.Data, rendered.Width, rendered.Height, rendered.Channels, weight);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(clamped);
        }
    }

    /// <summary>
    /// PSNR, SSIM and MSE of the clamped rendered image against the target; with a per-pixel
    /// <paramref name="weight"/> (one value per pixel, not all 0), their weighted means over the pixels.
    /// </summary>
    public static ImageQuality Evaluate(Image rendered, Image target, Evaluation.Ssim? evaluator = null, float[]? weight = null)
    {
        Evaluation.Ssim.CheckSameShape(rendered, target);
        double mse = weight is null ? Mse(rendered.Data, target.Data) : Mse(rendered.Data, target.Data, weight);
        return new ImageQuality(Psnr(mse), Ssim(rendered, target, evaluator, weight), mse);
    }
}
