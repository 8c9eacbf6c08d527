using Radiant.Capture;
using Radiant.Imaging;
using Radiant.Mathematics;
using Radiant.Tests.Imaging;
using Radiant.Tests.Support;

namespace Radiant.Tests.Capture;

/// <summary>What people get wrong: a missing tool, too few photos, a file that is not a photo, photos COLMAP cannot pose.</summary>
public class FromPhotosErrorTests
{
    private static readonly PhotoCapture.StageRunner Silent = (_, work) => work(new Progress<(int, int)>());

    [Fact]
    public void A_missing_colmap_is_one_line_that_says_how_to_install_it()
    {
        using var dir = new TempDir("from-photos-err");
        WriteNoisePhotos(dir.File("in"), 4, 32, 32, seed: 1);
        // A program name that is on no PATH takes the same path as an uninstalled colmap.
        var e = Assert.Throws<RadiantException>(() => PhotoCapture.Run(dir.File("in"), dir.File("out"),
            new CaptureOptions { Colmap = "colmap-not-installed-here" }, Silent, _ => { }));
        Assert.Contains("apt-get install colmap", e.Message);
        Assert.StartsWith("colmap-not-installed-here: not found", e.Message);
        Assert.False(Directory.Exists(dir.File("out")), "nothing should be written when COLMAP is missing");
    }

    [Fact]
    public void A_missing_ffmpeg_for_a_video_says_how_to_install_it()
    {
        using var dir = new TempDir("from-photos-err");
        string video = dir.File("clip.mkv");
        WriteNoisePhotos(dir.File("frames"), 3, 32, 32, seed: 2);
        ExternalTool.Ffmpeg("-framerate", "10", "-i", dir.File("frames", "noise_%03d.png"), "-c:v", "ffv1", video);
        var e = Assert.Throws<RadiantException>(() => VideoFrameExtractor.Extract(video, dir.File("out"), null, 3, "ffmpeg-not-installed-here", null, _ => { }));
        Assert.Contains("apt-get install ffmpeg", e.Message);
    }

    [Fact]
    public void Too_few_photos_garbage_files_and_a_used_output_folder_are_named_in_one_line()
    {
        using var dir = new TempDir("from-photos-err");
        WriteNoisePhotos(dir.File("two"), 2, 32, 32, seed: 3);
        var (code, _, err) = CliRunner.Run("data", "from-photos", dir.File("two"), dir.File("out1"));
        Assert.Equal(1, code);
        Assert.Contains("has 2 photo(s)", err);
        Assert.Contains("at least 3", err);
        Assert.Single(err.Trim().Split('\n'));
        Assert.False(Directory.Exists(dir.File("out1")), "nothing should be written for too few photos");

        WriteNoisePhotos(dir.File("garbage"), 3, 32, 32, seed: 4);
        File.WriteAllBytes(dir.File("garbage", "broken.jpg"), [0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07]);
        (code, _, err) = CliRunner.Run("data", "from-photos", dir.File("garbage"), dir.File("out2"));
        Assert.Equal(1, code);
        Assert.Contains("broken.jpg", err);
        Assert.Contains("not a PNG or JPEG", err);

        Directory.CreateDirectory(dir.File("used"));
        File.WriteAllText(dir.File("used", "keep.txt"), "x");
        (code, _, err) = CliRunner.Run("data", "from-photos", dir.File("garbage"), dir.File("used"));
        Assert.Equal(1, code);
        Assert.Contains("not empty", err);
        Assert.True(File.Exists(dir.File("used", "keep.txt")));

        (code, _, err) = CliRunner.Run("data", "from-photos", dir.File("two"), dir.File("out4"), "--mapping-attempts", "0");
        Assert.Equal(1, code);
        Assert.Contains("--mapping-attempts must be at least 1 (got 0)", err);
        Assert.False(Directory.Exists(dir.File("out4")));

        (code, _, err) = CliRunner.Run("data", "from-photos", dir.File("two"), dir.File("out4"), "--undistort-above", "-1");
        Assert.Equal(1, code);
        Assert.Contains("--undistort-above must be 0 or more pixels (got -1)", err);
        Assert.False(Directory.Exists(dir.File("out4")));

        (code, _, err) = CliRunner.Run("data", "from-photos", dir.File("nowhere"), dir.File("out3"));
        Assert.Equal(1, code);
        Assert.Contains("not found", err);
    }

