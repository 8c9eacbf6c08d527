using System.Buffers;
using System.Numerics.Tensors;
using Radiant.Imaging;

namespace Radiant.Evaluation;

/// <summary>Image-quality figures of one rendered view against its ground truth.</summary>
public readonly record struct ImageQuality(double Psnr, double Ssim, double Mse);

/// <summary>
/// Evaluation metrics on images in [0, 1], as the reference 3DGS evaluation reports them: the
/// rendered image is first clamped to [0, 1] (renders can overshoot; the target is used as given),
/// then MSE = mean (x − y)² over all samples of all channels, PSNR = −10·log10(MSE) (+∞ for
/// identical images) and SSIM as <see cref="Evaluation.Ssim"/>. Every channel of the images is
/// compared: composite RGBA onto the background first when only colour should count.
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

    /// <summary>Mean SSIM of the clamped rendered image against the target; pass an <see cref="Evaluation.Ssim"/> to reuse its workspace.</summary>
    public static double Ssim(Image rendered, Image target, Evaluation.Ssim? evaluator = null)
    {
        Evaluation.Ssim.CheckSameShape(rendered, target);
        float[] clamped = ArrayPool<float>.Shared.Rent(rendered.Data.Length);
        try
        {
            Span<float> x = clamped.AsSpan(0, rendered.Data.Length);
            TensorPrimitives.Clamp(rendered.Data, 0f, 1f, x);
            return (evaluator ?? new Evaluation.Ssim()).Compute(x, target.Data, rendered.Width, rendered.Height, rendered.Channels);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(clamped);
        }
    }

    /// <summary>PSNR, SSIM and MSE of the clamped rendered image against the target.</summary>
    public static ImageQuality Evaluate(Image rendered, Image target, Evaluation.Ssim? evaluator = null)
    {
        double mse = Mse(rendered, target);
        return new ImageQuality(Psnr(mse), Ssim(rendered, target, evaluator), mse);
    }
}
