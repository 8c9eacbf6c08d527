using System.Buffers.Binary;
using Radiant.Imaging;
using Radiant.Imaging.Png;
using Radiant.Tests.Support;
using static Radiant.Tests.Imaging.PngTestPatterns;

namespace Radiant.Tests.Imaging;

/// <summary>Corrupt and invalid PNG input: each must fail with an <see cref="InvalidDataException"/> that says what is wrong.</summary>
public class PngDecoderErrorTests
{
    private static byte[] ValidPng() => PngTestWriter.Write(Make(2, 8, false, 7, 5, interlaced: false, PngTestImage.MixedFilters, seed: 3));

    private static string DecodeError(byte[] png) => Assert.Throws<InvalidDataException>(() => PngDecoder.Decode(png)).Message;

    private static byte[] Idat(byte[] scanlines) => PngTestWriter.Chunk("IDAT", PngTestWriter.Compress(scanlines));

    private static byte[] End => PngTestWriter.Chunk("IEND", []);

    /// <summary>Offset of the first byte of the data of the first chunk of <paramref name="type"/>.</summary>
    private static int ChunkDataOffset(byte[] png, string type)
    {
        for (int pos = 8; pos + 8 <= png.Length;)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(pos));
            if (System.Text.Encoding.ASCII.GetString(png, pos + 4, 4) == type) return pos + 8;
            pos += 12 + length;
        }
        throw new InvalidOperationException($"no {type} chunk");
    }

    [Fact]
    public void ValidFileDecodes()
    {
        Image img = PngDecoder.Decode(ValidPng());
        Assert.Equal((7, 5, 3), (img.Width, img.Height, img.Channels));
    }

    [Fact]
    public void WrongSignature()
    {
        byte[] png = ValidPng();
        png[1] = (byte)'X';
        Assert.Equal("not a PNG file (bad signature)", DecodeError(png));
        Assert.Contains("bad signature", Assert.Throws<InvalidDataException>(() => PngDecoder.ReadSize(png)).Message);
        Assert.False(PngDecoder.IsPng(png));
    }

    [Theory]
    [InlineData("IHDR", 2)]
    [InlineData("IDAT", 5)]
    [InlineData("IEND", 0)] // IEND has no data: this is its CRC
    public void FlippedByte_IsBadCrc(string chunk, int offsetInData)
    {
        byte[] png = ValidPng();
        png[ChunkDataOffset(png, chunk) + offsetInData] ^= 0x10;
        string message = DecodeError(png);
        Assert.Contains($"PNG chunk {chunk}", message);
        Assert.Contains("bad CRC", message);
    }

    [Fact]
    public void FlippedByteInHeader_ReadSizeChecksCrc() =>
        Assert.Contains("bad CRC", Assert.Throws<InvalidDataException>(() =>
        {
            byte[] png = ValidPng();
            png[ChunkDataOffset(png, "IHDR") + 3] ^= 1;
            PngDecoder.ReadSize(png);
        }).Message);

    [Theory]
    [InlineData(4, "shorter than the 8-byte signature")]
    [InlineData(8, "no IHDR chunk")]
    [InlineData(12, "incomplete chunk header")]
    [InlineData(20, "chunk IHDR runs past the end of the file")]
    [InlineData(-20, "chunk IDAT runs past the end of the file")]
    [InlineData(-12, "no IEND chunk")]
    [InlineData(-3, "chunk IEND runs past the end of the file")]
    public void TruncatedFile(int keep, string detail)
    {
        byte[] png = ValidPng();
        byte[] cut = png[..(keep >= 0 ? keep : png.Length + keep)];
        Assert.Equal($"PNG file is truncated ({detail})", DecodeError(cut));
    }

    [Fact]
    public void TruncatedImageData()
    {
        // The zlib stream stops after the first half of the scanlines; every chunk is intact.
        PngTestImage img = Make(6, 8, false, 33, 17, interlaced: false, 0, seed: 5);
        byte[] scanlines = PngTestWriter.Scanlines(img);
        byte[] png = PngTestWriter.Assemble([PngTestWriter.Ihdr(33, 17, 8, 6), Idat(scanlines[..(scanlines.Length / 2)]), End]);
        Assert.StartsWith("PNG image data is truncated", DecodeError(png));
    }

    [Fact]
    public void CorruptImageData()
    {
        byte[] garbage = new byte[64];
        for (int i = 0; i < garbage.Length; i++) garbage[i] = (byte)(i * 37 + 11);
        garbage[0] = 0x78; garbage[1] = 0x9C; // a valid zlib header, then nonsense
        byte[] png = PngTestWriter.Assemble([PngTestWriter.Ihdr(4, 4, 8, 2), PngTestWriter.Chunk("IDAT", garbage), End]);
        Assert.StartsWith("PNG image data is corrupt", DecodeError(png));
    }

    [Fact]
    public void BadAdlerChecksumIsNamed()
    {
        PngTestImage img = Make(2, 8, false, 9, 6, interlaced: false, 0, seed: 4);
        byte[] zlib = PngTestWriter.Compress(PngTestWriter.Scanlines(img));
        zlib[^1] ^= 0x01;   // the zlib trailer: Adler-32 of the scanlines
        byte[] png = PngTestWriter.Assemble([PngTestWriter.Ihdr(9, 6, 8, 2), PngTestWriter.Chunk("IDAT", zlib), End]);
        Assert.Equal("PNG image data is corrupt (the zlib stream's deflate data or its Adler-32 checksum is wrong)", DecodeError(png));
    }

    [Theory]
    [InlineData(3, 16, "colour type 3 (palette) does not allow bit depth 16 (allowed: 1, 2, 4, 8)")]
    [InlineData(2, 4, "colour type 2 (RGB) does not allow bit depth 4 (allowed: 8, 16)")]
    [InlineData(0, 3, "colour type 0 (greyscale) does not allow bit depth 3 (allowed: 1, 2, 4, 8, 16)")]
    [InlineData(6, 1, "colour type 6 (RGBA) does not allow bit depth 1 (allowed: 8, 16)")]
    [InlineData(5, 8, "unknown colour type 5")]
    public void InvalidHeaderCombination(int colorType, int bitDepth, string detail)
    {
        byte[] png = PngTestWriter.Assemble([PngTestWriter.Ihdr(4, 4, bitDepth, colorType), Idat(new byte[4 * 9]), End]);
        Assert.Equal($"PNG IHDR is invalid: {detail}", DecodeError(png));
    }

    [Fact]
    public void InvalidHeaderFields()
    {
        Assert.Contains("size 0x4", DecodeError(PngTestWriter.Assemble([PngTestWriter.Ihdr(0, 4, 8, 2), End])));
        Assert.Contains("size 2147483648x4", DecodeError(PngTestWriter.Assemble([PngTestWriter.Ihdr(int.MinValue, 4, 8, 2), End])));
        Assert.Contains("unknown interlace method 2", DecodeError(PngTestWriter.Assemble([PngTestWriter.Ihdr(4, 4, 8, 2, interlace: 2), End])));
        byte[] ihdr = PngTestWriter.Ihdr(4, 4, 8, 2);
        ihdr[8 + 10] = 1; // compression method
        Assert.Contains("bad CRC", DecodeError(PngTestWriter.Assemble([ihdr, End])));
        Assert.Contains("unknown compression method 1",
            DecodeError(PngTestWriter.Assemble([PngTestWriter.Chunk("IHDR", ihdr.AsSpan(8, 13)), End])));
        Assert.Equal("PNG's first chunk is IDAT, not IHDR", DecodeError(PngTestWriter.Assemble([Idat(new byte[4]), End])));
    }

    [Fact]
    public void PaletteImageWithoutPlte()
    {
        byte[] png = PngTestWriter.Assemble([PngTestWriter.Ihdr(4, 4, 8, 3), Idat(new byte[4 * 5]), End]);
        Assert.Equal("PNG colour type 3 (palette) has no PLTE chunk before the image data", DecodeError(png));
    }

    [Fact]
    public void PaletteIndexOutOfRange()
    {
        PngTestImage img = Make(3, 4, false, 7, 5, interlaced: true, PngTestImage.MixedFilters, seed: 9);
        img.Samples[17] = 11; // the 4-bit palette has 11 entries, 0 to 10
        Assert.Equal("PNG palette index 11 is out of range (the palette has 11 entries)", DecodeError(PngTestWriter.Write(img)));
    }

    [Fact]
    public void UnknownFilterType()
    {
        Assert.Equal("PNG scanline 0 has unknown filter type 7",
            DecodeError(PngTestWriter.Write(Make(0, 8, false, 7, 5, interlaced: false, filter: 7, seed: 2))));
        Assert.Equal("PNG scanline 0 of interlace pass 1 has unknown filter type 5",
            DecodeError(PngTestWriter.Write(Make(2, 16, false, 7, 5, interlaced: true, filter: 5, seed: 2))));
    }

    [Fact]
    public void UnknownCriticalChunk()
    {
        byte[] png = ValidPng();
        int idat = ChunkDataOffset(png, "IDAT") - 8;
        byte[] withCritical = [.. png[..idat], .. PngTestWriter.Chunk("CRIT", [1, 2]), .. png[idat..]];
        Assert.Equal("PNG has an unknown critical chunk CRIT", DecodeError(withCritical));
        // The same chunk with a lower-case first letter is ancillary and skipped.
        byte[] withAncillary = [.. png[..idat], .. PngTestWriter.Chunk("cRIT", [1, 2]), .. png[idat..]];
        Assert.Equal(7, PngDecoder.Decode(withAncillary).Width);
    }

    [Fact]
    public void ChunkOrderingRules()
    {
        byte[] ihdr = PngTestWriter.Ihdr(2, 2, 8, 0);
        byte[] idat = Idat(new byte[2 * 3]);
        Assert.Equal("PNG has no image data (no IDAT chunk)", DecodeError(PngTestWriter.Assemble([ihdr, End])));
        Assert.Equal("PNG IDAT chunks are not consecutive",
            DecodeError(PngTestWriter.Assemble([ihdr, idat, PngTestWriter.Chunk("tEXt", "a\0b"u8), idat, End])));
        Assert.Equal("PNG PLTE chunk is not allowed for colour type 0 (greyscale)",
            DecodeError(PngTestWriter.Assemble([ihdr, PngTestWriter.Chunk("PLTE", [1, 2, 3]), idat, End])));
        Assert.Equal("PNG tRNS chunk for a greyscale image has length 6, expected 2",
            DecodeError(PngTestWriter.Assemble([ihdr, PngTestWriter.Chunk("tRNS", new byte[6]), idat, End])));

        byte[] palIhdr = PngTestWriter.Ihdr(2, 2, 8, 3);
        byte[] plte = PngTestWriter.Chunk("PLTE", [1, 2, 3, 4, 5, 6]);
        Assert.Equal("PNG tRNS chunk comes before PLTE",
            DecodeError(PngTestWriter.Assemble([palIhdr, PngTestWriter.Chunk("tRNS", [0]), plte, idat, End])));
        Assert.Equal("PNG PLTE chunk has length 4 (must be a multiple of 3, 3 to 768)",
            DecodeError(PngTestWriter.Assemble([palIhdr, PngTestWriter.Chunk("PLTE", [1, 2, 3, 4]), idat, End])));
    }

    [Fact]
    public void TransparencyEntriesPastThePaletteAreIgnored()
    {
        // 2-entry palette, 3 tRNS entries (the third has no colour): decoded with the first two, as PIL does.
        byte[] png = PngTestWriter.Assemble([
            PngTestWriter.Ihdr(2, 2, 8, 3), PngTestWriter.Chunk("PLTE", [10, 20, 30, 40, 50, 60]),
            PngTestWriter.Chunk("tRNS", [0, 51, 7]), Idat([0, 0, 1, 0, 1, 0]), End]);
        Image image = PngDecoder.Decode(png);
        Assert.Equal(4, image.Channels);
        Assert.Equal([0f, 0.2f, 0.2f, 0f], image.Data[12..16]);   // planar: the alpha plane
        Assert.Equal([10 / 255f, 40 / 255f, 40 / 255f, 10 / 255f], image.Data[..4]);
    }

    [Fact]
    public void AnAncillaryChunkWithABadCrcIsDropped()
    {
        // As libpng's default: a damaged tEXt is skipped, a damaged tRNS is not applied; a damaged critical chunk stays an error (above).
        byte[] ihdr = PngTestWriter.Ihdr(2, 1, 8, 0), idat = Idat([0, 10, 20]);
        byte[] text = PngTestWriter.Chunk("tEXt", "a\0b"u8), trns = PngTestWriter.Chunk("tRNS", [0, 10]);
        text[^1] ^= 1;
        trns[^1] ^= 1;
        Image image = PngDecoder.Decode(PngTestWriter.Assemble([ihdr, text, trns, idat, End]));
        Assert.Equal(3, image.Channels);   // grey is expanded to RGB; no alpha plane
        Assert.Equal([10 / 255f, 20 / 255f], image.Data[..2]);
    }

    [Fact]
    public void AbsurdSizeIsRefusedBeforeAllocating()
    {
        // 2^31−1 × 2^31−1 from a 60-byte file: refused on the pixel count.
        byte[] huge = PngTestWriter.Assemble([PngTestWriter.Ihdr(int.MaxValue, int.MaxValue, 16, 6), Idat(new byte[9]), End]);
        Assert.StartsWith("PNG size 2147483647x2147483647 is too large", DecodeError(huge));
        // 16000 × 16000 is allowed by the limit, but a few bytes of zlib data cannot inflate to 1 GB of scanlines.
        byte[] bogus = PngTestWriter.Assemble([PngTestWriter.Ihdr(16000, 16000, 8, 6), Idat(new byte[64001]), End]);
        long before = GC.GetTotalAllocatedBytes(precise: true);
        Assert.StartsWith("PNG image data is truncated", DecodeError(bogus));
        Assert.True(GC.GetTotalAllocatedBytes(precise: true) - before < 10_000_000, "the decoder allocated for the claimed size");
    }

    [Fact]
    public void ImageIOLoad_CorruptFile_NamesThePath()
    {
        using var dir = new TempDir("png-corrupt");
        string path = dir.File("broken.png");
        byte[] png = ValidPng();
        png[ChunkDataOffset(png, "IDAT") + 1] ^= 0xFF;
        File.WriteAllBytes(path, png);
        var e = Assert.Throws<RadiantException>(() => ImageIO.Load(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("bad CRC", e.Message);
        Assert.Equal(path, e.Path);

        File.WriteAllBytes(path, png[..(png.Length - 30)]);
        e = Assert.Throws<RadiantException>(() => ImageIO.Load(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("truncated", e.Message);
    }
}
