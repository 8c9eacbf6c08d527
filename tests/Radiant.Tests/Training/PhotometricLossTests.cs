using Radiant.Imaging;
using Radiant.Tests.Evaluation;
using Radiant.Tests.Support;
using Radiant.Training;

namespace Radiant.Tests.Training;

public class PhotometricLossTests
{
    /// <summary>Random images far enough apart everywhere that |x − y| has no kink within a finite-difference step.</summary>
    private static (float[] X, float[] Y) Pair(int w, int h, int c, int seed)
    {
        float[] y = TestImages.Random(w, h, c, seed), x = TestImages.Perturbed(y, 0.3f, seed + 1);
        for (int i = 0; i < x.Length; i++)
            if (Math.Abs(x[i] - y[i]) < 0.02f) x[i] = y[i] + (y[i] < 0.5f ? 0.05f : -0.05f);
        return (x, y);
    }

    private static void CheckLoss(int w, int h, int c, float lambda, float scale, float[]? mask, int seed)
    {
        var (x, y) = Pair(w, h, c, seed);
        var grad = new float[x.Length];
        PhotometricLossValue value = new PhotometricLoss(lambda).Evaluate(x, y, w, h, c, grad, mask, scale);
        double[] xd = NaiveSsim.ToDouble(x), yd = NaiveSsim.ToDouble(y);
        double[]? md = mask is null ? null : NaiveSsim.ToDouble(mask);
        double expected = NaiveSsim.Loss(xd, yd, w, h, c, lambda, scale, md);
        Assert.InRange(value.Loss - expected, -1e-5 * scale, 1e-5 * scale);
        Assert.Equal(value.Loss, scale * ((1 - lambda) * value.L1 + lambda * (1 - value.Ssim)), 9);
        // The MSE counts every sample, whatever the mask and scale.
        double mse = MeanSquaredError(x, y);
        Assert.Equal(mse, value.Mse, 1e-6 * mse);

        int[] at = GradientCheck.Probes(w, h, c, 200, seed + 2);
        double[] fd = GradientCheck.FiniteDifferences(v => NaiveSsim.Loss(v, yd, w, h, c, lambda, scale, md), xd, at, 1e-3);
        GradientCheck.AssertMatches(grad, fd, at, 2e-3);
    }

    [Fact]
    public void Default_loss_matches_value_and_finite_differences() => CheckLoss(23, 17, 3, 0.2f, 1f, null, 1);

    [Fact]
    public void Masked_and_scaled_loss_matches_value_and_finite_differences() =>
        CheckLoss(23, 17, 3, 0.2f, 4f, TestImages.Mask(23, 17, 5), 6);

    [Fact]
    public void Pure_ssim_loss_matches_finite_differences() => CheckLoss(19, 21, 3, 1f, 1f, null, 7);

    [Fact]
    public void Lambda_zero_is_the_l1_gradient_sign_over_n()
    {
        const int w = 29, h = 13, c = 3;
        var (x, y) = Pair(w, h, c, 8);
        x[5] = y[5];   // sign(0) = 0
        var grad = new float[x.Length];
        PhotometricLossValue v = new PhotometricLoss(0f).Evaluate(x, y, w, h, c, grad, default, 2f);
        double n = x.Length;
        Assert.Equal(2 * x.Zip(y, (a, b) => Math.Abs((double)a - b)).Sum() / n, v.Loss, 6);
        for (int i = 0; i < x.Length; i++) Assert.Equal(2f * MathF.Sign(x[i] - y[i]) / (float)n, grad[i], 1e-9f);
    }

    [Fact]
    public void Zero_mask_gives_no_loss_and_no_gradient()
    {
        const int w = 16, h = 12, c = 3;
        var (x, y) = Pair(w, h, c, 9);
        float[] grad = Enumerable.Repeat(7f, x.Length).ToArray();
        PhotometricLossValue v = new PhotometricLoss().Evaluate(x, y, w, h, c, grad, new float[w * h]);
        Assert.Equal(0, v.Loss);
        Assert.All(grad, g => Assert.Equal(0f, g));
        Assert.Equal(MeanSquaredError(x, y), v.Mse, 1e-6 * v.Mse);
    }

    private static double MeanSquaredError(float[] x, float[] y) => x.Zip(y, (a, b) => ((double)a - b) * ((double)a - b)).Average();

    [Fact]
    public void Masked_pixels_away_from_the_mask_get_no_gradient()
    {
        // Only the left half counts; columns more than a window radius to the right must have zero gradient.
        const int w = 40, h = 15, c = 3;
        var (x, y) = Pair(w, h, c, 10);
        var mask = new float[w * h];
        for (int r = 0; r < h; r++) for (int q = 0; q < w / 2; q++) mask[r * w + q] = 1;
        var grad = new float[x.Length];
        new PhotometricLoss().Evaluate(x, y, w, h, c, grad, mask);
        for (int ch = 0; ch < c; ch++)
            for (int r = 0; r < h; r++)
            {
                for (int q = w / 2 + 5; q < w; q++) Assert.Equal(0f, grad[(ch * h + r) * w + q]);
                Assert.NotEqual(0f, grad[(ch * h + r) * w + w / 2 + 2]);   // inside a window of a counted pixel
            }
    }

    [Fact]
    public void Image_overload_matches_the_span_overload_and_reuses_its_workspace()
    {
        var loss = new PhotometricLoss();
        foreach (var (w, h) in new[] { (64, 48), (23, 17), (64, 48) })
        {
            var (x, y) = Pair(w, h, 3, w);
            var g1 = new Image(w, h, 3);
            var g2 = new float[x.Length];
            PhotometricLossValue a = loss.Evaluate(new Image(w, h, 3, x), new Image(w, h, 3, y), g1);
            PhotometricLossValue b = new PhotometricLoss().Evaluate(x, y, w, h, 3, g2);
            Assert.Equal(b, a);
            Assert.Equal(g2, g1.Data);
        }
        Assert.Throws<ArgumentException>(() => loss.Evaluate(new Image(4, 4, 3), new Image(4, 4, 3), new Image(4, 5, 3)));
    }

    [Fact]
    public void No_allocation_after_warm_up()
    {
        // Small enough for the single-threaded path (the parallel path allocates only Parallel.For's own bookkeeping).
        const int w = 60, h = 40, c = 3;
        var (x, y) = Pair(w, h, c, 11);
        var grad = new float[x.Length];
        var loss = new PhotometricLoss();
        for (int i = 0; i < 3; i++) loss.Evaluate(x, y, w, h, c, grad);
        Assert.Equal(0, AllocationProbe.FewestOnThisThread(() => loss.Evaluate(x, y, w, h, c, grad)));
    }
}
