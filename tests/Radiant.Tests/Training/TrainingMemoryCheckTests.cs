using Radiant.Data;
using Radiant.Mathematics;
using Radiant.Training;

namespace Radiant.Tests.Training;

/// <summary>Training views that cannot fit in memory are refused before any image is decoded, naming the --downscale that fits.</summary>
public class TrainingMemoryCheckTests
{
    private static Camera Photo(int width, int height, string? mask = null) => new()
    {
        Name = "p.jpg", Width = width, Height = height, Fx = width, Fy = width, Cx = width / 2.0, Cy = height / 2.0,
        Rotation = Mat3.Identity, Translation = new Vec3(0, 0, 4), ImagePath = "p.jpg", MaskPath = mask,
    };

    [Fact]
    public void Full_size_photos_beyond_half_the_memory_are_one_error_naming_the_factor_that_fits()
    {
        // 185 photos of 5187×3361 (mip-NeRF 360 garden at full size): 19.4 GB in 16-bit RGB.
        var cameras = Enumerable.Repeat(Photo(5187, 3361), 185).ToList();
        var e = Assert.Throws<RadiantException>(() => TrainingViews.EnsureFitInMemory(cameras, "/data/garden", downscale: 1, availableBytes: 24_000_000_000));
        Assert.Equal("/data/garden: the 185 training images (5187x3361) need 19.4 GB in memory, more than half of the 24.0 GB available; " +
                     "train at --downscale 2 (4.8 GB)", e.Message);

        // Already reduced by 2 but on a smaller machine: the factor multiplies the current one.
        var reduced = Enumerable.Repeat(Photo(2594, 1681), 185).ToList();
        e = Assert.Throws<RadiantException>(() => TrainingViews.EnsureFitInMemory(reduced, "/data/garden", downscale: 2, availableBytes: 8_000_000_000));
        Assert.EndsWith("train at --downscale 4 (1.2 GB)", e.Message);
    }

    [Fact]
    public void Views_within_half_the_memory_pass_and_masks_count()
    {
        var cameras = Enumerable.Repeat(Photo(800, 800), 100).ToList();   // 0.38 GB in 16-bit RGB
        TrainingViews.EnsureFitInMemory(cameras, "lego", 1, availableBytes: 1_000_000_000);
        var masked = Enumerable.Repeat(Photo(800, 800, "m.png"), 100).ToList();   // 0.51 GB with the mask planes
        Assert.Throws<RadiantException>(() => TrainingViews.EnsureFitInMemory(masked, "lego", 1, availableBytes: 1_000_000_000));
    }
}
