using Radiant.Data;
using Radiant.Data.Multiscale;
using Radiant.Evaluation;
using Radiant.Imaging;
using Radiant.Mathematics;
using Radiant.Model;
using Radiant.Rendering;
using Radiant.Tests.Data;
using Radiant.Tests.Support;
using Xunit.Abstractions;

namespace Radiant.Tests.Evaluation;

/// <summary>mip-NeRF's multiscale evaluation: per-scale ground truth, scaled cameras, grouping by label, agreement of the two protocols.</summary>
public class MultiscaleEvaluatorTests(ITestOutputHelper output)
{
    private static readonly int[] AllLevels = [0, 1, 2, 3];
    private static readonly RenderOptions White = new() { Background = [1, 1, 1], ShDegree = 0 };

    /// <summary>Gaussians in the unit ball around the origin (where the Blender test cameras look), wide enough to cover several pixels.</summary>
    internal static GaussianSet Blobs(int count, int seed, double logScale = -1.9)
    {
        var rng = new Random(seed);
        var g = new GaussianSet(count, 0);
        for (int i = 0; i < count; i++)
        {
            for (int a = 0; a < 3; a++)
            {
                g.Means[3 * i + a] = (float)(rng.NextDouble() * 1.6 - 0.8);
                g.LogScales[3 * i + a] = (float)(logScale + 0.3 * rng.NextDouble());
                g.Sh[3 * i + a] = (float)((rng.NextDouble() - 0.5) / GaussianSet.ShC0);
            }
            g.Rotations[4 * i] = 1;
            g.OpacityLogits[i] = GaussianSet.Logit(0.3f + 0.5f * (float)rng.NextDouble());
        }
        return g;
    }

    [Fact]
    public void Single_scale_ground_truth_is_the_writers_level_image_and_straight_alpha_block_average()
    {
        using var tmp = new TempDir("mseval");
        string blender = tmp.File("scene");
        BlenderTestScene.Create(blender, w: 32, h: 24, train: 1, val: 0, test: 2);
        // Random colours and alphas: transparent pixels whose colours differ from their neighbours'.
        var rng = new Random(5);
        for (int i = 0; i < 2; i++)
        {
            var bytes = new byte[32 * 24 * 4];
            rng.NextBytes(bytes);
            for (int k = 3; k < bytes.Length; k += 4) bytes[k] = (k / 4 % 3) switch { 0 => 0, 1 => 255, _ => bytes[k] };
            BlenderTestScene.WritePng(Path.Combine(blender, "test", $"r_{i}.png"), Image.FromInterleaved8(bytes, 32, 24, 4));
        }
        MultiscaleWriter.Write(blender, tmp.File("multi"));
        // Over black, the transparent column's colours show: averaging before or after compositing differ.
        var black = new DatasetOptions { Background = [0, 0, 0] };
        Dataset single = DatasetLoader.Load(blender, black), multi = DatasetLoader.Load(tmp.File("multi"), black);

        for (int v = 0; v < single.Test.Count; v++)
        {
            Camera cam = single.Test[v];
            Image[] gt = MultiscaleEvaluator.GroundTruths(single, cam, 3);
            Image stored = single.LoadStoredImage(cam);
            for (int j = 0; j < 4; j++)
            {
                // Byte for byte the _d{j} image of `radiant data multiscale`, loaded as the multiscale reader does.
                Image written = multi.LoadImage(multi.Test[4 * v + j]).WithoutAlpha();
                Assert.Equal((32 >> j, 24 >> j, 3), (gt[j].Width, gt[j].Height, gt[j].Channels));
                Assert.Equal(written.Data, gt[j].Data);

                // Independently: the 2^j × 2^j block mean of the straight RGBA bytes, composited over white
                // afterwards. Measured: truncation to 8 bits of colour and alpha moves it by at most 1.14/255; averaging
                // composited colours instead (the other order) is 44, 21, 8/255 off at levels 1, 2, 3.
                int n = 1 << j;
                double worst = 0, compositedFirst = 0;
                Image composited = stored.CompositeOver(0, 0, 0);
                for (int y = 0; y < gt[j].Height; y++)
                    for (int x = 0; x < gt[j].Width; x++)
                    {
                        double a = BlockMean(stored, 3, x, y, n);
                        for (int c = 0; c < 3; c++)
                        {
                            double expected = BlockMean(stored, c, x, y, n) * a;
                            worst = Math.Max(worst, Math.Abs(gt[j][c, x, y] - expected));
                            compositedFirst = Math.Max(compositedFirst, Math.Abs(BlockMean(composited, c, x, y, n) - expected));
                        }
                    }
                Assert.True(worst < 2.0 / 255, $"level {j}: ground truth is {worst * 255:0.00}/255 from the straight-alpha block mean");
                output.WriteLine($"level {j}: {worst * 255:0.00}/255 from the straight-alpha block mean; compositing first would be {compositedFirst * 255:0.0}/255 off");
                if (j > 0) Assert.True(compositedFirst > 5.0 / 255, "the test image cannot tell the two orders apart");
            }
        }
    }

