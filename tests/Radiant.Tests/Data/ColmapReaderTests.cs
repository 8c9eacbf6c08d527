using System.Text;
using Radiant.Data;
using Radiant.Data.Colmap;
using Radiant.Imaging;
using Radiant.Mathematics;
using Radiant.Tests.Support;

namespace Radiant.Tests.Data;

public class ColmapReaderTests
{
    private static readonly DatasetOptions Options = new() { TestEvery = 3 };

    private static RadiantException Fails(Action read, params string[] messageParts)
    {
        var e = Assert.Throws<RadiantException>(read);
        foreach (string part in messageParts) Assert.Contains(part, e.Message);
        return e;
    }

    private static Camera ByName(Dataset ds, string name) => ds.AllCameras.Single(c => c.Name == name);

    [Fact]
    public void Binary_and_text_models_give_the_same_dataset()
    {
        var scene = ColmapTestScene.Circle();
        using var bin = new TempDir("colmap-bin");
        using var txt = new TempDir("colmap-txt");
        Dataset a = ColmapReader.Read(scene.WriteDataset(bin.Path, binary: true), Options);
        Dataset b = ColmapReader.Read(scene.WriteDataset(txt.Path, binary: false), Options);
        Assert.Equal("colmap", a.Format);
        Assert.Equal(6, a.AllCameras.Count());
        // The text writer uses round-trip formatting, so the two agree to the last bit.
        ColmapAssert.SameDataset(a, b, 0);
    }

    [Fact]
    public void Poses_put_each_camera_at_its_centre_looking_at_the_origin()
    {
        var scene = ColmapTestScene.Circle();
        using var dir = new TempDir("colmap");
        Dataset ds = ColmapReader.Read(scene.WriteDataset(dir.Path, binary: true), Options);
        foreach (var im in scene.Images)
        {
            Camera c = ByName(ds, im.Name);
            ColmapAssert.Near(im.Center, c.Center, 1e-12, im.Name + " centre");
            Assert.True(c.Rotation.RotationError() < 1e-12);

            // The origin is straight ahead: it projects to the principal point, 4.12 units away.
            var (u, v, depth) = ColmapTestScene.Project(c, Vec3.Zero);
            ColmapAssert.Near(c.Cx, u, 1e-9, im.Name + " origin u");
            ColmapAssert.Near(c.Cy, v, 1e-9, im.Name + " origin v");
            ColmapAssert.Near(Math.Sqrt(17), depth, 1e-12, im.Name + " origin depth");

            // A point above the origin (world +z) appears higher in the image (smaller v, y is down).
            var (uUp, vUp, _) = ColmapTestScene.Project(c, new Vec3(0, 0, 0.5));
            Assert.True(vUp < c.Cy - 1, $"{im.Name}: a point above the origin should be above the centre, v = {vUp}");
            ColmapAssert.Near(c.Cx, uUp, 1e-9, im.Name + " up u");

            // A point to the camera's right (forward × up, horizontal) appears right of the centre.
            Vec3 forward = (Vec3.Zero - im.Center).Normalized();
            Vec3 right = forward.Cross(ColmapTestScene.WorldUp).Normalized();
            var (uRight, vRight, _) = ColmapTestScene.Project(c, right * 0.3);
            Assert.True(uRight > c.Cx + 1, $"{im.Name}: a point on the right should be right of the centre, u = {uRight}");
        }
    }

