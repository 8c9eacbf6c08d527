using Radiant.Capture;
using Radiant.Imaging;
using Radiant.Tests.Imaging;
using Radiant.Tests.Support;

namespace Radiant.Tests.Capture;

/// <summary>
/// Phone portrait photos are stored sideways with EXIF orientation 6 or 8; COLMAP ignores the tag, so
/// from-photos hands it upright copies. Checked on files built here: a 37×21 JPEG with orientation 6
/// and 8, one with orientation 1, and a PNG.
/// </summary>
public class UprightPhotosTests
{
    private static string Jpeg(TempDir dir, string name, int? orientation)
    {
        byte[] bytes = JpegExifOrientationTests.PlainJpeg();
        if (orientation is { } o) bytes = JpegExifOrientationTests.InsertAfterSoi(bytes, JpegExifOrientationTests.ExifSegment(o, littleEndian: false));
        string path = dir.File("photos", name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Fact]
    public void Rotated_photos_are_written_upright_as_png_and_the_others_copied_unchanged()
    {
        using var dir = new TempDir("upright");
        string a = Jpeg(dir, "IMG_1.JPG", 6), b = Jpeg(dir, "IMG_2.JPG", 1), c = Jpeg(dir, "IMG_3.jpg", null), d = Jpeg(dir, "IMG_4.JPG", 8);
        string png = dir.File("photos", "IMG_5.png");
        ImageIO.SavePng(png, ImageIO.Load(c));

        Assert.Equal([6, 1, 1, 8, 1], new[] { a, b, c, d, png }.Select(ImageIO.ReadOrientation));
        Assert.Equal([a, d], UprightPhotos.Rotated([a, b, c, d, png]));

        List<string> written = InputPhotos.Write([a, b, c, d, png], UprightPhotos.Rotated([a, b, c, d, png]), [], dir.File("input")).Paths;
        Assert.Equal(["IMG_1.png", "IMG_2.JPG", "IMG_3.jpg", "IMG_4.png", "IMG_5.png"], written.Select(Path.GetFileName));
        foreach (var (source, target) in new[] { (a, written[0]), (d, written[3]) })
        {
            // Upright: the displayed size (21×37), no orientation left to apply, pixels equal to the displayed
            // decode up to the 8-bit PNG's rounding (the decoder's floats are not multiples of 1/255).
            Assert.Equal((JpegExifOrientationTests.H, JpegExifOrientationTests.W), ImageIO.ReadSize(target));
            Assert.Equal(1, ImageIO.ReadOrientation(target));
            Image shown = ImageIO.Load(source), copy = ImageIO.Load(target);
            Assert.Equal(shown.Data.Length, copy.Data.Length);
            for (int i = 0; i < shown.Data.Length; i++) Assert.True(Math.Abs(shown.Data[i] - copy.Data[i]) <= 0.5f / 255 + 1e-6f, $"sample {i}");
        }
        Assert.Equal(File.ReadAllBytes(b), File.ReadAllBytes(written[1]));
        Assert.Equal(File.ReadAllBytes(png), File.ReadAllBytes(written[4]));
    }

    [Fact]
    public void A_png_name_already_taken_keeps_the_full_name()
    {
        using var dir = new TempDir("upright");
        string a = Jpeg(dir, "IMG_1.JPG", 6), other = Jpeg(dir, "IMG_1.png", null);
        List<string> written = InputPhotos.Write([a, other], UprightPhotos.Rotated([a, other]), [], dir.File("input")).Paths;
        Assert.Equal(["IMG_1.JPG.png", "IMG_1.png"], written.Select(Path.GetFileName));
    }
}
