using Radiant.Data;
using Radiant.Data.Nerfstudio;
using Radiant.Imaging;
using Radiant.Mathematics;
using Radiant.Tests.Support;

namespace Radiant.Tests.Data;

public class NerfstudioReaderTests
{
    /// <summary>
    /// Writes images/frame_{i}.png (RGB, 16×12) and a transforms.json with <paramref name="top"/> as extra
    /// top-level fields and <paramref name="frameExtra"/>(i) as extra per-frame fields.
    /// </summary>
    internal static string Create(string dir, int n = 4, string top = "\"fl_x\": 20, \"fl_y\": 22, \"cx\": 8.5, \"cy\": 5.5, \"w\": 16, \"h\": 12,",
        Func<int, string>? frameExtra = null, string file = "transforms.json", bool alpha = false)
    {
        var frames = new List<string>();
        for (int i = 0; i < n; i++)
        {
            BlenderTestScene.WritePng(Path.Combine(dir, "images", $"frame_{i:00000}.png"), BlenderTestScene.MakeImage(16, 12, alpha, i));
            string pose = BlenderTestScene.Matrix(BlenderTestScene.LookAt(BlenderTestScene.SpherePoint(i, n)));
            frames.Add($"{{\"file_path\": \"images/frame_{i:00000}.png\", {frameExtra?.Invoke(i) ?? ""} \"transform_matrix\": {pose}}}");
        }
        string path = Path.Combine(dir, file);
        File.WriteAllText(path, $"{{{top} \"frames\": [\n{string.Join(",\n", frames)}\n]}}");
        return path;
    }

    [Fact]
    public void Global_intrinsics_poses_and_every_nth_split()
    {
        using var tmp = new TempDir("ns");
        string json = Create(tmp.Path, n: 10, top: "\"camera_model\": \"PINHOLE\", \"fl_x\": 20, \"fl_y\": 22, \"cx\": 8.5, \"cy\": 5.5, \"w\": 16, \"h\": 12,");

        Dataset ds = NerfstudioReader.Read(json, new DatasetOptions { TestEvery = 4 });

        Assert.Equal("nerfstudio", ds.Format);
        Assert.Equal(tmp.Path, ds.Root);
        Assert.False(ds.HasAlpha);
        Assert.Null(ds.Points);
        Assert.Equal(["images/frame_00000.png", "images/frame_00004.png", "images/frame_00008.png"], ds.Test.Select(c => c.Name));
        Assert.Equal(7, ds.Train.Count);
        foreach (Camera c in ds.AllCameras)
        {
            Assert.Equal((16, 12, 20.0, 22.0, 8.5, 5.5), (c.Width, c.Height, c.Fx, c.Fy, c.Cx, c.Cy));
            Assert.Null(c.Distortion);
            var (u, v, d) = BlenderTestScene.Project(c, Vec3.Zero);
            Assert.Equal(c.Cx, u, 6);
            Assert.Equal(c.Cy, v, 6);
            Assert.Equal(4, d, 6);
        }
    }

    [Fact]
    public void Per_frame_intrinsics_override_the_global_ones_and_size_comes_from_the_image()
    {
        using var tmp = new TempDir("ns");
        string json = Create(tmp.Path, n: 3, top: "\"fl_x\": 20, \"fl_y\": 20,",
            frameExtra: i => i == 1 ? "\"fl_x\": 30, \"fl_y\": 31, \"cx\": 7, \"cy\": 6.5," : "");
        Dataset ds = NerfstudioReader.Read(json, new DatasetOptions { TestEvery = 0 });
        Camera a = ds.Train.Single(c => c.Name.EndsWith("00000.png"));
        Camera b = ds.Train.Single(c => c.Name.EndsWith("00001.png"));
        Assert.Equal((16, 12, 20.0, 20.0, 8.0, 6.0), (a.Width, a.Height, a.Fx, a.Fy, a.Cx, a.Cy));
        Assert.Equal((30.0, 31.0, 7.0, 6.5), (b.Fx, b.Fy, b.Cx, b.Cy));
    }