    [Fact]
    public void Hand_written_poses_project_known_points_to_known_pixels()
    {
        // Image a: R = I, t = (0, 0, 5). Image b: q = (cos 45°, 0, sin 45°, 0), a 90° turn about y:
        // R = [[0,0,1],[0,1,0],[-1,0,0]], so the camera sits at C = −Rᵀt = (5, 0, 0) looking along −x.
        using var dir = new TempDir("colmap");
        string model = Path.Combine(dir.Path, "sparse", "0");
        Directory.CreateDirectory(model);
        File.WriteAllText(Path.Combine(model, "cameras.txt"), "# cameras\n1 PINHOLE 100 80 100 100 50 40\n");
        File.WriteAllText(Path.Combine(model, "images.txt"),
            "# images\n1 1 0 0 0 0 0 5 1 a.png\n\n2 0.70710678118654757 0 0.70710678118654757 0 0 0 5 1 b.png\n\n");
        WritePng(Path.Combine(dir.Path, "images", "a.png"), 100, 80);
        WritePng(Path.Combine(dir.Path, "images", "b.png"), 100, 80);
        Dataset ds = ColmapReader.Read(dir.Path, new DatasetOptions { TestEvery = 0 });
        Assert.Null(ds.Points);

        Camera a = ByName(ds, "a.png"), b = ByName(ds, "b.png");
        // (1, 0.5, 0) → camera (1, 0.5, 5) → pixel (100·1/5 + 50, 100·0.5/5 + 40) = (70, 50).
        var (ua, va, _) = ColmapTestScene.Project(a, new Vec3(1, 0.5, 0));
        ColmapAssert.Near(70, ua, 1e-12, "a u");
        ColmapAssert.Near(50, va, 1e-12, "a v");
        ColmapAssert.Near(new Vec3(0, 0, -5), a.Center, 1e-12, "a centre");
        // (0, 0.5, 1) → R·p = (1, 0.5, 0), + t → (1, 0.5, 5) → (70, 50).
        var (ub, vb, _) = ColmapTestScene.Project(b, new Vec3(0, 0.5, 1));
        ColmapAssert.Near(70, ub, 1e-12, "b u");
        ColmapAssert.Near(50, vb, 1e-12, "b v");
        ColmapAssert.Near(new Vec3(5, 0, 0), b.Center, 1e-12, "b centre");
        Assert.Equal(Path.Combine(dir.Path, "images", "a.png"), a.ImagePath);
    }

    [Fact]
    public void Photos_resized_after_reconstruction_take_the_intrinsics_scaled_to_them()
    {
        // cameras.txt says 100×80, but images/ holds half-size copies (as when photos are shrunk
        // after COLMAP ran): the reference trainer keeps the field of view, so the camera scales.
        using var dir = new TempDir("colmap-resized");
        TextModel(dir, "1 PINHOLE 100 80 100 100 50 40\n2 PINHOLE 100 80 100 100 50 40\n",
                  "1 1 0 0 0 0 0 5 1 a.png\n\n2 1 0 0 0 0 0 5 2 b.png\n\n", writeImages: false);
        WritePng(Path.Combine(dir.Path, "images", "a.png"), 50, 40);
        WritePng(Path.Combine(dir.Path, "images", "b.png"), 60, 40);   // not a uniform scale: left to the loader
        Dataset ds = ColmapReader.Read(dir.Path, new DatasetOptions { TestEvery = 0 });

        Camera a = ByName(ds, "a.png");
        Assert.Equal((50, 40), (a.Width, a.Height));
        Assert.Equal((50.0, 50.0, 25.0, 20.0), (a.Fx, a.Fy, a.Cx, a.Cy));
        // (1, 0.5, 0) → camera (1, 0.5, 5) → pixel (50·1/5 + 25, 50·0.5/5 + 20) = (35, 25): half of (70, 50) at full size.
        var (u, v, _) = ColmapTestScene.Project(a, new Vec3(1, 0.5, 0));
        ColmapAssert.Near(35, u, 1e-12, "u");
        ColmapAssert.Near(25, v, 1e-12, "v");
        Assert.Equal(50 * 40 * 3, ds.LoadImage(a).Data.Length);

        Camera b = ByName(ds, "b.png");
        Assert.Equal((100, 80), (b.Width, b.Height));
        var e = Assert.Throws<RadiantException>(() => ds.LoadImage(b));
        Assert.Contains("image is 60x40 but its camera 'b.png' says 100x80", e.Message);
    }

    [Fact]
    public void Photos_with_an_exif_rotation_are_read_as_stored_since_colmap_posed_the_stored_grid()
    {
        // A phone JPEG stored 37×21 with orientation 6 (displayed 21×37): COLMAP ignores the tag, so
        // cameras.txt has 37×21 and the poses are of the stored pixels.
        using var dir = new TempDir("colmap-exif");
        int w = Imaging.JpegExifOrientationTests.W, h = Imaging.JpegExifOrientationTests.H;
        TextModel(dir, $"1 PINHOLE {w} {h} 30 30 18.5 10.5\n", "1 1 0 0 0 0 0 5 1 a.jpg\n\n", writeImages: false);
        byte[] plain = Imaging.JpegExifOrientationTests.PlainJpeg();
        Directory.CreateDirectory(Path.Combine(dir.Path, "images"));
        File.WriteAllBytes(Path.Combine(dir.Path, "images", "plain.jpg"), plain);
        File.WriteAllBytes(Path.Combine(dir.Path, "images", "a.jpg"),
            Imaging.JpegExifOrientationTests.InsertAfterSoi(plain, Imaging.JpegExifOrientationTests.ExifSegment(6, littleEndian: true)));
        Dataset ds = ColmapReader.Read(dir.Path, new DatasetOptions { TestEvery = 0 });

        Camera a = ByName(ds, "a.jpg");
        Assert.Equal((w, h), (a.Width, a.Height));
        Image loaded = ds.LoadImage(a);
        Assert.Equal(ImageIO.Load(Path.Combine(dir.Path, "images", "plain.jpg")).Data, loaded.Data);
        Assert.Equal((h, w), ImageIO.ReadSize(a.ImagePath));   // elsewhere (a photo folder) it is turned upright
    }

