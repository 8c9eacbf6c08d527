using Radiant.Data;
using Radiant.Mathematics;

namespace Radiant.Tests.Data;

public class CameraTests
{
    private static Camera Make(Mat3 r, Vec3 t) => new()
    {
        Name = "c", Width = 200, Height = 100, Fx = 150, Fy = 150, Cx = 100, Cy = 50,
        Rotation = r, Translation = t, ImagePath = "x.png",
    };

    private static (double U, double V, double Z) Project(Camera c, Vec3 world)
    {
        Vec3 p = c.Rotation * world + c.Translation;
        return (c.Fx * p.X / p.Z + c.Cx, c.Fy * p.Y / p.Z + c.Cy, p.Z);
    }

    [Fact]
    public void OpenGL_camera_on_z_axis_looking_at_origin()
    {
        // OpenGL c2w: identity rotation, camera at (0,0,4) looking down −z, i.e. at the origin, y up.
        var (r, t) = Camera.PoseFromOpenGLCameraToWorld(Mat3.Identity, new Vec3(0, 0, 4), "test");
        Camera cam = Make(r, t);
        Assert.Equal(4, cam.Center.Z, 12);
        var origin = Project(cam, Vec3.Zero);
        Assert.Equal(100, origin.U, 9); Assert.Equal(50, origin.V, 9); Assert.Equal(4, origin.Z, 9);
        var right = Project(cam, new Vec3(0.5, 0, 0));
        Assert.True(right.U > 100);                      // world +x appears right of centre
        var up = Project(cam, new Vec3(0, 0.5, 0));
        Assert.True(up.V < 50);                           // world +y appears above centre (v grows down)
        Assert.Equal(100 + 150 * 0.5 / 4, right.U, 9);
    }

    [Fact]
    public void Non_rigid_and_NaN_poses_are_refused()
    {
        var ex = Assert.Throws<RadiantException>(() => Camera.PoseFromOpenGLCameraToWorld(new Mat3(1.5, 0, 0, 0, 1, 0, 0, 0, 1), Vec3.Zero, "poses.json"));
        Assert.Contains("poses.json", ex.Message);
        Assert.Contains("not rigid", ex.Message);
        var nan = Assert.Throws<RadiantException>(() => Camera.PoseFromOpenGLCameraToWorld(Mat3.Identity, new Vec3(double.NaN, 0, 0), "poses.json"));
        Assert.Contains("NaN", nan.Message);
    }

    [Fact]
    public void Resizing_scales_intrinsics_and_keeps_the_projection_of_a_point()
    {
        var (r, t) = Camera.PoseFromOpenGLCameraToWorld(Mat3.FromQuaternion(0.9, 0.1, 0.3, -0.2), new Vec3(1, 2, 3), "t");
        Camera full = Make(r, t);
        Camera half = full.ResizedTo(100, 50);
        var p = new Vec3(0.2, -0.1, 0.3);
        var a = Project(full, p);
        var b = Project(half, p);
        Assert.Equal(a.U / 2, b.U, 9);
        Assert.Equal(a.V / 2, b.V, 9);
        Assert.Equal(full.FovX, half.FovX, 12);
    }
}
