using System.Globalization;
using Radiant.Data;
using Radiant.Mathematics;
using Radiant.Model;
using Radiant.Tests.Data;
using Radiant.Tests.Support;
using Radiant.Training;

namespace Radiant.Tests.Training;

/// <summary>
/// The random start of a dataset without points (NeRF-synthetic): the reference's cube [−1.3, 1.3]³
/// about the object, for cameras on an upper hemisphere of radius 4.031 as NeRF-synthetic's train views.
/// </summary>
public class RandomInitTests
{
    /// <summary>60 cameras uniform over the upper hemisphere of radius 4.031 (z uniform in [0, r], so their mean centre is half a radius up), all looking at the origin.</summary>
    private static void HemisphereScene(TempDir dir, bool alpha)
    {
        const int views = 60;
        const double radius = 4.031;
        var frames = new List<string>();
        for (int i = 0; i < views; i++)
        {
            double z = radius * (i + 0.5) / views, ring = Math.Sqrt(radius * radius - z * z), azimuth = 2.399963 * i;
            var position = new Vec3(ring * Math.Cos(azimuth), ring * Math.Sin(azimuth), z);
            BlenderTestScene.WritePng(dir.File("train", $"r_{i}.png"), BlenderTestScene.MakeImage(8, 8, alpha, i));
            frames.Add($"{{\"file_path\": \"./train/r_{i}\", \"transform_matrix\": {BlenderTestScene.Matrix(BlenderTestScene.LookAt(position))}}}");
        }
        File.WriteAllText(dir.File("transforms_train.json"),
            $"{{\"camera_angle_x\": {BlenderTestScene.AngleX.ToString("R", CultureInfo.InvariantCulture)}, \"frames\": [{string.Join(",", frames)}]}}");
    }

    [Fact]
    public void Random_points_fill_the_reference_cube_about_the_object_the_hemisphere_cameras_look_at()
    {
        using var dir = new TempDir("random-init");
        HemisphereScene(dir, alpha: true);
        Dataset ds = DatasetLoader.Load(dir.Path);
        var settings = new TrainingRunSettings { DataPath = dir.Path, Init = "random:20000", Options = new TrainingOptions() };

        GaussianSet g = TrainingSession.Initialise(ds, settings, out string how);
        Assert.Equal(20_000, g.Count);
        for (int axis = 0; axis < 3; axis++)
        {
            var values = Enumerable.Range(0, g.Count).Select(i => g.Means[3 * i + axis]).ToList();
            // 0.325 × 4.031 = 1.31 either side of the origin (the reference: 1.3), not about the cameras' centroid (z = 2.0).
            Assert.InRange(values.Min(), -1.32, -1.28);
            Assert.InRange(values.Max(), 1.28, 1.32);
            Assert.InRange(values.Average(), -0.03, 0.03);
        }
        Assert.Contains("half-size 1.31", how);
        // In Morton order (neighbours in memory are neighbours in space), the order training keeps.
        Assert.Equal(Enumerable.Range(0, g.Count), MortonOrder.Of(g.Means, g.Count));
    }