    [Fact]
    public void Intrinsics_and_distortion_follow_each_camera_model()
    {
        var scene = ColmapTestScene.Circle(10);
        using var dir = new TempDir("colmap");
        Dataset ds = ColmapReader.Read(scene.WriteDataset(dir.Path, binary: true), Options);
        Camera Of(uint cameraId) => ByName(ds, scene.Images.First(i => i.CameraId == cameraId).Name);

        Camera simplePinhole = Of(1);
        Assert.Equal((40, 30), (simplePinhole.Width, simplePinhole.Height));
        Assert.Equal((45.0, 45.0, 20.0, 15.0), (simplePinhole.Fx, simplePinhole.Fy, simplePinhole.Cx, simplePinhole.Cy));
        Assert.Null(simplePinhole.Distortion);

        Camera pinhole = Of(2);
        Assert.Equal((50.0, 52.0, 20.5, 14.25), (pinhole.Fx, pinhole.Fy, pinhole.Cx, pinhole.Cy));
        Assert.Null(pinhole.Distortion);

        Camera simpleRadial = Of(3);
        Assert.Equal((30.0, 30.0, 16.0, 12.0), (simpleRadial.Fx, simpleRadial.Fy, simpleRadial.Cx, simpleRadial.Cy));
        Assert.Equal(new LensDistortion(-0.05), simpleRadial.Distortion);

        Camera radial = Of(7);
        Assert.Equal((33.0, 33.0, 18.5, 13.5), (radial.Fx, radial.Fy, radial.Cx, radial.Cy));
        Assert.Equal(new LensDistortion(-0.04, 0.01), radial.Distortion);

        Camera opencv = Of(9);
        Assert.Equal((36, 28), (opencv.Width, opencv.Height));
        Assert.Equal((34.0, 35.0, 18.0, 14.0), (opencv.Fx, opencv.Fy, opencv.Cx, opencv.Cy));
        Assert.Equal(new LensDistortion(-0.03, 0.005, 0.001, -0.002), opencv.Distortion);
    }

    [Fact]
    public void Opencv_fisheye_cameras_are_read_with_the_fisheye_lens()
    {
        // COLMAP's OPENCV_FISHEYE: fx, fy, cx, cy, k1, k2, k3, k4. Even with zero coefficients it is a
        // distortion (an equidistant lens), unlike OPENCV with zeros.
        using var dir = new TempDir("colmap");
        Dataset ds = TwoImagesWithCameras(dir, "1 OPENCV_FISHEYE 20 10 15 16 10 5 0.05 -0.01 0.002 -0.0005\n2 OPENCV_FISHEYE 20 10 15 15 10 5 0 0 0 0\n");
        Camera a = ds.Train.Single(c => c.Name == "a.png"), b = ds.Train.Single(c => c.Name == "b.png");
        Assert.Equal((15.0, 16.0, 10.0, 5.0), (a.Fx, a.Fy, a.Cx, a.Cy));
        Assert.Equal(LensDistortion.FisheyeLens(0.05, -0.01, 0.002, -0.0005), a.Distortion);
        Assert.Equal(LensDistortion.FisheyeLens(0, 0, 0, 0), b.Distortion);
        Assert.False(b.Distortion!.IsZero);
    }

