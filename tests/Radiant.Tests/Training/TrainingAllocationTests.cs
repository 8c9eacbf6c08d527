using Radiant.Tests.Evaluation;
using Radiant.Tests.Support;
using Radiant.Training;

namespace Radiant.Tests.Training;

/// <summary>After warm-up a training step allocates nothing: no garbage for the collector, no fresh pages.</summary>
public class TrainingAllocationTests
{
    [Fact]
    public void A_training_step_allocates_nothing_after_warm_up()
    {
        // 30k Gaussians at 200×160: large enough that Adam and SSIM run on all cores.
        // (Parallel.For in Adam and SSIM allocated kilobytes per step here.)
        double perStep = BytesPerStep(MultiscaleEvaluatorTests.BlobsView(200, 160, 30000));
        Assert.True(perStep < 8, $"a step allocated {perStep:F0} bytes");
    }

    [Fact]
    public void Views_of_different_sizes_reuse_their_buffers()
    {
        // Multiscale data and mixed portrait and landscape photos alternate image sizes; the renderer
        // made its output images anew at every change of size (here 640 kB a step).
        double perStep = BytesPerStep(MultiscaleEvaluatorTests.BlobsView(200, 160, 30000), MultiscaleEvaluatorTests.BlobsView(100, 80, 30000),
                                      MultiscaleEvaluatorTests.BlobsView(80, 100, 30000));
        Assert.True(perStep < 8, $"a step allocated {perStep:F0} bytes");
    }

    [Fact]
    public void A_step_with_exposure_correction_allocates_nothing_after_warm_up()
    {
        // 320×240: above the size at which the correction runs on the kernel workers.
        double perStep = BytesPerStep(exposure: true, MultiscaleEvaluatorTests.BlobsView(320, 240, 30000));
        Assert.True(perStep < 8, $"a step allocated {perStep:F0} bytes");
    }

    [Fact]
    public void A_step_with_pose_correction_allocates_nothing_after_warm_up()
    {
        double perStep = BytesPerStep(TrainingOptionsWith(poseOpt: true), MultiscaleEvaluatorTests.BlobsView(200, 160, 30000), MultiscaleEvaluatorTests.BlobsView(200, 160, 30000));
        Assert.True(perStep < 8, $"a step allocated {perStep:F0} bytes");
    }

    private static double BytesPerStep(params TrainingView[] views) => BytesPerStep(exposure: false, views);

    private static double BytesPerStep(bool exposure, params TrainingView[] views) => BytesPerStep(TrainingOptionsWith(exposure: exposure), views);

    private static TrainingOptions TrainingOptionsWith(bool exposure = false, bool poseOpt = false) =>
        new() { Iterations = 1000, ShDegree = 0, DensifyFrom = 10_000, DensifyUntil = 10_000, Exposure = exposure, PoseOpt = poseOpt };

    /// <summary>
    /// The calling thread's own allocations (other tests run in parallel) per step, the fewest of three
    /// windows of 8 steps, after 10 steps of warm-up (every view seen: the view order is shuffled per
    /// pass over the views).
    /// </summary>
    private static double BytesPerStep(TrainingOptions options, params TrainingView[] views)
    {
        var trainer = new Trainer(MultiscaleEvaluatorTests.Blobs(30000, 3), views, 4, [0, 0, 0], options);
        for (int i = 0; i < 10; i++) trainer.Step();
        return AllocationProbe.FewestOnThisThread(() => { for (int i = 0; i < 8; i++) trainer.Step(); }) / 8.0;
    }
}
