using System.Text.Json;
using Radiant.Data;
using Radiant.Data.Multiscale;
using Radiant.Imaging;
using Radiant.Imaging.Png;
using Radiant.Mathematics;
using Radiant.Tests.Support;

namespace Radiant.Tests.Data;

public class MultiscaleWriterTests
{
    /// <summary>
    /// Bytes that mip-NeRF's convert_blender_data.py (numpy float32 down2, np.uint8(img * 255)) produces
    /// for levels 1–3 of the 16×16 RGBA image <see cref="LcgImage"/>, interleaved RGBA, row-major.
    /// Generated once with numpy 1.24 running the script's arithmetic.
    /// </summary>
    private const string GoldenD1 =
        "53703ba06ba37065ad58c3716a496a569d6aa9c6716d908c387eba5073874dd5ca9ebf3575a57eb02f9eb1508b808ea843c05aa98190a39d995c856d8b8da69c" +
        "bc6b768099689f93ad43926747b68691a4757d826db28845359982817e5352bbaa579f8359a9938b658766745eab909180899492749381838d75738c4c9891b1" +
        "92a37c3db4a95a9c59aa2db9d05fad68977cdd9a55738d995f70578fb59c647e754d8cadaa68744387ac67749d929e96698e9a5852926c862c8a6e88795f8861" +
        "93968f557b666181b14e9467c684a15b757f89cda9705d8ab543b87898a0815c6c7f84b4a7646196554e755089753777be8fac7a9ccd62a5785b749f92618b6e";
    private const string GoldenD2 =
        "7f957a7a746f9b70758a8da6747c8c8b967592886e8b837f81918677637e769e998075729392788b69849c846e7d6c7d88787588956578629e937d9d95688e78";
    private const string GoldenD3 =
        "7e818a7c73858691927c777a837f8586";

    /// <summary>16×16 RGBA bytes from the C library's rand() LCG (s = s·1103515245 + 12345 mod 2³¹, byte = s >> 16 &amp; 255), seed 12345.</summary>
    private static byte[] LcgImage()
    {
        var bytes = new byte[16 * 16 * 4];
        long s = 12345;
        for (int i = 0; i < bytes.Length; i++)
        {
            s = (s * 1103515245 + 12345) % (1L << 31);
            bytes[i] = (byte)((s >> 16) & 255);
        }
        return bytes;
    }

    private static byte[] Interleaved(string png) => PngDecoder.Decode(File.ReadAllBytes(png)).ToInterleaved8();

    [Fact]
    public void Levels_match_the_mip_nerf_script_byte_for_byte()
    {
        using var tmp = new TempDir("ms");
        string blender = tmp.File("lego");
        BlenderTestScene.Create(blender, train: 1, val: 0, test: 0);
        BlenderTestScene.WritePng(Path.Combine(blender, "train", "r_0.png"), Image.FromInterleaved8(LcgImage(), 16, 16, 4));
        string json = Path.Combine(blender, "transforms_train.json");
        File.WriteAllText(json, File.ReadAllText(json).Replace("\"camera_angle_x\"", "\"w\": 16, \"h\": 16, \"camera_angle_x\""));

        MultiscaleWriter.Write(blender, tmp.File("out"), null);

        Assert.Equal(LcgImage(), Interleaved(tmp.File("out", "images_train", "000_d0.png")));
        Assert.Equal(GoldenD1, Convert.ToHexStringLower(Interleaved(tmp.File("out", "images_train", "000_d1.png"))));
        Assert.Equal(GoldenD2, Convert.ToHexStringLower(Interleaved(tmp.File("out", "images_train", "000_d2.png"))));
        Assert.Equal(GoldenD3, Convert.ToHexStringLower(Interleaved(tmp.File("out", "images_train", "000_d3.png"))));
    }

