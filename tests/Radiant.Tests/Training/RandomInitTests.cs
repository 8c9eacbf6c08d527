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
    [Fact]
    public void Random_points_fill_the_reference_cube_about_the_object_the_hemisphere_cameras_look_at()
    {
        using var dir = new TempDir("random-init");
        const int views = 60;
        const double radius = 4.031;
        var frames = new List<string>();
        for (int i = 0; i < views; i++)
        {
            // Uniform over the upper hemisphere (z uniform in [0, r]): the mean camera centre is half a radius up.
            double z = radius * (i + 0.5) / views, ring = Math.Sqrt(radius * radius - z * z), azimuth = 2.399963 * i;
            var position = new Vec3(ring * Math.Cos(azimuth), ring * Math.Sin(azimuth), z);
            BlenderTestScene.WritePng(dir.File("train", $"r_{i}.png"), BlenderTestScene.MakeImage(8, 8, alpha: false, i));
            frames.Add($"{{\"file_path\": \"./train/r_{i}\", \"transform_matrix\": {BlenderTestScene.Matrix(BlenderTestScene.LookAt(position))}}}");
        }
        File.WriteAllText(dir.File("transforms_train.json"),
            $"{{\"camera_angle_x\": {BlenderTestScene.AngleX.ToString("R", CultureInfo.InvariantCulture)}, \"frames\": [{string.Join(",", frames)}]}}");
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
}