    [Fact]
    public void Opencv_fisheye_reads_k1_to_k4_into_the_fisheye_model()
    {
        // ns-process-data writes camera_model OPENCV_FISHEYE with k1..k4 for fisheye captures (this used to be refused).
        using var tmp = new TempDir("ns");
        string json = Create(tmp.Path, n: 2,
            top: "\"camera_model\": \"OPENCV_FISHEYE\", \"fl_x\": 20, \"fl_y\": 21, \"cx\": 8, \"cy\": 6, \"w\": 16, \"h\": 12, \"k1\": 0.05, \"k2\": -0.01, \"k3\": 0.002, \"k4\": -0.0005,");
        Dataset ds = NerfstudioReader.Read(json, new DatasetOptions { TestEvery = 0 });
        Assert.All(ds.Train, c => Assert.Equal(LensDistortion.FisheyeLens(0.05, -0.01, 0.002, -0.0005), c.Distortion));
        Assert.Equal(LensModel.Fisheye, ds.Train[0].Distortion!.Model);
        Assert.Equal((20.0, 21.0), (ds.Train[0].Fx, ds.Train[0].Fy));
    }

    [Fact]
    public void An_instant_ngp_file_marked_is_fisheye_is_a_fisheye_unless_a_camera_model_says_otherwise()
    {
        // Instant-NGP's colmap2nerf.py writes no camera_model, and is_fisheye for COLMAP's fisheye models.
        using var tmp = new TempDir("ns");
        const string lens = "\"fl_x\": 20, \"fl_y\": 21, \"cx\": 8, \"cy\": 6, \"w\": 16, \"h\": 12, \"k1\": 0.05, \"k2\": -0.01, \"k3\": 0, \"k4\": -0.0005, \"p1\": 0, \"p2\": 0,";
        string json = Create(tmp.Path, n: 2, top: "\"is_fisheye\": true, " + lens);
        Dataset ds = NerfstudioReader.Read(json, new DatasetOptions { TestEvery = 0 });
        Assert.All(ds.Train, c => Assert.Equal(LensDistortion.FisheyeLens(0.05, -0.01, 0, -0.0005), c.Distortion));

        json = Create(tmp.Path, n: 2, top: "\"is_fisheye\": false, " + lens.Replace("-0.0005", "0"));
        Assert.All(NerfstudioReader.Read(json, new DatasetOptions { TestEvery = 0 }).Train, c => Assert.Equal(LensModel.Perspective, c.Distortion!.Model));
        json = Create(tmp.Path, n: 2, top: "\"camera_model\": \"OPENCV\", \"is_fisheye\": true, " + lens.Replace("-0.0005", "0"));
        Assert.All(NerfstudioReader.Read(json, new DatasetOptions { TestEvery = 0 }).Train, c => Assert.Equal(LensModel.Perspective, c.Distortion!.Model));
    }

    [Fact]
    public void Opencv_distortion_maps_k1_k2_k3_p1_p2_onto_OpenCV_and_matches_nerfstudio_model()
    {
        using var tmp = new TempDir("ns");
        string json = Create(tmp.Path, n: 2,
            top: "\"camera_model\": \"OPENCV\", \"fl_x\": 20, \"fl_y\": 20, \"cx\": 8, \"cy\": 6, \"w\": 16, \"h\": 12, \"k1\": -0.1, \"k2\": 0.02, \"k3\": -0.003, \"k4\": 0, \"p1\": 0.001, \"p2\": -0.002,",
            frameExtra: i => i == 1 ? "\"k1\": 0.05," : "");
        Dataset ds = NerfstudioReader.Read(json, new DatasetOptions { TestEvery = 0 });
        LensDistortion d0 = ds.Train[0].Distortion!;
        Assert.Equal(new LensDistortion(K1: -0.1, K2: 0.02, P1: 0.001, P2: -0.002, K3: -0.003), d0);
        Assert.Equal(0, d0.K4); // nerfstudio's k4 is never OpenCV's (denominator) k4
        Assert.Equal(0.05, ds.Train[1].Distortion!.K1);

        // nerfstudio's forward model (camera_utils): radial = 1 + k1 r² + k2 r⁴ + k3 r⁶ + k4 r⁸,
        // x_d = x·radial + 2 p1 x y + p2 (r² + 2x²), y_d = y·radial + 2 p2 x y + p1 (r² + 2y²).
        double k1 = -0.1, k2 = 0.02, k3 = -0.003, p1 = 0.001, p2 = -0.002;
        foreach (var (x, y) in new[] { (0.3, -0.2), (-0.45, 0.35), (0.01, 0.6) })
        {
            double r = x * x + y * y, radial = 1 + r * (k1 + r * (k2 + r * k3));
            double xd = x * radial + 2 * p1 * x * y + p2 * (r + 2 * x * x);
            double yd = y * radial + 2 * p2 * x * y + p1 * (r + 2 * y * y);
            var (ox, oy) = d0.Distort(x, y);
            Assert.Equal(xd, ox, 12);
            Assert.Equal(yd, oy, 12);
        }
    }