    [Theory]
    [InlineData("FULL_OPENCV 20 10 15 16 10 5 -0.1 0.02 0.001 -0.002 0.003 0.05 -0.01 0.004", 16.0)]
    [InlineData("FOV 20 10 15 16 10 5 0.9", 16.0)]
    [InlineData("SIMPLE_RADIAL_FISHEYE 20 10 15 10 5 0.1", 15.0)]
    [InlineData("RADIAL_FISHEYE 20 10 15 10 5 0.1 -0.02", 15.0)]
    [InlineData("THIN_PRISM_FISHEYE 20 10 15 16 10 5 0.05 -0.01 0.001 -0.002 0.002 -0.0005 0.003 -0.004", 16.0)]
    [InlineData("RAD_TAN_THIN_PRISM_FISHEYE 20 10 15 16 10 5 0.04 -0.01 0.003 -0.001 0.0004 -0.0001 0.002 -0.001 0.003 -0.002 0.001 0.0015", 16.0)]
    [InlineData("SIMPLE_FISHEYE 20 10 15 10 5", 15.0)]
    [InlineData("FISHEYE 20 10 15 16 10 5", 16.0)]
    public void Every_lens_model_of_colmap_is_read_with_its_coefficients_in_place(string line, double fy)
    {
        using var dir = new TempDir("colmap");
        Dataset ds = TwoImagesWithCameras(dir, "1 " + line + "\n2 PINHOLE 20 10 15 15 10 5\n");
        Camera a = ds.Train.Single(c => c.Name == "a.png");
        Assert.Equal((15.0, fy, 10.0, 5.0), (a.Fx, a.Fy, a.Cx, a.Cy));
        string model = line.Split(' ')[0];
        LensDistortion expected = model switch
        {
            "FULL_OPENCV" => new LensDistortion(K1: -0.1, K2: 0.02, P1: 0.001, P2: -0.002, K3: 0.003, K4: 0.05, K5: -0.01, K6: 0.004),
            "FOV" => LensDistortion.FieldOfViewLens(0.9),
            "SIMPLE_RADIAL_FISHEYE" => LensDistortion.FisheyeLens(0.1, 0, 0, 0),
            "RADIAL_FISHEYE" => LensDistortion.FisheyeLens(0.1, -0.02, 0, 0),
            "THIN_PRISM_FISHEYE" => LensDistortion.FisheyeLens(0.05, -0.01, 0.002, -0.0005) with { P1 = 0.001, P2 = -0.002, S1 = 0.003, S3 = -0.004 },
            "RAD_TAN_THIN_PRISM_FISHEYE" => new LensDistortion(K1: 0.04, K2: -0.01, K3: 0.003, K4: -0.001, K5: 0.0004, K6: -0.0001, P1: -0.001, P2: 0.002)
                { Model = LensModel.Fisheye624, S1 = 0.003, S2 = -0.002, S3 = 0.001, S4 = 0.0015 },
            _ => LensDistortion.FisheyeLens(0, 0, 0, 0),
        };
        Assert.Equal(expected, a.Distortion);
        // The image loads undistorted at the camera's size.
        Image img = ds.LoadImage(a);
        Assert.Equal((20, 10), (img.Width, img.Height));
    }

    [Fact]
    public void A_distortion_model_with_zero_coefficients_has_no_distortion()
    {
        using var dir = new TempDir("colmap");
        Dataset ds = TwoImagesWithCameras(dir, "1 OPENCV 20 10 15 15 10 5 0 0 0 0\n2 SIMPLE_RADIAL 20 10 15 10 5 0\n");
        Assert.All(ds.AllCameras, c => Assert.Null(c.Distortion));
        ds = TwoImagesWithCameras(dir, "1 FULL_OPENCV 20 10 15 15 10 5 0 0 0 0 0 0 0 0\n2 FOV 20 10 15 15 10 5 0\n");
        Assert.All(ds.AllCameras, c => Assert.Null(c.Distortion));
    }

    /// <summary>A text model of two 20×10 images a.png (camera 1) and b.png (camera 2) with the given cameras.txt, read with every image in train.</summary>
    private static Dataset TwoImagesWithCameras(TempDir dir, string cameras)
    {
        string model = Path.Combine(dir.Path, "sparse");
        Directory.CreateDirectory(model);
        File.WriteAllText(Path.Combine(model, "cameras.txt"), cameras);
        File.WriteAllText(Path.Combine(model, "images.txt"), "1 1 0 0 0 0 0 1 1 a.png\n\n2 1 0 0 0 0 0 1 2 b.png\n\n");
        WritePng(Path.Combine(dir.Path, "images", "a.png"), 20, 10);
        WritePng(Path.Combine(dir.Path, "images", "b.png"), 20, 10);
        return ColmapReader.Read(dir.Path, new DatasetOptions { TestEvery = 0 });
    }

