using Radiant.Data;
using Radiant.Data.Llff;
using Radiant.Mathematics;
using Radiant.Tests.Support;

namespace Radiant.Tests.Data;

public class LlffReaderTests
{
    private const double HwfHeight = 60, HwfWidth = 80, HwfFocal = 70;

    /// <summary>A known OpenGL camera-to-world pose: axes right, up, backwards (camera looks down −backwards) and position.</summary>
    internal sealed record Pose(Vec3 Right, Vec3 Up, Vec3 Backwards, Vec3 Position, double Near, double Far);

    /// <summary>Forward-facing cameras on a small grid, all looking roughly along −z at the scene, with slight turns.</summary>
    internal static List<Pose> Poses(int count)
    {
        var poses = new List<Pose>();
        for (int i = 0; i < count; i++)
        {
            double yaw = 0.05 * (i - count / 2.0), pitch = 0.03 * (i % 3 - 1);
            // Rotation about y by yaw, then about x by pitch, applied to the canonical axes.
            Mat3 ry = new(Math.Cos(yaw), 0, Math.Sin(yaw), 0, 1, 0, -Math.Sin(yaw), 0, Math.Cos(yaw));
            Mat3 rx = new(1, 0, 0, 0, Math.Cos(pitch), -Math.Sin(pitch), 0, Math.Sin(pitch), Math.Cos(pitch));
            Mat3 r = ry * rx;
            poses.Add(new Pose(r.Column(0), r.Column(1), r.Column(2), new Vec3(0.1 * i, -0.05 * i, 0.2 * (i % 2)), 1.5 + 0.1 * i, 20 + i));
        }
        return poses;
    }

    /// <summary>poses_bounds.npy rows: the 3×5 matrix [down | right | backwards | position | hwf] row by row, then near, far.</summary>
    internal static double[] Rows(List<Pose> poses)
    {
        var values = new List<double>();
        foreach (Pose p in poses)
        {
            Vec3 down = -p.Up;
            double[] hwf = [HwfHeight, HwfWidth, HwfFocal];
            for (int r = 0; r < 3; r++)
                values.AddRange([down[r], p.Right[r], p.Backwards[r], p.Position[r], hwf[r]]);
            values.Add(p.Near);
            values.Add(p.Far);
        }
        return [.. values];
    }

    private static string WriteDataset(TempDir dir, List<Pose> poses, int imageWidth = 40, int imageHeight = 30, string descr = "<f8", string extension = ".png")
    {
        File.WriteAllBytes(dir.File("poses_bounds.npy"), NpyTestFile.Build(Rows(poses), [poses.Count, 17], descr));
        for (int i = 0; i < poses.Count; i++)
            ColmapReaderTests.WritePng(dir.File("images", $"IMG_{i:0000}{extension}"), imageWidth, imageHeight);
        return dir.Path;
    }

    [Fact]
    public void Photos_with_an_exif_rotation_are_read_as_stored_since_the_poses_come_from_colmap()
    {
        // Stored 40×30 (hwf 80×60 halved) with orientation 6, displayed 30×40: LLFF's poses are COLMAP's, of the stored grid.
        using var dir = new TempDir("llff-exif");
        string ppm = dir.File("src.ppm");
        Imaging.JpegTestSupport.WritePpm(ppm, Imaging.JpegTestSupport.MakeSource(40, 30), 40, 30);
        Imaging.JpegTestSupport.FfmpegJpeg(ppm, dir.File("plain.jpg"), "yuvj420p");
        byte[] plain = File.ReadAllBytes(dir.File("plain.jpg"));
        var poses = Poses(3);
        File.WriteAllBytes(dir.File("poses_bounds.npy"), NpyTestFile.Build(Rows(poses), [poses.Count, 17], "<f8"));
        Directory.CreateDirectory(dir.File("images"));
        for (int i = 0; i < poses.Count; i++)
            File.WriteAllBytes(dir.File("images", $"IMG_{i:0000}.jpg"),
                Imaging.JpegExifOrientationTests.InsertAfterSoi(plain, Imaging.JpegExifOrientationTests.ExifSegment(6, littleEndian: false)));

        Dataset ds = LlffReader.Read(dir.Path, new DatasetOptions { TestEvery = 0 });
        Camera c = ds.Train[0];
        Assert.Equal((40, 30, 35.0), (c.Width, c.Height, c.Fx));
        Assert.Equal(Radiant.Imaging.ImageIO.Load(dir.File("plain.jpg")).Data, ds.LoadImage(c).Data);
    }