    [Fact]
    public void Zero_distortion_is_null()
    {
        using var tmp = new TempDir("ns");
        string json = Create(tmp.Path, n: 2, top: "\"camera_model\": \"OPENCV\", \"fl_x\": 20, \"k1\": 0, \"k2\": 0, \"k3\": 0, \"k4\": 0, \"p1\": 0, \"p2\": 0,");
        Assert.All(NerfstudioReader.Read(json, new()).AllCameras, c => Assert.Null(c.Distortion));
    }

    [Fact]
    public void Opencv_k4_is_the_r8_radial_term_as_metashape_exports_write_it()
    {
        // nerfstudio's metashape converter copies Metashape's k4 (an r⁸ term of its Brown model) into an OPENCV file.
        using var tmp = new TempDir("ns");
        string json = Create(tmp.Path, n: 2,
            top: "\"camera_model\": \"OPENCV\", \"fl_x\": 20, \"fl_y\": 20, \"cx\": 8, \"cy\": 6, \"w\": 16, \"h\": 12, \"k1\": -0.1, \"k2\": 0.02, \"k3\": -0.003, \"k4\": 0.0007, \"p1\": 0.001, \"p2\": -0.002,");
        LensDistortion d = NerfstudioReader.Read(json, new DatasetOptions { TestEvery = 0 }).Train[0].Distortion!;
        Assert.Equal((LensModel.Perspective, 0.0007, 0.0), (d.Model, d.R8, d.K4));
        Assert.False(d.IsZero);
        Assert.False((d with { K1 = 0, K2 = 0, K3 = 0, P1 = 0, P2 = 0 }).IsZero);   // r⁸ alone is still a distortion

        // nerfstudio's forward model with its k4: radial = 1 + k1 r² + k2 r⁴ + k3 r⁶ + k4 r⁸.
        double k1 = -0.1, k2 = 0.02, k3 = -0.003, k4 = 0.0007, p1 = 0.001, p2 = -0.002;
        foreach (var (x, y) in new[] { (0.3, -0.2), (-0.9, 0.7), (1.1, 0.6) })
        {
            double r = x * x + y * y, radial = 1 + k1 * r + k2 * r * r + k3 * r * r * r + k4 * r * r * r * r;
            double xd = x * radial + 2 * p1 * x * y + p2 * (r + 2 * x * x);
            double yd = y * radial + 2 * p2 * x * y + p1 * (r + 2 * y * y);
            var (ox, oy) = d.Distort(x, y);
            Assert.Equal(xd, ox, 12);
            Assert.Equal(yd, oy, 12);
        }
        // Far from the axis the r⁸ term is what moves the point (it is not dropped).
        Assert.NotEqual((d with { R8 = 0 }).Distort(1.1, 0.6).X, d.Distort(1.1, 0.6).X, 6);
    }

