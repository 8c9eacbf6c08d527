using Radiant.Capture;
using Radiant.Evaluation;
using Radiant.Imaging;
using Radiant.Tests.Imaging;
using Radiant.Tests.Support;

namespace Radiant.Tests.Capture;

/// <summary>
/// HEIC/HEIF photos (an iPhone's default) are decoded to PNG with libheif's heif-convert before COLMAP
/// sees them. The HEIC files are made here from PNGs by libheif's own encoder, heif-enc (x265).
/// </summary>
public class HeifPhotosTests
{
    /// <summary>A smooth 160×120 test picture (ffmpeg's gradients source) as PNG, and its HEIC encoding at quality 95.</summary>
    private static (string Png, string Heic) Picture(TempDir dir, string stem, int seed)
    {
        Directory.CreateDirectory(dir.File("photos"));
        string png = dir.File($"{stem}.source.png"), heic = dir.File("photos", $"{stem}.HEIC");
        ExternalTool.Ffmpeg("-f", "lavfi", "-i", $"gradients=s=160x120:seed={seed}", "-frames:v", "1", png);
        ExternalTool.HeifEnc(png, heic, 95);
        return (png, heic);
    }

    [Fact]
    public void Heic_photos_are_decoded_to_png_beside_the_copied_others()
    {
        using var dir = new TempDir("heif");
        var (png1, heic1) = Picture(dir, "IMG_0001", 1);
        var (png3, heic3) = Picture(dir, "IMG_0003", 3);
        string jpeg = dir.File("photos", "IMG_0002.jpg");
        File.WriteAllBytes(jpeg, JpegExifOrientationTests.PlainJpeg());
        Assert.True(HeifPhotos.IsHeif(heic1) && HeifPhotos.IsHeif("x.heif") && !HeifPhotos.IsHeif(jpeg));
        Assert.True(CaptureInput.IsImageFile(heic1));
        Assert.Equal([heic1, jpeg, heic3], CaptureInput.ListImages(dir.File("photos")));

        List<string> written = InputPhotos.Write([heic1, jpeg, heic3], [], [heic1, heic3], dir.File("input")).Paths;
        Assert.Equal(["IMG_0001.png", "IMG_0002.jpg", "IMG_0003.png"], written.Select(Path.GetFileName));
        Assert.Equal(File.ReadAllBytes(jpeg), File.ReadAllBytes(written[1]));
        foreach (var (source, decoded) in new[] { (png1, written[0]), (png3, written[2]) })
        {
            Image expected = ImageIO.Load(source), actual = ImageIO.Load(decoded);
            Assert.Equal((160, 120), (actual.Width, actual.Height));
            double psnr = ImageMetrics.Psnr(actual, expected);
            // ffmpeg's psnr filter gave 50.7 dB for the seed-3 picture through heif-enc -q 95 and heif-convert (x265, 4:2:0).
            Assert.True(psnr > 40, $"{decoded}: {psnr:0.0} dB from its source");
        }
    }

    [Fact]
    public void A_missing_decoder_or_a_file_that_is_not_heif_is_one_line_naming_it()
    {
        using var dir = new TempDir("heif");
        var (_, heic) = Picture(dir, "IMG_0001", 1);
        var e = Assert.Throws<RadiantException>(() => HeifPhotos.Decode(heic, dir.File("out.png"), "heif-convert-not-installed-here"));
        Assert.StartsWith("heif-convert-not-installed-here: not found", e.Message);
        Assert.Contains("apt-get install libheif-examples", e.Message);
        Assert.Throws<RadiantException>(() => HeifPhotos.EnsureAvailable("heif-convert-not-installed-here"));
        HeifPhotos.EnsureAvailable(HeifPhotos.DefaultProgram);

        string fake = dir.File("photos", "IMG_0002.heic");
        File.WriteAllBytes(fake, new byte[100]);
        e = Assert.Throws<RadiantException>(() => HeifPhotos.Decode(fake, dir.File("fake.png")));
        Assert.StartsWith(fake, e.Message);
        Assert.Contains("could not be decoded as HEIC/HEIF", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void The_exif_focal_length_the_png_loses_is_returned()
    {
        using var dir = new TempDir("heif");
        string jpeg = dir.File("phone.jpg"), heic = dir.File("phone.heic");
        File.WriteAllBytes(jpeg, JpegExifOrientationTests.InsertAfterSoi(JpegExifOrientationTests.PlainJpeg(), JpegExifFocalLengthTests.ExifSegment(1, 26, littleEndian: false)));
        ExternalTool.HeifEnc(jpeg, heic, 95);   // heif-enc keeps a JPEG's EXIF block
        Directory.CreateDirectory(dir.File("out"));
        Assert.Equal(26, HeifPhotos.Decode(heic, dir.File("out", "phone.png")));
        Assert.Equal(["phone.png"], Directory.GetFiles(dir.File("out")).Select(Path.GetFileName));   // the EXIF sidecar is gone
        var (_, plain) = Picture(dir, "IMG_0001", 1);
        Assert.Null(HeifPhotos.Decode(plain, dir.File("out", "plain.png")));
    }
}
