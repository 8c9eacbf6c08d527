using Radiant.Imaging;

namespace Radiant.Tests.Imaging;

/// <summary>8-bit quantisation of float samples: the vectorised row form against the per-sample rule.</summary>
public class ImageQuantizeTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(31)]
    [InlineData(32)]
    [InlineData(33)]
    [InlineData(1000)]
    public void Row_quantisation_matches_the_per_sample_rule(int length)
    {
        var rng = new Random(length);
        float[] special = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, -0f, -1e-9f, 1f, 1.0000001f, 2f, -3f,
                           0.5f / 255f, 1.5f / 255f, 2.5f / 255f, 254.5f / 255f, 127.5f / 255f, 1e30f];
        var samples = new float[length];
        for (int i = 0; i < length; i++)
            samples[i] = i % 3 == 0 ? special[i / 3 % special.Length] : (float)(rng.NextDouble() * 1.2 - 0.1);
        var output = new byte[length];
        Image.Quantize8(samples, output);
        for (int i = 0; i < length; i++) Assert.True(Image.Quantize8(samples[i]) == output[i], $"sample {i} = {samples[i]:R}: {output[i]} vs {Image.Quantize8(samples[i])}");
    }

    [Fact]
    public void Interleaved_bytes_take_each_plane_in_turn()
    {
        var img = new Image(3, 2, 3);
        for (int c = 0; c < 3; c++)
            for (int p = 0; p < 6; p++) img.Data[c * 6 + p] = (10 * c + p) / 255f;
        byte[] bytes = img.ToInterleaved8();
        for (int p = 0; p < 6; p++)
            for (int c = 0; c < 3; c++) Assert.Equal(10 * c + p, bytes[p * 3 + c]);
    }
}