    [Fact]
    public void Photos_that_share_nothing_fail_with_colmaps_log_tail()
    {
        using var dir = new TempDir("from-photos-err");
        WriteNoisePhotos(dir.File("noise"), 4, 96, 72, seed: 5);
        var (code, _, err) = CliRunner.Run("data", "from-photos", dir.File("noise"), dir.File("out"));
        Assert.True(code == 1, err);
        // Independent noise has features but no geometrically consistent matches: the mapper finds no initial pair.
        Assert.True(err.Contains("could not build a model") || err.Contains("registered only"), err);
        Assert.Contains("colmap.log", err);
        Assert.Contains("The log ends:", err);
        Assert.True(File.Exists(dir.File("out", "colmap.log")));
    }

    [Fact]
    public void Heic_photos_are_decoded_into_input_before_colmap_runs_which_gets_their_exif_focal_length()
    {
        using var dir = new TempDir("from-photos-err");
        WriteNoisePhotos(dir.File("noise"), 4, 96, 72, seed: 7);
        Directory.CreateDirectory(dir.File("heic"));
        foreach (string png in Directory.GetFiles(dir.File("noise")))
        {
            // As a phone writes them: with an EXIF focal length of 26 mm in 35 mm terms (heif-enc keeps a JPEG's EXIF).
            string jpeg = Path.ChangeExtension(png, ".jpg");
            ExternalTool.Ffmpeg("-i", png, "-q:v", "2", jpeg);
            File.WriteAllBytes(jpeg, JpegExifOrientationTests.InsertAfterSoi(File.ReadAllBytes(jpeg), JpegExifFocalLengthTests.ExifSegment(1, 26, littleEndian: true)));
            ExternalTool.HeifEnc(jpeg, dir.File("heic", Path.GetFileNameWithoutExtension(png) + ".heic"), 90);
        }
        var (code, stdout, err) = CliRunner.Run("data", "from-photos", dir.File("heic"), dir.File("out"));
        // Noise poses nothing (see above), but COLMAP ran on the decoded photos.
        Assert.True(code == 1, err);
        Assert.Contains("4 of 4 photos are HEIC/HEIF, which COLMAP cannot read: they are decoded to PNG in input/", stdout);
        Assert.Equal(["noise_001.png", "noise_002.png", "noise_003.png", "noise_004.png"], Directory.GetFiles(dir.File("out", "input")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.All(Directory.GetFiles(dir.File("out", "input")), f => Assert.Equal((96, 72), ImageIO.ReadSize(f)));
        Assert.True(err.Contains("could not build a model") || err.Contains("registered only"), err);
        string log = File.ReadAllText(dir.File("out", "colmap.log"));
        Assert.Contains($"--image_path {dir.File("out", "input")} ", log);
        // f = 26 / 43.27 × the diagonal (120 px) = 72.1 px, at the centre, no distortion (OPENCV's order).
        Assert.Contains("note: the photos' EXIF focal length (26 mm in 35 mm terms, 72 px), which their PNG copies lack, is given to COLMAP", stdout);
        Assert.Matches(@"--ImageReader\.camera_params 72\.10\d*,72\.10\d*,48,36,0,0,0,0(\s|$)", log);
    }

    [Fact]
    public void Train_poses_a_bare_photo_folder_first_and_says_where()
    {
        using var dir = new TempDir("from-photos-err");
        WriteNoisePhotos(dir.File("two"), 2, 32, 32, seed: 6);
        var (code, stdout, err) = CliRunner.Run("train", dir.File("two"), "--out", dir.File("run"), "--iterations", "1");
        Assert.Equal(1, code);
        Assert.Contains("a folder of photos: posing it with COLMAP into", stdout);
        Assert.Contains(Path.Combine(dir.File("run"), "data"), stdout);
        Assert.Contains("at least 3", err);
    }

    /// <summary>Uniform noise PNGs <c>noise_001.png …</c>: decodable, but no two share a scene.</summary>
    internal static void WriteNoisePhotos(string folder, int count, int width, int height, ulong seed)
    {
        Directory.CreateDirectory(folder);
        var rng = new Rng(seed);
        for (int i = 0; i < count; i++)
        {
            var img = new Image(width, height, 3);
            for (int k = 0; k < img.Data.Length; k++) img.Data[k] = rng.NextFloat();
            ImageIO.SavePng(Path.Combine(folder, $"noise_{i + 1:000}.png"), img);
        }
    }
}
