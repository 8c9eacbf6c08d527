using Radiant.Imaging;

namespace Radiant.Tests.Imaging;

/// <summary>Compositing over a background, into a new image and in place.</summary>
public class ImageCompositeTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(7, 3)]
    [InlineData(33, 9)]
    public void In_place_compositing_gives_the_same_colour_bit_for_bit_and_keeps_alpha(int w, int h)
    {
        var rng = new Random(w * h);
        var rgba = new Image(w, h, 4);
        for (int i = 0; i < rgba.Data.Length; i++) rgba.Data[i] = (float)rng.NextDouble();
        for (int p = 0; p < w * h; p += 3) rgba.Data[3 * w * h + p] = p % 2 == 0 ? 0f : 1f;   // transparent and opaque pixels too
        float[] alpha = rgba.ReadPlane(3).ToArray(), before = (float[])rgba.Data.Clone();
        float[] bg = [0.2f, 0.7f, 1f];

        Image composited = rgba.CompositeOver(bg[0], bg[1], bg[2]);
        Image same = rgba.CompositeColourInPlace(bg[0], bg[1], bg[2]);

        Assert.Same(rgba, same);
        int n = w * h;
        for (int c = 0; c < 3; c++)
            for (int p = 0; p < n; p++)
            {
                // The per-sample rule in float: a multiply and an add each, no fused multiply-add.
                float expected = before[c * n + p] * alpha[p] + bg[c] * (1 - alpha[p]);
                Assert.True(BitConverter.SingleToInt32Bits(expected) == BitConverter.SingleToInt32Bits(rgba.Data[c * n + p]), $"in place: channel {c}, pixel {p}");
                Assert.True(BitConverter.SingleToInt32Bits(expected) == BitConverter.SingleToInt32Bits(composited.Data[c * n + p]), $"new image: channel {c}, pixel {p}");
            }
        Assert.Equal(alpha, rgba.ReadPlane(3).ToArray());
    }

    [Fact]
    public void Composited_colour_is_the_colour_times_alpha_plus_the_background_times_one_minus_alpha()
    {
        var rgba = new Image(2, 1, 4);
        float[] values = [0.5f, 1f, 0.25f, 0f, 0f, 0.5f, 0.5f, 0.25f];   // R, G, B, A planes of two pixels
        values.CopyTo(rgba.Data, 0);
        rgba.CompositeColourInPlace(1f, 0f, 0.5f);
        Assert.Equal([0.5f * 0.5f + 1f * 0.5f, 1f * 0.25f + 1f * 0.75f, 0.25f * 0.5f, 0f, 0f * 0.5f + 0.5f * 0.5f, 0.5f * 0.25f + 0.5f * 0.75f], rgba.Data[..6]);
    }
}
