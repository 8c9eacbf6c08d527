using Radiant.Data;
using Radiant.Data.Multiscale;
using Radiant.Imaging;
using Radiant.Model;
using Radiant.Rendering;
using Radiant.Tests.Data;
using Radiant.Tests.Evaluation;
using Radiant.Tests.Support;
using Radiant.Training;

namespace Radiant.Tests.Training;

/// <summary>Training on mip-NeRF multiscale data: loss weights from lossmult, and restricting the training scales.</summary>
public class MultiscaleTrainingTests
{
    [Fact]
    public void Loss_weights_make_every_pyramid_level_count_like_a_full_image()
    {
        using var tmp = new TempDir("mstrain");
        var (_, multi) = MultiscaleEvaluatorTests.Scenes(tmp, train: 2, test: 1);
        Assert.Equal([0, 1, 2, 3, 0, 1, 2, 3], multi.Train.Select(c => c.ScaleLevel));
        // lossmult 4^j × pixels N_0/4^j: every view the same weight, 1.
        Assert.All(TrainingViews.LossWeights(multi.Train), w => Assert.Equal(1f, w));

        Camera c = multi.Train[0];
        // Same-size views: the weights are in the ratio of the lossmults, with mean (pixel-weighted) 1.
        float[] w2 = TrainingViews.LossWeights([c with { LossMult = 1 }, c with { LossMult = 4 }]);
        Assert.Equal([0.4f, 1.6f], w2);
        // mip-NeRF without its multiscale loss (lossmult 1 on every level): views weigh as their pixel counts.
        float[] w3 = TrainingViews.LossWeights([c, c with { Width = 16, Height = 12, ScaleLevel = 1 }]);
        Assert.Equal(4f, w3[0] / w3[1], 5);
        // Single-scale data keeps weight 1 whatever the image sizes (the reference 3DGS).
        Assert.Equal([1f, 1f], TrainingViews.LossWeights([c, c with { Width = 16, Height = 12 }]));
    }

    /// <summary>
    /// One training step on the same view and model with loss weight 1 and 2.5: the loss and every
    /// gradient the step produces scale by exactly the weight. The density statistics accumulate
    /// ‖∂L/∂mean2d‖ from the full backward pass, so their ratio is that of the gradients.
    /// </summary>
    [Fact]
    public void The_loss_weight_scales_the_loss_and_the_gradients()
    {
        Camera cam = MultiscaleEvaluatorTests.BlenderCamera(40, 32);
        GaussianSet g = MultiscaleEvaluatorTests.Blobs(200, 3);
        // Target: a different model's render, so that the loss and its gradient are far from zero.
        Image target = new Renderer().Render(MultiscaleEvaluatorTests.Blobs(200, 4), RenderCamera.From(cam), new RenderOptions { Background = [1, 1, 1], ShDegree = 0 }).Color.Clone();
        var options = new TrainingOptions { Iterations = 10, ShDegree = 0, DensifyFrom = 100 };

        (TrainingStep Step, float[] Grad) StepWith(float weight)
        {
            var view = new TrainingView(cam, RenderCamera.From(cam), target, null) { LossWeight = weight };
            var trainer = new Trainer(g.Clone(), [view], 4, [1, 1, 1], options);
            return (trainer.Step(), (float[])trainer.Density.GradAccum.Clone());
        }

        var (one, g1) = StepWith(1);
        var (more, g2) = StepWith(2.5f);
        Assert.True(one.Loss > 0.05);
        Assert.Equal(2.5 * one.Loss, more.Loss, 6);
        Assert.Equal((one.L1, one.Ssim, one.Mse), (more.L1, more.Ssim, more.Mse)); // the unweighted terms do not change
        // The weight multiplies dL/dpixel; float rounding in the backward sums leaves the ratio off by at
        // most 6e-5 relative (measured), against 0.6 for a weight that is not applied.
        int seen = 0;
        double worst = 0;
        for (int i = 0; i < g1.Length; i++)
        {
            if (g1[i] == 0) { Assert.Equal(0f, g2[i]); continue; }
            worst = Math.Max(worst, Math.Abs(g2[i] / g1[i] / 2.5 - 1));
            seen++;
        }
        Assert.True(seen > 100, $"only {seen} Gaussians got a gradient");
        Assert.True(worst < 1e-3, $"gradient ratio is off by {worst:g3} relative");
    }

    [Fact]
    public void Train_scales_keeps_only_the_views_of_those_scales()
    {
        using var tmp = new TempDir("mstrain");
        var (single, multi) = MultiscaleEvaluatorTests.Scenes(tmp, train: 3, test: 1);
        var settings = new TrainingRunSettings { DataPath = tmp.File("multi"), Options = new TrainingOptions(), TrainScales = [1] };

        IReadOnlyList<Camera> full = settings.TrainCameras(multi);
        Assert.Equal(3, full.Count);
        Assert.All(full, c => Assert.Equal((0, 32, 24, 1.0), (c.ScaleLevel, c.Width, c.Height, c.LossMult)));
        Assert.Equal([1f, 1f, 1f], TrainingViews.LossWeights(full));
        Assert.Equal(6, (settings with { TrainScales = [2, 8] }).TrainCameras(multi).Count);
        Assert.Equal(12, (settings with { TrainScales = null }).TrainCameras(multi).Count);
        var e = Assert.Throws<RadiantException>(() => (settings with { TrainScales = [16] }).TrainCameras(multi));
        Assert.Contains("no views at scales 16 (its views have scales 1,2,4,8)", e.Message);
        // Single-scale data: every view is scale 1.
        Assert.Equal(3, settings.TrainCameras(single).Count);
        Assert.Throws<RadiantException>(() => (settings with { TrainScales = [2] }).TrainCameras(single));
    }

    [Theory]
    [InlineData("1,2,4,8", new[] { 0, 1, 2, 3 })]
    [InlineData("8, 1,1", new[] { 0, 3 })]
    [InlineData("64", new[] { 6 })]
    public void Scale_lists_parse_to_levels(string text, int[] levels) => Assert.Equal(levels, ScaleLevels.Parse(text, "--scales"));

    [Theory]
    [InlineData("3")]
    [InlineData("0")]
    [InlineData("1,,2")]
    [InlineData("128")]
    [InlineData("-2")]
    [InlineData("1.5")]
    public void Bad_scale_lists_are_refused(string text)
    {
        var e = Assert.Throws<RadiantException>(() => ScaleLevels.Parse(text, "--scales"));
        Assert.StartsWith($"--scales '{text}'", e.Message);
    }
}
