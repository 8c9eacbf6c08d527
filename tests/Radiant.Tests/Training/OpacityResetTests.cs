using Radiant.Model;
using Radiant.Tests.Evaluation;
using Radiant.Training;

namespace Radiant.Tests.Training;

/// <summary>The reference's periodic opacity reset, and why a short run must not end on one.</summary>
public class OpacityResetTests
{
    /// <summary>
    /// A reset at iteration 20 caps every opacity at 0.01 when the run goes on long enough to recover
    /// (30 iterations, warm-up 5), and is skipped when the run ends there (20 iterations): otherwise a
    /// run whose length is a multiple of the reset interval ends nearly transparent. (Black background:
    /// with a white one the reference also resets at the end of the warm-up.)
    /// </summary>
    [Fact]
    public void A_reset_happens_only_when_iterations_remain_to_recover_from_it()
    {
        TrainingView view = MultiscaleEvaluatorTests.BlobsView(40, 32, 200);

        float MaxOpacityAfter20(int iterations)
        {
            var options = new TrainingOptions
            {
                Iterations = iterations, ShDegree = 0, AntiAlias = false,
                DensifyFrom = 5, DensifyInterval = 1_000, OpacityResetInterval = 20,
            };
            var trainer = new Trainer(MultiscaleEvaluatorTests.Blobs(200, 3), [view], 4, [0, 0, 0], options);
            for (int i = 0; i < 20; i++) trainer.Step();
            return trainer.Gaussians.OpacityLogits.Max(GaussianSet.Sigmoid);
        }

        float afterReset = MaxOpacityAfter20(30);
        Assert.True(afterReset <= 0.0101f, $"max opacity {afterReset}");   // reset at 20, 10 iterations left
        Assert.True(MaxOpacityAfter20(20) > 0.2f);       // the blobs start at 0.3–0.8 and keep them
    }
}