    private static double BlockMean(Image img, int c, int x, int y, int n)
    {
        double sum = 0;
        for (int dy = 0; dy < n; dy++)
            for (int dx = 0; dx < n; dx++) sum += img[c, x * n + dx, y * n + dy];
        return sum / (n * n);
    }

    [Fact]
    public void Both_protocols_give_the_same_figures_and_the_multiscale_one_groups_views_by_label()
    {
        using var tmp = new TempDir("mseval");
        var (single, multi) = Scenes(tmp, train: 1, test: 3);
        GaussianSet g = Blobs(300, 1);

        MultiscaleResult a = MultiscaleEvaluator.Evaluate(g, single, single.Test, AllLevels, White);
        MultiscaleResult b = MultiscaleEvaluator.Evaluate(g, multi, multi.Test, AllLevels, White);
        Assert.False(a.FromLabels);
        Assert.True(b.FromLabels);
        foreach (MultiscaleResult r in new[] { a, b })
        {
            Assert.Equal(12, r.Views.Count);
            Assert.Equal([1, 2, 4, 8], r.Scales.Select(s => s.Scale));
            Assert.Equal([(32, 24), (16, 12), (8, 6), (4, 3)], r.Scales.Select(s => (s.Width, s.Height)));
            Assert.All(r.Scales, s => Assert.Equal(3, s.Views));
            Assert.Equal(r.Scales.Average(s => s.Psnr), r.Psnr, 12);
            Assert.All(r.Views, v => Assert.True(double.IsFinite(v.Psnr) && v.Psnr > 3 && v.Ssim is > -1 and < 1));
        }
        // Same ground truth (previous test) and, for even sizes, the same cameras: the same figures.
        var byLabel = b.Views;
        for (int k = 0; k < 12; k++)
        {
            Assert.Equal((a.Views[k].ScaleLevel, a.Views[k].Width, a.Views[k].Height), (byLabel[k].ScaleLevel, byLabel[k].Width, byLabel[k].Height));
            Assert.Equal(a.Views[k].Psnr, byLabel[k].Psnr, 9);
            Assert.Equal(a.Views[k].Ssim, byLabel[k].Ssim, 9);
        }

        // Some scales only: the views with those labels.
        MultiscaleResult some = MultiscaleEvaluator.Evaluate(g, multi, multi.Test, [0, 2], White);
        Assert.Equal([1, 4], some.Scales.Select(s => s.Scale));
        Assert.All(some.Views, v => Assert.Contains(v.ScaleLevel, new[] { 0, 2 }));
        Assert.Equal(b.Scales[2].Psnr, some.Scales[1].Psnr, 12);
        var e = Assert.Throws<RadiantException>(() => MultiscaleEvaluator.Evaluate(g, multi, multi.Test, [4], White));
        Assert.Contains("no views at scales 16", e.Message);
    }

