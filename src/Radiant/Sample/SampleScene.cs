using System.Numerics.Tensors;
using System.Text.Json;
using Radiant.Data;
using Radiant.Imaging;
using Radiant.Mathematics;

namespace Radiant.Sample;

/// <summary>
/// Radiant's built-in scene: a small procedural still life (see <see cref="SceneLayout"/>) ray traced
/// by our own deterministic renderer and written in the NeRF-synthetic (Blender) layout —
/// <c>transforms_{train,val,test}.json</c> beside <c>train/r_i.png</c> and <c>test/r_i.png</c>, RGBA 8-bit
/// with a transparent background. Used when the trainer is given no data and as the test fixture.
/// </summary>
public static class SampleScene
{
    /// <summary>Bump whenever the scene, renderer or layout changes, so cached copies are rebuilt.</summary>
    public const int Version = 1;

    /// <summary>All geometry lies within this distance of the origin.</summary>
    public const double BoundingRadius = SceneLayout.BoundingRadius;

    private const string CompleteMarker = ".complete";
    private static readonly Lock CacheLock = new();

    /// <summary>Renders the scene as seen by <paramref name="camera"/> (any size and intrinsics) with <paramref name="samplesPerAxis"/>² stratified samples a pixel; RGBA, straight alpha.</summary>
    public static Image Render(Camera camera, int samplesPerAxis) => SceneRenderer.Render(camera, samplesPerAxis);

