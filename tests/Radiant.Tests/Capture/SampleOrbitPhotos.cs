using Radiant.Data;
using Radiant.Imaging;
using Radiant.Mathematics;
using Radiant.Sample;

namespace Radiant.Tests.Capture;

/// <summary>
/// The sample scene photographed as someone walking once around it would: <c>views</c> opaque
/// photos (rendered, composited over a grey background) from an orbit whose height swings between
/// 20° and 40° of elevation, so neighbours differ by 360°/views of azimuth — the overlap SIFT needs
/// (the training split's golden-angle spiral jumps too far between views for COLMAP to start).
/// Saved as PNG under <c>photo_NNN.png</c>; the true cameras (square pixels, centred principal point) are returned.
/// </summary>
internal sealed class SampleOrbitPhotos
{
    public const double Distance = 3.6, CameraAngleX = 0.6911112070083618;
    public static readonly float[] Background = [0.42f, 0.47f, 0.53f];

    public required string Folder { get; init; }
    public required IReadOnlyList<Camera> Cameras { get; init; }

    public static SampleOrbitPhotos Write(string folder, int views, int width, int height, int samplesPerAxis = 2)
    {
        Directory.CreateDirectory(folder);
        var cameras = new Camera[views];
        Parallel.For(0, views, i =>
        {
            double azimuth = 2 * Math.PI * i / views;
            double elevation = (30 + 10 * Math.Sin(2 * Math.PI * i / views)) * Math.PI / 180;
            double distance = Distance;
            var eye = new Vec3(Math.Cos(azimuth) * Math.Cos(elevation), Math.Sin(azimuth) * Math.Cos(elevation), Math.Sin(elevation)) * distance;
            var (c2w, position) = SampleCameras.LookAt(eye, Vec3.Zero, new Vec3(0, 0, 1));
            string name = $"photo_{i + 1:000}.png";
            string path = Path.Combine(folder, name);
            cameras[i] = SampleCameras.ToCamera(c2w, position, width, height, CameraAngleX, name, path);
            Image photo = SampleScene.Render(cameras[i], samplesPerAxis).CompositeOver(Background[0], Background[1], Background[2]);
            ImageIO.SavePng(path, photo);
        });
        return new SampleOrbitPhotos { Folder = folder, Cameras = cameras };
    }
}
