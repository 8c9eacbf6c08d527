using Radiant.Imaging;
using Radiant.Tests.Support;
using Radiant.Tests.Video;

using static Radiant.Tests.Support.CliRunner;

namespace Radiant.Tests.Cli;

/// <summary>`radiant render --path`: paths from a dataset or a model's cameras.json, saved paths replayed, videos, errors.</summary>
public class CliRenderPathTests
{
    private static void AssertOk((int Code, string Out, string Err) r) => Assert.True(r.Code == 0, $"exit {r.Code}: {r.Err}\n{r.Out}");

    [Fact]
    public void Saved_orbit_replays_to_identical_frames()
    {
        using var dir = new TempDir("cli-path");
        var m = PathTestModel.Create(dir);
        string saved = dir.File("orbit.json");
        AssertOk(Run("render", m.ModelDir, m.Data, "--path", "orbit", "--frames", "6", "--resolution", "40x30", "--formats", "png",
            "--save-path", saved, "--out", dir.File("first")));
        AssertOk(Run("render", m.ModelDir, "--path", saved, "--formats", "png", "--out", dir.File("replay")));
        string[] first = Directory.GetFiles(dir.File("first", "rgb"), "*.png").Order().ToArray();
        string[] replay = Directory.GetFiles(dir.File("replay", "rgb"), "*.png").Order().ToArray();
        Assert.Equal(["frame_0000.png", "frame_0001.png", "frame_0002.png", "frame_0003.png", "frame_0004.png", "frame_0005.png"], first.Select(Path.GetFileName));
        Assert.Equal(first.Select(Path.GetFileName), replay.Select(Path.GetFileName));
        for (int i = 0; i < first.Length; i++) Assert.Equal(File.ReadAllBytes(first[i]), File.ReadAllBytes(replay[i]));
        Image frame = ImageIO.Load(first[0]);
        Assert.Equal((40, 30), (frame.Width, frame.Height));
        // The frames differ: the camera moves.
        Assert.NotEqual(File.ReadAllBytes(first[0]), File.ReadAllBytes(first[3]));
    }

    [Fact]
    public void Model_folder_cameras_give_mp4_gif_and_depth_without_data()
    {
        using var dir = new TempDir("cli-path");
        var m = PathTestModel.Create(dir);
        string outDir = dir.File("out");
        var r = Run("render", m.ModelDir, "--path", "spiral", "--frames", "5", "--resolution", "33x25", "--outputs", "rgb,depth,alpha",
            "--formats", "png,mp4,gif", "--fps", "10", "--out", outDir);
        AssertOk(r);
        Assert.Contains("the MP4 is 32x24", r.Out);
        Assert.Equal((5, 32, 24), FfmpegEncoderTests.Probe(Path.Combine(outDir, "rgb.mp4")));
        Assert.Equal((5, 33, 25), FfmpegEncoderTests.Probe(Path.Combine(outDir, "depth.gif")));
        Assert.Equal(5, Directory.GetFiles(Path.Combine(outDir, "alpha"), "frame_*.png").Length);
        Image alpha = ImageIO.Load(Path.Combine(outDir, "alpha", "frame_0000.png"));
        Image depth = ImageIO.Load(Path.Combine(outDir, "depth", "frame_0000.png"));
        for (int i = 0; i < alpha.PixelCount; i++)
        {
            Assert.Equal(alpha.Data[i], alpha.Data[alpha.PixelCount + i]);   // grey
            // Depth is weighted by α over black: a fully transparent pixel is black.
            if (alpha.Data[i] == 0) Assert.Equal(0, depth.Data[alpha.PixelCount + i]);
        }
        Assert.Contains(alpha.Data.Take(alpha.PixelCount), a => a > 0.5f);
        // The renderer composites depth for this layer (it does not by default): opaque pixels are lit.
        Assert.Contains(Enumerable.Range(0, alpha.PixelCount), i => alpha.Data[i] > 0.5f && depth.Data[alpha.PixelCount + i] > 0.05f);
    }

