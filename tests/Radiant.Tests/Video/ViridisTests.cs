using Radiant.Imaging;

namespace Radiant.Tests.Video;

public class ViridisTests
{
    /// <summary>
    /// Entries of matplotlib's 256-entry viridis table (_cm_listed.py), indices between and on the
    /// stored anchors. Our 33-anchor interpolation differs from the full table by at most 0.0065
    /// (measured over all 256 entries), so 0.007 is the bound.
    /// </summary>
    [Theory]
    [InlineData(0, 0.267004, 0.004874, 0.329415)]
    [InlineData(37, 0.274128, 0.199721, 0.498911)]
    [InlineData(100, 0.166617, 0.463708, 0.558119)]
    [InlineData(128, 0.127568, 0.566949, 0.550556)]
    [InlineData(171, 0.214000, 0.722114, 0.469588)]
    [InlineData(201, 0.449368, 0.813768, 0.335384)]
    [InlineData(250, 0.945636, 0.899815, 0.112838)]
    [InlineData(255, 0.993248, 0.906157, 0.143936)]
    public void Matches_matplotlib_table(int index, double r, double g, double b)
    {
        var (cr, cg, cb) = Viridis.At(index / 255f);
        Assert.Equal(r, cr, 0.007);
        Assert.Equal(g, cg, 0.007);
        Assert.Equal(b, cb, 0.007);
    }

    [Fact]
    public void Out_of_range_and_NaN_are_clamped()
    {
        Assert.Equal(Viridis.At(0), Viridis.At(-3));
        Assert.Equal(Viridis.At(1), Viridis.At(7));
        Assert.Equal(Viridis.At(0), Viridis.At(float.NaN));
    }
}
