using System.Text.Json;
using Radiant.Data;
using Radiant.Mathematics;
using Radiant.Tests.Support;
using Radiant.Training;
using Xunit;
using Xunit.Abstractions;

namespace Radiant.Tests.EndToEnd;

/// <summary>
/// A NeRF-synthetic-style dataset that Radiant did not render: tools/threejs-scene/make.mjs draws
/// third-party assets (pmndrs' Suzanne with a normal map, the Stanford bunny in gold, lit by a
/// forest HDRI) with three.js in headless Chromium, once for the class, at 128×128.
/// </summary>
public sealed class ThreeJsScene : IDisposable
{
    private readonly TempDir _dir = new("threejs");
    public string Path { get; }

    public ThreeJsScene()
    {
        string tool = System.IO.Path.Combine(RepositoryRoot.Path, "tools", "threejs-scene");
        if (!Directory.Exists(System.IO.Path.Combine(tool, "node_modules", "three")))
            throw new InvalidOperationException($"{tool}/node_modules is missing: run scripts/setup (npm ci in tools/threejs-scene)");
        Path = _dir.File("scene");
        var (code, stdout, stderr) = ExternalTool.Run("node", [System.IO.Path.Combine(tool, "make.mjs"), Path, "--size", "128", "--train", "40", "--val", "2", "--test", "8"], timeoutMs: 240_000);
        if (code != 0) throw new InvalidOperationException($"make.mjs failed ({code}): {stderr} {System.Text.Encoding.UTF8.GetString(stdout)}");
    }

    public void Dispose() => _dir.Dispose();
}

public class ThreeJsSceneTests(ThreeJsScene scene, ITestOutputHelper output) : IClassFixture<ThreeJsScene>
{
    /// <summary>
    /// The Blender reader's cameras put world points where three.js drew them: make.mjs records,
    /// for every view, three.js's projection of seven points (the origin, the base's rim, points in
    /// the objects), and Radiant's pinhole model of the same transforms_*.json frame must give the
    /// same pixel. A flipped axis, a transposed matrix or a half-pixel shift in the reader fails.
    /// </summary>
    [Fact]
    public void Blender_cameras_project_world_points_where_threejs_drew_them()
    {
        Dataset dataset = DatasetLoader.Load(scene.Path);
        Assert.Equal((40, 2, 8), (dataset.Train.Count, dataset.Val.Count, dataset.Test.Count));
        double worst = 0;
        int checkedPoints = 0;
        foreach (string split in new[] { "train", "val", "test" })
        {
            using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(System.IO.Path.Combine(scene.Path, $"projections_{split}.json")));
            foreach (JsonElement view in doc.RootElement.EnumerateArray())
            {
                string image = System.IO.Path.GetFullPath(System.IO.Path.Combine(scene.Path, view.GetProperty("file_path").GetString()! + ".png"));
                Camera camera = dataset.Split(split).Single(c => System.IO.Path.GetFullPath(c.ImagePath) == image);
                JsonElement[] points = [.. view.GetProperty("points").EnumerateArray()], pixels = [.. view.GetProperty("pixels").EnumerateArray()];
                for (int k = 0; k < points.Length; k++)
                {
                    var world = new Vec3(points[k][0].GetDouble(), points[k][1].GetDouble(), points[k][2].GetDouble());
                    Vec3 p = camera.Rotation * world + camera.Translation;   // OpenCV camera axes: x right, y down, z forward
                    Assert.True(p.Z > 0, $"{image}: point {k} behind the camera");
                    double u = camera.Fx * p.X / p.Z + camera.Cx, v = camera.Fy * p.Y / p.Z + camera.Cy;
                    worst = Math.Max(worst, Math.Max(Math.Abs(u - pixels[k][0].GetDouble()), Math.Abs(v - pixels[k][1].GetDouble())));
                    checkedPoints++;
                }
            }
        }
        output.WriteLine($"{checkedPoints} projections, largest difference {worst:g3} px");
        Assert.Equal(50 * 7, checkedPoints);
        Assert.True(worst < 1e-3, $"Radiant's cameras put a point {worst:g3} px from where three.js drew it");
    }

    /// <summary>
    /// Training on three.js's renders (RGBA over the white background, physically based shading
    /// with the forest's reflections in the gold bunny) reaches the measured quality on the
    /// sample-scene tests' compressed 2,000-iteration schedule.
    /// </summary>
    [Fact]
    public void Training_on_the_threejs_scene_reaches_the_measured_quality()
    {
        using var dir = new TempDir("threejs-train");
        var settings = new TrainingRunSettings
        {
            DataPath = scene.Path,
            Init = "random:20000",
            CheckpointEvery = 0,
            Options = QualitySchedule.Options,
        };
        TrainingSummary trained = TrainingSession.Run(settings, dir.File("run"), new QuietObserver());
        TrainingSummary untrained = TrainingSession.Run(settings with { Options = settings.Options with { Iterations = 1 } }, dir.File("untrained"), new QuietObserver());
        output.WriteLine($"test PSNR {trained.TestPsnr:0.00} dB, SSIM {trained.TestSsim:0.0000}, {trained.Gaussians} Gaussians, {trained.TrainingSeconds:0.0} s; untrained {untrained.TestPsnr:0.00} dB");
        Assert.True(trained.TestPsnr > untrained.TestPsnr + 10, "training gained less than 10 dB");
        // Measured on the development machine: 33.38 dB, SSIM 0.9858, 26,863 Gaussians.
        Assert.True(trained.TestPsnr > 31.5, $"test PSNR {trained.TestPsnr:0.00} dB is below the measured level (33.4 dB)");
        Assert.True(trained.TestSsim > 0.97, $"test SSIM {trained.TestSsim:0.0000} is below the measured level (0.986)");
    }
}