    [Theory]
    [InlineData("<f8", 1e-12)]
    [InlineData("<f4", 1e-6)]
    public void Recovered_poses_match_the_known_camera_to_world_poses(string descr, double tol)
    {
        var poses = Poses(9);
        using var dir = new TempDir("llff");
        Dataset ds = LlffReader.Read(WriteDataset(dir, poses, descr: descr), new DatasetOptions { TestEvery = 0 });
        Assert.Equal("llff", ds.Format);
        Assert.Equal(9, ds.Train.Count);
        double pixelTol = tol * 1e3; // float32 poses move projections by ~1e-5 px
        for (int i = 0; i < poses.Count; i++)
        {
            Camera c = ds.Train[i];
            Pose p = poses[i];
            Assert.Equal($"IMG_{i:0000}.png", c.Name);
            // OpenCV world-to-camera rows: x right, y down (−up), z forward (−backwards); centre = position.
            ColmapAssert.Near(Mat3.FromRows(p.Right, -p.Up, -p.Backwards), c.Rotation, tol, c.Name + " rotation");
            ColmapAssert.Near(p.Position, c.Center, tol, c.Name + " centre");
            ColmapAssert.Near(p.Near, c.Near!.Value, tol, c.Name + " near");
            ColmapAssert.Near(p.Far, c.Far!.Value, tol, c.Name + " far");

            // A point 5 units in front of the camera projects to the image centre; one above it, higher in the image.
            Vec3 ahead = p.Position - p.Backwards * 5;
            var (u, v, depth) = ColmapTestScene.Project(c, ahead);
            ColmapAssert.Near(20, u, pixelTol, c.Name + " u");
            ColmapAssert.Near(15, v, pixelTol, c.Name + " v");
            ColmapAssert.Near(5, depth, pixelTol, c.Name + " depth");
            var (uUp, vUp, _) = ColmapTestScene.Project(c, ahead + p.Up);
            ColmapAssert.Near(20, uUp, pixelTol, c.Name + " up u");
            ColmapAssert.Near(15 - 35.0 / 5, vUp, pixelTol, c.Name + " up v");
            var (uRight, _, _) = ColmapTestScene.Project(c, ahead + p.Right);
            ColmapAssert.Near(20 + 35.0 / 5, uRight, pixelTol, c.Name + " right u");
        }
    }

    [Fact]
    public void Depth_bounds_beyond_single_precision_are_one_error()
    {
        // A corrupt far bound (finite, so the reader's NaN check passes it) used to reach training's random start as an internal error.
        var poses = Poses(3);
        poses[1] = poses[1] with { Far = 1e300 };
        using var dir = new TempDir("llff");
        var e = Assert.Throws<RadiantException>(() => DatasetLoader.Load(WriteDataset(dir, poses)));
        Assert.Contains("far bound is 1e+300", e.Problem);

        poses[1] = poses[1] with { Near = 1e-310, Far = 20 };   // 1/near overflows: the random start's points were NaN
        using var tiny = new TempDir("llff");
        e = Assert.Throws<RadiantException>(() => DatasetLoader.Load(WriteDataset(tiny, poses)));
        Assert.Contains("depth bounds 1e-310 to 20 span more than single precision resolves", e.Problem);
    }

    [Fact]
    public void Intrinsics_scale_with_the_actual_image_size()
    {
        var poses = Poses(3);
        using (var half = new TempDir("llff"))
        {
            Camera c = LlffReader.Read(WriteDataset(half, poses, 40, 30), new DatasetOptions()).AllCameras.First();
            Assert.Equal((40, 30, 35.0, 35.0, 20.0, 15.0), (c.Width, c.Height, c.Fx, c.Fy, c.Cx, c.Cy));
            Assert.Null(c.Distortion);
        }
        using (var full = new TempDir("llff"))
        {
            Camera c = LlffReader.Read(WriteDataset(full, poses, 80, 60), new DatasetOptions()).AllCameras.First();
            Assert.Equal((80, 60, 70.0, 70.0, 40.0, 30.0), (c.Width, c.Height, c.Fx, c.Fy, c.Cx, c.Cy));
        }
        using (var odd = new TempDir("llff"))
        {
            // 80×60 reduced 3× and rounded: 27×20.
            Camera c = LlffReader.Read(WriteDataset(odd, poses, 27, 20), new DatasetOptions()).AllCameras.First();
            Assert.Equal((27, 20, 70.0 * 27 / 80, 13.5, 10.0), (c.Width, c.Height, c.Fx, c.Cx, c.Cy));
        }
        using (var wrongAspect = new TempDir("llff"))
        {
            WriteDataset(wrongAspect, poses, 40, 40);
            var e = Assert.Throws<RadiantException>(() => LlffReader.Read(wrongAspect.Path, new DatasetOptions()));
            Assert.Contains("IMG_0000.png", e.Message);
            Assert.Contains("40x40", e.Message);
        }
    }