    [Theory]
    [InlineData("FISHEYE624", "not supported")]
    [InlineData("EQUIRECTANGULAR", "not supported")]
    [InlineData("KANNALA", "unknown camera_model")]
    public void Unsupported_camera_models_are_refused(string model, string expected)
    {
        using var tmp = new TempDir("ns");
        string json = Create(tmp.Path, n: 2, top: $"\"camera_model\": \"{model}\", \"fl_x\": 20,");
        var e = Assert.Throws<RadiantException>(() => NerfstudioReader.Read(json, new()));
        Assert.Equal(json, e.Path);
        Assert.Contains(expected, e.Message);
        Assert.Contains(model, e.Message);
    }

    [Fact]
    public void A_mask_of_a_distorted_image_is_undistorted_with_it()
    {
        // Each frame's mask is its own image, so the loaded mask must equal the loaded (undistorted) image's
        // first channel: the mask stays aligned with the pixels it weighs.
        using var tmp = new TempDir("ns");
        string json = Create(tmp.Path, n: 2,
            top: "\"camera_model\": \"OPENCV\", \"fl_x\": 20, \"fl_y\": 20, \"cx\": 8, \"cy\": 6, \"w\": 16, \"h\": 12, \"k1\": -0.3, \"k2\": 0.05,",
            frameExtra: i => $"\"mask_path\": \"images/frame_{i:00000}.png\",");
        Dataset ds = NerfstudioReader.Read(json, new DatasetOptions { TestEvery = 0 });
        foreach (Camera c in ds.Train)
        {
            Image image = ds.LoadImage(c);
            Assert.Equal(image.ReadPlane(0).ToArray(), ds.LoadMask(c));
            Assert.NotEqual(ImageIO.Load(c.ImagePath).ReadPlane(0).ToArray(), ds.LoadMask(c));
        }
    }

    [Fact]
    public void A_mask_with_transparency_weighs_by_its_alpha_and_an_opaque_one_by_its_grey()
    {
        using var tmp = new TempDir("ns");
        Directory.CreateDirectory(tmp.File("masks"));
        // Frame 0: a cut-out (black colour, the mask in alpha), as background removers save them.
        // Frame 1: a black-and-white mask saved as RGBA with opaque alpha.
        Image pattern = BlenderTestScene.MakeImage(16, 12, false, seed: 7);
        var cutout = new Image(16, 12, 4);
        pattern.ReadPlane(1).CopyTo(cutout.Plane(3));
        var opaque = new Image(16, 12, 4);
        for (int c = 0; c < 3; c++) pattern.ReadPlane(1).CopyTo(opaque.Plane(c));
        opaque.Plane(3).Fill(1f);
        BlenderTestScene.WritePng(tmp.File("masks", "m0.png"), cutout);
        BlenderTestScene.WritePng(tmp.File("masks", "m1.png"), opaque);
        string json = Create(tmp.Path, n: 2, frameExtra: i => $"\"mask_path\": \"masks/m{i}.png\",");
        Dataset ds = NerfstudioReader.Read(json, new DatasetOptions { TestEvery = 0 });
        float[] expected = ImageIO.Load(tmp.File("masks", "m1.png")).ReadPlane(0).ToArray();
        Assert.Contains(expected, v => v is > 0 and < 1);
        Assert.Equal(expected, ds.LoadMask(ds.Train[0]));
        Assert.Equal(expected, ds.LoadMask(ds.Train[1]));
    }

