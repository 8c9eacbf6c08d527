using Radiant.Logging;
using Radiant.Tests.Support;

namespace Radiant.Tests.Logging;

/// <summary>TFRecord framing against bytes computed by hand (an independent bitwise CRC-32C in Python, 2025).</summary>
public class TfRecordTests
{
    [Fact]
    public void Masked_crc_of_the_check_string_is_the_known_value()
    {
        byte[] check = "123456789"u8.ToArray();
        Assert.Equal(0xE3069283u, Crc32C.Compute(check));
        // ((0xE3069283 >> 15) | (0xE3069283 << 17)) + 0xa282ead8 (mod 2^32) = 0xC78AB0E5.
        Assert.Equal(0xC78AB0E5u, TfRecord.MaskedCrc(check));
        Assert.Equal(0xE3069283u, TfRecord.Unmask(0xC78AB0E5u));
        // The CRC of no bytes is 0, so its mask is the mask constant itself.
        Assert.Equal(0xa282ead8u, TfRecord.MaskedCrc([]));
    }

    [Fact]
    public void Records_are_framed_as_length_crc_data_crc()
    {
        Assert.Equal(Hex("00 00 00 00 00 00 00 00 29 03 98 07 d8 ea 82 a2"), TfRecord.Frame([]));
        Assert.Equal(Hex("03 00 00 00 00 00 00 00 b0 99 49 0e 61 62 63 6e 57 f1 21"), TfRecord.Frame("abc"u8));
    }

    [Fact]
    public void Reader_returns_each_record_with_its_offset()
    {
        byte[] file = [.. TfRecord.Frame("abc"u8), .. TfRecord.Frame([]), .. TfRecord.Frame("hello"u8)];
        TfRecordFile f = TfRecordReader.Read("mem", file);
        Assert.Null(f.Incomplete);
        Assert.Equal([0L, 19L, 35L], f.Records.Select(r => r.Offset));
        Assert.Equal("hello"u8.ToArray(), f.Records[2].Data);
    }

    [Fact]
    public void A_flipped_byte_is_a_crc_error_naming_the_file_and_offset()
    {
        using var dir = new TempDir("tfrecord");
        string path = dir.File("x.tfrecord");
        byte[] good = [.. TfRecord.Frame("abc"u8), .. TfRecord.Frame("hello"u8)];

        byte[] data = (byte[])good.Clone();
        data[19 + 12 + 2] ^= 0x10; // a data byte of the second record
        File.WriteAllBytes(path, data);
        var e = Assert.Throws<RadiantException>(() => TfRecordReader.Read(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("record at offset 19", e.Message);
        Assert.Contains("CRC of its 5 data bytes", e.Message);

        byte[] length = (byte[])good.Clone();
        length[19] ^= 0x01; // the second record's length
        File.WriteAllBytes(path, length);
        e = Assert.Throws<RadiantException>(() => TfRecordReader.Read(path));
        Assert.Contains("record at offset 19: the CRC of its length field", e.Message);
    }

    [Fact]
    public void A_record_cut_short_is_reported_not_thrown()
    {
        byte[] good = [.. TfRecord.Frame("abc"u8), .. TfRecord.Frame("hello"u8)];
        foreach (int cut in new[] { 19 + 5, 19 + 12, 19 + 12 + 3, good.Length - 1 })
        {
            TfRecordFile f = TfRecordReader.Read("live", good.AsSpan(0, cut));
            Assert.Single(f.Records);
            Assert.NotNull(f.Incomplete);
            Assert.Contains("record at offset 19 is incomplete", f.Incomplete);
        }
    }

    private static byte[] Hex(string s) => s.Split(' ').Select(b => Convert.ToByte(b, 16)).ToArray();
}