    [Fact]
    public void Split_and_loader_detection()
    {
        var poses = Poses(10);
        using var dir = new TempDir("llff");
        WriteDataset(dir, poses);
        Dataset ds = LlffReader.Read(dir.Path, new DatasetOptions { TestEvery = 4 });
        Assert.Equal(["IMG_0000.png", "IMG_0004.png", "IMG_0008.png"], ds.Test.Select(c => c.Name));
        Assert.Equal(7, ds.Train.Count);
        Assert.Null(ds.Points);

        Assert.Equal("llff", DatasetLoader.DetectLayout(dir.Path, out _));
        Dataset loaded = DatasetLoader.Load(dir.File("poses_bounds.npy"), new DatasetOptions { TestEvery = 4 });
        Assert.Equal(ds.Test.Select(c => c.Name), loaded.Test.Select(c => c.Name));
        var img = loaded.LoadImage(loaded.Train[0]);
        Assert.Equal((40, 30), (img.Width, img.Height));
    }

    [Fact]
    public void Images_are_matched_in_sorted_order_with_case_insensitive_extensions()
    {
        var poses = Poses(3);
        using var dir = new TempDir("llff");
        File.WriteAllBytes(dir.File("poses_bounds.npy"), NpyTestFile.Build(Rows(poses), [3, 17]));
        // Written out of order with mixed-case extensions; other files are ignored.
        ColmapReaderTests.WritePng(dir.File("images", "c.PNG"), 40, 30);
        ColmapReaderTests.WritePng(dir.File("images", "a.png"), 40, 30);
        ColmapReaderTests.WritePng(dir.File("images", "b.Png"), 40, 30);
        File.WriteAllText(dir.File("images", "notes.txt"), "not an image");
        File.WriteAllBytes(dir.File("images", "._a.png"), [0, 5, 22, 7]);   // macOS AppleDouble file from a zip made on a Mac
        Dataset ds = LlffReader.Read(dir.Path, new DatasetOptions { TestEvery = 0 });
        Assert.Equal(["a.png", "b.Png", "c.PNG"], ds.Train.Select(c => c.Name));
        ColmapAssert.Near(poses[1].Position, ds.Train[1].Center, 1e-12, "b centre");
    }

    [Fact]
    public void Errors_are_clear()
    {
        var poses = Poses(4);
        using (var count = new TempDir("llff"))
        {
            WriteDataset(count, poses);
            File.Delete(count.File("images", "IMG_0002.png"));
            var e = Assert.Throws<RadiantException>(() => LlffReader.Read(count.Path, new DatasetOptions()));
            Assert.Contains("has 3 image(s)", e.Message);
            Assert.Contains("4 pose(s)", e.Message);
        }
        using (var shape = new TempDir("llff"))
        {
            WriteDataset(shape, poses);
            File.WriteAllBytes(shape.File("poses_bounds.npy"), NpyTestFile.Build(new double[4 * 15], [4, 15]));
            var e = Assert.Throws<RadiantException>(() => LlffReader.Read(shape.Path, new DatasetOptions()));
            Assert.Contains("poses_bounds.npy", e.Message);
            Assert.Contains("(N, 17)", e.Message);
            Assert.Contains("got (4, 15)", e.Message);
        }
        using (var nan = new TempDir("llff"))
        {
            WriteDataset(nan, poses);
            double[] rows = Rows(poses);
            rows[17 + 3] = double.NaN; // row 1's x position
            File.WriteAllBytes(nan.File("poses_bounds.npy"), NpyTestFile.Build(rows, [4, 17]));
            var e = Assert.Throws<RadiantException>(() => LlffReader.Read(nan.Path, new DatasetOptions()));
            Assert.Contains("row 1 (IMG_0001.png)", e.Message);
            Assert.Contains("NaN", e.Message);
        }
        using (var skew = new TempDir("llff"))
        {
            WriteDataset(skew, poses);
            double[] rows = Rows(poses);
            rows[0] += 0.5; // down.x: not a rotation any more
            File.WriteAllBytes(skew.File("poses_bounds.npy"), NpyTestFile.Build(rows, [4, 17]));
            var e = Assert.Throws<RadiantException>(() => LlffReader.Read(skew.Path, new DatasetOptions()));
            Assert.Contains("not rigid", e.Message);
        }
        using (var noImages = new TempDir("llff"))
        {
            File.WriteAllBytes(noImages.File("poses_bounds.npy"), NpyTestFile.Build(Rows(poses), [4, 17]));
            var e = Assert.Throws<RadiantException>(() => LlffReader.Read(noImages.Path, new DatasetOptions()));
            Assert.Contains("images folder not found", e.Message);
        }
    }
}
