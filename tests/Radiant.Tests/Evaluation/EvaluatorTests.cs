using Radiant.Data;
using Radiant.Evaluation;
using Radiant.Imaging;
using Radiant.Mathematics;
using Radiant.Model;
using Radiant.Rendering;

namespace Radiant.Tests.Evaluation;

public class EvaluatorTests
{
    [Fact]
    public void Pixels_a_pincushion_lens_leaves_uncovered_are_not_scored()
    {
        var pinhole = new Camera
        {
            Name = "view", Width = 64, Height = 48, Fx = 60, Fy = 60, Cx = 32, Cy = 24,
            Rotation = Mat3.Identity, Translation = new Vec3(0, 0, 4), ImagePath = "unused.png",
        };
        Camera lens = pinhole with { Distortion = new LensDistortion(K1: 0.08) };
        float[] coverage = Undistortion.Coverage(lens)!;
        var options = new RenderOptions { Background = [1, 1, 1], ShDegree = 0 };
        GaussianSet g = MultiscaleEvaluatorTests.Blobs(300, 1);
        var renderer = new Renderer();
        // The target is the render itself, except where the photo does not reach: there, as an
        // undistorted photo would, garbage (the render inverted).
        Image target = renderer.Render(g, RenderCamera.From(pinhole), options).Color.Clone();
        int uncovered = 0;
        for (int p = 0; p < coverage.Length; p++)
        {
            if (coverage[p] != 0) continue;
            uncovered++;
            for (int c = 0; c < 3; c++) target.Data[c * coverage.Length + p] = 1 - target.Data[c * coverage.Length + p];
        }
        Assert.InRange(uncovered, 20, coverage.Length / 5);

        ViewMetrics scored = Evaluator.Measure(renderer, new Ssim(), g, lens, target, options);
        ViewMetrics everything = Evaluator.Measure(renderer, new Ssim(), g, pinhole, target, options);
        Assert.Equal(ImageMetrics.MaxPsnr, scored.Psnr);   // the covered pixels match exactly
        Assert.True(everything.Psnr < 40, $"PSNR {everything.Psnr} over every pixel");
        // SSIM windows at the edge of the covered area still read the garbage beside it, so it is not 1.
        Assert.InRange(scored.Ssim, everything.Ssim + 0.01, 0.9999);
    }
}