    [Fact]
    public void Two_by_two_average_of_known_values_truncates_like_the_script()
    {
        // One 2×2 block per channel: R 10,11,10,11 → 10.5 → 10; G 0,1,1,1 → 0.75 → 0 (rounding would give 1);
        // B 255 ×4 → 255; A 0,255,255,255 → 191.25 → 191 (alpha averaged as stored, not premultiplied).
        byte[] px =
        [
            10, 0, 255, 0,    11, 1, 255, 255,
            10, 1, 255, 255,  11, 1, 255, 255,
        ];
        float[] level = MipPyramid.ToScriptFloats(ToPlanar(px, 2, 2, 4));
        var (down, w, h) = MipPyramid.Down2(level, 2, 2, 4);
        Assert.Equal((1, 1), (w, h));
        Assert.Equal(new byte[] { 10, 0, 255, 191 }, MipPyramid.Quantize(down, 1, 1, 4).ToInterleaved8());
        // Level 0 written as stored.
        Assert.Equal(px, MipPyramid.Quantize(level, 2, 2, 4).ToInterleaved8());
    }

    [Fact]
    public void Every_byte_value_survives_level_zero()
    {
        var px = new byte[256 * 3];
        for (int i = 0; i < px.Length; i++) px[i] = (byte)(i / 3);
        float[] level = MipPyramid.ToScriptFloats(ToPlanar(px, 256, 1, 3));
        Assert.Equal(px, MipPyramid.Quantize(level, 256, 1, 3).ToInterleaved8());
    }

    private static Image ToPlanar(byte[] px, int w, int h, int c) => Image.FromInterleaved8(px, w, h, c);

