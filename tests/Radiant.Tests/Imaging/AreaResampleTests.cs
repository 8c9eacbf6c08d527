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
        Image src = Ramp(101, 37, 4);
        Image dst = AreaResample.Resize(src, 25, 9);
        for (int c = 0; c < 4; c++)
        {
            double a = src.ReadPlane(c).ToArray().Average(), b = dst.ReadPlane(c).ToArray().Average();
            Assert.Equal(a, b, 2);
        }
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
