using Radiant.Imaging;
using Radiant.Tests.Rendering;
using Radiant.Training;

namespace Radiant.Tests.Training;

/// <summary>The per-image colour correction of <c>train --exposure</c>: its map, its gradients and its step.</summary>
public class ExposureCorrectionTests
{
    // 13×7 = 91 pixels: eleven 8-pixel vectors and a scalar tail of 3.
    private const int Width = 13, Height = 7;

    private static Image RandomImage(Random rng, float lo, float hi)
    {
        var image = new Image(Width, Height, 3);
        foreach (ref float v in image.Data.AsSpan()) v = TestScenes.Uniform(rng, lo, hi);
        return image;
    }

    private static ExposureCorrection RandomCorrection(Random rng, int images, double spread)
    {
        var exposure = new ExposureCorrection(images);
        foreach (ref float v in exposure.Values.AsSpan()) v += TestScenes.Uniform(rng, -spread, spread);
        return exposure;
    }

    [Fact]
    public void Starts_as_the_identity_and_applies_A_times_colour_plus_b_clamped_per_pixel()
    {
        var rng = new Random(1);
        Image color = RandomImage(rng, 0, 1);
        var corrected = new Image(Width, Height, 3);
        new ExposureCorrection(3).Apply(2, color, corrected);
        Assert.Equal(color.Data, corrected.Data);

        ExposureCorrection exposure = RandomCorrection(rng, 3, 0.4);
        exposure.Apply(1, color, corrected);
        Assert.Contains(corrected.Data, v => v == 0);
        Assert.Contains(corrected.Data, v => v == 1);
        float[] m = exposure.Values[12..24];
        int n = color.PixelCount;
        for (int p = 0; p < n; p++)
            for (int c = 0; c < 3; c++)
            {
                double expected = m[3 * c] * color.Data[p] + m[3 * c + 1] * color.Data[n + p] + m[3 * c + 2] * color.Data[2 * n + p] + m[9 + c];
                Assert.Equal(Math.Clamp(expected, 0, 1), corrected.Data[c * n + p], 5e-6);
            }
    }

    [Fact]
    public void Backward_gives_the_gradients_of_a_weighted_sum_of_the_corrected_image()
    {
        // L = Σ w·C′ is linear in A, b and C where the clamp passes, so central differences are
        // exact up to rounding: colours in [0.3, 0.7] map well inside [0, 1], except a few pixels of
        // colour 3 whose corrected values are clamped at 1 (no gradient).
        var rng = new Random(2);
        Image color = RandomImage(rng, 0.3f, 0.7f), weights = RandomImage(rng, -1, 1);
        foreach (int p in new[] { 5, 40, 89 })
            for (int c = 0; c < 3; c++) color.Data[c * color.PixelCount + p] = 3;
        ExposureCorrection exposure = RandomCorrection(rng, 2, 0.05);
        var corrected = new Image(Width, Height, 3);
        double Loss()
        {
            exposure.Apply(0, color, corrected);
            double sum = 0;
            for (int k = 0; k < corrected.Data.Length; k++) sum += (double)weights.Data[k] * corrected.Data[k];
            return sum;
        }
        Image dColor = weights.Clone();
        exposure.Backward(0, color, dColor);
        double[] analytic = exposure.Gradient.ToArray();

        const float h = 1e-2f;
        var numeric = new double[ExposureCorrection.Floats];
        for (int k = 0; k < numeric.Length; k++)
        {
            float keep = exposure.Values[k];
            exposure.Values[k] = keep + h; double up = Loss();
            exposure.Values[k] = keep - h; double down = Loss();
            exposure.Values[k] = keep;
            numeric[k] = (up - down) / (2 * h);
        }
        for (int k = 0; k < numeric.Length; k++) Assert.Equal(numeric[k], analytic[k], 1e-3);

        Assert.All(new[] { 5, 40, 89, 91 + 5, 2 * 91 + 89 }, k => Assert.Equal(0, dColor.Data[k]));   // clamped pixels
        foreach (int k in new[] { 0, 45, 90, 91 + 88, 2 * 91 + 90 })   // vector lanes and the tail, every channel
        {
            float keep = color.Data[k];
            color.Data[k] = keep + h; double up = Loss();
            color.Data[k] = keep - h; double down = Loss();
            color.Data[k] = keep;
            Assert.Equal((up - down) / (2 * h), dColor.Data[k], 1e-4);
        }
    }

