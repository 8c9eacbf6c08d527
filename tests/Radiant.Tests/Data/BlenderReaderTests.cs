using Radiant.Data;
using Radiant.Data.Blender;
using Radiant.Imaging;
using Radiant.Mathematics;
using Radiant.Tests.Support;

namespace Radiant.Tests.Data;

public class BlenderReaderTests
{
    private static readonly double[] Identity4 = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];

    [Fact]
    public void Reads_splits_intrinsics_and_names()
    {
        using var tmp = new TempDir("blender");
        BlenderTestScene.Create(tmp.Path, w: 16, h: 12, train: 3, val: 1, test: 2);

        Dataset ds = BlenderReader.Read(tmp.Path, new DatasetOptions());

        Assert.Equal("blender", ds.Format);
        Assert.Equal(3, ds.Train.Count);
        Assert.Single(ds.Val);
        Assert.Equal(2, ds.Test.Count);
        Assert.True(ds.HasAlpha);
        Assert.Equal(["train/r_0", "train/r_1", "train/r_2"], ds.Train.Select(c => c.Name));
        Assert.Equal("val/r_0", ds.Val[0].Name);
        Assert.Equal(["test/r_0", "test/r_1"], ds.Test.Select(c => c.Name));
        Assert.Equal(ds.AllCameras.Count(), ds.AllCameras.Select(c => c.Name).Distinct().Count());

        double focal = 0.5 * 16 / Math.Tan(0.5 * BlenderTestScene.AngleX);
        foreach (Camera c in ds.AllCameras)
        {
            Assert.Equal(16, c.Width);
            Assert.Equal(12, c.Height);
            Assert.Equal(focal, c.Fx, 12);
            Assert.Equal(focal, c.Fy, 12);
            Assert.Equal(8, c.Cx);
            Assert.Equal(6, c.Cy);
            Assert.Null(c.Distortion);
            Assert.True(File.Exists(c.ImagePath));
            Assert.EndsWith(".png", c.ImagePath);
        }
        Assert.Equal(Path.Combine(tmp.Path, "train", "r_1.png"), ds.Train[1].ImagePath);
    }

    [Fact]
    public void Camera_at_plus_z_in_OpenGL_convention_sees_the_origin_at_the_centre()
    {
        using var tmp = new TempDir("blender");
        BlenderTestScene.Create(tmp.Path, train: 1, val: 0, test: 0);
        double[] c2w = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 4, 0, 0, 0, 1];
        File.WriteAllText(tmp.File("transforms_train.json"),
            $"{{\"camera_angle_x\": 0.7, \"frames\": [{{\"file_path\": \"./train/r_0\", \"transform_matrix\": {BlenderTestScene.Matrix(c2w)}}}]}}");

        Camera c = BlenderReader.Read(tmp.Path, new()).Train[0];

        Assert.Equal(0, (c.Center - new Vec3(0, 0, 4)).Length, 12);
        var (u0, v0, d0) = BlenderTestScene.Project(c, Vec3.Zero);
        Assert.Equal(c.Cx, u0, 9);
        Assert.Equal(c.Cy, v0, 9);
        Assert.Equal(4, d0, 9); // in front of the camera, 4 units away
        var (ux, vx, _) = BlenderTestScene.Project(c, new Vec3(1, 0, 0));
        Assert.True(ux > c.Cx + 1, $"+x world should land right of centre, got u={ux}");
        Assert.Equal(c.Cy, vx, 9);
        var (uy, vy, _) = BlenderTestScene.Project(c, new Vec3(0, 1, 0));
        Assert.Equal(c.Cx, uy, 9);
        Assert.True(vy < c.Cy - 1, $"+y world (camera up) should land above centre, got v={vy}");
        var (_, _, dNear) = BlenderTestScene.Project(c, new Vec3(0, 0, 3));
        Assert.Equal(1, dNear, 9);
    }

    [Fact]
    public void Cameras_on_the_sphere_all_look_at_the_origin()
    {
        using var tmp = new TempDir("blender");
        BlenderTestScene.Create(tmp.Path, train: 6, val: 2, test: 2);
        Dataset ds = BlenderReader.Read(tmp.Path, new());
        foreach (Camera c in ds.AllCameras)
        {
            var (u, v, d) = BlenderTestScene.Project(c, Vec3.Zero);
            Assert.Equal(c.Cx, u, 6);
            Assert.Equal(c.Cy, v, 6);
            Assert.Equal(4, d, 6);
            Assert.Equal(4, c.Center.Length, 6);
            // World up (+z) appears upward in the image (smaller v) for these upright cameras.
            var (_, vUp, _) = BlenderTestScene.Project(c, new Vec3(0, 0, 0.5));
            Assert.True(vUp < v);
            Assert.True(c.Rotation.RotationError() < 1e-9);
        }
    }

    [Fact]
    public void Optional_intrinsics_override_the_field_of_view()
    {
        using var tmp = new TempDir("blender");
        BlenderTestScene.Create(tmp.Path, w: 16, h: 12, train: 1, val: 0, test: 0,
            extra: " \"camera_angle_y\": 0.5, \"cx\": 7.5, \"cy\": 5.25,");
        Camera c = BlenderReader.Read(tmp.Path, new()).Train[0];
        Assert.Equal(0.5 * 16 / Math.Tan(0.5 * BlenderTestScene.AngleX), c.Fx, 12);
        Assert.Equal(0.5 * 12 / Math.Tan(0.25), c.Fy, 12);
        Assert.Equal(7.5, c.Cx);
        Assert.Equal(5.25, c.Cy);

        BlenderTestScene.Create(tmp.Path, w: 16, h: 12, train: 1, val: 0, test: 0,
            extra: " \"fl_x\": 20.5, \"fl_y\": 21, \"w\": 16, \"h\": 12,");
        c = BlenderReader.Read(tmp.Path, new()).Train[0];
        Assert.Equal(20.5, c.Fx);
        Assert.Equal(21, c.Fy);
        Assert.Equal(8, c.Cx);
    }

    [Fact]
    public void File_paths_with_extension_and_val_test_optional()
    {
        using var tmp = new TempDir("blender");
        BlenderTestScene.Create(tmp.Path, train: 2, val: 0, test: 0);
        string json = File.ReadAllText(tmp.File("transforms_train.json")).Replace("./train/r_1\"", "train/r_1.png\"");
        File.WriteAllText(tmp.File("transforms_train.json"), json);

        Dataset ds = BlenderReader.Read(tmp.Path, new());
        Assert.Equal(["train/r_0", "train/r_1"], ds.Train.Select(c => c.Name));
        Assert.Empty(ds.Val);
        Assert.Empty(ds.Test);
    }

    [Fact]
    public void Jpeg_frames_with_an_exif_rotation_are_read_as_stored_like_the_reference()
    {
        // The reference 3DGS reads transforms frames with PIL's Image.open, which ignores the tag.
        using var tmp = new TempDir("blender-exif");
        BlenderTestScene.Create(tmp.Path, train: 1, val: 0, test: 0);
        byte[] plain = Imaging.JpegExifOrientationTests.PlainJpeg();
        File.WriteAllBytes(tmp.File("train", "plain.jpg"), plain);
        File.WriteAllBytes(tmp.File("train", "r_0.jpg"),
            Imaging.JpegExifOrientationTests.InsertAfterSoi(plain, Imaging.JpegExifOrientationTests.ExifSegment(8, littleEndian: false)));
        File.Delete(tmp.File("train", "r_0.png"));

        Dataset ds = BlenderReader.Read(tmp.Path, new());
        Camera c = ds.Train.Single();
        Assert.Equal((Imaging.JpegExifOrientationTests.W, Imaging.JpegExifOrientationTests.H), (c.Width, c.Height));
        Assert.Equal(ImageIO.Load(tmp.File("train", "plain.jpg")).Data, ds.LoadImage(c).Data);
    }

    [Fact]
    public void Json_with_a_byte_order_mark()
    {
        using var tmp = new TempDir("blender");
        BlenderTestScene.Create(tmp.Path, train: 2, val: 0, test: 0);
        string path = tmp.File("transforms_train.json");
        File.WriteAllText(path, File.ReadAllText(path), new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
        Assert.Equal(0xEF, File.ReadAllBytes(path)[0]);
        Assert.Equal(2, BlenderReader.Read(tmp.Path, new()).Train.Count);
    }

    [Theory]
    [InlineData(1f, 1f, 1f)]
    [InlineData(0f, 0f, 0f)]
    public void LoadImage_composites_alpha_over_the_background(float r, float g, float b)
    {
        using var tmp = new TempDir("blender");
        BlenderTestScene.Create(tmp.Path, w: 16, h: 12, train: 1, val: 0, test: 0);
        Dataset ds = BlenderReader.Read(tmp.Path, new DatasetOptions { Background = [r, g, b] });
        Image img = ds.LoadImage(ds.Train[0]);
        Image src = BlenderTestScene.MakeImage(16, 12, alpha: true, seed: 0);

        Assert.Equal(4, img.Channels);
        // Transparent column: pure background; alpha kept as the 4th channel.
        Assert.Equal(r, img[0, 0, 5], 5);
        Assert.Equal(g, img[1, 0, 5], 5);
        Assert.Equal(b, img[2, 0, 5], 5);
        Assert.Equal(0f, img[3, 0, 5]);
        // Opaque pixel: the stored colour.
        Assert.Equal(src[0, 5, 5], img[0, 5, 5], 5);
        Assert.Equal(src[2, 5, 5], img[2, 5, 5], 5);
        Assert.Equal(1f, img[3, 5, 5]);
        // Half-transparent pixel: rgb·a + bg·(1−a).
        float a = 128 / 255f;
        Assert.Equal(src[0, 1, 0] * a + r * (1 - a), img[0, 1, 0], 5);
        Assert.Equal(a, img[3, 1, 0], 5);
    }

    [Fact]
    public void Rgb_images_have_no_alpha()
    {
        using var tmp = new TempDir("blender");
        BlenderTestScene.Create(tmp.Path, train: 1, val: 0, test: 0, alpha: false);
        Dataset ds = BlenderReader.Read(tmp.Path, new());
        Assert.False(ds.HasAlpha);
        Assert.Equal(3, ds.LoadImage(ds.Train[0]).Channels);
    }

    [Fact]
    public void DatasetLoader_detects_the_folder_and_a_transforms_json()
    {
        using var tmp = new TempDir("blender");
        BlenderTestScene.Create(tmp.Path);
        Assert.Equal("blender", DatasetLoader.Load(tmp.Path).Format);
        Dataset viaJson = DatasetLoader.Load(tmp.File("transforms_test.json"));
        Assert.Equal("blender", viaJson.Format);
        Assert.Equal(3, viaJson.Train.Count);

        Dataset half = DatasetLoader.Load(tmp.Path, new DatasetOptions { Downscale = 2, CacheDir = tmp.File("cache") });
        Assert.Equal(8, half.Train[0].Width);
        Assert.Equal(6, half.Train[0].Height);
        Assert.Equal((8, 6), (half.LoadImage(half.Train[0]).Width, half.LoadImage(half.Train[0]).Height));
    }

    // ---- errors: one line, naming the file at fault ----

    [Fact]
    public void Missing_folder()
    {
        string dir = Path.Combine(Path.GetTempPath(), "radiant-no-such-" + Guid.NewGuid().ToString("N"));
        var e = Assert.Throws<RadiantException>(() => BlenderReader.Read(dir, new()));
        Assert.Equal(dir, e.Path);
        Assert.Contains("dataset folder not found", e.Message);
        Assert.StartsWith(dir, e.Message);
    }

    [Fact]
    public void Missing_transforms_train_json()
    {
        using var tmp = new TempDir("blender");
        BlenderTestScene.Create(tmp.Path);
        File.Delete(tmp.File("transforms_train.json"));
        var e = Assert.Throws<RadiantException>(() => BlenderReader.Read(tmp.Path, new()));
        Assert.Equal(tmp.File("transforms_train.json"), e.Path);
        Assert.Contains("file not found", e.Message);
    }

    [Fact]
    public void Malformed_json_names_the_file()
    {
        using var tmp = new TempDir("blender");
        BlenderTestScene.Create(tmp.Path);
        File.WriteAllText(tmp.File("transforms_val.json"), "{\"camera_angle_x\": 0.7, \"frames\": [ {\"file_path\": ");
        var e = Assert.Throws<RadiantException>(() => BlenderReader.Read(tmp.Path, new()));
        Assert.Equal(tmp.File("transforms_val.json"), e.Path);
        Assert.Contains("malformed JSON", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Bad_matrix_names_the_frame()
    {
        using var tmp = new TempDir("blender");
        BlenderTestScene.Create(tmp.Path, train: 3, val: 0, test: 0);
        string path = tmp.File("transforms_train.json");
        string json = File.ReadAllText(path);
        int at = json.IndexOf("./train/r_1", StringComparison.Ordinal);
        int m = json.IndexOf("\"transform_matrix\": ", at, StringComparison.Ordinal) + "\"transform_matrix\": ".Length;
        int end = json.IndexOf("]]", m, StringComparison.Ordinal) + 2;
        File.WriteAllText(path, json[..m] + "[[1, 0], [0, 1]]" + json[end..]);

        var e = Assert.Throws<RadiantException>(() => BlenderReader.Read(tmp.Path, new()));
        Assert.Equal(path, e.Path);
        Assert.Contains("frames[1].transform_matrix is not a 4x4", e.Message);
    }

    [Fact]
    public void Missing_camera_angle()
    {
        using var tmp = new TempDir("blender");
        BlenderTestScene.Create(tmp.Path, train: 1, val: 0, test: 0);
        File.WriteAllText(tmp.File("transforms_train.json"),
            $"{{\"frames\": [{{\"file_path\": \"./train/r_0\", \"transform_matrix\": {BlenderTestScene.Matrix(Identity4)}}}]}}");
        var e = Assert.Throws<RadiantException>(() => BlenderReader.Read(tmp.Path, new()));
        Assert.Equal(tmp.File("transforms_train.json"), e.Path);
        Assert.Contains("camera_angle_x is missing", e.Message);
    }

    [Fact]
    public void Missing_image_names_the_image_and_the_frame()
    {
        using var tmp = new TempDir("blender");
        BlenderTestScene.Create(tmp.Path, train: 3, val: 0, test: 0);
        File.Delete(tmp.File("train", "r_2.png"));
        var e = Assert.Throws<RadiantException>(() => BlenderReader.Read(tmp.Path, new()));
        Assert.Equal(tmp.File("train", "r_2.png"), e.Path);
        Assert.Contains("image file not found", e.Message);
        Assert.Contains("frames[2]", e.Message);
        Assert.Contains("transforms_train.json", e.Message);
    }

    [Fact]
    public void NaN_pose_as_python_writes_it()
    {
        using var tmp = new TempDir("blender");
        BlenderTestScene.Create(tmp.Path, train: 1, val: 0, test: 0);
        // Python's json.dump writes NaN as a bare word.
        File.WriteAllText(tmp.File("transforms_train.json"),
            "{\"camera_angle_x\": 0.7, \"frames\": [{\"file_path\": \"./train/r_0\", \"transform_matrix\": [[1, 0, 0, NaN], [0, 1, 0, 0], [0, 0, 1, 4], [0, 0, 0, 1]]}]}");
        var e = Assert.Throws<RadiantException>(() => BlenderReader.Read(tmp.Path, new()));
        Assert.Equal(tmp.File("transforms_train.json"), e.Path);
        Assert.Contains("frames[0].transform_matrix", e.Message);
        Assert.Contains("NaN", e.Message);
    }

    [Fact]
    public void Non_rigid_pose()
    {
        using var tmp = new TempDir("blender");
        BlenderTestScene.Create(tmp.Path, train: 2, val: 0, test: 0);
        double[] scaled = [2, 0, 0, 0, 0, 2, 0, 0, 0, 0, 2, 4, 0, 0, 0, 1];
        File.WriteAllText(tmp.File("transforms_train.json"),
            $"{{\"camera_angle_x\": 0.7, \"frames\": [{{\"file_path\": \"./train/r_0\", \"transform_matrix\": {BlenderTestScene.Matrix(Identity4)}}}, " +
            $"{{\"file_path\": \"./train/r_1\", \"transform_matrix\": {BlenderTestScene.Matrix(scaled)}}}]}}");
        var e = Assert.Throws<RadiantException>(() => BlenderReader.Read(tmp.Path, new()));
        Assert.Equal(tmp.File("transforms_train.json"), e.Path);
        Assert.Contains("frames[1].transform_matrix", e.Message);
        Assert.Contains("not rigid", e.Message);
    }

    [Fact]
    public void Image_whose_size_disagrees_with_its_camera_fails_on_load()
    {
        using var tmp = new TempDir("blender");
        BlenderTestScene.Create(tmp.Path, w: 16, h: 12, train: 3, val: 0, test: 0);
        BlenderTestScene.WritePng(tmp.File("train", "r_1.png"), BlenderTestScene.MakeImage(10, 12, alpha: true));
        Dataset ds = DatasetLoader.Load(tmp.Path);
        ds.LoadImage(ds.Train[0]);
        var e = Assert.Throws<RadiantException>(() => ds.LoadImage(ds.Train[1]));
        Assert.Equal(tmp.File("train", "r_1.png"), e.Path);
        Assert.Contains("10x12", e.Message);
        Assert.Contains("16x12", e.Message);
    }
}
