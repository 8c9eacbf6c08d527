using Radiant.Benchmarks;

using static Radiant.Tests.Support.CliRunner;

namespace Radiant.Tests.Cli;

/// <summary>`radiant bench` on the random scenes.</summary>
public class CliBenchTests
{
    [Fact]
    public void Camera_distance_puts_the_camera_inside_the_random_scene()
    {
        // At the cube's face most of the cube is behind or beside the camera, and what is in view is
        // near it: fewer visible Gaussians, each on more tiles.
        var outside = RendererBenchmark.Run(20_000, 256, 256, iterations: 3);
        var inside = RendererBenchmark.Run(20_000, 256, 256, iterations: 3, cameraDistance: 1.3f);
        Assert.True(outside.Visible > 19_000, $"{outside.Visible} visible from outside");
        Assert.True(inside.Visible < 0.6 * outside.Visible, $"{inside.Visible} visible from the face, {outside.Visible} from outside");
        Assert.True(inside.IntersectionsPerVisible > 2 * outside.IntersectionsPerVisible,
            $"tiles per visible {inside.IntersectionsPerVisible:0.00} from the face, {outside.IntersectionsPerVisible:0.00} from outside");
    }

    [Fact]
    public void Camera_distance_is_checked_and_refused_where_it_does_not_apply()
    {
        var negative = Run("bench", "--only", "64x2000", "--camera-distance", "-1");
        Assert.Equal(1, negative.Code);
        Assert.Contains("--camera-distance: must be between 0 and 1000 (found -1)", negative.Err);
        var withAntialias = Run("bench", "--antialias", "--camera-distance", "2");
        Assert.Equal(1, withAntialias.Code);
        Assert.Contains("--camera-distance applies to the random scenes only", withAntialias.Err);
    }
}
