using Radiant.Imaging;
using Radiant.Imaging.Jpeg;
using Radiant.Tests.Support;
using static Radiant.Tests.Imaging.JpegTestSupport;

namespace Radiant.Tests.Imaging;

/// <summary>EXIF orientation: an APP1 Exif segment written here is inserted into a JPEG; the decode must equal the transformed plain decode exactly.</summary>
public class JpegExifOrientationTests
{
    internal const int W = 37, H = 21;

    /// <summary>A W×H JPEG without EXIF, encoded by ffmpeg from the shared test pattern.</summary>
    internal static byte[] PlainJpeg(string pixFmt = "yuvj420p")
    {
        using var dir = new TempDir("jpeg");
        string ppm = dir.File("src.ppm");
        WritePpm(ppm, MakeSource(W, H), W, H);
        string jpeg = dir.File("plain.jpg");
        FfmpegJpeg(ppm, jpeg, pixFmt);
        return File.ReadAllBytes(jpeg);
    }

    /// <summary>APP1 "Exif\0\0" + a TIFF header and IFD0 with a Make tag (stored elsewhere) followed by Orientation (SHORT).</summary>
    internal static byte[] ExifSegment(int orientation, bool littleEndian)
    {
        var exif = new ExifBlock(littleEndian);
        exif.U16(42);
        exif.U32(8);                                   // IFD0 offset
        exif.U16(2);                                   // two entries
        exif.U16(0x010F); exif.U16(2); exif.U32(6); exif.U32(8 + 2 + 24 + 4);   // Make, ASCII, 6 bytes at the offset after the IFD
        exif.U16(0x0112); exif.U16(3); exif.U32(1); exif.U16(orientation); exif.U16(0);
        exif.U32(0);                                   // no next IFD
        exif.Bytes("Radnt\0"u8);
        return exif.App1Segment();
    }

    internal static byte[] InsertAfterSoi(byte[] jpeg, byte[] segment) => [.. jpeg.AsSpan(0, 2), .. segment, .. jpeg.AsSpan(2)];

    /// <summary>The expected display, built from elementary flips and a transpose (an independent formulation from the decoder's index mapping).</summary>
    private static Image Orient(Image src, int orientation)
    {
        Image t = orientation >= 5 ? Transpose(src) : src;
        bool flipH = orientation is 2 or 3 or 6 or 7;
        bool flipV = orientation is 3 or 4 or 7 or 8;
        var dst = new Image(t.Width, t.Height, t.Channels);
        for (int c = 0; c < t.Channels; c++)
            for (int y = 0; y < t.Height; y++)
                for (int x = 0; x < t.Width; x++)
                    dst[c, x, y] = t[c, flipH ? t.Width - 1 - x : x, flipV ? t.Height - 1 - y : y];
        return dst;
    }

    private static Image Transpose(Image src)
    {
        var dst = new Image(src.Height, src.Width, src.Channels);
        for (int c = 0; c < src.Channels; c++)
            for (int y = 0; y < src.Height; y++)
                for (int x = 0; x < src.Width; x++)
                    dst[c, y, x] = src[c, x, y];
        return dst;
    }

    public static TheoryData<int, bool> Orientations()
    {
        var data = new TheoryData<int, bool>();
        for (int o = 1; o <= 8; o++) { data.Add(o, true); data.Add(o, false); }
        return data;
    }

    [Theory]
    [MemberData(nameof(Orientations))]
    public void Orientation_is_applied(int orientation, bool littleEndian)
    {
        byte[] plain = PlainJpeg();
        Image expected = Orient(JpegDecoder.Decode(plain), orientation);
        byte[] tagged = InsertAfterSoi(plain, ExifSegment(orientation, littleEndian));

        Image actual = JpegDecoder.Decode(tagged);
        Assert.Equal((expected.Width, expected.Height, 3), (actual.Width, actual.Height, actual.Channels));
        Assert.Equal(expected.Data, actual.Data);
        Assert.Equal((expected.Width, expected.Height), JpegDecoder.ReadSize(tagged));
    }

