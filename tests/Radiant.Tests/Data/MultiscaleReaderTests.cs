using Radiant.Data;
using Radiant.Data.Multiscale;
using Radiant.Mathematics;
using Radiant.Tests.Support;

namespace Radiant.Tests.Data;

public class MultiscaleReaderTests
{
    /// <summary>A hand-written metadata.json: train with two levels of one image (3×4 cam2world, as some tools write), test with one.</summary>
    private static void Create(string dir, string? trainOverride = null, bool alpha = true)
    {
        BlenderTestScene.WritePng(Path.Combine(dir, "images_train", "000_d0.png"), BlenderTestScene.MakeImage(16, 12, alpha));
        BlenderTestScene.WritePng(Path.Combine(dir, "images_train", "000_d1.png"), BlenderTestScene.MakeImage(8, 6, alpha));
        BlenderTestScene.WritePng(Path.Combine(dir, "images_test", "000_d0.png"), BlenderTestScene.MakeImage(16, 12, alpha));
        string c2w34 = BlenderTestScene.Matrix([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 4, 0, 0, 0, 1], rows: 3);
        string c2w44 = BlenderTestScene.Matrix(BlenderTestScene.LookAt(new Vec3(4, 0, 0)));
        string train = trainOverride ?? $$"""
            "train": {
              "file_path": ["images_train/000_d0.png", "images_train/000_d1.png"],
              "cam2world": [{{c2w34}}, {{c2w34}}],
              "width": [16, 8], "height": [12, 6], "focal": [20.0, 10.0], "label": [0, 1],
              "near": [2.0, 2.0], "far": [6.0, 6.0], "lossmult": [1.0, 4.0],
              "pix2cam": [[[0.05, 0, -0.4], [0, -0.05, 0.3], [0, 0, -1]], [[0.1, 0, -0.4], [0, -0.1, 0.3], [0, 0, -1]]]
            }
            """;
        File.WriteAllText(Path.Combine(dir, "metadata.json"), $$"""
            { {{train}},
              "test": { "file_path": ["images_test/000_d0.png"], "cam2world": [{{c2w44}}], "width": [16], "height": [12], "focal": [20.0] } }
            """);
    }

    [Fact]
    public void Reads_levels_intrinsics_and_weights()
    {
        using var tmp = new TempDir("msr");
        Create(tmp.Path);
        Dataset ds = MultiscaleReader.Read(tmp.Path, new());
        Assert.Equal("multiscale", ds.Format);
        Assert.True(ds.HasAlpha);
        Assert.Equal(2, ds.Train.Count);
        Assert.Empty(ds.Val);
        Camera d0 = ds.Train[0], d1 = ds.Train[1];
        Assert.Equal(("images_train/000_d0", 16, 12, 20.0, 20.0, 8.0, 6.0, 0, 1.0), (d0.Name, d0.Width, d0.Height, d0.Fx, d0.Fy, d0.Cx, d0.Cy, d0.ScaleLevel, d0.LossMult));
        Assert.Equal(("images_train/000_d1", 8, 6, 10.0, 10.0, 4.0, 3.0, 1, 4.0), (d1.Name, d1.Width, d1.Height, d1.Fx, d1.Fy, d1.Cx, d1.Cy, d1.ScaleLevel, d1.LossMult));
        Assert.Equal((2.0, 6.0), (d1.Near!.Value, d1.Far!.Value));
        Assert.Equal(0, (d0.Center - new Vec3(0, 0, 4)).Length, 12);

        // Optional fields default: level 0, weight 1, no bounds.
        Camera t = ds.Test.Single();
        Assert.Equal((0, 1.0), (t.ScaleLevel, t.LossMult));
        Assert.Null(t.Near);
        var (u, v, d) = BlenderTestScene.Project(t, Vec3.Zero);
        Assert.Equal((8.0, 6.0, 4.0), (Math.Round(u, 9), Math.Round(v, 9), Math.Round(d, 9)));

        var img = ds.LoadImage(d1);
        Assert.Equal((8, 6, 4), (img.Width, img.Height, img.Channels));
    }

