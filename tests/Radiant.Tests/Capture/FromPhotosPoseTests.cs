using System.Diagnostics;
using Radiant.Capture;
using Radiant.Data;
using Radiant.Mathematics;
using Radiant.Tests.Data;
using Radiant.Tests.Support;
using Radiant.Training;
using Xunit.Abstractions;

namespace Radiant.Tests.Capture;

/// <summary>
/// The real pipeline on the sample scene: 40 photos rendered from known cameras on an orbit go
/// through <c>radiant data from-photos</c> with the real COLMAP (SIFT, sequential matching,
/// mapping, normalisation; with the lens fixed at zero distortion the photos are kept as they are); the recovered poses are compared with the true ones after
/// a similarity alignment, and a model trained on them is compared with one trained on the true poses.
/// </summary>
public class FromPhotosPoseTests(ITestOutputHelper output)
{
    private const int Views = 40, Width = 320, Height = 240;

    [Fact]
    public void From_photos_recovers_the_true_cameras_and_trains_nearly_as_well_as_the_true_poses()
    {
        using var dir = new TempDir("from-photos");
        var clock = Stopwatch.StartNew();
        SampleOrbitPhotos photos = SampleOrbitPhotos.Write(dir.File("photos"), Views, Width, Height);
        double renderSeconds = clock.Elapsed.TotalSeconds;

        // Sequential matching keeps COLMAP well under a minute, but it does not close the orbit into a
        // loop, and with the texture mostly on the flat base a free focal length then drifts (measured:
        // 7–12% short, poses bent by up to 4.5°). So the camera is given as calibrated: its true field of
        // view, fixed while mapping. (The defaults, OPENCV with exhaustive matching, close the loop:
        // focal within 1%, rotation 1.95°, position 2.9% — but took 78 s, measured with radiant train on these photos.)
        double fovX = SampleOrbitPhotos.CameraAngleX * 180 / Math.PI;
        var (code, stdout, stderr) = CliRunner.Run("data", "from-photos", photos.Folder, dir.File("posed"),
            "--camera-model", "SIMPLE_RADIAL", "--fov", fovX.ToString("R", System.Globalization.CultureInfo.InvariantCulture), "--fixed-intrinsics",
            "--matcher", "sequential", "--overlap", "5");
        output.WriteLine(stdout);
        Assert.True(code == 0, stderr);
        double poseSeconds = clock.Elapsed.TotalSeconds - renderSeconds;
        output.WriteLine($"render {renderSeconds:0.0} s, from-photos {poseSeconds:0.0} s");
        Assert.Matches(@"posed 40 of 40 photos", stdout);
        foreach (string f in new[] { "images", "images_2", "images_4", "images_8" })
            Assert.Equal(Views, Directory.GetFiles(dir.File("posed", f)).Length);
        Assert.True(File.Exists(dir.File("posed", PhotoCapture.TransformFile)));
        Assert.Contains("==== colmap mapper", File.ReadAllText(dir.File("posed", PhotoCapture.LogFile)));
        // The distortion is fixed at zero, so the photos are not resampled: images/ holds copies, byte for byte.
        Assert.Contains("the camera has no lens distortion: the photos are used as they are", stdout);
        Assert.DoesNotContain("undistorting", stdout);
        Assert.DoesNotContain("image_undistorter", File.ReadAllText(dir.File("posed", PhotoCapture.LogFile)));
        foreach (Camera photo in photos.Cameras)
            Assert.Equal(File.ReadAllBytes(photo.ImagePath), File.ReadAllBytes(dir.File("posed", "images", photo.Name)));
        Assert.Matches(@"^1 PINHOLE 320 240 \S+ \S+ 160 120$", File.ReadAllLines(dir.File("posed", "sparse", "0", "cameras.txt")).Single(l => !l.StartsWith('#')));

        Dataset posed = DatasetLoader.Load(dir.File("posed"));
        var truth = photos.Cameras.ToDictionary(c => c.Name);
        List<Camera> recovered = posed.AllCameras.OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
        Assert.Equal(Views, recovered.Count);

        // Normalised frame: cameras about the origin at mean distance 4, mean camera up along +z.
        Assert.InRange(recovered.Average(c => c.Center.Length), 3.6, 4.4);
        Vec3 up = recovered.Aggregate(Vec3.Zero, (s, c) => s - c.Rotation.Transposed().Column(1)).Normalized();
        Assert.True(up.Z > 0.999, $"mean camera up {up} is not +z");

        SimilarityTransform align = SimilarityAlignment.Umeyama(recovered.Select(c => c.Center).ToList(), recovered.Select(c => truth[c.Name].Center).ToList());
        double worstAngle = 0, worstPosition = 0, worstRelative = 0;
        foreach (Camera c in recovered)
        {
            Camera t = truth[c.Name];
            var (rotation, translation) = align.ApplyToPose(c.Rotation, c.Translation);
            worstAngle = Math.Max(worstAngle, Angle(rotation, t.Rotation));
            worstPosition = Math.Max(worstPosition, (-(rotation.Transposed() * translation) - t.Center).Length / SampleOrbitPhotos.Distance);
            // Alignment-free: the relative rotation R_a R_bᵀ between every two views.
            foreach (Camera b in recovered)
                worstRelative = Math.Max(worstRelative, Angle(c.Rotation * b.Rotation.Transposed(), t.Rotation * truth[b.Name].Rotation.Transposed()));
        }
        output.WriteLine($"after alignment: worst rotation error {worstAngle:0.00}°, worst position error {worstPosition * 100:0.00}% of the camera distance; worst relative rotation {worstRelative:0.00}°");
        // COLMAP is multi-threaded, so runs differ (the sequence is not closed into a loop, so it
        // drifts). Measured: 8 runs alone, rotation 1.6–2.7°, position 2.2–4.0%, relative rotation
        // 2.5–3.5°; one run inside the whole suite (COLMAP sharing the cores with other tests)
        // 3.77°, 4.67%, 5.56°. A wrong pose convention or a failed registration is off by tens of degrees.
        Assert.True(worstAngle < 6, $"rotation error {worstAngle:0.00}°");
        Assert.True(worstPosition < 0.08, $"position error {worstPosition * 100:0.00}%");
        Assert.True(worstRelative < 8, $"relative rotation error {worstRelative:0.00}°");

        // The same photos with the true cameras, the recovered points mapped into the true frame: only the poses differ.
        string exact = WriteTruePoseDataset(dir.File("exact"), photos, posed, align);
        double psnrPosed = Train(dir.File("posed"), dir.File("run-posed"));
        double psnrExact = Train(exact, dir.File("run-exact"));
        output.WriteLine($"test PSNR: recovered poses {psnrPosed:0.00} dB, true poses {psnrExact:0.00} dB; whole test {clock.Elapsed.TotalSeconds:0.0} s");
        // Measured (1000 iterations at 160×120): recovered 25.97 vs true 28.05 dB, and in another run
        // 25.59 vs 28.68 dB (COLMAP's runs differ, and so do the points both runs start from): gaps of
        // 2.1 and 3.1 dB, with pose errors inside the bounds asserted above (which catch a failed
        // recovery on their own).
        Assert.True(psnrPosed > psnrExact - 4, $"recovered poses reach {psnrPosed:0.00} dB against {psnrExact:0.00} dB with the true poses");
    }

