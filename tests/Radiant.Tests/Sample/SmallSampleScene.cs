using Radiant.Data;
using Radiant.Mathematics;
using Radiant.Sample;
using Radiant.Tests.Support;

namespace Radiant.Tests.Sample;

/// <summary>A tiny sample scene written once per test class that uses it (a few views, small non-square images).</summary>
public sealed class SmallSampleScene : IDisposable
{
    public static readonly SampleSceneOptions Options = new()
    {
        TrainViews = 4, TestViews = 3, ValViews = 2, Width = 40, Height = 30, SamplesPerAxis = 2,
    };

    private readonly TempDir _dir = new("sample");

    public SmallSampleScene() => SampleScene.Write(Root, Options);

    public string Root => _dir.Path;

    public void Dispose() => _dir.Dispose();

    /// <summary>Builds our camera from a Blender transforms frame the way a reader would (focal from camera_angle_x, principal point at the centre).</summary>
    public static Camera CameraFromFrame(System.Text.Json.JsonElement frame, double cameraAngleX, int width, int height)
    {
        System.Text.Json.JsonElement m = frame.GetProperty("transform_matrix");
        double M(int r, int c) => m[r][c].GetDouble();
        var rotation = new Mat3(M(0, 0), M(0, 1), M(0, 2), M(1, 0), M(1, 1), M(1, 2), M(2, 0), M(2, 1), M(2, 2));
        var position = new Vec3(M(0, 3), M(1, 3), M(2, 3));
        (Mat3 r, Vec3 t) = Camera.PoseFromOpenGLCameraToWorld(rotation, position, "test");
        double f = 0.5 * width / Math.Tan(0.5 * cameraAngleX);
        return new Camera
        {
            Name = frame.GetProperty("file_path").GetString()!, Width = width, Height = height,
            Fx = f, Fy = f, Cx = width / 2.0, Cy = height / 2.0, Rotation = r, Translation = t, ImagePath = "",
        };
    }

    /// <summary>The unit direction of the camera ray through pixel position (u, v), as the renderer computes it.</summary>
    public static Vec3 RayDirection(Camera camera, double u, double v) =>
        (camera.Rotation.Transposed() * new Vec3((u - camera.Cx) / camera.Fx, (v - camera.Cy) / camera.Fy, 1)).Normalized();
}