    /// <summary>The cameras of a split ("train", "test" or "val") as <see cref="Write"/> lays them out, image paths relative to the dataset folder.</summary>
    public static IReadOnlyList<Camera> Cameras(SampleSceneOptions options, string split)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        bool test = split switch
        {
            "train" => false,
            "test" or "val" => true,
            _ => throw new ArgumentException($"unknown split '{split}' (use train, test or val)", nameof(split)),
        };
        int count = split switch { "train" => options.TrainViews, "test" => options.TestViews, _ => options.ValViews };
        string folder = test ? "test" : "train";
        IReadOnlyList<(Mat3 Rotation, Vec3 Position)> poses = Poses(options, test);
        var cameras = new Camera[count];
        for (int i = 0; i < count; i++)
            cameras[i] = SampleCameras.ToCamera(poses[i].Rotation, poses[i].Position, options.Width, options.Height,
                options.CameraAngleX, $"r_{i}", $"{folder}/r_{i}.png");
        return cameras;
    }

    /// <summary>
    /// Renders the scene into <paramref name="dir"/> (created if needed; existing files of the same
    /// names are replaced). Reports progress after each image (from worker threads, one report at a time, counts increasing).
    /// </summary>
    public static void Write(string dir, SampleSceneOptions options, IProgress<(int Done, int Total)>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(dir);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Directory.CreateDirectory(Path.Combine(dir, "train"));
        Directory.CreateDirectory(Path.Combine(dir, "test"));

        // One view per task, each rendered on one thread: the PNG encoding runs in parallel too, and
        // every image is the same whichever thread renders it.
        Camera[] views = [.. Cameras(options, "train"), .. Cameras(options, "test")];
        int done = 0;
        var progressLock = new Lock();
        Parallel.For(0, views.Length, i =>
        {
            Image image = SceneRenderer.Render(views[i], options.SamplesPerAxis, maxThreads: 1);
            if (options.ExposureJitter > 0 && i < options.TrainViews) image = Expose(image, options, i);
            ImageIO.SavePng(Path.Combine(dir, views[i].ImagePath), image);
            lock (progressLock) progress?.Report((++done, views.Length));
        });

        IReadOnlyList<(Mat3 Rotation, Vec3 Position)> trainPoses = Poses(options, test: false), testPoses = Poses(options, test: true);
        IReadOnlyList<(Mat3 Rotation, Vec3 Position)> recordedPoses = options.PoseJitter > 0 ? JitterPoses(trainPoses, options) : trainPoses;
        WriteTransforms(Path.Combine(dir, "transforms_train.json"), options.CameraAngleX, "train", recordedPoses, trainPoses.Count);
        WriteTransforms(Path.Combine(dir, "transforms_test.json"), options.CameraAngleX, "test", testPoses, testPoses.Count);
        WriteTransforms(Path.Combine(dir, "transforms_val.json"), options.CameraAngleX, "test", testPoses, options.ValViews);
    }

    /// <summary>
    /// Training view <paramref name="view"/> as a photo with its own exposure and white balance
    /// (<see cref="SampleSceneOptions.ExposureJitter"/>): composited over white, then each channel
    /// times exp(J·z₀ + J/2·z_c), with normals drawn from the seed and the view index (PNG clamps to
    /// 1). Its alpha is kept as an opaque channel, so the dataset still has alpha and trains over
    /// white, as the test views (true colours, transparent background) are composited.
    /// </summary>
    private static Image Expose(Image rgba, SampleSceneOptions options, int view)
    {
        var rng = new Random(unchecked(options.Seed * 100_003 + view * 7919 + 12_345));   // seeded System.Random: the same draws in every process
        double exposure = options.ExposureJitter * Normal(rng);
        Image composite = rgba.CompositeOver(1, 1, 1);
        var photo = new Image(rgba.Width, rgba.Height, 4);
        for (int c = 0; c < 3; c++)
        {
            float gain = (float)Math.Exp(exposure + 0.5 * options.ExposureJitter * Normal(rng));
            TensorPrimitives.Multiply(composite.ReadPlane(c), gain, photo.Plane(c));
        }
        photo.Plane(3).Fill(1);
        return photo;
    }

    /// <summary>A standard normal draw (Box–Muller), the same in every process for a seeded <see cref="Random"/>.</summary>
    private static double Normal(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    /// <summary>
    /// The training poses as written with <see cref="SampleSceneOptions.PoseJitter"/>: each camera-to-world
    /// rotation turned by Exp(ω) and each position moved by δ, ω ~ N(0, (J°)²) and δ ~ N(0, (J·π/180·distance)²)
    /// per axis, drawn from the seed and the view index.
    /// </summary>
    private static (Mat3 Rotation, Vec3 Position)[] JitterPoses(IReadOnlyList<(Mat3 Rotation, Vec3 Position)> poses, SampleSceneOptions options)
    {
        var jittered = new (Mat3, Vec3)[poses.Count];
        double sigma = options.PoseJitter * Math.PI / 180;
        for (int i = 0; i < poses.Count; i++)
        {
            var rng = new Random(unchecked(options.Seed * 100_019 + i * 7927 + 54_321));   // seeded System.Random: the same draws in every process
            var omega = new Vec3(Normal(rng), Normal(rng), Normal(rng)) * sigma;
            var delta = new Vec3(Normal(rng), Normal(rng), Normal(rng)) * (sigma * options.CameraDistance);
            jittered[i] = (RotationVector.Exp(omega) * poses[i].Rotation, poses[i].Position + delta);
        }
        return jittered;
    }

    /// <summary>
    /// Path of a folder holding the scene rendered with <paramref name="options"/> (default: the
    /// default scene), rendering it on first use. The folder lives under the system temp directory,
    /// keyed by the options and <see cref="Version"/>, and is shared by all processes: it is written
    /// under a temporary name and renamed into place complete, so concurrent callers (test runs in
    /// parallel) never see half a scene; a caller that loses the race uses the winner's copy.
    /// </summary>
    public static string EnsureCached(SampleSceneOptions? options = null, IProgress<(int Done, int Total)>? progress = null)
    {
        options ??= new SampleSceneOptions();
        options.Validate();
        string root = Path.Combine(Path.GetTempPath(), "radiant-sample-cache");
        string final = Path.Combine(root, $"v{Version}-{options.CacheKey}");
        if (IsComplete(final)) return final;
        lock (CacheLock)
        {
            if (IsComplete(final)) return final;
            Directory.CreateDirectory(root);
            string tmp = Path.Combine(root, $".tmp-{Environment.ProcessId}-{Guid.NewGuid():N}");
            try
            {
                Write(tmp, options, progress);
                File.WriteAllBytes(Path.Combine(tmp, CompleteMarker), []);
                // A folder left incomplete by some other means (never by us: we only rename complete ones) is replaced.
                if (Directory.Exists(final) && !IsComplete(final)) TryDeleteDirectory(final);
                try { Directory.Move(tmp, final); }
                catch (IOException) when (IsComplete(final)) { } // another process finished first; use its copy
            }
            finally
            {
                if (Directory.Exists(tmp)) TryDeleteDirectory(tmp);
            }
        }
        return final;
    }

    private static IReadOnlyList<(Mat3 Rotation, Vec3 Position)> Poses(SampleSceneOptions options, bool test) => test
        ? SampleCameras.TestPoses(options.TestViews, options.TrainViews, options.CameraDistance, options.Seed)
        : SampleCameras.TrainPoses(options.TrainViews, options.CameraDistance, options.Seed);

    private static bool IsComplete(string dir) =>
        File.Exists(Path.Combine(dir, CompleteMarker)) && File.Exists(Path.Combine(dir, "transforms_train.json"));

    /// <summary>Writes one transforms file in NeRF-synthetic's form: camera_angle_x and frames of file_path + 4×4 OpenGL camera-to-world matrix.</summary>
    private static void WriteTransforms(string path, double cameraAngleX, string folder, IReadOnlyList<(Mat3 Rotation, Vec3 Position)> poses, int count)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, NewLine = "\n" }))
        {
            json.WriteStartObject();
            json.WriteNumber("camera_angle_x", cameraAngleX);
            json.WriteStartArray("frames");
            for (int i = 0; i < count; i++)
            {
                (Mat3 r, Vec3 p) = poses[i];
                json.WriteStartObject();
                json.WriteString("file_path", $"./{folder}/r_{i}");
                json.WriteStartArray("transform_matrix");
                for (int row = 0; row < 4; row++)
                {
                    json.WriteStartArray();
                    if (row < 3)
                    {
                        for (int col = 0; col < 3; col++) json.WriteNumberValue(PositiveZero(r[row, col]));
                        json.WriteNumberValue(PositiveZero(p[row]));
                    }
                    else
                    {
                        json.WriteNumberValue(0.0); json.WriteNumberValue(0.0); json.WriteNumberValue(0.0); json.WriteNumberValue(1.0);
                    }
                    json.WriteEndArray();
                }
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        buffer.WriteByte((byte)'\n');
        AtomicFile.WriteAllBytes(path, buffer.ToArray());
    }

    /// <summary>−0 written as 0.</summary>
    private static double PositiveZero(double v) => v == 0 ? 0 : v;

    private static void TryDeleteDirectory(string dir)
    {
        try { Directory.Delete(dir, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
