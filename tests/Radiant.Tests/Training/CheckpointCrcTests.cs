namespace Radiant.Tests.Training;

public class CheckpointCrcTests
{
    [Fact]
    public void Crc32C_check_value()
    {
        Assert.Equal(0xE3069283u, Crc32C.Compute("123456789"u8));
        Assert.Equal(0u, Crc32C.Compute([]));
        // RFC 3720 B.4: 32 bytes of zeros.
        Assert.Equal(0x8A9136AAu, Crc32C.Compute(new byte[32]));
    }

    [Fact]
    public void Hardware_table_and_incremental_paths_agree()
    {
        var rng = new Random(3);
        foreach (int n in new[] { 1, 7, 8, 9, 63, 64, 1000, 4099 })
        {
            var data = new byte[n];
            rng.NextBytes(data);
            uint whole = Crc32C.Compute(data);
            Assert.Equal(whole, ~Crc32C.AppendTable(~0u, data));
            var running = new Crc32C.Running();
            int cut = n / 3;
            running.Append(data.AsSpan(0, cut));
            running.Append(data.AsSpan(cut));
            Assert.Equal(whole, running.Value);
        }
    }
}