    [Fact]
    public void Image_names_with_backslashes_from_windows_tools_name_the_same_subfolders()
    {
        using var dir = new TempDir("colmap");
        string model = Path.Combine(dir.Path, "sparse");
        Directory.CreateDirectory(model);
        File.WriteAllText(Path.Combine(model, "cameras.txt"), "1 PINHOLE 20 10 15 15 10 5\n");
        File.WriteAllText(Path.Combine(model, "images.txt"), "1 1 0 0 0 0 0 1 1 cam0\\0001.png\n\n2 1 0 0 0 0 0 1 1 cam1/0001.png\n\n");
        WritePng(Path.Combine(dir.Path, "images", "cam0", "0001.png"), 20, 10);
        WritePng(Path.Combine(dir.Path, "images", "cam1", "0001.png"), 20, 10);
        Dataset ds = ColmapReader.Read(dir.Path, new DatasetOptions { TestEvery = 0 });
        Assert.Equal(Path.Combine(dir.Path, "images", "cam0", "0001.png"), ds.Train[0].ImagePath);
        Assert.Equal(Path.Combine(dir.Path, "images", "cam1", "0001.png"), ds.Train[1].ImagePath);
    }

    [Fact]
    public void Split_puts_every_nth_image_by_name_into_test()
    {
        var scene = ColmapTestScene.Circle(7);
        using var dir = new TempDir("colmap");
        Dataset ds = ColmapReader.Read(scene.WriteDataset(dir.Path, binary: true), new DatasetOptions { TestEvery = 3 });
        Assert.Equal(["img_00.png", "img_03.png", "img_06.png"], ds.Test.Select(c => c.Name));
        Assert.Equal(["img_01.png", "img_02.png", "img_04.png", "img_05.png"], ds.Train.Select(c => c.Name));

        Dataset all = ColmapReader.Read(dir.Path, new DatasetOptions { TestEvery = 0 });
        Assert.Equal(7, all.Train.Count);
        Assert.Empty(all.Test);
    }

    [Fact]
    public void Points_and_colours_are_read_in_id_order()
    {
        var scene = ColmapTestScene.Circle();
        scene.Points.Reverse(); // written out of id order
        foreach (bool binary in new[] { true, false })
        {
            using var dir = new TempDir("colmap");
            Dataset ds = ColmapReader.Read(scene.WriteDataset(dir.Path, binary), Options);
            PointCloud pts = ds.Points!;
            var expected = scene.Points.OrderBy(p => p.Id).ToList();
            Assert.Equal(expected.Count, pts.Count);
            for (int i = 0; i < expected.Count; i++)
            {
                Assert.Equal((float)expected[i].Position.X, pts.Positions[3 * i]);
                Assert.Equal((float)expected[i].Position.Y, pts.Positions[3 * i + 1]);
                Assert.Equal((float)expected[i].Position.Z, pts.Positions[3 * i + 2]);
                Assert.Equal([expected[i].R, expected[i].G, expected[i].B], pts.Colors.AsSpan(3 * i, 3).ToArray());
            }
        }
    }

    [Fact]
    public void Model_is_found_in_sparse_0_sparse_or_the_folder_and_images_beside_sparse()
    {
        var scene = ColmapTestScene.Circle();
        Dataset reference;
        using (var d0 = new TempDir("colmap"))
        {
            reference = ColmapReader.Read(scene.WriteDataset(d0.Path, binary: true), Options);
            Assert.Equal(d0.Path, reference.Root);
            // Pointing at sparse/0 itself also finds images/ two levels up.
            Dataset direct = ColmapReader.Read(Path.Combine(d0.Path, "sparse", "0"), Options);
            ColmapAssert.SameDataset(reference, direct, 0);
            Assert.Equal(d0.Path, direct.Root);
        }
        using (var d1 = new TempDir("colmap"))
        {
            scene.WriteImages(Path.Combine(d1.Path, "images"));
            scene.WriteBinary(Path.Combine(d1.Path, "sparse"));
            ColmapAssert.SameDataset(reference, ColmapReader.Read(d1.Path, Options), 0);
        }
        using (var d2 = new TempDir("colmap"))
        {
            scene.WriteImages(Path.Combine(d2.Path, "images"));
            scene.WriteText(d2.Path);
            Dataset flat = ColmapReader.Read(d2.Path, Options);
            ColmapAssert.SameDataset(reference, flat, 0);
            Assert.Equal(Path.Combine(d2.Path, "images", "img_00.png"), ByName(flat, "img_00.png").ImagePath);
        }
    }

