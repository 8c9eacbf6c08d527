using Radiant.CameraPaths;
using Radiant.Mathematics;

namespace Radiant.Tests.CameraPaths;

public class SceneFramingTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly Vec3 Centre = new(1.5, -0.7, 2.0);

    /// <summary>Cameras scattered around <see cref="Centre"/> at distances 3–5, each aimed slightly off it.</summary>
    private static List<CameraPose> CamerasAround(Vec3 up, double aimError, int seed = 3)
    {
        var rng = new Random(seed);
        var poses = new List<CameraPose>();
        for (int i = 0; i < 30; i++)
        {
            double azimuth = 2 * Math.PI * rng.NextDouble(), elevation = 0.1 + 0.8 * rng.NextDouble(), r = 3 + 2 * rng.NextDouble();
            Vec3 a = AnyPerpendicular(up), b = up.Cross(a);
            Vec3 position = Centre + ((a * Math.Cos(azimuth) + b * Math.Sin(azimuth)) * Math.Cos(elevation) + up * Math.Sin(elevation)) * r;
            var aim = new Vec3(rng.NextDouble() - 0.5, rng.NextDouble() - 0.5, rng.NextDouble() - 0.5) * (2 * aimError);
            poses.Add(CameraPose.LookAt(position, Centre + aim, up, 40));
        }
        return poses;
    }

    private static Vec3 AnyPerpendicular(Vec3 v) => v.Cross(Math.Abs(v.X) < 0.9 ? new Vec3(1, 0, 0) : new Vec3(0, 1, 0)).Normalized();

    [Fact]
    public void Centre_and_up_are_recovered_from_cameras_aimed_at_a_known_point()
    {
        Vec3 up = new Vec3(0.2, -0.1, 1).Normalized();
        SceneFrame exact = SceneFraming.Estimate(CamerasAround(up, 0));
        Assert.True(exact.CenterFromAxes);
        Assert.True((exact.Center - Centre).Length < 1e-9, $"centre {exact.Center}");
        // Cameras aimed within ±0.1 of the centre: the least-squares point stays within that error (measured 0.018).
        SceneFrame noisy = SceneFraming.Estimate(CamerasAround(up, 0.1));
        Assert.True((noisy.Center - Centre).Length < 0.1, $"centre {noisy.Center}");
        // Image-up vectors of cameras looking down at the centre tilt towards it; their mean is the up axis
        // only when the azimuths are spread evenly. These 30 random azimuths: measured 0.068 rad off.
        double upError = Math.Acos(Math.Clamp(exact.Up.Dot(up), -1, 1));
        output.WriteLine($"up off by {upError:0.0000} rad, noisy centre off by {(noisy.Center - Centre).Length:0.0000}");
        Assert.True(upError < 0.15);
        Assert.InRange(exact.Radius, 3, 5);
    }

    [Fact]
    public void Parallel_axes_fall_back_to_the_camera_centroid()
    {
        var up = new Vec3(0, 0, 1);
        List<CameraPose> poses = Enumerable.Range(0, 5)
            .Select(i => CameraPose.LookAt(new Vec3(i, 0, 0), new Vec3(i, 10, 0), up, 40)).ToList();
        SceneFrame frame = SceneFraming.Estimate(poses);
        Assert.False(frame.CenterFromAxes);
        Assert.True((frame.Center - new Vec3(2, 0, 0)).Length < 1e-12);
        Assert.Null(SceneFraming.NearestPointToAxes(poses.Select(p => (p.Position, p.Forward)).ToList()));
    }

    [Fact]
    public void A_given_centre_is_used_as_is()
    {
        var given = new Vec3(9, 9, 9);
        SceneFrame frame = SceneFraming.Estimate(CamerasAround(new Vec3(0, 0, 1), 0), given);
        Assert.Equal(given, frame.Center);
        Assert.False(frame.CenterFromAxes);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Orbits_and_spirals_look_at_the_centre_from_the_requested_distance(bool spiral)
    {
        var up = new Vec3(0, 0, 1);
        SceneFrame frame = SceneFraming.Estimate(CamerasAround(up, 0));
        IReadOnlyList<Keyframe> keys = spiral
            ? OrbitPaths.Spiral(frame, 48, 2.5, 20, 35, 24)
            : OrbitPaths.Orbit(frame, 48, 2.5, 20, 35, 24);
        Assert.Equal(48, keys.Count);
        double minElevation = 90, maxElevation = -90;
        for (int i = 0; i < keys.Count; i++)
        {
            CameraPose p = keys[i].Pose;
            Vec3 toCentre = frame.Center - p.Position;
            Assert.Equal(2.5, toCentre.Length, 9);
            Assert.True((p.Forward - toCentre.Normalized()).Length < 1e-9);
            Assert.True(p.Up.Dot(frame.Up) > 0, "image up points along the scene's up");
            Assert.Equal(i / 24.0, keys[i].Time!.Value, 12);
            double elevation = Math.Asin(-toCentre.Normalized().Dot(frame.Up)) * 180 / Math.PI;
            minElevation = Math.Min(minElevation, elevation);
            maxElevation = Math.Max(maxElevation, elevation);
        }
        if (spiral) { Assert.Equal(20 - OrbitPaths.SpiralAmplitudeDegrees, minElevation, 6); Assert.True(maxElevation > 34); }
        else { Assert.Equal(20, minElevation, 9); Assert.Equal(20, maxElevation, 9); }
    }
}
