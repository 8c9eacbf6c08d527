using Radiant.Capture;
using Radiant.Data;
using Radiant.Data.Colmap;
using Radiant.Imaging;
using Radiant.Mathematics;
using Radiant.Tests.Data;
using Radiant.Tests.Support;

namespace Radiant.Tests.Capture;

/// <summary>The pieces of from-photos that need no COLMAP: sharpness, frame picking, normalisation, model rewriting.</summary>
public class CaptureUnitTests
{
    [Fact]
    public void Laplacian_variance_has_known_values_and_matches_a_scalar_reference()
    {
        // A one-pixel checkerboard: each interior pixel v has four neighbours 1 − v, so ∇²g = 4 − 8v = ±4;
        // over the 11×5 interior 28 are −4 (v = 1) and 27 are +4, so the mean is −4/55 and Var = 16 − 16/55².
        const int w = 13, h = 7; // 13: the SIMD loop's tail runs too
        var checker = new float[w * h];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) checker[y * w + x] = (x + y) % 2;
        Assert.Equal(16 - 16.0 / (55 * 55), Sharpness.LaplacianVariance(checker, w, h), 1e-9);
        Assert.Equal(0, Sharpness.LaplacianVariance(Enumerable.Repeat(0.7f, w * h).ToArray(), w, h), 1e-9);
        // A linear ramp has ∇² = 0 everywhere.
        Assert.Equal(0, Sharpness.LaplacianVariance(Enumerable.Range(0, w * h).Select(i => (float)(i % w) * 3).ToArray(), w, h), 1e-6);

