using System.Globalization;
using Radiant.Data;
using Radiant.Mathematics;
using Radiant.Tests.Support;

namespace Radiant.Tests.Data;

/// <summary>
/// Cameras that pass the readers' checks (finite, positive) but that no camera can be, as a corrupt
/// value makes them: a pose beyond what single precision can place (<see cref="PlausibleCameras.MaxCoordinate"/>),
/// a focal length of a field of view near 180°, a principal point far outside the image. Each is one error naming the camera; before, a pose
/// at 1e300 or a focal length of 1e-270 loaded and training's random start failed as an internal
/// error. An outlier point beyond reach is left out of the cloud.
/// </summary>
public class ImplausibleCameraTests
{
    private static void MoveFirstTrainCamera(string dir, double x)
    {
        string json = Path.Combine(dir, "transforms_train.json");
        string text = File.ReadAllText(json);
        double[] pose = BlenderTestScene.LookAt(BlenderTestScene.SpherePoint(0, 6));
        string moved = BlenderTestScene.Matrix([.. pose[..3], x, .. pose[4..]]);
        File.WriteAllText(json, text.Replace(BlenderTestScene.Matrix(pose), moved));
        Assert.Contains(x.ToString("R", CultureInfo.InvariantCulture), File.ReadAllText(json));
    }

    [Theory]
    [InlineData(1e300)]
    [InlineData(-2e7)]
    public void A_camera_too_far_from_the_origin_is_one_error_naming_it(double x)
    {
        using var dir = new TempDir("far");
        BlenderTestScene.Create(dir.Path, train: 3, val: 1, test: 2);
        MoveFirstTrainCamera(dir.Path, x);

        var e = Assert.Throws<RadiantException>(() => DatasetLoader.Load(dir.Path));
        Assert.Equal(dir.Path, e.Path);
        Assert.Contains($"camera train/r_0 stands at ({x.ToString("g3", CultureInfo.InvariantCulture)}, ", e.Problem);
        Assert.Contains("within 1e7 units of the origin", e.Problem);
    }

    [Fact]
    public void A_camera_far_out_but_within_reach_loads()
    {
        using var dir = new TempDir("far");
        BlenderTestScene.Create(dir.Path, train: 3, val: 1, test: 2);
        MoveFirstTrainCamera(dir.Path, 9e6);
        Assert.Equal(9e6, DatasetLoader.Load(dir.Path).Train[0].Center.X, 3);
    }

    [Fact]
    public void Points_beyond_reach_are_left_out_of_the_cloud()
    {
        using var dir = new TempDir("far");
        var scene = ColmapTestScene.Circle();
        scene.Points.Add(new ColmapTestPoint(900, new Vec3(0, 3e7, 0), 1, 2, 3, 0.5, []));
        scene.Points.Add(new ColmapTestPoint(901, new Vec3(0.1, 0.2, 1e38), 1, 2, 3, 0.5, []));
        scene.WriteDataset(dir.Path, binary: true);

        PointCloud points = DatasetLoader.Load(dir.Path).Points!;
        Assert.Equal(scene.Points.Count - 2, points.Count);
        Assert.All(points.Positions, v => Assert.True(Math.Abs(v) < 1));
    }

    [Fact]
    public void A_focal_length_of_a_field_of_view_near_180_degrees_or_a_principal_point_far_outside_is_one_error()
    {
        using var dir = new TempDir("focal");
        BlenderTestScene.Create(dir.Path, w: 16, h: 12, train: 3, val: 1, test: 2, extra: " \"fl_x\": 0.01,");
        var e = Assert.Throws<RadiantException>(() => DatasetLoader.Load(dir.Path));
        Assert.Contains("focal length (0.01, 0.01 px) is below 1/1000 of its 16×12 image", e.Problem);

        // A principal point 2e9 px off (a corrupt cy): its undistorted view was uniform, drawn exactly,
        // and the run's metrics.json then failed on a PSNR of +∞.
        using var offCentre = new TempDir("focal");
        BlenderTestScene.Create(offCentre.Path, w: 16, h: 12, train: 3, val: 1, test: 2, extra: " \"cy\": -2147483648,");
        e = Assert.Throws<RadiantException>(() => DatasetLoader.Load(offCentre.Path));
        Assert.Contains("principal point (8, -2.15e+09) lies more than 10 image sizes from the centre of its 16×12 image", e.Problem);

        using var fine = new TempDir("focal");
        BlenderTestScene.Create(fine.Path, w: 16, h: 12, train: 3, val: 1, test: 2, extra: " \"fl_x\": 0.5,");
        Assert.Equal(0.5, DatasetLoader.Load(fine.Path).Train[0].Fx);
    }
}