    [Fact]
    public void Dataset_path_reproduces_the_split_render_and_the_split_render_still_works()
    {
        using var dir = new TempDir("cli-path");
        var m = PathTestModel.Create(dir);
        AssertOk(Run("render", m.ModelDir, m.Data, "--split", "test", "--out", dir.File("views")));
        string[] views = Directory.GetFiles(dir.File("views"), "*.png").Order().ToArray();
        Assert.Equal(3, views.Length);
        AssertOk(Run("render", m.ModelDir, m.Data, "--path", "dataset", "--split", "test", "--formats", "png", "--out", dir.File("path")));
        string[] frames = Directory.GetFiles(dir.File("path", "rgb"), "*.png").Order().ToArray();
        Assert.Equal(3, frames.Length);
        // Same cameras, through quaternions and back (float round-off in the pose): a bound of 2 levels in 8 bits.
        byte[] a = ImageIO.Load(views[0]).ToInterleaved8(), b = ImageIO.Load(frames[0]).ToInterleaved8();
        Assert.Equal(a.Length, b.Length);
        Assert.True(a.Zip(b).Max(p => Math.Abs(p.First - p.Second)) <= 2);
    }

    [Fact]
    public void A_path_renders_a_model_with_the_2D_filter_it_was_trained_with()
    {
        using var dir = new TempDir("cli-path");
        var m = PathTestModel.Create(dir);
        // Splats below a pixel, marked as trained with the 2D Mip filter: the reference 0.3 px² dilation
        // would draw them larger and at full opacity.
        string ply = Path.Combine(m.ModelDir, "point_cloud.ply");
        var g = Radiant.Export.ModelFile.Load(m.ModelDir).Gaussians;
        for (int i = 0; i < g.LogScales.Length; i++) g.LogScales[i] -= MathF.Log(8f);
        Radiant.Export.GaussianPly.Write(ply, g, mipFilter2D: true);
        AssertOk(Run("render", m.ModelDir, m.Data, "--split", "test", "--out", dir.File("views")));
        AssertOk(Run("render", m.ModelDir, m.Data, "--path", "dataset", "--split", "test", "--formats", "png", "--out", dir.File("path")));
        string[] views = Directory.GetFiles(dir.File("views"), "*.png").Order().ToArray();
        string[] frames = Directory.GetFiles(dir.File("path", "rgb"), "*.png").Order().ToArray();
        Assert.Equal(views.Length, frames.Length);
        for (int i = 0; i < views.Length; i++)
        {
            byte[] a = ImageIO.Load(views[i]).ToInterleaved8(), b = ImageIO.Load(frames[i]).ToInterleaved8();
            Assert.True(a.Zip(b).Max(p => Math.Abs(p.First - p.Second)) <= 2, $"frame {i} differs from the split's render of its camera");
        }
    }