    [Fact]
    public void Writes_levels_metadata_and_reads_back()
    {
        using var tmp = new TempDir("ms");
        string blender = tmp.File("scene");
        BlenderTestScene.Create(blender, w: 16, h: 12, train: 3, val: 1, test: 2);
        string outDir = tmp.File("multi", "scene");
        var reports = new List<(int Done, int Total)>();
        MultiscaleWriter.Write(blender, outDir, new SyncProgress(reports));
        Assert.Equal(6, reports.Count); // one report per image (train 3, val 1, test 2)
        Assert.All(reports, r => Assert.Equal(6, r.Total));
        Assert.Equal(Enumerable.Range(1, 6), reports.Select(r => r.Done).Order());

        // Files and sizes: 16×12 → 8×6 → 4×3 → 2×1 (3 rows cropped to 2 before halving).
        (int, int)[] sizes = [(16, 12), (8, 6), (4, 3), (2, 1)];
        foreach (var (split, n) in new[] { ("train", 3), ("val", 1), ("test", 2) })
            for (int i = 0; i < n; i++)
                for (int j = 0; j < 4; j++)
                {
                    string f = Path.Combine(outDir, $"images_{split}", $"{i:000}_d{j}.png");
                    Assert.True(File.Exists(f), f);
                    Assert.Equal(sizes[j], ImageIO.ReadSize(f));
                }
        Assert.Equal([outDir], Directory.GetFileSystemEntries(tmp.File("multi"))); // no temporary folder left

        // Metadata as mip-NeRF writes it.
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(outDir, "metadata.json")));
        JsonElement train = doc.RootElement.GetProperty("train");
        double focal = 0.5 * 16 / Math.Tan(0.5 * BlenderTestScene.AngleX);
        Assert.Equal(12, train.GetProperty("file_path").GetArrayLength());
        Assert.Equal("images_train/001_d2.png", train.GetProperty("file_path")[6].GetString());
        for (int k = 0; k < 12; k++)
        {
            int j = k % 4;
            Assert.Equal(sizes[j].Item1, train.GetProperty("width")[k].GetInt32());
            Assert.Equal(sizes[j].Item2, train.GetProperty("height")[k].GetInt32());
            Assert.Equal(focal / (1 << j), train.GetProperty("focal")[k].GetDouble(), 12);
            Assert.Equal(j, train.GetProperty("label")[k].GetInt32());
            Assert.Equal(2, train.GetProperty("near")[k].GetDouble());
            Assert.Equal(6, train.GetProperty("far")[k].GetDouble());
            Assert.Equal(Math.Pow(4, j), train.GetProperty("lossmult")[k].GetDouble());
            JsonElement k_inv = train.GetProperty("pix2cam")[k];
            double f = focal / (1 << j), cx = sizes[j].Item1 / 2.0, cy = sizes[j].Item2 / 2.0;
            double[][] expected = [[1 / f, 0, -cx / f], [0, -1 / f, cy / f], [0, 0, -1]];
            for (int r = 0; r < 3; r++)
                for (int c = 0; c < 3; c++)
                    Assert.Equal(expected[r][c], k_inv[r][c].GetDouble(), 12);
        }
        // cam2world is the frame's transform_matrix, unchanged, for each of the 4 levels.
        double[] c2w = BlenderTestScene.LookAt(BlenderTestScene.SpherePoint(1, 6));
        for (int j = 0; j < 4; j++)
        {
            JsonElement m = train.GetProperty("cam2world")[4 + j];
            for (int r = 0; r < 4; r++)
                for (int c = 0; c < 4; c++)
                    Assert.Equal(c2w[r * 4 + c], m[r][c].GetDouble());
        }
        Assert.Equal(4, doc.RootElement.GetProperty("val").GetProperty("file_path").GetArrayLength());
        Assert.Equal(8, doc.RootElement.GetProperty("test").GetProperty("file_path").GetArrayLength());

        // Read back.
        Dataset ds = DatasetLoader.Load(outDir);
        Assert.Equal("multiscale", ds.Format);
        Assert.True(ds.HasAlpha);
        Assert.Equal(12, ds.Train.Count);
        Assert.Equal(4, ds.Val.Count);
        Assert.Equal(8, ds.Test.Count);
        Dataset original = DatasetLoader.Load(blender);
        for (int k = 0; k < 12; k++)
        {
            Camera c = ds.Train[k];
            Camera full = original.Train[k / 4];
            int j = k % 4;
            Assert.Equal(j, c.ScaleLevel);
            Assert.Equal(Math.Pow(4, j), c.LossMult);
            Assert.Equal(2, c.Near);
            Assert.Equal(6, c.Far);
            Assert.Equal(focal / (1 << j), c.Fx, 12);
            Assert.Equal(c.Fx, c.Fy);
            Assert.Equal((sizes[j].Item1 / 2.0, sizes[j].Item2 / 2.0), (c.Cx, c.Cy));
            Assert.Equal(0, (c.Center - full.Center).Length, 9);
            Assert.True(c.Rotation.RotationError() < 1e-9);
            // All levels see the world origin at their image centre.
            var (u, v, _) = BlenderTestScene.Project(c, Vec3.Zero);
            Assert.Equal(c.Cx, u, 6);
            Assert.Equal(c.Cy, v, 6);
            Image img = ds.LoadImage(c);
            Assert.Equal((sizes[j].Item1, sizes[j].Item2, 4), (img.Width, img.Height, img.Channels));
        }
        Assert.Equal("train/000_d1", ds.Train[1].Name.Replace("images_", ""));
        Assert.Equal("multiscale", DatasetLoader.Load(Path.Combine(outDir, "metadata.json")).Format);
    }

    [Fact]
    public void Odd_sizes_are_cropped_before_each_halving()
    {
        using var tmp = new TempDir("ms");
        string blender = tmp.File("scene");
        BlenderTestScene.Create(blender, w: 17, h: 13, train: 1, val: 0, test: 0);
        MultiscaleWriter.Write(blender, tmp.File("out"), null);
        Assert.Equal((17, 13), ImageIO.ReadSize(tmp.File("out", "images_train", "000_d0.png")));
        Assert.Equal((8, 6), ImageIO.ReadSize(tmp.File("out", "images_train", "000_d1.png")));
        Assert.Equal((4, 3), ImageIO.ReadSize(tmp.File("out", "images_train", "000_d2.png")));
        Assert.Equal((2, 1), ImageIO.ReadSize(tmp.File("out", "images_train", "000_d3.png")));

        // Level 1 pixel (7, 5) averages source pixels (14..15, 10..11); the last column and row are dropped.
        Image src = PngDecoder.Decode(File.ReadAllBytes(Path.Combine(blender, "train", "r_0.png")));
        Image d1 = PngDecoder.Decode(File.ReadAllBytes(tmp.File("out", "images_train", "000_d1.png")));
        for (int c = 0; c < 4; c++)
        {
            double exact = (src[c, 14, 10] + src[c, 15, 10] + src[c, 14, 11] + src[c, 15, 11]) / 4.0 * 255;
            double got = Math.Round(d1[c, 7, 5] * 255);
            Assert.True(got <= exact + 1e-3 && got > exact - 1 - 1e-3, $"channel {c}: {got} is not the truncated mean {exact}");
        }
        Dataset ds = DatasetLoader.Load(tmp.File("out"));
        Assert.All(ds.Train, c => Assert.Equal(c.Width, ds.LoadImage(c).Width));
    }

    [Fact]
    public void Refuses_a_non_empty_output_folder_and_loses_nothing()
    {
        using var tmp = new TempDir("ms");
        string blender = tmp.File("scene");
        BlenderTestScene.Create(blender, train: 1, val: 0, test: 0);
        Directory.CreateDirectory(tmp.File("out"));
        File.WriteAllText(tmp.File("out", "keep.txt"), "precious");

        var e = Assert.Throws<RadiantException>(() => MultiscaleWriter.Write(blender, tmp.File("out"), null));
        Assert.Equal(tmp.File("out"), e.Path);
        Assert.Contains("not empty", e.Message);
        Assert.Equal("precious", File.ReadAllText(tmp.File("out", "keep.txt")));
        Assert.Single(Directory.GetFileSystemEntries(tmp.File("out")));

        // An existing empty folder is fine.
        Directory.CreateDirectory(tmp.File("empty"));
        MultiscaleWriter.Write(blender, tmp.File("empty"), null);
        Assert.True(File.Exists(tmp.File("empty", "metadata.json")));
    }

    [Fact]
    public void A_failure_leaves_no_output_and_names_the_image()
    {
        using var tmp = new TempDir("ms");
        string blender = tmp.File("scene");
        BlenderTestScene.Create(blender, w: 16, h: 12, train: 3, val: 0, test: 0);
        BlenderTestScene.WritePng(Path.Combine(blender, "train", "r_2.png"), BlenderTestScene.MakeImage(8, 8, true));

        var e = Assert.Throws<RadiantException>(() => MultiscaleWriter.Write(blender, tmp.File("out"), null));
        Assert.Equal(Path.Combine(blender, "train", "r_2.png"), e.Path);
        Assert.Contains("8x8", e.Message);
        Assert.False(Directory.Exists(tmp.File("out")));
        Assert.Single(Directory.GetFileSystemEntries(tmp.Path)); // only the scene: no temporary folder left
    }

    [Fact]
    public void Missing_blender_folder()
    {
        using var tmp = new TempDir("ms");
        var e = Assert.Throws<RadiantException>(() => MultiscaleWriter.Write(tmp.File("nope"), tmp.File("out"), null));
        Assert.Equal(tmp.File("nope"), e.Path);
        Assert.False(Directory.Exists(tmp.File("out")));
    }

    private sealed class SyncProgress(List<(int Done, int Total)> sink) : IProgress<(int Done, int Total)>
    {
        public void Report((int Done, int Total) value) { lock (sink) sink.Add(value); }
    }
}
