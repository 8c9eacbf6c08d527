using Radiant.Evaluation;
using Radiant.Imaging;
using Radiant.Mathematics;

namespace Radiant.Tests.Evaluation;

public class SsimTests
{
    public static TheoryData<int, int, int, int> Shapes => new()
    {
        { 23, 17, 3, 1 },   // smaller than two windows; ragged vector tails
        { 8, 5, 1, 2 },     // smaller than one window
        { 64, 40, 3, 3 },
        { 130, 96, 3, 4 },  // above the parallel threshold: several bands per channel
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Random_images_match_the_naive_double_implementation(int w, int h, int c, int seed)
    {
        float[] x = TestImages.Random(w, h, c, seed), y = TestImages.Random(w, h, c, seed + 100);
        double expected = NaiveSsim.Mean(x, y, w, h, c);
        Assert.InRange(new Ssim().Compute(x, y, w, h, c) - expected, -1e-5, 1e-5);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Structured_images_match_the_naive_double_implementation(int w, int h, int c, int seed)
    {
        float[] y = TestImages.Structured(w, h, c, 0);
        foreach (float[] x in new[] { TestImages.Structured(w, h, c, 1), TestImages.Perturbed(y, 0.05f, seed) })
        {
            double expected = NaiveSsim.Mean(x, y, w, h, c);
            Assert.InRange(new Ssim().Compute(x, y, w, h, c) - expected, -1e-5, 1e-5);
        }
    }

    [Fact]
    public void Weighted_mean_matches_the_naive_implementation()
    {
        const int w = 41, h = 29, c = 3;
        float[] x = TestImages.Random(w, h, c, 7), y = TestImages.Perturbed(x, 0.2f, 8), m = TestImages.Mask(w, h, 9);
        double expected = NaiveSsim.Mean(x, y, w, h, c, m);
        Assert.InRange(new Ssim().Compute(x, y, w, h, c, m) - expected, -1e-5, 1e-5);
        // An all-ones weight is the plain mean.
        float[] ones = Enumerable.Repeat(1f, w * h).ToArray();
        Assert.Equal(new Ssim().Compute(x, y, w, h, c), new Ssim().Compute(x, y, w, h, c, ones), 6);
    }

    [Fact]
    public void Identical_images_give_one_and_the_measure_is_symmetric()
    {
        const int w = 57, h = 31, c = 3;
        float[] x = TestImages.Random(w, h, c, 11), y = TestImages.Structured(w, h, c, 2);
        var ssim = new Ssim();
        Assert.Equal(1.0, ssim.Compute(x, x, w, h, c), 6);
        Assert.Equal(1.0, ssim.Compute(y, y, w, h, c), 6);
        Assert.Equal(ssim.Compute(x, y, w, h, c), ssim.Compute(y, x, w, h, c), 6);
        Assert.True(ssim.Compute(x, y, w, h, c) < 0.5);
    }

    [Fact]
    public void Every_simd_width_gives_the_same_value()
    {
        const int w = 45, h = 38, c = 3;
        float[] x = TestImages.Random(w, h, c, 21), y = TestImages.Perturbed(x, 0.3f, 22);
        double reference = new Ssim(SimdWidth.Scalar).Compute(x, y, w, h, c);
        foreach (SimdWidth simd in new[] { SimdWidth.V128, SimdWidth.V256, SimdWidth.V512 })
            Assert.Equal(reference, new Ssim(simd).Compute(x, y, w, h, c), 6);
    }

    [Fact]
    public void A_reused_workspace_gives_the_same_values_across_sizes()
    {
        var reused = new Ssim();
        foreach (var (w, h) in new[] { (150, 120), (23, 17), (97, 64), (31, 250), (23, 17) })
        {
            float[] x = TestImages.Random(w, h, 3, w), y = TestImages.Structured(w, h, 3, 1);
            Assert.Equal(new Ssim().Compute(x, y, w, h, 3), reused.Compute(x, y, w, h, 3), 12);
        }
    }

    [Fact]
    public void Image_overload_and_shape_checks()
    {
        var a = new Image(20, 12, 3, TestImages.Random(20, 12, 3, 1));
        var b = new Image(20, 12, 3, TestImages.Random(20, 12, 3, 2));
        Assert.Equal(NaiveSsim.Mean(a.Data, b.Data, 20, 12, 3), Ssim.Of(a, b), 5);
        Assert.Throws<ArgumentException>(() => Ssim.Of(a, new Image(12, 20, 3)));
        Assert.Throws<ArgumentException>(() => new Ssim().Compute(a.Data, b.Data, 20, 12, 2));
    }
}
