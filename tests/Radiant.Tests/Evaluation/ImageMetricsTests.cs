using Radiant.Evaluation;
using Radiant.Imaging;

namespace Radiant.Tests.Evaluation;

public class ImageMetricsTests
{
    private static Image Filled(int w, int h, int c, Func<int, float> f)
    {
        var img = new Image(w, h, c);
        for (int i = 0; i < img.Data.Length; i++) img.Data[i] = f(i);
        return img;
    }

    [Fact]
    public void Psnr_of_a_known_mse()
    {
        Image target = Filled(37, 21, 3, _ => 0.5f);
        Image rendered = Filled(37, 21, 3, i => i % 2 == 0 ? 0.6f : 0.4f);   // |error| = 0.1 everywhere
        Assert.Equal(0.01, ImageMetrics.Mse(rendered, target), 7);
        Assert.Equal(20.0, ImageMetrics.Psnr(rendered, target), 4);
        Assert.Equal(40.0, ImageMetrics.Psnr(1e-4), 10);
        Assert.Equal(ImageMetrics.MaxPsnr, ImageMetrics.Psnr(target, target));   // an exact match: finite, so JSON can hold it
        Assert.Equal(ImageMetrics.MaxPsnr, ImageMetrics.Psnr(1e-12));
    }

    [Fact]
    public void Mse_matches_a_direct_sum_over_many_chunks()
    {
        float[] x = TestImages.Random(123, 77, 3, 1), y = TestImages.Random(123, 77, 3, 2);
        double expected = x.Zip(y, (a, b) => ((double)a - b) * ((double)a - b)).Average();
        Assert.Equal(expected, ImageMetrics.Mse(x, y), 7);
    }

    [Fact]
    public void Rendered_image_is_clamped_to_the_unit_range()
    {
        Image target = Filled(16, 16, 3, i => i % 3 == 0 ? 1f : 0f);
        Image rendered = Filled(16, 16, 3, i => i % 3 == 0 ? 1.7f : -0.4f);
        Assert.Equal(0, ImageMetrics.Mse(rendered, target));
        Assert.Equal(1.0, ImageMetrics.Ssim(rendered, target), 6);

        Image over = Filled(16, 16, 3, i => 0.5f + 0.8f * MathF.Sin(i));
        Image clamped = Filled(16, 16, 3, i => Math.Clamp(over.Data[i], 0f, 1f));
        Image t2 = new(16, 16, 3, TestImages.Random(16, 16, 3, 3));
        ImageQuality q = ImageMetrics.Evaluate(over, t2);
        Assert.Equal(new Ssim().Compute(clamped, t2), q.Ssim, 12);
        Assert.Equal(ImageMetrics.Mse(clamped, t2), q.Mse, 12);
        Assert.Equal(ImageMetrics.Psnr(q.Mse), q.Psnr, 12);
    }

    [Fact]
    public void Weighted_mse_is_the_mse_over_the_kept_pixels_and_does_not_depend_on_the_weights_scale()
    {
        const int w = 123, h = 77, c = 3;
        float[] x = TestImages.Random(w, h, c, 4), y = TestImages.Random(w, h, c, 5);
        var rng = new Random(6);
        float[] keep = Enumerable.Range(0, w * h).Select(_ => rng.Next(3) == 0 ? 0f : 1f).ToArray();
        double sum = 0;
        int kept = 0;
        for (int ch = 0; ch < c; ch++)
            for (int p = 0; p < w * h; p++)
                if (keep[p] == 1) { double d = (double)x[ch * w * h + p] - y[ch * w * h + p]; sum += d * d; kept++; }
        Assert.Equal(sum / kept, ImageMetrics.Mse(x, y, keep), 7);
        Assert.Equal(sum / kept, ImageMetrics.Mse(x, y, keep.Select(k => 2.5f * k).ToArray()), 7);
        Assert.Equal(ImageMetrics.Mse(x, y), ImageMetrics.Mse(x, y, Enumerable.Repeat(1f, w * h).ToArray()), 7);
        Assert.Throws<ArgumentException>(() => ImageMetrics.Mse(x, y, new float[w * h]));
        Assert.Throws<ArgumentException>(() => ImageMetrics.Mse(x, y, new float[w * h - 1]));
    }
}
