using Radiant.CameraPaths;
using Radiant.Data;
using Radiant.Mathematics;

namespace Radiant.Capture;

/// <summary>
/// Puts a freshly posed capture in a standard frame. COLMAP's world frame is arbitrary (the first
/// pair's camera, a scale of about 10 units across), so orbit paths, the viewer and random
/// initialisation would start wherever it happened to land. The transform x' = s R (x − c):
/// c is the look-at centre of <see cref="SceneFraming"/> (the point nearest to the optical axes, or
/// the camera centroid for a forward-facing capture); R is the smallest rotation taking the mean
/// camera up vector to +z (Blender's and nerfstudio's up, and what the sample scene uses); s makes
/// the mean camera distance from c equal to <see cref="TargetRadius"/> — or, when the centre is
/// the centroid, the median distance of the sparse points from it.
/// </summary>
public static class SceneNormalization
{
    /// <summary>
    /// Cameras end up this far from the centre on average: the sample scene's and NeRF-synthetic's
    /// distance, so the renderer's 0.2 near plane is 5% of it, as in those scenes.
    /// </summary>
    public const double TargetRadius = 4.0;

    public static SimilarityTransform Estimate(IReadOnlyList<Camera> cameras, PointCloud? points)
    {
        SceneFrame frame = SceneFraming.Estimate(cameras.Select(CameraPose.FromCamera).ToList());
        double radius = frame.Radius;
        if (!frame.CenterFromAxes && points is { Count: > 0 })
        {
            var distances = new double[points.Count];
            for (int i = 0; i < points.Count; i++)
                distances[i] = (new Vec3(points.Positions[3 * i], points.Positions[3 * i + 1], points.Positions[3 * i + 2]) - frame.Center).Length;
            Array.Sort(distances);
            radius = distances[distances.Length / 2];
        }
        if (!(radius > 1e-12) || !double.IsFinite(radius)) radius = 1;
        double s = TargetRadius / radius;
        Mat3 r = RotationBetween(frame.Up, new Vec3(0, 0, 1));
        return new SimilarityTransform(s, r, -(r * frame.Center) * s);
    }

    /// <summary>
    /// The smallest rotation taking unit vector a to unit vector b (Rodrigues about a × b):
    /// R = I + [v]ₓ + [v]ₓ² / (1 + a·b), v = a × b; a half turn about any perpendicular axis when a = −b.
    /// </summary>
    public static Mat3 RotationBetween(Vec3 a, Vec3 b)
    {
        a = a.Normalized();
        b = b.Normalized();
        double c = a.Dot(b);
        if (c < -1 + 1e-12)
        {
            Vec3 axis = (Math.Abs(a.X) < 0.9 ? new Vec3(1, 0, 0) : new Vec3(0, 1, 0)).Cross(a).Normalized();
            return Mat3.Outer(axis, axis) * 2 - Mat3.Identity;
        }
        Vec3 v = a.Cross(b);
        var k = new Mat3(0, -v.Z, v.Y, v.Z, 0, -v.X, -v.Y, v.X, 0);
        return Mat3.Identity + k + k * k * (1 / (1 + c));
    }
}