    [Fact]
    public void Supersampled_frames_are_frames_twice_the_size_averaged()
    {
        using var dir = new TempDir("cli-path");
        var m = PathTestModel.Create(dir);
        string[] path = ["--path", "orbit", "--frames", "2", "--fov", "50", "--formats", "png"];
        AssertOk(Run(["render", m.ModelDir, m.Data, .. path, "--resolution", "20x16", "--supersample", "2", "--out", dir.File("ss")]));
        AssertOk(Run(["render", m.ModelDir, m.Data, .. path, "--resolution", "40x32", "--out", dir.File("large")]));
        AssertOk(Run(["render", m.ModelDir, m.Data, .. path, "--resolution", "20x16", "--out", dir.File("plain")]));
        Image ss = ImageIO.Load(dir.File("ss", "rgb", "frame_0001.png")), large = ImageIO.Load(dir.File("large", "rgb", "frame_0001.png"));
        Image plain = ImageIO.Load(dir.File("plain", "rgb", "frame_0001.png"));
        Assert.Equal((20, 16), (ss.Width, ss.Height));
        double worst = 0, fromPlain = 0;
        for (int c = 0; c < 3; c++)
            for (int y = 0; y < 16; y++)
                for (int x = 0; x < 20; x++)
                {
                    double mean = (large[c, 2 * x, 2 * y] + large[c, 2 * x + 1, 2 * y] + large[c, 2 * x, 2 * y + 1] + large[c, 2 * x + 1, 2 * y + 1]) / 4;
                    worst = Math.Max(worst, Math.Abs(mean - ss[c, x, y]));
                    fromPlain = Math.Max(fromPlain, Math.Abs(plain[c, x, y] - ss[c, x, y]));
                }
        // 8-bit frames: the average of quantised samples and the quantised average differ by at most a level.
        Assert.True(worst <= 1.0 / 255 + 1e-6, $"largest difference {worst * 255:0.##} levels");
        Assert.True(fromPlain > 4.0 / 255, "supersampling changed nothing");

        var (code, _, err) = Run(["render", m.ModelDir, m.Data, .. path, "--supersample", "0", "--out", dir.File("bad")]);
        Assert.Equal(1, code);
        Assert.Equal("error: --supersample must be 1..16 (got 0)", err.Trim());
        (code, _, err) = Run(["render", m.ModelDir, m.Data, .. path, "--resolution", "3000x2000", "--supersample", "16", "--out", dir.File("big")]);
        Assert.Equal(1, code);
        Assert.StartsWith("error: --supersample 16 would render 3000x2000 images at 48000x32000 px, above the renderer's 32767 px a side", err.Trim());
        Assert.False(Directory.Exists(dir.File("big", "rgb")));
    }

    [Fact]
    public void A_bare_ply_without_cameras_asks_for_the_dataset()
    {
        using var dir = new TempDir("cli-path");
        var m = PathTestModel.Create(dir);
        string bare = dir.File("bare.ply");
        File.Copy(Path.Combine(m.ModelDir, "point_cloud.ply"), bare);
        var (code, _, err) = Run("render", bare, "--path", "orbit", "--out", dir.File("o"));
        Assert.Equal(1, code);
        Assert.StartsWith($"error: {bare}: no cameras to build the orbit path from: give the dataset", err.Trim());
        Assert.DoesNotContain("\n", err.Trim());
    }

    [Fact]
    public void Bad_path_file_and_missing_data_are_one_line_errors()
    {
        using var dir = new TempDir("cli-path");
        var m = PathTestModel.Create(dir);
        string bad = dir.File("bad.json");
        File.WriteAllText(bad, "[{\"position\": [0, 0, 4], \"look_at\": [0, 0, 0]}");
        var (code, _, err) = Run("render", m.ModelDir, "--path", bad, "--out", dir.File("o"));
        Assert.Equal(1, code);
        Assert.StartsWith($"error: {bad}: malformed JSON", err.Trim());
        Assert.DoesNotContain("\n", err.Trim());

        var (codeTypo, _, errTypo) = Run("render", m.ModelDir, "--path", "orbits", "--out", dir.File("o"));
        Assert.Equal(1, codeTypo);
        Assert.Equal("error: orbits: file not found (--path takes orbit, spiral, dataset or a camera path .json file)", errTypo.Trim());

        var (code2, _, err2) = Run("render", m.ModelDir, "--out", dir.File("o"));
        Assert.Equal(1, code2);
        Assert.Equal("error: give DATA (the dataset whose cameras to render) or --path orbit|spiral|dataset|FILE.json", err2.Trim());

        var (code3, _, err3) = Run("render", m.ModelDir, "--path", "orbit", "--formats", "webm", "--out", dir.File("o"));
        Assert.Equal(1, code3);
        Assert.Equal("error: unknown format 'webm' (use png, mp4, gif)", err3.Trim());
    }
}