    [Fact]
    public void Large_images_are_split_over_the_kernel_workers_with_the_same_results()
    {
        // 301×251 pixels (above the 64k threshold, not a multiple of 8): compared with the formulas
        // in double, pixel by pixel, and the twelve sums over all pixels.
        var rng = new Random(4);
        var color = new Image(301, 251, 3);
        var gradient = new Image(301, 251, 3);
        foreach (ref float v in color.Data.AsSpan()) v = TestScenes.Uniform(rng, 0, 1.2);
        foreach (ref float v in gradient.Data.AsSpan()) v = TestScenes.Uniform(rng, -1, 1);
        ExposureCorrection exposure = RandomCorrection(rng, 2, 0.1);
        float[] m = exposure.Values[12..24];
        var corrected = new Image(301, 251, 3);
        exposure.Apply(1, color, corrected);
        Image dColor = gradient.Clone();
        exposure.Backward(1, color, dColor);

        int n = color.PixelCount;
        var sums = new double[12];
        for (int p = 0; p < n; p++)
        {
            double[] c = [color.Data[p], color.Data[n + p], color.Data[2 * n + p]];
            var d = new double[3];
            for (int o = 0; o < 3; o++)
            {
                double x = m[3 * o] * c[0] + m[3 * o + 1] * c[1] + m[3 * o + 2] * c[2] + m[9 + o];
                Assert.Equal(Math.Clamp(x, 0, 1), corrected.Data[o * n + p], 1e-5);
                d[o] = x is >= 0 and <= 1 ? gradient.Data[o * n + p] : 0;
                for (int k = 0; k < 3; k++) sums[3 * o + k] += d[o] * c[k];
                sums[9 + o] += d[o];
            }
            for (int k = 0; k < 3; k++)
                Assert.Equal(m[k] * d[0] + m[3 + k] * d[1] + m[6 + k] * d[2], dColor.Data[k * n + p], 1e-5);
        }
        for (int k = 0; k < 12; k++) Assert.Equal(sums[k], exposure.Gradient[k], Math.Abs(sums[k]) * 1e-4 + 1e-2);
    }

    [Fact]
    public void A_step_moves_the_trained_image_against_its_gradient_and_keeps_the_mean_the_identity()
    {
        var rng = new Random(3);
        var exposure = new ExposureCorrection(4);
        Image color = RandomImage(rng, 0.2f, 0.8f);
        // A loss that wants image 2 brighter in red: dL/dC′_red = −1 everywhere.
        var gradient = new Image(Width, Height, 3);
        gradient.Plane(0).Fill(-1);
        float[] before = exposure.Values.ToArray();
        exposure.Backward(2, color, gradient);
        exposure.Step(2, 0.01);

        float[] after = exposure.Values;
        Assert.Equal(1, exposure.Steps[2]);
        Assert.Equal(0, exposure.Steps[0]);
        // Adam's first step moves every value with a gradient by about the learning rate; b_red most clearly.
        Assert.True(after[2 * 12 + 9] - before[2 * 12 + 9] > 0.005, "image 2's red offset rises");
        Assert.True(after[2 * 12 + 0] > before[2 * 12 + 0], "image 2's red gain rises");
        // The others move by the same amount (the mean's deviation), opposite in sign and a quarter as large.
        for (int k = 0; k < 12; k++)
        {
            float others = after[k] - before[k];
            Assert.Equal(others, after[12 + k] - before[12 + k], 1e-6);
            Assert.Equal(-(after[24 + k] - before[24 + k]) / 3, others, 1e-5);
        }
        for (int k = 0; k < 12; k++)
        {
            double mean = Enumerable.Range(0, 4).Average(i => (double)after[12 * i + k]);
            Assert.Equal(before[k], mean, 1e-6);
        }
    }
}