    /// <summary>
    /// The scaled camera (focal and principal point / 2^j, pixel centres at +0.5) renders what the
    /// full-resolution camera sees, averaged over 2^j × 2^j blocks. A renderer is not a box filter
    /// (a Gaussian is point-sampled at pixel centres after 0.3 px² dilation), so the two differ a
    /// little; a principal point off by a quarter pixel (the (c + 0.5)/2 − 0.5 mistake) differs far more.
    /// </summary>
    [Fact]
    public void Scaled_camera_renders_the_area_average_of_the_full_render()
    {
        Camera full = BlenderCamera(96, 80);
        GaussianSet g = Blobs(400, 2);
        var renderer = new Renderer();
        Image fullRender = renderer.Render(g, RenderCamera.From(full), White).Color.Clone();
        for (int j = 1; j <= 2; j++)
        {
            Camera scaled = MipPyramid.CameraAt(full, j);
            Assert.Equal((96 >> j, 80 >> j), (scaled.Width, scaled.Height));
            Assert.Equal((full.Fx / (1 << j), full.Cx / (1 << j), full.Cy / (1 << j)), (scaled.Fx, scaled.Cx, scaled.Cy));
            Image reference = AreaResample.Downscale(fullRender, 1 << j);
            double right = ImageMetrics.Psnr(renderer.Render(g, RenderCamera.From(scaled), White).Color, reference);
            Camera shifted = scaled with { Cx = scaled.Cx - 0.25, Cy = scaled.Cy - 0.25 };
            double wrong = ImageMetrics.Psnr(renderer.Render(g, RenderCamera.From(shifted), White).Color, reference);
            output.WriteLine($"level {j}: scaled camera {right:0.00} dB, principal point off by 1/4 px {wrong:0.00} dB");
            // Measured: level 1 46.3 dB against 36.1 dB shifted; level 2 (24×20 px, Gaussians near a pixel
            // wide, where point sampling and box averaging part) 32.7 dB against 28.6 dB.
            Assert.True(right > (j == 1 ? 43 : 31), $"level {j}: {right:0.00} dB");
            Assert.True(right > wrong + (j == 1 ? 7 : 3), $"level {j}: the correct camera ({right:0.00} dB) is not clearly better than a shifted one ({wrong:0.00} dB)");
        }
    }

    /// <summary>A 32×24 Blender test scene (folder "scene" of <paramref name="tmp"/>) and its multiscale conversion ("multi"), loaded.</summary>
    internal static (Dataset Single, Dataset Multi) Scenes(TempDir tmp, int train, int test)
    {
        BlenderTestScene.Create(tmp.File("scene"), w: 32, h: 24, train: train, val: 0, test: test);
        MultiscaleWriter.Write(tmp.File("scene"), tmp.File("multi"));
        return (DatasetLoader.Load(tmp.File("scene")), DatasetLoader.Load(tmp.File("multi")));
    }

    /// <summary>A training view from <see cref="BlenderCamera"/> whose photo is <see cref="Blobs"/>(count, seed 4) rendered on black with SH degree 0.</summary>
    internal static Radiant.Training.TrainingView BlobsView(int w, int h, int count)
    {
        Camera cam = BlenderCamera(w, h);
        Image target = new Renderer().Render(Blobs(count, 4), RenderCamera.From(cam), new RenderOptions { Background = [0, 0, 0], ShDegree = 0 }).Color.Clone();
        return new Radiant.Training.TrainingView(cam, RenderCamera.From(cam), target, null);
    }

    internal static Camera BlenderCamera(int w, int h)
    {
        double[] c2w = BlenderTestScene.LookAt(BlenderTestScene.SpherePoint(3, 10));
        var (rotation, translation) = Camera.PoseFromOpenGLCameraToWorld(
            Mat3.FromRows(new Vec3(c2w[0], c2w[1], c2w[2]), new Vec3(c2w[4], c2w[5], c2w[6]), new Vec3(c2w[8], c2w[9], c2w[10])),
            new Vec3(c2w[3], c2w[7], c2w[11]), "test");
        double focal = 0.5 * w / Math.Tan(0.5 * BlenderTestScene.AngleX);
        return new Camera
        {
            Name = "view", Width = w, Height = h, Fx = focal, Fy = focal, Cx = w / 2.0, Cy = h / 2.0,
            Rotation = rotation, Translation = translation, ImagePath = "view.png",
        };
    }
}