    [Fact]
    public void Binary_files_are_preferred_when_both_forms_exist()
    {
        var scene = ColmapTestScene.Circle();
        using var dir = new TempDir("colmap");
        scene.WriteDataset(dir.Path, binary: true);
        // A text model of different intrinsics beside the binary one must be ignored.
        string text = scene.CamerasTxt().Replace("SIMPLE_PINHOLE 40 30 45", "SIMPLE_PINHOLE 40 30 99");
        File.WriteAllText(Path.Combine(dir.Path, "sparse", "0", "cameras.txt"), text);
        File.WriteAllText(Path.Combine(dir.Path, "sparse", "0", "images.txt"), "garbage\n");
        Dataset ds = ColmapReader.Read(dir.Path, Options);
        Assert.Equal(45, ByName(ds, scene.Images.First(i => i.CameraId == 1).Name).Fx);
    }

    [Fact]
    public void Dataset_loader_detects_and_reads_the_layout_and_loads_undistorted_images()
    {
        var scene = ColmapTestScene.Circle();
        using var dir = new TempDir("colmap");
        scene.WriteDataset(dir.Path, binary: true);
        Assert.Equal("colmap", DatasetLoader.DetectLayout(dir.Path, out _));
        Dataset ds = DatasetLoader.Load(dir.Path, Options);
        Assert.Equal("colmap", ds.Format);
        foreach (Camera c in ds.AllCameras)
        {
            var img = ds.LoadImage(c);
            Assert.Equal((c.Width, c.Height, 3), (img.Width, img.Height, img.Channels));
        }
    }

    // ---------------- errors ----------------

    private static string TextModel(TempDir dir, string cameras, string images, bool writeImages = true)
    {
        string model = Path.Combine(dir.Path, "sparse", "0");
        Directory.CreateDirectory(model);
        File.WriteAllText(Path.Combine(model, "cameras.txt"), cameras);
        File.WriteAllText(Path.Combine(model, "images.txt"), images);
        if (writeImages) WritePng(Path.Combine(dir.Path, "images", "a.png"), 20, 10);
        return model;
    }

    [Theory]
    [InlineData("SIMPLE_DIVISION", "1 SIMPLE_DIVISION 20 10 15 10 5 0.1")]
    [InlineData("EUCM", "1 EUCM 20 10 15 15 10 5 0.5 1")]
    [InlineData("EQUIRECTANGULAR", "1 EQUIRECTANGULAR 20 10 20 10")]
    [InlineData("'WEIRD'", "1 WEIRD 20 10 15")]
    public void Unsupported_text_camera_models_are_refused_naming_file_model_and_undistorter(string model, string line)
    {
        using var dir = new TempDir("colmap");
        string m = TextModel(dir, line + "\n", "1 1 0 0 0 0 0 1 1 a.png\n\n");
        Fails(() => ColmapReader.Read(dir.Path, Options), Path.Combine(m, "cameras.txt"), model, "colmap image_undistorter", "line 1");
    }

    [Theory]
    [InlineData(13, "DIVISION")]
    [InlineData(16, "EUCM")]
    [InlineData(42, "model_id 42")]
    public void Unsupported_binary_camera_models_are_refused_naming_file_model_and_undistorter(int modelId, string name)
    {
        var scene = ColmapTestScene.Circle();
        scene.Cameras[2] = scene.Cameras[2] with { ModelId = modelId, Params = new double[12] };
        using var dir = new TempDir("colmap");
        scene.WriteDataset(dir.Path, binary: true);
        Fails(() => ColmapReader.Read(dir.Path, Options), Path.Combine(dir.Path, "sparse", "0", "cameras.bin"), name, "colmap image_undistorter", "camera 3");
    }

    [Theory]
    [InlineData(double.NaN, 0, 0, 0, "NaN")]
    [InlineData(0, 0, 0, 0, "quaternion is zero")]
    [InlineData(1, double.PositiveInfinity, 0, 0, "NaN or infinite")]
    public void Bad_quaternions_are_refused(double w, double x, double y, double z, string problem)
    {
        var scene = ColmapTestScene.Circle();
        var im = scene.Images[3];
        scene.Images[3] = im with { Qvec = [w, x, y, z] };
        using var dir = new TempDir("colmap");
        scene.WriteDataset(dir.Path, binary: true);
        Fails(() => ColmapReader.Read(dir.Path, Options), "images.bin", $"image {im.Id} ('{im.Name}')", "quaternion", problem);
    }