    [Fact]
    public void DatasetLoader_detects_folder_and_metadata_json()
    {
        using var tmp = new TempDir("msr");
        Create(tmp.Path, alpha: false);
        Assert.Equal("multiscale", DatasetLoader.Load(tmp.Path).Format);
        Dataset ds = DatasetLoader.Load(tmp.File("metadata.json"));
        Assert.False(ds.HasAlpha);
        Assert.Equal(2, ds.Train.Count);
    }

    [Fact]
    public void Missing_metadata_and_folder()
    {
        using var tmp = new TempDir("msr");
        var e = Assert.Throws<RadiantException>(() => MultiscaleReader.Read(tmp.Path, new()));
        Assert.Equal(tmp.File("metadata.json"), e.Path);
        Assert.Contains("file not found", e.Message);

        e = Assert.Throws<RadiantException>(() => MultiscaleReader.Read(tmp.File("gone"), new()));
        Assert.Equal(tmp.File("gone"), e.Path);
        Assert.Contains("dataset folder not found", e.Message);
    }

    [Fact]
    public void Malformed_metadata()
    {
        using var tmp = new TempDir("msr");
        Create(tmp.Path);
        File.WriteAllText(tmp.File("metadata.json"), "{\"train\": {\"file_path\": [\"a.png\"], }");
        var e = Assert.Throws<RadiantException>(() => MultiscaleReader.Read(tmp.Path, new()));
        Assert.Equal(tmp.File("metadata.json"), e.Path);
        Assert.Contains("malformed JSON", e.Message);
    }

    [Fact]
    public void Lists_of_different_lengths()
    {
        using var tmp = new TempDir("msr");
        Create(tmp.Path, trainOverride: """
            "train": { "file_path": ["images_train/000_d0.png", "images_train/000_d1.png"], "cam2world": [[[1,0,0,0],[0,1,0,0],[0,0,1,4]]],
                       "width": [16, 8], "height": [12, 6], "focal": [20, 10] }
            """);
        var e = Assert.Throws<RadiantException>(() => MultiscaleReader.Read(tmp.Path, new()));
        Assert.Equal(tmp.File("metadata.json"), e.Path);
        Assert.Contains("train.cam2world has 1 entries but train.file_path has 2", e.Message);
    }

    [Fact]
    public void Bad_cam2world_names_the_entry()
    {
        using var tmp = new TempDir("msr");
        Create(tmp.Path, trainOverride: """
            "train": { "file_path": ["images_train/000_d0.png"], "cam2world": [[[1,0,0],[0,1,0],[0,0,1]]], "width": [16], "height": [12], "focal": [20] }
            """);
        var e = Assert.Throws<RadiantException>(() => MultiscaleReader.Read(tmp.Path, new()));
        Assert.Contains("train.cam2world[0] is not a 4x4 (or 3x4) matrix", e.Message);

        Create(tmp.Path, trainOverride: """
            "train": { "file_path": ["images_train/000_d0.png"], "cam2world": [[[1,0,0,0],[0,1,0,0],[0,0,-1,4]]], "width": [16], "height": [12], "focal": [20] }
            """);
        e = Assert.Throws<RadiantException>(() => MultiscaleReader.Read(tmp.Path, new()));
        Assert.Contains("train.cam2world[0]: camera pose is not rigid", e.Message); // a reflection
    }

    [Fact]
    public void Missing_image_names_it()
    {
        using var tmp = new TempDir("msr");
        Create(tmp.Path);
        File.Delete(tmp.File("images_train", "000_d1.png"));
        var e = Assert.Throws<RadiantException>(() => MultiscaleReader.Read(tmp.Path, new()));
        Assert.Equal(tmp.File("images_train", "000_d1.png"), e.Path);
        Assert.Contains("image file not found (train.file_path[1] of metadata.json)", e.Message);
    }

    [Fact]
    public void Image_whose_size_disagrees_with_its_camera_fails_on_load()
    {
        using var tmp = new TempDir("msr");
        Create(tmp.Path);
        BlenderTestScene.WritePng(tmp.File("images_train", "000_d1.png"), BlenderTestScene.MakeImage(9, 6, true));
        Dataset ds = DatasetLoader.Load(tmp.Path);
        var e = Assert.Throws<RadiantException>(() => ds.LoadImage(ds.Train[1]));
        Assert.Equal(tmp.File("images_train", "000_d1.png"), e.Path);
        Assert.Contains("9x6", e.Message);
        Assert.Contains("8x6", e.Message);
    }
}
