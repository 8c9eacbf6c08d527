using Radiant.Evaluation;
using Radiant.Imaging;
using Radiant.Mathematics;

namespace Radiant.Training;

/// <summary>
/// The value of the photometric loss and its two terms (the terms are unscaled means), and the mean
/// squared error of all samples, unweighted and unscaled (what a training PSNR is made from).
/// </summary>
public readonly record struct PhotometricLossValue(double Loss, double L1, double Ssim, double Mse);

/// <summary>
/// The 3DGS training loss (Kerbl et al. 2023): L = s·[(1 − λ)·L1 + λ·(1 − SSIM)], λ = 0.2, where L1 is
/// the mean absolute difference and SSIM the mean structural similarity (<see cref="Ssim"/>) of
/// the rendered image x against the target y, and s a scalar weight (mip-NeRF's per-image
/// lossmult; 1 by default). With a per-pixel weight w (a dataset mask, height×width, shared by
/// the channels) both means are weighted means Σ w·(·) / (channels·Σ w).
/// <para>
/// One call computes the value and dL/dx (planar, the shape of x) in a single forward and backward
/// sweep: dL/dx = s·[(1 − λ)·w·sign(x − y)/n − λ·∂SSIM/∂x]. An instance owns its workspace and is
/// not thread-safe; keep one per training loop.
/// </para>
/// </summary>
public sealed unsafe class PhotometricLoss
{
    private readonly SsimLoss _ssim;

    /// <summary>λ, the weight of the D-SSIM term.</summary>
    public float Lambda { get; }

    public PhotometricLoss(float lambda = 0.2f) : this(lambda, FloatVector.Best) { }

    internal PhotometricLoss(float lambda, SimdWidth simd)
    {
        if (!(lambda is >= 0 and <= 1)) throw new ArgumentOutOfRangeException(nameof(lambda), "λ must be in [0, 1]");
        Lambda = lambda;
        _ssim = new SsimLoss(simd);
    }

    /// <summary>Loss of <paramref name="rendered"/> against <paramref name="target"/>; overwrites <paramref name="gradient"/> with dL/d(rendered).</summary>
    public PhotometricLossValue Evaluate(Image rendered, Image target, Image gradient, ReadOnlySpan<float> weight = default, float scale = 1)
    {
        Ssim.CheckSameShape(rendered, target);
        Ssim.CheckSameShape(rendered, gradient);
        return Evaluate(rendered.Data, target.Data, rendered.Width, rendered.Height, rendered.Channels, gradient.Data, weight, scale);
    }

    /// <summary>
    /// Loss of planar channels×height×width buffers; overwrites <paramref name="gradient"/> (same size)
    /// with dL/d(rendered). <paramref name="weight"/> is empty or height×width; <paramref name="scale"/> multiplies loss and gradient.
    /// </summary>
    public PhotometricLossValue Evaluate(ReadOnlySpan<float> rendered, ReadOnlySpan<float> target, int width, int height, int channels,
        Span<float> gradient, ReadOnlySpan<float> weight = default, float scale = 1)
    {
        Ssim.CheckShape(rendered, target, width, height, channels, weight);
        if (gradient.Length != rendered.Length) throw new ArgumentException("gradient buffer differs in size from the image");
        if (!float.IsFinite(scale)) throw new ArgumentOutOfRangeException(nameof(scale), "scale must be finite");
        double weightSum = Ssim.WeightSum(weight, width, height);
        if (!(weightSum > 0))
        {
            // Nothing to compare (an all-zero mask): no loss, no gradient (the unweighted MSE still counts every sample).
            gradient.Clear();
            double distance = System.Numerics.Tensors.TensorPrimitives.Distance(rendered, target);
            return new PhotometricLossValue(0, 0, 1, distance * distance / rendered.Length);
        }
        fixed (float* x = rendered, y = target, w = weight, g = gradient)
        {
            // dL/dSSIM = −s·λ and dL/dL1 = s·(1 − λ): the backward pass combines both in one sweep.
            var (ssim, l1, mse) = _ssim.Evaluate(x, y, weight.IsEmpty ? null : w, weightSum, width, height, channels,
                g, -scale * Lambda, scale * (1 - Lambda));
            double loss = scale * ((1 - Lambda) * l1 + Lambda * (1 - ssim));
            return new PhotometricLossValue(loss, l1, ssim, mse);
        }
    }
}
