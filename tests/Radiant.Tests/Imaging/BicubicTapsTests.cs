using Radiant.Imaging;

namespace Radiant.Tests.Imaging;

public class BicubicTapsTests
{
    private const int Width = 12, Height = 9;

    private static float[] Plane(Func<int, int, double> f)
    {
        var p = new float[Width * Height];
        for (int v = 0; v < Height; v++)
            for (int u = 0; u < Width; u++) p[v * Width + u] = (float)f(u, v);
        return p;
    }

    [Fact]
    public void Weights_are_Keys_cubic_with_a_of_minus_one_half()
    {
        // Keys (1981): W(s) = 1.5|s|³ − 2.5|s|² + 1 for |s| ≤ 1, −0.5|s|³ + 2.5|s|² − 4|s| + 2 for 1 < |s| < 2,
        // at the distances 1 + t, t, 1 − t, 2 − t of the samples −1, 0, 1, 2.
        static double W(double s) { s = Math.Abs(s); return s <= 1 ? 1.5 * s * s * s - 2.5 * s * s + 1 : -0.5 * s * s * s + 2.5 * s * s - 4 * s + 2; }
        foreach (float t in new[] { 0f, 0.1f, 0.25f, 0.5f, 0.8f, 0.999f })
        {
            var (w0, w1, w2, w3) = BicubicTaps.Weights(t);
            Assert.Equal(W(1 + t), w0, 2e-6);
            Assert.Equal(W(t), w1, 2e-6);
            Assert.Equal(W(1 - t), w2, 2e-6);
            Assert.Equal(W(2 - t), w3, 2e-6);
            Assert.Equal(1, w0 + w1 + w2 + w3, 2e-6);
        }
        Assert.Equal((0f, 1f, 0f, 0f), BicubicTaps.Weights(0));
    }

    [Fact]
    public void Samples_are_returned_exactly_and_a_quadratic_is_reproduced_between_them()
    {
        // Keys' cubic reproduces polynomials up to degree 2; this one rises monotonically, so its values
        // stay inside the nearest samples' range and the ringing limit does not act.
        static double F(double u, double v) => 0.1 + 0.02 * u + 0.003 * u * u + 0.015 * v + 0.004 * v * v + 0.001 * u * v;
        float[] plane = Plane((u, v) => F(u, v));
        for (int v = 0; v < Height; v++)
            for (int u = 0; u < Width; u++)
                Assert.Equal(plane[v * Width + u], new BicubicTaps(u, v, Width, Height).Sample(plane, 0));
        for (double sy = 1; sy < Height - 2; sy += 0.37)
            for (double sx = 1; sx < Width - 2; sx += 0.29)
                Assert.Equal(F(sx, sy), new BicubicTaps(sx, sy, Width, Height).Sample(plane, 0), 1e-5);
    }

    [Fact]
    public void The_plane_offset_selects_the_channel()
    {
        float[] planes = [.. Plane((u, v) => 0.25), .. Plane((u, v) => u * 0.05)];
        var taps = new BicubicTaps(4.5, 3.25, Width, Height);
        Assert.Equal(0.25f, taps.Sample(planes, 0), 6);
        Assert.Equal(4.5f * 0.05f, taps.Sample(planes, Width * Height), 5);
    }

    [Fact]
    public void A_hard_edge_does_not_ring_and_stays_sharper_than_bilinear()
    {
        // A step from 0 to 1 between columns 5 and 6. Keys' cubic alone overshoots beside the step
        // (−1/16 at t = ½ past column 4); the limit to the 2×2 nearest samples keeps every value in [0, 1].
        float[] step = Plane((u, v) => u >= 6 ? 1 : 0);
        var (w0, w1, w2, w3) = BicubicTaps.Weights(0.5f);
        Assert.True(w0 * 0 + w1 * 0 + w2 * 0 + w3 * 1 < -0.05, "the unlimited cubic should overshoot here");
        for (double sx = 0; sx <= Width - 1; sx += 0.125)
        {
            float value = new BicubicTaps(sx, 4, Width, Height).Sample(step, 0);
            Assert.InRange(value, 0f, 1f);
            if (sx < 5 || sx >= 6) Assert.Equal(sx < 5 ? 0f : 1f, value);   // flat on both sides
        }
        // Between the two samples of the step the cubic stays closer to the step than the bilinear ramp:
        // a quarter past column 5 it gives W(1 − ¼) + W(2 − ¼) = 0.2265625 − 0.0234375 = 0.203125, bilinear 0.25.
        Assert.Equal(0.203125f, new BicubicTaps(5.25, 4, Width, Height).Sample(step, 0), 6);
    }

    [Fact]
    public void Past_the_border_the_edge_samples_repeat()
    {
        // Near the left and top edges the samples at −1 are the edge ones: a constant stays constant and a
        // ramp that is flat at the border is read as it is.
        float[] flat = Plane((u, v) => 0.7);
        float[] ramp = Plane((u, v) => u * 0.1);
        foreach (var (sx, sy) in new[] { (0.0, 0.0), (0.4, 0.6), (Width - 1.0, Height - 1.0), (Width - 1.5, Height - 1.2) })
            Assert.Equal(0.7f, new BicubicTaps(sx, sy, Width, Height).Sample(flat, 0), 6);
        // At t = ½ past column 0 the taps are columns 0, 0, 1, 2: −1/16·0 + 9/16·0 + 9/16·0.1 − 1/16·0.2.
        Assert.Equal(9f / 16 * 0.1f - 1f / 16 * 0.2f, new BicubicTaps(0.5, 2, Width, Height).Sample(ramp, 0), 6);
    }
}