    [Fact]
    public void Bad_translations_are_refused_in_binary_and_text()
    {
        var scene = ColmapTestScene.Circle();
        var im = scene.Images[1];
        scene.Images[1] = im with { Tvec = [0, double.NaN, 1] };
        using var bin = new TempDir("colmap");
        scene.WriteDataset(bin.Path, binary: true);
        Fails(() => ColmapReader.Read(bin.Path, Options), "images.bin", im.Name, "translation has NaN");
        using var txt = new TempDir("colmap");
        scene.WriteDataset(txt.Path, binary: false);
        Fails(() => ColmapReader.Read(txt.Path, Options), "images.txt", "line 7", im.Name, "translation has NaN");
    }

    [Fact]
    public void An_image_referring_to_an_unknown_camera_is_refused()
    {
        var scene = ColmapTestScene.Circle();
        scene.Images[2] = scene.Images[2] with { CameraId = 77 };
        using var dir = new TempDir("colmap");
        scene.WriteDataset(dir.Path, binary: true);
        Fails(() => ColmapReader.Read(dir.Path, Options), "images.bin", scene.Images[2].Name, "camera id 77", "cameras.bin does not define");

        using var txt = new TempDir("colmap");
        TextModel(txt, "1 PINHOLE 20 10 15 15 10 5\n", "1 1 0 0 0 0 0 1 2 a.png\n\n");
        Fails(() => ColmapReader.Read(txt.Path, Options), "images.txt", "line 1", "camera id 2");
    }

    [Fact]
    public void Every_truncation_of_every_binary_file_is_a_clear_error()
    {
        var scene = ColmapTestScene.Circle(3);
        using var dir = new TempDir("colmap");
        scene.WriteDataset(dir.Path, binary: true);
        string model = Path.Combine(dir.Path, "sparse", "0");
        foreach (string file in new[] { "cameras.bin", "images.bin", "points3D.bin" })
        {
            string path = Path.Combine(model, file);
            byte[] full = File.ReadAllBytes(path);
            for (int length = 0; length < full.Length; length++)
            {
                File.WriteAllBytes(path, full[..length]);
                var e = Fails(() => ColmapReader.Read(dir.Path, Options), path);
                Assert.True(e.Message.Contains("truncated") || e.Message.Contains("name") && e.Message.Contains("zero byte"), $"{file} cut at {length}: {e.Message}");
            }
            // One byte too many is corruption too.
            File.WriteAllBytes(path, [.. full, 0]);
            Fails(() => ColmapReader.Read(dir.Path, Options), path, "unexpected byte");
            File.WriteAllBytes(path, full);
        }
        ColmapReader.Read(dir.Path, Options);
    }

    [Theory]
    [InlineData("cameras.bin", 0)]
    [InlineData("images.bin", 0)]
    [InlineData("points3D.bin", 0)]
    [InlineData("images.bin", -1)]   // the first image's num_points2D
    [InlineData("points3D.bin", -2)] // the first point's track_length
    public void Huge_counts_are_refused_before_allocating(string file, int which)
    {
        var scene = ColmapTestScene.Circle(3);
        using var dir = new TempDir("colmap");
        scene.WriteDataset(dir.Path, binary: true);
        string path = Path.Combine(dir.Path, "sparse", "0", file);
        byte[] bytes = File.ReadAllBytes(path);
        int offset = which switch
        {
            0 => 0,                                                    // the record count
            -1 => 8 + 4 + 56 + 4 + Encoding.UTF8.GetByteCount(scene.Images[0].Name) + 1,
            _ => 8 + 8 + 24 + 3 + 8,
        };
        BitConverter.GetBytes(0x0FFF_FFFF_FFFF_FFFFUL).CopyTo(bytes, offset);
        File.WriteAllBytes(path, bytes);
        Fails(() => ColmapReader.Read(dir.Path, Options), path, "truncated or corrupt", "1152921504606846975");
    }