    private static double Angle(Mat3 a, Mat3 b) => Quaternion.AngleBetween(Quaternion.FromRotation(a), Quaternion.FromRotation(b)) * 180 / Math.PI;

    private static string WriteTruePoseDataset(string root, SampleOrbitPhotos photos, Dataset posed, SimilarityTransform align)
    {
        var scene = new ColmapTestScene();
        Camera first = photos.Cameras[0];
        scene.Cameras.Add(new ColmapTestCamera(1, "PINHOLE", 1, first.Width, first.Height, [first.Fx, first.Fy, first.Cx, first.Cy]));
        Directory.CreateDirectory(Path.Combine(root, "images"));
        for (int i = 0; i < photos.Cameras.Count; i++)
        {
            Camera c = photos.Cameras[i];
            var (w, x, y, z) = c.Rotation.ToQuaternion();
            scene.Images.Add(new ColmapTestImage((uint)(i + 1), [w, x, y, z], [c.Translation.X, c.Translation.Y, c.Translation.Z], 1, c.Name, [], c.Center));
            File.Copy(c.ImagePath, Path.Combine(root, "images", c.Name));
        }
        PointCloud points = posed.Points!;
        for (int i = 0; i < points.Count; i++)
        {
            Vec3 p = align.Apply(new Vec3(points.Positions[3 * i], points.Positions[3 * i + 1], points.Positions[3 * i + 2]));
            scene.Points.Add(new ColmapTestPoint((ulong)i + 1, p, points.Colors[3 * i], points.Colors[3 * i + 1], points.Colors[3 * i + 2], 0.5, []));
        }
        scene.WriteBinary(Path.Combine(root, "sparse", "0"));
        return root;
    }

    /// <summary>A short run at half size (images_2) from the dataset's points; returns the test PSNR.</summary>
    private static double Train(string data, string outDir)
    {
        const int iterations = 1000;
        var settings = new TrainingRunSettings
        {
            DataPath = data,
            Downscale = 2,
            Init = "points",
            Background = SampleOrbitPhotos.Background,
            CheckpointEvery = 0,
            Options = new TrainingOptions
            {
                Iterations = iterations, Seed = 3, DensifyFrom = 100, DensifyInterval = 100, DensifyUntil = iterations * 3 / 4,
                OpacityResetInterval = 600, ShIncreaseInterval = 100,
            },
        };
        return TrainingSession.Run(settings, outDir, new QuietObserver()).TestPsnr ?? double.NaN;
    }
}
