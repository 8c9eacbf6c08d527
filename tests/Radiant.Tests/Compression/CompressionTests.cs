using System.Diagnostics;
using Radiant.Compression;
using Radiant.Data;
using Radiant.Export;
using Radiant.Export.Compact;
using Radiant.Model;
using Radiant.Rendering;
using Radiant.Sample;
using Radiant.Tests.Export.Compact;
using Radiant.Tests.Support;
using Radiant.Training;
using Xunit;
using Xunit.Abstractions;

namespace Radiant.Tests.Compression;

/// <summary>Significance from the backward pass, and the whole compress pipeline on a freshly trained sample model.</summary>
public class CompressionTests(ITestOutputHelper output)
{
    /// <summary>
    /// Per pixel Σᵢ αᵢTᵢ = 1 − T_final (the accumulated alpha), so the significances summed over
    /// all Gaussians equal the rendered alpha summed over pixels and views.
    /// </summary>
    [Fact]
    public void Significances_sum_to_the_rendered_alpha()
    {
        GaussianSet g = CompactTestModels.Random(400, 1);
        for (int i = 0; i < g.Count; i++) for (int a = 0; a < 3; a++) g.LogScales[3 * i + a] = -1.5f; // visible blobs
        var cams = new[] { Camera(0), Camera(1), Camera(2) };
        var options = new RenderOptions { ShDegree = 1 };
        double[] s = GaussianContribution.Compute(g, cams, options);
        double alpha = 0;
        var renderer = new Renderer();
        foreach (RenderCamera c in cams) alpha += renderer.Render(g, c, options).Alpha.Sum(a => (double)a);
        Assert.True(alpha > 100, $"the test scene covers too little ({alpha})");
        Assert.Equal(alpha, s.Sum(), alpha * 1e-4);
        Assert.All(s, v => Assert.True(v >= -1e-4));
        Assert.Contains(s, v => v == 0 || v > 0);
    }

    private static RenderCamera Camera(int k)
    {
        // Looking at the origin from 12 units along a rotated axis.
        double angle = 0.7 * k;
        var rot = new Radiant.Mathematics.Mat3(Math.Cos(angle), 0, -Math.Sin(angle), 0, 1, 0, Math.Sin(angle), 0, Math.Cos(angle));
        var cam = new Camera
        {
            Name = $"c{k}", Width = 64, Height = 48, Fx = 50, Fy = 50, Cx = 32, Cy = 24,
            Rotation = rot, Translation = new Radiant.Mathematics.Vec3(0, 0, 12), ImagePath = "",
        };
        return RenderCamera.From(cam);
    }

