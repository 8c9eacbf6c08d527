using Radiant.Training;
using Radiant.Tests.Evaluation;

namespace Radiant.Tests.Training;

/// <summary>After warm-up a training step allocates (almost) nothing: no garbage per step for the collector.</summary>
public class TrainingAllocationTests
{
    [Fact]
    public void A_training_step_allocates_almost_nothing_after_warm_up()
    {
        // 30k Gaussians at 200×160: large enough that Adam and SSIM run on all cores.
        TrainingView view = MultiscaleEvaluatorTests.BlobsView(200, 160, 30000);
        var options = new TrainingOptions { Iterations = 1000, ShDegree = 0, DensifyFrom = 10_000, DensifyUntil = 10_000 };
        var trainer = new Trainer(MultiscaleEvaluatorTests.Blobs(30000, 3), [view], 4, [0, 0, 0], options);
        for (int i = 0; i < 10; i++) trainer.Step();

        // The calling thread's own allocations (other tests run in parallel); Parallel.For in Adam
        // and SSIM allocated kilobytes per step here.
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 20; i++) trainer.Step();
        double perStep = (GC.GetAllocatedBytesForCurrentThread() - before) / 20.0;
        Assert.True(perStep < 256, $"a step allocated {perStep:F0} bytes");
    }
}
