using Radiant.Mathematics;

namespace Radiant.Tests.Mathematics;

public class Vec3Tests
{
    [Fact]
    public void Printing_rounds_to_four_decimals_and_never_shows_minus_zero()
    {
        Assert.Equal("(0, 0, 1.2346)", new Vec3(-0.00001, -0.0, 1.23456).ToString());
        Assert.Equal("(-0.5, 2, -3.0001)", new Vec3(-0.5, 2, -3.00009).ToString());
    }
}