    [Theory]
    [InlineData("cameras.txt", "1 PINHOLE 20 ten 15 15 10 5\n", "line 1", "HEIGHT (field 4) is 'ten'")]
    [InlineData("cameras.txt", "# c\n\n1 PINHOLE 20 10 15 15 10\n", "line 3", "PINHOLE camera model has 4 parameters, but the line has 3")]
    [InlineData("cameras.txt", "1 PINHOLE\n", "line 1", "at least 4 needed")]
    [InlineData("cameras.txt", "-1 PINHOLE 20 10 15 15 10 5\n", "line 1", "CAMERA_ID")]
    [InlineData("images.txt", "# i\n1 1 0 0 0 0 0 1 1\n\n", "line 2", "at least 10 needed")]
    [InlineData("images.txt", "1 1 0 0 zero 0 0 1 1 a.png\n\n", "line 1", "QZ (field 5) is 'zero'")]
    [InlineData("images.txt", "1 1 0 0 0 0 0 1 1 a.png\n1 2\n", "line 2", "X Y POINT3D_ID triples")]
    [InlineData("images.txt", "1 1 0 0 0 0 0 1 1 a.png\n1 2 x\n", "line 2", "POINT3D_ID (field 3) is 'x'")]
    [InlineData("images.txt", "1 1 0 0 0 0 0 1 1 a.png\n2 1 0 0 0 0 0 1 1 b.png\n\n", "line 2", "2D points of image 1")]
    [InlineData("points3D.txt", "1 0 0 0 255 0 0 0.5\n2 0 0 0 256 0 0 0.5\n", "line 2", "R (field 5) is '256'")]
    [InlineData("points3D.txt", "1 0 0 0 255 0 0 0.5 1\n", "line 1", "odd number")]
    [InlineData("points3D.txt", "1 0 0\n", "line 1", "at least 8 needed")]
    public void Malformed_text_lines_name_the_file_and_line(string file, string content, string line, string problem)
    {
        using var dir = new TempDir("colmap");
        string model = TextModel(dir, "1 PINHOLE 20 10 15 15 10 5\n", "1 1 0 0 0 0 0 1 1 a.png\n\n");
        File.WriteAllText(Path.Combine(model, file), content);
        Fails(() => ColmapReader.Read(dir.Path, Options), Path.Combine(model, file) + ": " + line + ": ", problem);
    }

    [Fact]
    public void Text_accepts_crlf_names_with_spaces_and_a_missing_last_points_line()
    {
        using var dir = new TempDir("colmap");
        TextModel(dir, "# c\r\n1 PINHOLE 20 10 15 15 10 5\r\n", "# i\r\n1 1 0 0 0 0 0 1 1 my photo.png", writeImages: false);
        WritePng(Path.Combine(dir.Path, "images", "my photo.png"), 20, 10);
        Dataset ds = ColmapReader.Read(dir.Path, Options);
        Assert.Equal("my photo.png", ds.AllCameras.Single().Name);
        Assert.Equal(15, ds.AllCameras.Single().Fx);
    }

    [Fact]
    public void A_missing_image_file_is_named()
    {
        var scene = ColmapTestScene.Circle();
        using var dir = new TempDir("colmap");
        scene.WriteDataset(dir.Path, binary: true);
        string missing = Path.Combine(dir.Path, "images", "img_04.png");
        File.Delete(missing);
        Fails(() => ColmapReader.Read(dir.Path, Options), missing, "image file not found");
    }

    [Fact]
    public void Missing_model_files_are_named()
    {
        using var dir = new TempDir("colmap");
        string model = TextModel(dir, "1 PINHOLE 20 10 15 15 10 5\n", "1 1 0 0 0 0 0 1 1 a.png\n\n");
        File.Delete(Path.Combine(model, "images.txt"));
        Fails(() => ColmapReader.Read(dir.Path, Options), model, "no images.bin or images.txt");

        using var empty = new TempDir("colmap");
        Fails(() => ColmapReader.Read(empty.Path, Options), "no COLMAP model");
    }

    [Fact]
    public void Nonpositive_focal_and_zero_size_are_refused()
    {
        using var dir = new TempDir("colmap");
        TextModel(dir, "1 PINHOLE 20 10 0 15 10 5\n", "1 1 0 0 0 0 0 1 1 a.png\n\n");
        Fails(() => ColmapReader.Read(dir.Path, Options), "cameras.txt", "line 1", "focal length");
        using var dir2 = new TempDir("colmap");
        TextModel(dir2, "1 PINHOLE 0 10 15 15 10 5\n", "1 1 0 0 0 0 0 1 1 a.png\n\n");
        Fails(() => ColmapReader.Read(dir2.Path, Options), "cameras.txt", "width 0");
    }

    internal static void WritePng(string path, int width, int height)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var img = new Radiant.Imaging.Image(width, height, 3);
        for (int i = 0; i < img.Data.Length; i++) img.Data[i] = (i % 7) / 7f;
        Radiant.Imaging.ImageIO.SavePng(path, img);
    }
}
