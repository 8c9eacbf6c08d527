using Radiant.Imaging.Png;
using static Radiant.Tests.Imaging.PngTestPatterns;

namespace Radiant.Tests.Imaging;

public class PngCrc32Tests
{
    [Fact]
    public void CheckValue() => Assert.Equal(0xCBF43926u, Crc32.Compute("123456789"u8)); // the standard CRC-32 check value

    [Fact]
    public void MatchesBitwiseCrc_AtEveryLengthAndAlignment()
    {
        var rng = new XorShift(42);
        var data = new byte[300];
        for (int i = 0; i < data.Length; i++) data[i] = (byte)rng.Next(256);
        for (int start = 0; start < 9; start++)
            for (int length = 0; length + start <= data.Length; length += 1 + length / 8)
            {
                ReadOnlySpan<byte> s = data.AsSpan(start, length);
                Assert.Equal(PngTestWriter.Crc(s), Crc32.Compute(s));
            }
        // Update in pieces equals one pass.
        uint running = Crc32.Update(Crc32.Update(0xFFFFFFFFu, data.AsSpan(0, 13)), data.AsSpan(13)) ^ 0xFFFFFFFFu;
        Assert.Equal(PngTestWriter.Crc(data), running);
    }
}
