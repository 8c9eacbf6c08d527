using Radiant.Data;
using Radiant.Imaging;
using Radiant.Mathematics;
using Radiant.Sample;

namespace Radiant.Tests.EndToEnd;

/// <summary>One surface point of the sample scene, seen through pixel (U, V) of a view, with that pixel's photo colour.</summary>
internal readonly record struct SurfacePoint(Vec3 Position, byte R, byte G, byte B, double U, double V);

/// <summary>
/// A stand-in for what structure from motion recovers: surface points of the sample scene found by
/// casting the rays through a grid of pixel centres of one view against the scene's geometry
/// (<see cref="SceneLayout.Nearest"/>), each coloured like its pixel in the view's photo. Rays that
/// miss every shape (background) give no point.
/// </summary>
internal static class SampleSurfacePoints
{
    public static List<SurfacePoint> Cast(Camera camera, Image photo, int stride)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, 1);
        var points = new List<SurfacePoint>();
        Mat3 camToWorld = camera.Rotation.Transposed();
        Vec3 eye = camera.Center;
        for (int y = stride / 2; y < camera.Height; y += stride)
        {
            for (int x = stride / 2; x < camera.Width; x += stride)
            {
                double u = x + 0.5, v = y + 0.5;
                Vec3 dir = (camToWorld * new Vec3((u - camera.Cx) / camera.Fx, (v - camera.Cy) / camera.Fy, 1)).Normalized();
                if (!SceneLayout.Nearest(eye, dir, 0, double.PositiveInfinity, opaqueOnly: false, SceneLayout.AllPrimitives, out SurfaceHit hit))
                    continue;
                points.Add(new SurfacePoint(eye + hit.T * dir, Byte(photo[0, x, y]), Byte(photo[1, x, y]), Byte(photo[2, x, y]), u, v));
            }
        }
        return points;
    }

    private static byte Byte(float v) => (byte)Math.Clamp((int)Math.Round(v * 255), 0, 255);
}
