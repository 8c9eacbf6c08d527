using System.Text.Json;
using Radiant.Data;
using Radiant.Imaging;
using Radiant.Mathematics;
using Radiant.Sample;
using Radiant.Tests.Support;

namespace Radiant.Tests.Sample;

/// <summary>The files <see cref="SampleScene.Write"/> produces: NeRF-synthetic layout, JSON fields, PNG format, determinism, caching.</summary>
public sealed class SampleSceneLayoutTests(SmallSampleScene scene) : IClassFixture<SmallSampleScene>
{
    private static readonly SampleSceneOptions Options = SmallSampleScene.Options;

    [Fact]
    public void Writing_twice_gives_identical_bytes()
    {
        using var other = new TempDir("sample2");
        SampleScene.Write(other.Path, Options);
        string[] first = RelativeFiles(scene.Root), second = RelativeFiles(other.Path);
        Assert.Equal(first, second);
        Assert.Equal(4 + 3 + 3, first.Length); // 7 PNGs and 3 transforms files
        foreach (string rel in first)
            Assert.True(File.ReadAllBytes(Path.Combine(scene.Root, rel)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(other.Path, rel))), rel);
    }

    [Fact]
    public void Pose_jitter_moves_the_recorded_training_poses_and_keeps_every_image_and_the_test_poses()
    {
        using var jittered = new TempDir("sample-pose-jitter");
        SampleScene.Write(jittered.Path, Options with { PoseJitter = 1 });
        // Every image is rendered from the true pose: the same bytes as the scene without jitter.
        foreach (string rel in RelativeFiles(scene.Root).Where(f => f.EndsWith(".png", StringComparison.Ordinal)))
            Assert.True(File.ReadAllBytes(Path.Combine(scene.Root, rel)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(jittered.Path, rel))), rel);
        Dataset truth = DatasetLoader.Load(scene.Root), moved = DatasetLoader.Load(jittered.Path);
        var angles = new List<double>();
        foreach (var (t, m) in truth.Train.Zip(moved.Train))
        {
            Mat3 relative = m.Rotation * t.Rotation.Transposed();
            angles.Add(Math.Acos(Math.Clamp((relative.M00 + relative.M11 + relative.M22 - 1) / 2, -1, 1)) * 180 / Math.PI);
            double shift = (m.Center - t.Center).Length;
            // 1° per axis: rotations of about 1.6°, centres moved by about 1.6° of arc at the camera distance (4).
            Assert.InRange(shift, 1e-4, 5 * 4 * Math.PI / 180);
        }
        Assert.All(angles, a => Assert.InRange(a, 1e-3, 5));
        Assert.InRange(angles.Average(), 0.8, 2.5);
        foreach (var (t, m) in truth.Test.Zip(moved.Test))
        {
            Assert.Equal(t.Center, m.Center);
            for (int r = 0; r < 3; r++) Assert.Equal(t.Rotation.Row(r), m.Rotation.Row(r));
        }
    }

    [Fact]
    public void Exposure_jitter_scales_each_training_photo_over_white_by_gains_of_its_own_and_keeps_the_test_views()
    {
        using var jittered = new TempDir("sample-jitter");
        SampleScene.Write(jittered.Path, Options with { ExposureJitter = 0.3 });
        var gains = new List<double[]>();
        foreach (Camera camera in SampleScene.Cameras(Options, "train"))
        {
            Image photo = ImageIO.Load(Path.Combine(jittered.Path, camera.ImagePath));
            Image truth = ImageIO.Load(Path.Combine(scene.Root, camera.ImagePath)).CompositeOver(1, 1, 1);
            Assert.Equal(4, photo.Channels);
            Assert.All(photo.ReadPlane(3).ToArray(), a => Assert.Equal(1, a));
            // Per channel, photo = clamp(gain · truth): one gain over the pixels (8-bit rounding aside).
            var gain = new double[3];
            for (int c = 0; c < 3; c++)
            {
                var ratios = new List<double>();
                ReadOnlySpan<float> p = photo.ReadPlane(c), t = truth.ReadPlane(c);
                for (int i = 0; i < p.Length; i++)
                    if (t[i] > 0.3 && p[i] > 0.1 && p[i] < 0.95) ratios.Add(p[i] / t[i]);
                Assert.True(ratios.Count > 20, "enough unclipped pixels");
                gain[c] = ratios.Average();
                Assert.All(ratios, r => Assert.Equal(gain[c], r, 0.02 * gain[c] + 0.01));
            }
            gains.Add(gain);
        }
        Assert.Contains(gains, g => Math.Abs(g[0] - 1) > 0.05);
        Assert.NotEqual(gains[0][0], gains[1][0], 0.01);
        foreach (Camera camera in SampleScene.Cameras(Options, "test"))
            Assert.True(File.ReadAllBytes(Path.Combine(jittered.Path, camera.ImagePath)).AsSpan()
                .SequenceEqual(File.ReadAllBytes(Path.Combine(scene.Root, camera.ImagePath))), camera.ImagePath);
    }

    [Fact]
    public void Render_does_not_depend_on_thread_count()
    {
        Camera camera = SampleScene.Cameras(Options with { Width = 48, Height = 40 }, "train")[1];
        Image one = SceneRenderer.Render(camera, 2, maxThreads: 1);
        Image many = SceneRenderer.Render(camera, 2, maxThreads: -1);
        Image two = SceneRenderer.Render(camera, 2, maxThreads: 2);
        Assert.True(one.Data.AsSpan().SequenceEqual(many.Data));
        Assert.True(one.Data.AsSpan().SequenceEqual(two.Data));
    }

    [Theory]
    [InlineData("train", 4, "train")]
    [InlineData("test", 3, "test")]
    [InlineData("val", 2, "test")]
    public void Transforms_have_nerf_synthetic_fields(string split, int count, string folder)
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(scene.Root, $"transforms_{split}.json")));
        JsonElement root = doc.RootElement;
        Assert.Equal(Options.CameraAngleX, root.GetProperty("camera_angle_x").GetDouble());
        JsonElement frames = root.GetProperty("frames");
        Assert.Equal(count, frames.GetArrayLength());
        for (int i = 0; i < count; i++)
        {
            JsonElement frame = frames[i];
            Assert.Equal($"./{folder}/r_{i}", frame.GetProperty("file_path").GetString());
            JsonElement m = frame.GetProperty("transform_matrix");
            Assert.Equal(4, m.GetArrayLength());
            for (int r = 0; r < 4; r++) Assert.Equal(4, m[r].GetArrayLength());
            Assert.Equal([0.0, 0.0, 0.0, 1.0], Enumerable.Range(0, 4).Select(c => m[3][c].GetDouble()));

            var rotation = new Mat3(m[0][0].GetDouble(), m[0][1].GetDouble(), m[0][2].GetDouble(),
                m[1][0].GetDouble(), m[1][1].GetDouble(), m[1][2].GetDouble(), m[2][0].GetDouble(), m[2][1].GetDouble(), m[2][2].GetDouble());
            var position = new Vec3(m[0][3].GetDouble(), m[1][3].GetDouble(), m[2][3].GetDouble());
            Assert.True(rotation.RotationError() < 1e-12);
            Assert.Equal(Options.CameraDistance, position.Length, 1e-12);
            // OpenGL: the camera looks down its −z axis, which must point at the origin; its y axis is up-ish (no roll).
            Vec3 forward = -rotation.Column(2);
            Assert.True(forward.Dot(-position.Normalized()) > 1 - 1e-12);
            Assert.True(rotation.Column(1).Z > 0);
            Assert.Equal(0, rotation.Column(0).Z, 1e-12);

            // The image: RGBA, 8 bits a sample, the configured size.
            byte[] png = File.ReadAllBytes(Path.Combine(scene.Root, frame.GetProperty("file_path").GetString()! + ".png"));
            Assert.Equal(Options.Width, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)));
            Assert.Equal(Options.Height, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
            Assert.Equal(8, png[24]);
            Assert.Equal(6, png[25]);
        }
    }

    [Fact]
    public void Val_is_the_first_test_views()
    {
        using JsonDocument test = JsonDocument.Parse(File.ReadAllText(Path.Combine(scene.Root, "transforms_test.json")));
        using JsonDocument val = JsonDocument.Parse(File.ReadAllText(Path.Combine(scene.Root, "transforms_val.json")));
        for (int i = 0; i < Options.ValViews; i++)
            Assert.Equal(test.RootElement.GetProperty("frames")[i].GetRawText(), val.RootElement.GetProperty("frames")[i].GetRawText());
    }

    [Fact]
    public void Background_is_transparent_and_the_object_is_not()
    {
        Image image = ImageIO.Load(Path.Combine(scene.Root, "train", "r_0.png"));
        Assert.Equal(4, image.Channels);
        ReadOnlySpan<float> alpha = image.ReadPlane(3);
        // Corners are far outside the object's bounding sphere.
        Assert.Equal(0f, alpha[0]);
        Assert.Equal(0f, alpha[^1]);
        Assert.Contains(1f, alpha.ToArray());
    }

    [Fact]
    public void Test_views_differ_from_train_views()
    {
        var defaults = new SampleSceneOptions();
        IReadOnlyList<Camera> train = SampleScene.Cameras(defaults, "train"), test = SampleScene.Cameras(defaults, "test");
        Assert.Equal(100, train.Count);
        Assert.Equal(25, test.Count);
        double closest = test.Min(t => train.Min(c => (c.Center - t.Center).Length));
        Assert.True(closest > 0.4, $"a test camera is {closest:0.###} from a train camera");

        // Cameras span the upper hemisphere and a little below the horizon.
        Vec3[] centres = [.. train.Select(c => c.Center)];
        Assert.Contains(centres, c => c.Z < 0);
        Assert.True(centres.Count(c => c.Z > 0) > 80);
        Assert.Contains(centres, c => c.Z > 0.9 * defaults.CameraDistance);

        // And the small scene's test images differ from all its train images.
        byte[][] trainPngs = [.. Enumerable.Range(0, Options.TrainViews).Select(i => File.ReadAllBytes(Path.Combine(scene.Root, "train", $"r_{i}.png")))];
        for (int i = 0; i < Options.TestViews; i++)
        {
            byte[] png = File.ReadAllBytes(Path.Combine(scene.Root, "test", $"r_{i}.png"));
            Assert.DoesNotContain(trainPngs, t => t.AsSpan().SequenceEqual(png));
        }
    }

    [Fact]
    public void The_first_few_train_views_already_cover_the_sphere()
    {
        var defaults = new SampleSceneOptions();
        Vec3[] first = [.. SampleScene.Cameras(defaults, "train").Take(10).Select(c => c.Center / defaults.CameraDistance)];
        Assert.Contains(first, c => c.Z < 0.2);
        Assert.Contains(first, c => c.Z > 0.7);
        // Every azimuth quadrant is seen.
        Assert.Equal(4, first.Select(c => (int)Math.Floor((Math.Atan2(c.Y, c.X) + Math.PI) / (Math.PI / 2)) % 4).Distinct().Count());
    }

    [Fact]
    public void Seed_turns_the_cameras_reproducibly()
    {
        var a = SampleScene.Cameras(Options with { Seed = 7 }, "train");
        var b = SampleScene.Cameras(Options with { Seed = 7 }, "train");
        var c = SampleScene.Cameras(Options with { Seed = 8 }, "train");
        Assert.Equal(a[0].Center, b[0].Center);
        Assert.True((a[0].Center - c[0].Center).Length > 1e-3);
        Assert.Equal(a[0].Center.Z, c[0].Center.Z, 1e-12); // same elevations, turned about z
    }

    [Fact]
    public void Bad_options_are_rejected()
    {
        using var dir = new TempDir("sample-bad");
        Assert.Throws<RadiantException>(() => SampleScene.Write(dir.Path, Options with { TrainViews = 0 }));
        Assert.Throws<RadiantException>(() => SampleScene.Write(dir.Path, Options with { ValViews = 9 }));
        Assert.Throws<RadiantException>(() => SampleScene.Write(dir.Path, Options with { CameraDistance = 1 }));
    }

    [Fact]
    public async Task EnsureCached_renders_once_and_shares_the_folder_between_concurrent_callers()
    {
        // Unique options so this test owns its cache entry and can delete it.
        var options = new SampleSceneOptions
        {
            TrainViews = 2, TestViews = 1, ValViews = 1, Width = 12, Height = 10, SamplesPerAxis = 1,
            Seed = Random.Shared.Next(1_000_000, int.MaxValue),
        };
        string? path = null;
        try
        {
            string[] paths = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => SampleScene.EnsureCached(options))));
            path = paths[0];
            Assert.All(paths, p => Assert.Equal(path, p));
            Assert.StartsWith(Path.GetTempPath(), path);
            Assert.Contains($"v{SampleScene.Version}-", Path.GetFileName(path));
            Assert.True(File.Exists(Path.Combine(path, "transforms_train.json")));
            Assert.True(File.Exists(Path.Combine(path, "train", "r_1.png")));
            Assert.True(File.Exists(Path.Combine(path, "test", "r_0.png")));
            DateTime written = File.GetLastWriteTimeUtc(Path.Combine(path, "train", "r_0.png"));

            // A later call reuses the folder as it is.
            Assert.Equal(path, SampleScene.EnsureCached(options));
            Assert.Equal(written, File.GetLastWriteTimeUtc(Path.Combine(path, "train", "r_0.png")));
            // No temporary folders of this process are left behind.
            Assert.Empty(Directory.GetDirectories(Path.GetDirectoryName(path)!, $".tmp-{Environment.ProcessId}-*"));
        }
        finally
        {
            if (path is not null && Directory.Exists(path)) Directory.Delete(path, recursive: true);
        }
    }

    private static string[] RelativeFiles(string root) =>
        [.. Directory.GetFiles(root, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(root, f)).Order(StringComparer.Ordinal)];
}