    [Fact]
    public void Split_lists_masks_and_point_cloud()
    {
        using var tmp = new TempDir("ns");
        Directory.CreateDirectory(tmp.File("masks"));
        for (int i = 0; i < 4; i++) BlenderTestScene.WritePng(tmp.File("masks", $"m{i}.png"), BlenderTestScene.MakeImage(16, 12, false));
        File.WriteAllText(tmp.File("sparse_pc.ply"), "ply\nformat ascii 1.0\nelement vertex 2\nproperty float x\nproperty float y\nproperty float z\nproperty uchar red\nproperty uchar green\nproperty uchar blue\nend_header\n0 0 0 255 0 0\n1 2 3 0 255 0\n");
        string json = Create(tmp.Path, n: 4,
            top: "\"fl_x\": 20, \"ply_file_path\": \"sparse_pc.ply\", \"train_filenames\": [\"images/frame_00000.png\", \"images/frame_00002.png\", \"./images/frame_00003.png\"], " +
                 "\"val_filenames\": [\"images/frame_00001.png\"], \"test_filenames\": [\"images/frame_00001.png\"],",
            frameExtra: i => $"\"mask_path\": \"masks/m{i}.png\",");

        Dataset ds = NerfstudioReader.Read(json, new());

        Assert.Equal(["images/frame_00000.png", "images/frame_00002.png", "images/frame_00003.png"], ds.Train.Select(c => c.Name));
        Assert.Equal("images/frame_00001.png", ds.Test.Single().Name);
        Assert.Equal("images/frame_00001.png", ds.Val.Single().Name);
        Assert.Equal(tmp.File("masks", "m2.png"), ds.Train[1].MaskPath);
        Assert.NotNull(ds.LoadMask(ds.Train[1]));
        Assert.Equal(2, ds.Points!.Count);
        Assert.Equal([1f, 2f, 3f], ds.Points.Positions[3..6]);
        Assert.Equal([(byte)0, (byte)255, (byte)0], ds.Points.Colors[3..6]);

        // Only val_filenames: nerfstudio evaluates on them.
        json = Create(tmp.Path, n: 4, top: "\"fl_x\": 20, \"train_filenames\": [\"images/frame_00000.png\"], \"val_filenames\": [\"images/frame_00003.png\"],");
        ds = NerfstudioReader.Read(json, new());
        Assert.Equal("images/frame_00003.png", ds.Test.Single().Name);
        Assert.Empty(ds.Val);
    }

    [Fact]
    public void DatasetLoader_detects_folder_and_any_json_file()
    {
        using var tmp = new TempDir("ns");
        Create(tmp.Path, n: 9);
        Assert.Equal("nerfstudio", DatasetLoader.Load(tmp.Path).Format);
        string other = Create(tmp.Path, n: 3, file: "my_capture.json");
        Dataset ds = DatasetLoader.Load(other, new DatasetOptions { TestEvery = 0 });
        Assert.Equal("nerfstudio", ds.Format);
        Assert.Equal(3, ds.Train.Count);
        Assert.Equal(3, ds.LoadImage(ds.Train[0]).Channels);
    }

    [Fact]
    public void Rgba_images_are_composited()
    {
        using var tmp = new TempDir("ns");
        string json = Create(tmp.Path, n: 2, alpha: true);
        Dataset ds = NerfstudioReader.Read(json, new DatasetOptions { Background = [0, 0, 0], TestEvery = 0 });
        Assert.True(ds.HasAlpha);
        var img = ds.LoadImage(ds.Train[0]);
        Assert.Equal(4, img.Channels);
        Assert.Equal(0f, img[0, 0, 3]);
    }

    // ---- errors ----

    [Fact]
    public void Missing_json_and_folder()
    {
        using var tmp = new TempDir("ns");
        var e = Assert.Throws<RadiantException>(() => NerfstudioReader.Read(tmp.File("transforms.json"), new()));
        Assert.Equal(tmp.File("transforms.json"), e.Path);
        Assert.Contains("file not found", e.Message);

        string missingDir = tmp.File("nope");
        e = Assert.Throws<RadiantException>(() => NerfstudioReader.Read(Path.Combine(missingDir, "transforms.json"), new()));
        Assert.Equal(missingDir, e.Path);
        Assert.Contains("dataset folder not found", e.Message);
    }

    [Fact]
    public void Malformed_json_and_bad_matrix()
    {
        using var tmp = new TempDir("ns");
        string json = Create(tmp.Path, n: 2);
        File.WriteAllText(json, File.ReadAllText(json)[..^5]);
        var e = Assert.Throws<RadiantException>(() => NerfstudioReader.Read(json, new()));
        Assert.Equal(json, e.Path);
        Assert.Contains("malformed JSON", e.Message);

        File.WriteAllText(json, "{\"fl_x\": 20, \"frames\": [{\"file_path\": \"images/frame_00000.png\", \"transform_matrix\": [[1,0,0,0],[0,1,0,0],[0,0,1,\"x\"],[0,0,0,1]]}]}");
        e = Assert.Throws<RadiantException>(() => NerfstudioReader.Read(json, new()));
        Assert.Contains("frames[0].transform_matrix is not a 4x4", e.Message);
        Assert.Contains("[2][3]", e.Message);
    }

