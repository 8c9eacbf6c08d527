using System.Diagnostics;
using Radiant.Data;
using Radiant.Evaluation;
using Radiant.Imaging;
using Radiant.Tests.Support;
using Xunit.Abstractions;

namespace Radiant.Tests.Capture;

/// <summary>
/// A hand-held video of the sample scene: each of 40 orbit views appears twice in an H.264 video,
/// once sharp and once blurred (in alternating order). <c>from-photos --frames 40</c> must keep the
/// sharp frame of each pair and pose all of them with sequential matching (auto for a video).
/// </summary>
public class FromVideoTests(ITestOutputHelper output)
{
    private const int Views = 40;

    [Fact]
    public void From_a_video_keeps_the_sharp_frames_and_poses_them()
    {
        using var dir = new TempDir("from-video");
        var clock = Stopwatch.StartNew();
        SampleOrbitPhotos photos = SampleOrbitPhotos.Write(dir.File("photos"), Views, 320, 240);
        Directory.CreateDirectory(dir.File("frames"));
        var sharp = new List<Image>();
        var blurry = new List<Image>();
        for (int i = 0; i < Views; i++)
        {
            Image img = ImageIO.Load(photos.Cameras[i].ImagePath);
            sharp.Add(img);
            Image blurred = TestBlur.Box(img, 2);
            blurry.Add(blurred);
            (Image first, Image second) = i % 2 == 0 ? (img, blurred) : (blurred, img);
            ImageIO.SavePng(dir.File("frames", $"{2 * i + 1:000}.png"), first);
            ImageIO.SavePng(dir.File("frames", $"{2 * i + 2:000}.png"), second);
        }
        string video = dir.File("walkaround.mp4");
        ExternalTool.Ffmpeg("-framerate", "20", "-i", dir.File("frames", "%03d.png"), "-c:v", "libx264", "-crf", "14", "-pix_fmt", "yuv420p", video);

        var (code, stdout, stderr) = CliRunner.Run("data", "from-photos", video, dir.File("posed"), "--frames", $"{Views}", "--camera-model", "SIMPLE_RADIAL", "--overlap", "5",
            "--undistort-above", "0");   // the lens kept, however slight (PosedPhotosTests covers the other forms)
        output.WriteLine(stdout);
        Assert.True(code == 0, stderr);
        Assert.Contains("keeping the sharpest of every 2", stdout);
        Assert.Contains("matching (sequential)", stdout);
        Assert.Contains($"posed {Views} of {Views} photos", stdout);
        Assert.Matches(@"note: the lens COLMAP estimated moves points by up to \d+\.\d\d px: the photos are kept as they are, with the lens in sparse/0/cameras.txt, and Radiant undistorts them on load", stdout);
        Assert.Matches(@"^1 SIMPLE_RADIAL 320 240 ", File.ReadAllLines(dir.File("posed", "sparse", "0", "cameras.txt")).Single(l => !l.StartsWith('#')));

        // Each kept frame is the sharp one: close to its render (H.264 loss only), far from the blurred copy.
        double worst = double.PositiveInfinity, closestToBlurred = 0;
        for (int i = 0; i < Views; i++)
        {
            Image frame = ImageIO.Load(dir.File("posed", "input", $"frame_{i + 1:00000}.png"));
            worst = Math.Min(worst, ImageMetrics.Psnr(frame, sharp[i]));
            closestToBlurred = Math.Max(closestToBlurred, ImageMetrics.Psnr(frame, blurry[i]));
        }
        output.WriteLine($"kept frames: worst PSNR against the sharp render {worst:0.0} dB, best against the blurred copy {closestToBlurred:0.0} dB; whole test {clock.Elapsed.TotalSeconds:0.0} s");
        // Measured: 32.2 dB against the sharp renders (H.264 4:2:0 loss), at most 24.7 dB against the blurred copies.
        Assert.True(worst > 30, $"a kept frame is only {worst:0.0} dB from its sharp render");
        Assert.True(closestToBlurred < worst - 3, $"a kept frame is {closestToBlurred:0.0} dB from its blurred copy");
        // images/ holds the kept frames themselves, and the dataset loads with the lens.
        foreach (string frame in Directory.GetFiles(dir.File("posed", "input")))
            Assert.Equal(File.ReadAllBytes(frame), File.ReadAllBytes(dir.File("posed", "images", Path.GetFileName(frame))));
        Dataset posed = DatasetLoader.Load(dir.File("posed"));
        Assert.Equal(Views, posed.AllCameras.Count());
        Assert.All(posed.AllCameras, c => Assert.False(c.Distortion!.IsZero));
    }
}