        var rng = new Rng(9);
        const int rw = 37, rh = 11;
        var grey = Enumerable.Range(0, rw * rh).Select(_ => rng.NextFloat() * 255).ToArray();
        var laps = new List<double>();
        for (int y = 1; y < rh - 1; y++)
            for (int x = 1; x < rw - 1; x++)
                laps.Add((double)grey[y * rw + x - 1] + grey[y * rw + x + 1] + grey[(y - 1) * rw + x] + grey[(y + 1) * rw + x] - 4.0 * grey[y * rw + x]);
        double mean = laps.Average(), variance = laps.Average(l => (l - mean) * (l - mean));
        Assert.Equal(variance, Sharpness.LaplacianVariance(grey, rw, rh), variance * 1e-5);
    }

    [Fact]
    public void Video_frames_keep_the_sharpest_of_each_window()
    {
        using var dir = new TempDir("capture-video");
        const int w = 64, h = 48, windows = 5, window = 4;
        var rng = new Rng(11);
        var sharp = new List<Image>();
        Directory.CreateDirectory(dir.File("src"));
        int n = 0;
        for (int k = 0; k < windows; k++)
        {
            var img = new Image(w, h, 3);
            for (int i = 0; i < img.Data.Length; i++) img.Data[i] = rng.NextFloat();
            sharp.Add(img);
            // The sharp frame sits at a different place in each window; the others are blurred copies.
            for (int j = 0; j < window; j++)
                ImageIO.SavePng(dir.File("src", $"{++n:000}.png"), j == k % window ? img : TestBlur.Box(img, 2));
        }
        string video = dir.File("clip.mkv");
        ExternalTool.Ffmpeg("-framerate", "8", "-i", dir.File("src", "%03d.png"), "-c:v", "ffv1", "-pix_fmt", "bgr0", video);

        var notes = new List<string>();
        List<string> frames = VideoFrameExtractor.Extract(video, dir.File("frames"), fps: null, frames: windows, "ffmpeg", null, notes.Add);
        Assert.Equal(windows, frames.Count);
        Assert.Contains(notes, m => m.Contains("sharpest of every 4"));
        for (int k = 0; k < windows; k++)
        {
            Assert.Equal($"frame_{k + 1:00000}.png", Path.GetFileName(frames[k]));
            Assert.Equal(sharp[k].ToInterleaved8(), ImageIO.Load(frames[k]).ToInterleaved8()); // ffv1 is lossless
        }
        // --fps 2 at 8 fps: windows of 4 frames too.
        Assert.Equal(windows, VideoFrameExtractor.Extract(video, dir.File("frames2"), fps: 2, frames: null, "ffmpeg", null, _ => { }).Count);
    }

    [Fact]
    public void Video_probe_swaps_the_size_of_a_portrait_phone_video()
    {
        VideoProbe p = VideoProbe.Parse("v.mp4", "width=1920\nheight=1080\navg_frame_rate=30000/1001\nnb_frames=300\nrotation=-90\nduration=10.01\n");
        Assert.Equal((1080, 1920, 300), (p.Width, p.Height, p.FrameCount));
        Assert.Equal(29.97, p.Fps, 0.01);
        VideoProbe q = VideoProbe.Parse("v.mkv", "width=640\nheight=480\nr_frame_rate=25/1\nnb_frames=N/A\nduration=4.0\n");
        Assert.Equal((640, 480, 100), (q.Width, q.Height, q.FrameCount));
    }

    [Fact]
    public void Normalisation_centres_scales_and_stands_a_tilted_ring_of_cameras_upright()
    {
        // Eight cameras on a ring around (5, −2, 1) of radius 0.7, tilted by 30° and looking at its centre.
        var centre = new Vec3(5, -2, 1);
        Mat3 tilt = SceneNormalization.RotationBetween(new Vec3(0, 0, 1), new Vec3(0.5, 0, Math.Sqrt(3) / 2));
        var cameras = new List<Camera>();
        for (int i = 0; i < 8; i++)
        {
            double a = 2 * Math.PI * i / 8;
            Vec3 eye = centre + tilt * new Vec3(0.7 * Math.Cos(a), 0.7 * Math.Sin(a), 0.3);
            cameras.Add(Radiant.CameraPaths.CameraPose.LookAt(eye, centre, tilt * new Vec3(0, 0, 1), 40).ToCamera(64, 48, $"c{i}"));
        }
        SimilarityTransform s = SceneNormalization.Estimate(cameras, null);
        var moved = cameras.Select(c => { var (r, t) = s.ApplyToPose(c.Rotation, c.Translation); return c with { Rotation = r, Translation = t }; }).ToList();
        Assert.True(s.Apply(centre).Length < 1e-9, $"centre went to {s.Apply(centre)}");
        Assert.Equal(SceneNormalization.TargetRadius, moved.Average(c => c.Center.Length), 1e-9);
        Vec3 up = moved.Aggregate(Vec3.Zero, (sum, c) => sum - c.Rotation.Transposed().Column(1)).Normalized();
        Assert.True((up - new Vec3(0, 0, 1)).Length < 1e-9, $"mean up {up}");
        // Every camera still sees the centre at the same pixel (a similarity changes no image).
        for (int i = 0; i < cameras.Count; i++)
        {
            var before = ColmapTestScene.Project(cameras[i], centre);
            var after = ColmapTestScene.Project(moved[i], s.Apply(centre));
            Assert.Equal(before.U, after.U, 1e-9);
            Assert.Equal(before.V, after.V, 1e-9);
        }
        // transform.json's inverse undoes it.
        SimilarityTransform inv = s.Inverse();
        Assert.True((inv.Apply(s.Apply(new Vec3(1, 2, 3))) - new Vec3(1, 2, 3)).Length < 1e-12);
        Assert.Contains("\"inverse_matrix\"", s.ToJson("test"));
    }

    [Fact]
    public void The_text_model_rewrite_moves_poses_and_points_and_keeps_every_projection()
    {
        using var dir = new TempDir("capture-text");
        ColmapTestScene scene = ColmapTestScene.Circle(6);
        scene.WriteText(dir.File("in"));
        scene.WriteImages(dir.File("images"));
        scene.WriteImages(dir.File("in", "images"));
        var transform = new SimilarityTransform(2.5, SceneNormalization.RotationBetween(new Vec3(0, 1, 0), new Vec3(0.6, 0, 0.8)), new Vec3(1, -3, 0.5));
        ColmapTextTransform.Apply(dir.File("in"), dir.File("sparse", "0"), transform);

        Dataset before = ColmapReader.Read(dir.File("in"), new DatasetOptions { TestEvery = 1000 });
        Dataset after = ColmapReader.Read(dir.Path, new DatasetOptions { TestEvery = 1000 });
        Assert.Equal(before.Points!.Count, after.Points!.Count);
        Assert.Equal(File.ReadAllText(dir.File("in", "cameras.txt")), File.ReadAllText(dir.File("sparse", "0", "cameras.txt")));
        foreach (Camera b in before.AllCameras)
        {
            Camera a = after.AllCameras.Single(c => c.Name == b.Name);
            Assert.True((a.Center - transform.Apply(b.Center)).Length < 1e-9);
            for (int i = 0; i < before.Points.Count; i++)
            {
                var p = new Vec3(before.Points.Positions[3 * i], before.Points.Positions[3 * i + 1], before.Points.Positions[3 * i + 2]);
                var q = new Vec3(after.Points.Positions[3 * i], after.Points.Positions[3 * i + 1], after.Points.Positions[3 * i + 2]);
                Assert.True((q - transform.Apply(p)).Length < 1e-4 * Math.Max(1, q.Length), "point moved wrongly"); // positions are floats
                var (u0, v0, _) = ColmapTestScene.Project(b, p);
                var (u1, v1, _) = ColmapTestScene.Project(a, transform.Apply(p));
                Assert.Equal(u0, u1, 1e-6);
                Assert.Equal(v0, v1, 1e-6);
            }
        }
        // Keypoint lines are kept byte for byte.
        string[] inLines = File.ReadAllLines(dir.File("in", "images.txt")).Where(l => !l.StartsWith('#')).ToArray();
        string[] outLines = File.ReadAllLines(dir.File("sparse", "0", "images.txt")).Where(l => !l.StartsWith('#')).ToArray();
        Assert.Equal(inLines.Length, outLines.Length);
        for (int i = 1; i < inLines.Length; i += 2) Assert.Equal(inLines[i], outLines[i]);
    }

    [Fact]
    public void Of_several_disconnected_models_the_largest_is_kept()
    {
        using var dir = new TempDir("capture-models");
        ColmapTestScene.Circle(3).WriteBinary(dir.File("sparse", "0"));
        ColmapTestScene.Circle(7).WriteBinary(dir.File("sparse", "1"));
        ColmapTestScene.Circle(5).WriteBinary(dir.File("sparse", "2"));
        var (path, count, registered) = SparseModels.Largest(dir.File("sparse"), dir.File("colmap.log"));
        Assert.Equal(dir.File("sparse", "1"), path);
        Assert.Equal(3, count);
        Assert.Equal(7, registered.Count);

        Directory.CreateDirectory(dir.File("empty"));
        var e = Assert.Throws<RadiantException>(() => SparseModels.Largest(dir.File("empty"), dir.File("colmap.log")));
        Assert.Contains("could not build a model", e.Message);
    }

    [Fact]
    public void Colmap_progress_is_read_from_its_counters_and_the_exhaustive_matchers_blocks()
    {
        Assert.Equal((7, 125), ColmapRunner.ProgressCounter("Processed file [7/125]", 125));
        Assert.Equal((3, 40), ColmapRunner.ProgressCounter("Matching image [3/40] in 1.2s", 40));
        // Blocks go row by row: [2/3, 1/3] is the 4th of 9.
        Assert.Equal((1, 9), ColmapRunner.ProgressCounter("Matching block [1/3, 1/3] in 511.320s", 125));
        Assert.Equal((4, 9), ColmapRunner.ProgressCounter("Matching block [2/3, 1/3] in 98.1s", 125));
        Assert.Equal((16, 49), ColmapRunner.ProgressCounter("Matching block [3/7, 2/7]", 125));
        Assert.Equal((5, 60), ColmapRunner.ProgressCounter("Registering image #12 (5)", 60));
        Assert.Null(ColmapRunner.ProgressCounter("Elapsed time: 0.150 [minutes]", 60));
    }

    [Fact]
    public void Initial_camera_parameters_follow_each_models_order()
    {
        Assert.Equal("160,160,80,60", PhotoCapture.InitialCameraParams("PINHOLE", 160, 120, 53.13010235415598));
        Assert.Equal("160,160,80,60,0,0,0,0", PhotoCapture.InitialCameraParams("OPENCV", 160, 120, 53.13010235415598));
        Assert.Equal("160,80,60,0", PhotoCapture.InitialCameraParams("SIMPLE_RADIAL", 160, 120, 53.13010235415598));
    }
}