    /// <summary>
    /// Trains a small sample model (64×64, 24 views, 700 iterations), then prunes half of it by
    /// significance, fine-tunes 150 iterations, reduces SH 3 → 1 with 150 distillation
    /// iterations and writes .rgc (SH codebook of n/8 = 378 entries, Brotli). Measured here
    /// (loaded machine, ~30 s in all): 1,504,905 → 53,099 bytes, ratio 28.3× against the standard
    /// .ply, test PSNR 17.05 → 17.25 dB, SSIM 0.788 → 0.793 (the fine-tuning also continues the
    /// short training, which outweighs the quantisation loss of about −0.01 dB). Required: ratio ≥ 20×, PSNR loss ≤ 0.5 dB,
    /// and the written file loads back as the last stage's model.
    /// </summary>
    [Fact]
    public void Compressing_a_trained_sample_keeps_quality_at_a_high_ratio()
    {
        var clock = Stopwatch.StartNew();
        using var dir = new TempDir("compress");
        string scene = dir.File("scene");
        SampleScene.Write(scene, new SampleSceneOptions { Width = 64, Height = 64, TrainViews = 24, TestViews = 6, ValViews = 0, SamplesPerAxis = 2 });
        var settings = new TrainingRunSettings
        {
            DataPath = scene, Init = "random:8000", CheckpointEvery = 0,
            Options = new TrainingOptions { Iterations = 700, Seed = 3, DensifyFrom = 100, DensifyInterval = 50, DensifyUntil = 600, OpacityResetInterval = 400, ShIncreaseInterval = 100 },
        };
        TrainingSession.Run(settings, dir.File("run"), new QuietObserver());
        string ply = ModelFile.Resolve(dir.File("run"));
        output.WriteLine($"trained in {clock.Elapsed.TotalSeconds:0} s");

        Dataset ds = DatasetLoader.Load(scene, new DatasetOptions());
        string outPath = dir.File("model.rgc");
        GaussianPlyData model = ModelFile.Load(ply);
        Assert.True(model.MipFilter2D); // trained with anti-aliasing (the default): kept through every step
        var stages = CompressionPipeline.Run(model.Gaussians, new FileInfo(ply).Length, ds, outPath, new CompressionOptions
        {
            PruneFraction = 0.5, PruneFineTuneIterations = 150, ShDegree = 1, DistillIterations = 150,
            MipFilter2D = model.MipFilter2D,
        });
        foreach (var s in stages) output.WriteLine(s.ToString());
        output.WriteLine($"total {clock.Elapsed.TotalSeconds:0} s");

        CompressionStage first = stages[0], last = stages[^1];
        double ratio = (double)first.Bytes / last.Bytes;
        Assert.True(ratio >= 20, $"ratio {ratio:0.0}");
        Assert.True(last.Psnr >= first.Psnr - 0.5, $"PSNR {first.Psnr:0.00} → {last.Psnr:0.00}");
        Assert.Equal(new FileInfo(outPath).Length, last.Bytes);
        Assert.True(ModelFormats.Read(outPath).MipFilter2D); // the .rgc says how to render it
        GaussianSet stored = ModelFile.Load(outPath).Gaussians;
        Assert.Equal(last.Gaussians, stored.Count);
        Assert.Equal(1, stored.ShDegree);
        Assert.Equal(["input", "prune", "fine-tune", "SH 3→1", "distil", "quantise", "entropy code"], stages.Select(s => s.Step));
    }

    /// <summary>
    /// The last row measures the file as written: a .splat cannot record the 2D Mip filter mark, so
    /// its row is the read-back model rendered with the 0.3 px² dilation, as `eval` renders that file.
    /// </summary>
    [Fact]
    public void The_written_row_renders_the_file_as_its_readers_will()
    {
        using var dir = new TempDir("compress-splat");
        string scene = dir.File("scene");
        Radiant.Tests.Data.BlenderTestScene.Create(scene, w: 32, h: 24, train: 2, val: 0, test: 2);
        Dataset ds = DatasetLoader.Load(scene, new DatasetOptions());
        GaussianSet g = CompactTestModels.Random(300, 0);
        for (int i = 0; i < g.Count; i++) for (int a = 0; a < 3; a++) g.LogScales[3 * i + a] = -3.5f;   // small splats: the filters differ most
        var options = new CompressionOptions { MipFilter2D = true, ShDegree = -1 };
        foreach (string name in new[] { "m.splat", "m.spz" })
        {
            string outPath = dir.File(name);
            CompressionStage last = CompressionPipeline.Run(g, 1, ds, outPath, options)[^1];
            GaussianPlyData written = ModelFormats.Read(outPath);
            Assert.Equal(name.EndsWith(".spz"), written.MipFilter2D);
            var render = new RenderOptions { Background = ds.Background, ShDegree = written.Gaussians.ShDegree }.WithFilter2D(written.MipFilter2D);
            double psnr = Radiant.Evaluation.Evaluator.Evaluate(written.Gaussians, ds, ds.Test, render).Average(v => v.Psnr);
            Assert.Equal(psnr, last.Psnr, 1e-9);
            Assert.Equal(written.MipFilter2D ? "" : "no 2D Mip filter mark in this format: rendered with the 0.3 px² dilation", last.Note);
        }
    }
}
