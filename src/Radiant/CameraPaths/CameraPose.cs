using Radiant.Data;
using Radiant.Mathematics;

namespace Radiant.CameraPaths;

/// <summary>
/// Where a virtual camera is and where it looks: its centre in world coordinates, its
/// camera-to-world rotation as a quaternion in Radiant's OpenCV axes (columns of the rotation:
/// x right, y down, z forward in world coordinates; the same rotation cameras.json stores), and
/// its vertical field of view in degrees.
/// </summary>
public readonly record struct CameraPose(Vec3 Position, Quaternion Orientation, double FovYDegrees)
{
    public Mat3 CameraToWorld => Orientation.ToRotation();
    /// <summary>The viewing direction (camera +z) in world coordinates.</summary>
    public Vec3 Forward => CameraToWorld.Column(2);
    /// <summary>The image's up direction (camera −y) in world coordinates.</summary>
    public Vec3 Up => -CameraToWorld.Column(1);

    /// <summary>A camera at <paramref name="position"/> looking at <paramref name="target"/>, rolled so that <paramref name="up"/> points up in the image.</summary>
    public static CameraPose LookAt(Vec3 position, Vec3 target, Vec3 up, double fovYDegrees)
    {
        Vec3 forward = (target - position).Normalized();
        if (forward.Length == 0) throw new ArgumentException("look-at point equals the camera position");
        Vec3 right = forward.Cross(up);
        if (right.Length < 1e-9 * up.Length || up.Length == 0) throw new ArgumentException("the up vector is parallel to the viewing direction");
        right = right.Normalized();
        Vec3 down = forward.Cross(right);
        return new CameraPose(position, Quaternion.FromRotation(Mat3.FromColumns(right, down, forward)), fovYDegrees);
    }

    /// <summary>The pose of a dataset camera: centre −Rᵀt, orientation Rᵀ, vertical field of view from fy.</summary>
    public static CameraPose FromCamera(Camera camera) =>
        new(camera.Center, Quaternion.FromRotation(camera.Rotation.Transposed()), camera.FovY * 180 / Math.PI);

    /// <summary>
    /// A centred pinhole camera of this pose at <paramref name="width"/> × <paramref name="height"/>
    /// with square pixels: fy = H / (2 tan(fovY / 2)), fx = fy, principal point at the image centre.
    /// </summary>
    public Camera ToCamera(int width, int height, string name)
    {
        double fy = height / (2 * Math.Tan(FovYDegrees * Math.PI / 360));
        Mat3 worldToCamera = CameraToWorld.Transposed();
        return new Camera
        {
            Name = name,
            Width = width,
            Height = height,
            Fx = fy,
            Fy = fy,
            Cx = width / 2.0,
            Cy = height / 2.0,
            Rotation = worldToCamera,
            Translation = -(worldToCamera * Position),
            ImagePath = name,
        };
    }
}