    [Fact]
    public void Opaque_photos_put_half_the_points_in_a_cube_of_three_camera_extents_about_the_cameras()
    {
        using var dir = new TempDir("random-init");
        HemisphereScene(dir, alpha: false);
        Dataset ds = DatasetLoader.Load(dir.Path);
        Assert.False(ds.HasAlpha);
        var (cameraCenter, radius) = ds.CameraExtent();
        var settings = new TrainingRunSettings { DataPath = dir.Path, Init = "random:20000", Options = new TrainingOptions() };

        GaussianSet g = TrainingSession.Initialise(ds, settings, out string how);
        Assert.Equal(20_000, g.Count);
        int inside = 0;
        for (int i = 0; i < g.Count; i++)
        {
            var p = new Vec3(g.Means[3 * i], g.Means[3 * i + 1], g.Means[3 * i + 2]);
            if (Math.Abs(p.X) <= 1.32 && Math.Abs(p.Y) <= 1.32 && Math.Abs(p.Z) <= 1.32) inside++;
            Vec3 d = p - cameraCenter;
            Assert.True(Math.Max(Math.Abs(d.X), Math.Max(Math.Abs(d.Y), Math.Abs(d.Z))) <= 3 * radius + 1e-3, $"point {i} at {p}");
        }
        // 10,000 in the object's cube, and of the 10,000 in the big cube the share that falls into the small one.
        double smallShare = Math.Pow(2 * 1.31 / (6 * radius), 3);
        Assert.InRange(inside, 10_000 + 10_000 * smallShare - 100, 10_000 + 10_000 * smallShare + 100);
        Assert.Contains("10000 in a cube of half-size", how);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Forward_facing_cameras_start_from_random_points_in_their_views_not_about_their_centroid(bool withBounds)
    {
        // LLFF-like: a 4 × 3 grid of cameras 0.2 apart in the plane z = 0, all looking along +z with
        // slight turns (their axes meet nowhere), with the dataset's near and far bounds or without.
        const double near = 2, far = 30;
        var cameras = new List<Camera>();
        for (int i = 0; i < 12; i++)
        {
            double yaw = 0.03 * (i % 4 - 1.5), pitch = 0.02 * (i / 4 - 1);
            Mat3 rotation = new Mat3(Math.Cos(yaw), 0, -Math.Sin(yaw), 0, 1, 0, Math.Sin(yaw), 0, Math.Cos(yaw))
                          * new Mat3(1, 0, 0, 0, Math.Cos(pitch), Math.Sin(pitch), 0, -Math.Sin(pitch), Math.Cos(pitch));
            var position = new Vec3(0.2 * (i % 4), 0.2 * (i / 4), 0);
            cameras.Add(new Camera
            {
                Name = $"c{i}", Width = 40, Height = 30, Fx = 35, Fy = 35, Cx = 20, Cy = 15,
                Rotation = rotation, Translation = -(rotation * position), ImagePath = $"c{i}.png",
                Near = withBounds ? near : null, Far = withBounds ? far : null,
            });
        }
        var ds = new Dataset { Format = "llff", Root = "unused", Train = cameras, Test = [] };
        var settings = new TrainingRunSettings { DataPath = "unused", Init = "random:20000", Options = new TrainingOptions() };

        GaussianSet g = TrainingSession.Initialise(ds, settings, out string how);
        Assert.Equal(20_000, g.Count);
        // Without bounds: 2 to 50 times the cameras' RMS distance from their centroid.
        double spread = Math.Sqrt(0.2 * 0.2 * (1.25 + 2.0 / 3));
        (double lo, double hi) = withBounds ? (near, far) : (2 * spread, 50 * spread);
        Assert.Contains(withBounds ? "between their near and far bounds" : $"at depths {lo:0.###} to {hi:0.###}", how);
        var depths = new List<double>();
        for (int i = 0; i < g.Count; i++)
        {
            var p = new Vec3(g.Means[3 * i], g.Means[3 * i + 1], g.Means[3 * i + 2]);
            // In the view of some camera, at a depth within the bounds (float rounding aside).
            bool seen = cameras.Any(c =>
            {
                Vec3 q = c.Rotation * p + c.Translation;
                double u = c.Fx * q.X / q.Z + c.Cx, v = c.Fy * q.Y / q.Z + c.Cy;
                return q.Z >= lo * (1 - 1e-5) && q.Z <= hi * (1 + 1e-5) && u >= -1e-3 && u <= c.Width + 1e-3 && v >= -1e-3 && v <= c.Height + 1e-3;
            });
            Assert.True(seen, $"point {i} at {p} is in no camera's view between depths {lo} and {hi}");
            depths.Add(p.Z);
        }
        // Uniform in inverse depth: the median depth is the harmonic mean of the bounds (2·lo·hi/(lo + hi)), not their middle.
        depths.Sort();
        Assert.InRange(depths[depths.Count / 2], 0.9 * 2 * lo * hi / (lo + hi), 1.1 * 2 * lo * hi / (lo + hi));
    }

    [Fact]
    public void A_far_shell_adds_its_points_on_the_sphere_about_the_cameras_and_is_refused_for_transparent_photos()
    {
        using var dir = new TempDir("random-init");
        HemisphereScene(dir, alpha: false);
        Dataset ds = DatasetLoader.Load(dir.Path);
        var (cameraCenter, radius) = ds.CameraExtent();
        var settings = new TrainingRunSettings { DataPath = dir.Path, Init = "random:2000", Options = new TrainingOptions { FarShell = 500, FarShellRadius = 8 } };

        GaussianSet g = TrainingSession.Initialise(ds, settings, out string how);
        Assert.Equal(2500, g.Count);
        int onShell = Enumerable.Range(0, g.Count).Count(i =>
            Math.Abs((new Vec3(g.Means[3 * i], g.Means[3 * i + 1], g.Means[3 * i + 2]) - cameraCenter).Length - 8 * radius) < 1e-3 * radius);
        Assert.Equal(500, onShell);
        Assert.Contains("and 500 on a sphere of radius 8 × the cameras' extent about their centre (--far-shell)", how);
        Assert.All(Enumerable.Range(0, 3 * g.Count), k => Assert.Equal(g.Sh[0], g.Sh[48 * (k / 3) + k % 3]));   // all grey: no photos given

        // Given the training views, the shell points they see take their colours; the same points, in the same order.
        GaussianSet coloured = TrainingSession.Initialise(ds, settings, out how, TrainingViews.Load(ds, ds.Train));
        var match = System.Text.RegularExpressions.Regex.Match(how, @"\(--far-shell; (\d+) of them seen in the photos, coloured from them\)");
        Assert.True(match.Success, how);
        int seen = int.Parse(match.Groups[1].Value);
        Assert.InRange(seen, 1, 499);
        Assert.Equal(g.Means, coloured.Means);
        Assert.Equal(seen, Enumerable.Range(0, coloured.Count).Count(i => Enumerable.Range(0, 3).Any(c => coloured.Sh[48 * i + c] != g.Sh[48 * i + c])));

        using var transparent = new TempDir("random-init");
        HemisphereScene(transparent, alpha: true);
        var e = Assert.Throws<RadiantException>(() => TrainingSession.Initialise(DatasetLoader.Load(transparent.Path), settings with { DataPath = transparent.Path }, out _));
        Assert.Contains("--far-shell is for opaque photos", e.Message);
    }
}
