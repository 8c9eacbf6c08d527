using Radiant.Imaging;

namespace Radiant.Tests.Imaging;

public class AreaResampleTests
{
    private static Image Ramp(int w, int h, int channels)
    {
        var img = new Image(w, h, channels);
        for (int c = 0; c < channels; c++)
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++)
                    img[c, x, y] = ((x * 7 + y * 13 + c * 5) % 17) / 16f;
        return img;
    }

    [Fact]
    public void Integer_factor_is_the_block_average()
    {
        Image src = Ramp(12, 9, 3);
        Image dst = AreaResample.Downscale(src, 3);
        Assert.Equal((4, 3), (dst.Width, dst.Height));
        for (int c = 0; c < 3; c++)
            for (int y = 0; y < 3; y++)
                for (int x = 0; x < 4; x++)
                {
                    float sum = 0;
                    for (int dy = 0; dy < 3; dy++) for (int dx = 0; dx < 3; dx++) sum += src[c, 3 * x + dx, 3 * y + dy];
                    Assert.Equal(sum / 9, dst[c, x, y], 5);
                }
    }

    [Fact]
    public void Fractional_factor_preserves_the_mean()
    {
        Image src = Ramp(101, 37, 3);
        Image dst = AreaResample.Resize(src, 25, 9);
        for (int c = 0; c < 3; c++)
        {
            double a = src.ReadPlane(c).ToArray().Average(), b = dst.ReadPlane(c).ToArray().Average();
            Assert.Equal(a, b, 2);
        }
    }

    [Fact]
    public void Transparent_pixels_do_not_darken_a_reduced_edge()
    {
        // One opaque white pixel among three transparent black ones (NeRF-synthetic stores
        // transparent pixels as black): the reduced pixel is white at alpha 1/4, so over a white
        // background it stays white (straight averaging would give 0.25 · 0.25 + 0.75 = 0.8125).
        var src = new Image(2, 2, 4);
        for (int c = 0; c < 4; c++) src[c, 0, 0] = 1;
        Image dst = AreaResample.Downscale(src, 2);
        Assert.Equal(new[] { 1f, 1f, 1f, 0.25f }, dst.Data);
        Assert.Equal(1f, dst.CompositeOver(1, 1, 1)[0, 0, 0]);
    }

    [Theory]
    [InlineData(4)]     // integer factor
    [InlineData(3.3)]   // partial pixels
    public void Reduced_RGBA_composited_equals_the_full_size_image_composited_then_reduced(double factor)
    {
        Image src = Evaluation.TestImages.StraightRgba(53, 41, 3);
        int width = (int)Math.Round(53 / factor), height = (int)Math.Round(41 / factor);
        Image reduced = AreaResample.Resize(src, width, height);
        foreach (var (r, g, b) in new[] { (1f, 1f, 1f), (0f, 0f, 0f), (0.2f, 0.5f, 0.9f) })
        {
            Image expected = AreaResample.Resize(src.CompositeOver(r, g, b), width, height);
            Image got = reduced.CompositeOver(r, g, b);
            for (int i = 0; i < expected.Data.Length; i++) Assert.Equal(expected.Data[i], got.Data[i], 1e-5f);
        }
        // Alpha itself is the plain area average: its mean is kept.
        Assert.Equal(src.ReadPlane(3).ToArray().Average(), reduced.ReadPlane(3).ToArray().Average(), 2);
    }

    [Theory]
    [InlineData(800, 800, 8, 100, 100)]
    [InlineData(4032, 3024, 4, 1008, 756)]
    [InlineData(1297, 840, 2, 648, 420)]   // round-half-to-even like Python's round(), as the reference 3DGS sizes images
    [InlineData(3, 3, 8, 1, 1)]
    public void Downscaled_size_rounds(int w, int h, int f, int ew, int eh)
    {
        Assert.Equal((ew, eh), AreaResample.DownscaledSize(w, h, f));
    }
}