    [Fact]
    public void Missing_image_and_mask_name_the_file()
    {
        using var tmp = new TempDir("ns");
        string json = Create(tmp.Path, n: 3, frameExtra: i => i == 2 ? "\"mask_path\": \"masks/gone.png\"," : "");
        var e = Assert.Throws<RadiantException>(() => NerfstudioReader.Read(json, new()));
        Assert.Equal(tmp.File("masks", "gone.png"), e.Path);
        Assert.Contains("mask file not found", e.Message);

        json = Create(tmp.Path, n: 3);
        File.Delete(tmp.File("images", "frame_00001.png"));
        e = Assert.Throws<RadiantException>(() => NerfstudioReader.Read(json, new()));
        Assert.Equal(tmp.File("images", "frame_00001.png"), e.Path);
        Assert.Contains("image file not found (frames[1].file_path of transforms.json)", e.Message);
    }

    [Fact]
    public void Non_rigid_and_NaN_poses()
    {
        using var tmp = new TempDir("ns");
        string json = Create(tmp.Path, n: 1);
        File.WriteAllText(json, "{\"fl_x\": 20, \"frames\": [{\"file_path\": \"images/frame_00000.png\", \"transform_matrix\": [[1,0.5,0,0],[0,1,0,0],[0,0,1,4],[0,0,0,1]]}]}");
        var e = Assert.Throws<RadiantException>(() => NerfstudioReader.Read(json, new()));
        Assert.Equal(json, e.Path);
        Assert.Contains("frames[0].transform_matrix: camera pose is not rigid", e.Message);

        File.WriteAllText(json, "{\"fl_x\": 20, \"frames\": [{\"file_path\": \"images/frame_00000.png\", \"transform_matrix\": [[1,0,0,0],[0,Infinity,0,0],[0,0,1,4],[0,0,0,1]]}]}");
        e = Assert.Throws<RadiantException>(() => NerfstudioReader.Read(json, new()));
        Assert.Contains("NaN or infinite", e.Message);
    }

    [Fact]
    public void Split_list_naming_an_unknown_file()
    {
        using var tmp = new TempDir("ns");
        string json = Create(tmp.Path, n: 2, top: "\"fl_x\": 20, \"train_filenames\": [\"images/frame_00000.png\", \"images/nope.png\"],");
        var e = Assert.Throws<RadiantException>(() => NerfstudioReader.Read(json, new()));
        Assert.Equal(json, e.Path);
        Assert.Contains("train_filenames[1]", e.Message);
    }

    [Fact]
    public void Image_whose_size_disagrees_with_its_camera_fails_on_load()
    {
        using var tmp = new TempDir("ns");
        string json = Create(tmp.Path, n: 2);
        BlenderTestScene.WritePng(tmp.File("images", "frame_00001.png"), BlenderTestScene.MakeImage(12, 12, false));
        Dataset ds = DatasetLoader.Load(json, new DatasetOptions { TestEvery = 0 });
        var e = Assert.Throws<RadiantException>(() => ds.LoadImage(ds.Train[1]));
        Assert.Equal(tmp.File("images", "frame_00001.png"), e.Path);
        Assert.Contains("12x12", e.Message);
    }