    [Fact]
    public void Rotate_90_clockwise_moves_the_bottom_left_corner_to_the_top_left()
    {
        byte[] plain = PlainJpeg("yuvj444p");
        Image stored = JpegDecoder.Decode(plain);
        Image shown = JpegDecoder.Decode(InsertAfterSoi(plain, ExifSegment(6, littleEndian: false)));
        Assert.Equal((H, W), (shown.Width, shown.Height));
        for (int c = 0; c < 3; c++)
        {
            Assert.Equal(stored[c, 0, H - 1], shown[c, 0, 0]);         // bottom-left → top-left
            Assert.Equal(stored[c, 0, 0], shown[c, H - 1, 0]);         // top-left → top-right
            Assert.Equal(stored[c, W - 1, H - 1], shown[c, 0, W - 1]); // bottom-right → bottom-left
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(9)]
    [InlineData(0xFFFF)]
    public void Invalid_orientation_values_are_ignored(int value)
    {
        byte[] plain = PlainJpeg();
        byte[] tagged = InsertAfterSoi(plain, ExifSegment(value, littleEndian: true));
        Assert.Equal(JpegDecoder.Decode(plain).Data, JpegDecoder.Decode(tagged).Data);
        Assert.Equal((W, H), JpegDecoder.ReadSize(tagged));
    }

    [Fact]
    public void Damaged_exif_is_ignored()
    {
        byte[] plain = PlainJpeg();
        byte[] exif = ExifSegment(6, littleEndian: true);
        // IFD0 offset pointing far outside the segment, and a truncated variant with a valid length field.
        byte[] badOffset = (byte[])exif.Clone();
        badOffset[4 + 6 + 4] = 0xF0;
        byte[] shortExif = [0xFF, 0xE1, 0x00, 0x0C, .. "Exif\0\0II*\0"u8.ToArray()];
        foreach (byte[] seg in new[] { badOffset, shortExif })
        {
            byte[] tagged = InsertAfterSoi(plain, seg);
            Assert.Equal(JpegDecoder.Decode(plain).Data, JpegDecoder.Decode(tagged).Data);
            Assert.Equal((W, H), JpegDecoder.ReadSize(tagged));
        }
    }

    [Fact]
    public void ImageIO_ReadSize_reports_the_displayed_size()
    {
        using var dir = new TempDir("jpeg");
        string path = dir.File("rotated.jpg");
        File.WriteAllBytes(path, InsertAfterSoi(PlainJpeg(), ExifSegment(8, littleEndian: true)));
        Assert.Equal((H, W), ImageIO.ReadSize(path));
        Image img = ImageIO.Load(path);
        Assert.Equal((H, W), (img.Width, img.Height));
    }
}

/// <summary><see cref="ImageIO.ReadSize"/> and <see cref="ImageIO.ReadOrientation"/> read only the first bytes of a file, and all of it when the headers go beyond them.</summary>
public class ImageReadSizeTests
{
    [Fact]
    public void A_jpeg_whose_frame_header_lies_past_300_kB_of_metadata_still_gives_its_displayed_size()
    {
        using var dir = new TempDir("read-size");
        byte[] plain = JpegExifOrientationTests.PlainJpeg();
        // Six full-length APP2 segments (an ICC profile can be this large) between the EXIF rotation and the frame header.
        byte[] payload = new byte[0xFFFF - 2];
        byte[] app2 = [0xFF, 0xE2, 0xFF, 0xFF, .. payload];
        byte[] jpeg = plain;
        for (int i = 0; i < 6; i++) jpeg = JpegExifOrientationTests.InsertAfterSoi(jpeg, app2);
        jpeg = JpegExifOrientationTests.InsertAfterSoi(jpeg, JpegExifOrientationTests.ExifSegment(6, littleEndian: true));
        File.WriteAllBytes(dir.File("tall.jpg"), jpeg);
        Assert.True(jpeg.Length > 390_000);

        // Orientation 6 (rotate 90°): displayed H×W.
        Assert.Equal(6, ImageIO.ReadOrientation(dir.File("tall.jpg")));
        Assert.Equal((JpegExifOrientationTests.H, JpegExifOrientationTests.W), ImageIO.ReadSize(dir.File("tall.jpg")));
        Image decoded = ImageIO.Load(dir.File("tall.jpg"));
        Assert.Equal((decoded.Width, decoded.Height), ImageIO.ReadSize(dir.File("tall.jpg")));
    }
}
