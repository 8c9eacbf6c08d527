using Radiant.Imaging;
using Radiant.Imaging.Jpeg;
using Radiant.Tests.Support;

namespace Radiant.Tests.Imaging;

/// <summary>
/// The EXIF FocalLengthIn35mmFilm tag (0xA405, in the Exif sub-IFD that IFD0's tag 0x8769 points to),
/// which from-photos hands COLMAP when it rewrites photos as PNG. Checked on Exif blocks built here.
/// </summary>
public class JpegExifFocalLengthTests
{
    /// <summary>
    /// An APP1 segment whose IFD0 holds the orientation and the Exif IFD pointer, and whose Exif IFD holds
    /// FocalLengthIn35mmFilm = <paramref name="focal35"/>; <paramref name="exifIfdOffset"/> overrides the pointer.
    /// </summary>
    internal static byte[] ExifSegment(int orientation, int focal35, bool littleEndian, int? exifIfdOffset = null)
    {
        var exif = new ExifBlock(littleEndian);
        exif.U16(42);
        exif.U32(8);                                            // IFD0 offset
        exif.U16(2);                                            // two entries
        exif.U16(0x0112); exif.U16(3); exif.U32(1); exif.U16(orientation); exif.U16(0);
        exif.U16(0x8769); exif.U16(4); exif.U32(1); exif.U32(exifIfdOffset ?? 8 + 2 + 24 + 4);   // LONG: the Exif IFD right after IFD0
        exif.U32(0);                                            // no next IFD
        exif.U16(2);                                            // Exif IFD: ExposureTime (RATIONAL, skipped) and the focal length
        exif.U16(0x829A); exif.U16(5); exif.U32(1); exif.U32(0);
        exif.U16(0xA405); exif.U16(3); exif.U32(1); exif.U16(focal35); exif.U16(0);
        exif.U32(0);
        return exif.App1Segment();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void The_35mm_focal_length_and_the_orientation_are_read_from_one_exif_block(bool littleEndian)
    {
        using var dir = new TempDir("exif-focal");
        string path = dir.File("photo.jpg");
        File.WriteAllBytes(path, JpegExifOrientationTests.InsertAfterSoi(JpegExifOrientationTests.PlainJpeg(), ExifSegment(6, 26, littleEndian)));
        Assert.Equal(26, ImageIO.ReadFocalLength35mm(path));
        Assert.Equal(6, ImageIO.ReadOrientation(path));
        Assert.Equal((JpegExifOrientationTests.H, JpegExifOrientationTests.W), ImageIO.ReadSize(path));
    }

    [Fact]
    public void No_tag_a_png_and_a_damaged_pointer_read_as_none()
    {
        using var dir = new TempDir("exif-focal");
        string plain = dir.File("plain.jpg"), oriented = dir.File("oriented.jpg"), damaged = dir.File("damaged.jpg"), png = dir.File("p.png");
        File.WriteAllBytes(plain, JpegExifOrientationTests.PlainJpeg());
        File.WriteAllBytes(oriented, JpegExifOrientationTests.InsertAfterSoi(JpegExifOrientationTests.PlainJpeg(), JpegExifOrientationTests.ExifSegment(6, littleEndian: true)));
        File.WriteAllBytes(damaged, JpegExifOrientationTests.InsertAfterSoi(JpegExifOrientationTests.PlainJpeg(), ExifSegment(3, 26, littleEndian: false, exifIfdOffset: 60000)));
        ImageIO.SavePng(png, ImageIO.Load(plain));
        Assert.Null(ImageIO.ReadFocalLength35mm(plain));
        Assert.Null(ImageIO.ReadFocalLength35mm(oriented));
        Assert.Null(ImageIO.ReadFocalLength35mm(png));
        Assert.Null(ImageIO.ReadFocalLength35mm(damaged));
        Assert.Equal(3, ImageIO.ReadOrientation(damaged));   // the rest of the block still reads
        // A focal length of 0 means unknown (Exif 2.3).
        File.WriteAllBytes(plain, JpegExifOrientationTests.InsertAfterSoi(JpegExifOrientationTests.PlainJpeg(), ExifSegment(1, 0, littleEndian: true)));
        Assert.Null(ImageIO.ReadFocalLength35mm(plain));
    }

    [Fact]
    public void A_bare_tiff_block_reads_too()
    {
        byte[] app1 = ExifSegment(1, 28, littleEndian: true);
        byte[] tiff = app1[(4 + 6)..];   // after the marker, the length and "Exif\0\0": what heif-convert writes with --skip-exif-offset
        Assert.True(ExifTiff.TryOpen(tiff, out ExifTiff exif));
        Assert.Equal(28, exif.FocalLengthIn35mmFilm);
        Assert.False(ExifTiff.TryOpen(app1, out _));
        Assert.True(ExifTiff.TryOpenApp1(app1[4..], out exif));
        Assert.Equal(28, exif.FocalLengthIn35mmFilm);
    }
}
