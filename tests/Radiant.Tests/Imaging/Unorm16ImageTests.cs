using Radiant.Imaging;

namespace Radiant.Tests.Imaging;

/// <summary>The 16-bit form training keeps its targets in: quantisation rule, SIMD and scalar paths, expansion.</summary>
public class Unorm16ImageTests
{
    [Theory]
    [InlineData(1, 1, 3)]
    [InlineData(5, 3, 3)]     // 45 samples: two blocks of 16 and a tail of 13
    [InlineData(17, 9, 4)]
    public void Every_sample_follows_the_rule_and_expands_to_within_half_a_step(int width, int height, int channels)
    {
        var image = new Image(width, height, channels);
        var rng = new Random(width * 31 + height);
        for (int i = 0; i < image.Data.Length; i++) image.Data[i] = (float)(rng.NextDouble() * 1.2 - 0.1);
        // Edge values wherever they land, the SIMD blocks or the tail.
        float[] special = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, -0f, 1f, 0.5f / 65535, 1.5f / 65535, 2.5f / 65535, 1 - 0.5f / 65535];
        for (int k = 0; k < special.Length; k++) image.Data[(k * 7) % image.Data.Length] = special[k];

        Unorm16Image compact = Unorm16Image.From(image);
        Image expanded = compact.ToImage();
        Assert.Equal((width, height, channels), (expanded.Width, expanded.Height, expanded.Channels));
        for (int i = 0; i < image.Data.Length; i++)
        {
            float v = image.Data[i];
            ushort expected = (ushort)(float.IsNaN(v) ? 0 : Math.Clamp(MathF.Round(v * 65535f), 0f, 65535f));   // rounds half to even
            Assert.Equal(expected, Unorm16Image.Quantize(v));
            Assert.Equal(expected, compact.Data[i]);
            Assert.Equal(expected * (1f / 65535), expanded.Data[i]);
            if (v is >= 0 and <= 1) Assert.True(Math.Abs(expanded.Data[i] - v) <= 0.5f / 65535 + 1e-7f, $"sample {i}: {v} came back as {expanded.Data[i]}");
        }
    }

    [Fact]
    public void Expanding_into_an_image_of_another_shape_is_refused()
    {
        Unorm16Image compact = Unorm16Image.From(new Image(4, 3, 3));
        Assert.Throws<ArgumentException>(() => compact.ExpandInto(new Image(3, 4, 3)));
        Assert.Throws<ArgumentException>(() => compact.ExpandInto(new Image(4, 3, 4)));
    }
}