    [Fact]
    public void Photos_resized_after_processing_take_the_intrinsics_scaled_to_them()
    {
        // transforms.json says 16×12, but images/ holds half-size copies of frames 0 and 2 (frame 1
        // has intrinsics of its own and keeps its full-size photo): the field of view is kept.
        using var tmp = new TempDir("ns-resized");
        string json = Create(tmp.Path, n: 3, frameExtra: i => i == 1 ? "\"fl_x\": 30," : "");
        foreach (int i in new[] { 0, 2 })
            BlenderTestScene.WritePng(tmp.File("images", $"frame_{i:00000}.png"), BlenderTestScene.MakeImage(8, 6, false, i));
        Dataset ds = NerfstudioReader.Read(json, new DatasetOptions { TestEvery = 0 });
        foreach (int i in new[] { 0, 2 })
        {
            Camera c = ds.Train[i];
            Assert.Equal((8, 6, 10.0, 11.0, 4.25, 2.75), (c.Width, c.Height, c.Fx, c.Fy, c.Cx, c.Cy));
            Assert.Equal(8 * 6 * 3, ds.LoadImage(c).Data.Length);
        }
        Camera full = ds.Train[1];
        Assert.Equal((16, 12, 30.0, 22.0), (full.Width, full.Height, full.Fx, full.Fy));
        Assert.Equal(16 * 12 * 3, ds.LoadImage(full).Data.Length);
    }

    /// <summary>
    /// A transforms.json whose one frame is a phone JPEG stored 37×21 with EXIF orientation 6
    /// (displayed 21×37), with <paramref name="size"/> as its w/h fields (or none); also plain.jpg, the same pixels untagged.
    /// </summary>
    private static string RotatedPhoto(TempDir tmp, string size)
    {
        byte[] plain = Imaging.JpegExifOrientationTests.PlainJpeg();
        Directory.CreateDirectory(tmp.File("images"));
        File.WriteAllBytes(tmp.File("images", "plain.jpg"), plain);
        File.WriteAllBytes(tmp.File("images", "a.jpg"),
            Imaging.JpegExifOrientationTests.InsertAfterSoi(plain, Imaging.JpegExifOrientationTests.ExifSegment(6, littleEndian: true)));
        string pose = BlenderTestScene.Matrix(BlenderTestScene.LookAt(BlenderTestScene.SpherePoint(0, 1)));
        string json = tmp.File("transforms.json");
        File.WriteAllText(json, $"{{\"fl_x\": 30, {size} \"frames\": [{{\"file_path\": \"images/a.jpg\", \"transform_matrix\": {pose}}}]}}");
        return json;
    }

    [Theory]
    [InlineData("")]                        // no size: as nerfstudio (PIL) and COLMAP read it
    [InlineData("\"w\": 37, \"h\": 21,")]    // ns-process-data: COLMAP's size of the stored grid
    public void Photos_with_an_exif_rotation_are_read_as_stored_like_nerfstudio_and_colmap(string size)
    {
        using var tmp = new TempDir("ns-exif");
        Dataset ds = NerfstudioReader.Read(RotatedPhoto(tmp, size), new DatasetOptions { TestEvery = 0 });
        Camera a = ds.Train.Single();
        Assert.Equal((Imaging.JpegExifOrientationTests.W, Imaging.JpegExifOrientationTests.H), (a.Width, a.Height));
        Assert.True(a.StoredOrientation);
        Assert.Equal(ImageIO.Load(tmp.File("images", "plain.jpg")).Data, ds.LoadImage(a).Data);
    }

    [Fact]
    public void Photos_with_an_exif_rotation_are_turned_upright_when_the_stated_size_is_the_upright_one()
    {
        using var tmp = new TempDir("ns-exif");
        Dataset ds = NerfstudioReader.Read(RotatedPhoto(tmp, "\"w\": 21, \"h\": 37,"), new DatasetOptions { TestEvery = 0 });
        Camera a = ds.Train.Single();
        Assert.Equal((21, 37), (a.Width, a.Height));
        Assert.False(a.StoredOrientation);
        Assert.Equal(ImageIO.Load(a.ImagePath).Data, ds.LoadImage(a).Data);   // the upright decode
        Assert.NotEqual(ImageIO.Load(a.ImagePath, applyOrientation: false).Data, ds.LoadImage(a).Data);
    }

    [Fact]
    public void Quoted_numbers_are_accepted()
    {
        using var tmp = new TempDir("ns");
        string json = Create(tmp.Path, n: 1, top: "\"fl_x\": \"20.5\", \"w\": \"16\", \"h\": 12,");
        Camera c = NerfstudioReader.Read(json, new()).Train[0];
        Assert.Equal(20.5, c.Fx);
        Assert.Equal(16, c.Width);
    }
}
