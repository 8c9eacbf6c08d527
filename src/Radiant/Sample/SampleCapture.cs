using Radiant.Data;
using Radiant.Data.Colmap;
using Radiant.Imaging;
using Radiant.Mathematics;

namespace Radiant.Sample;

/// <summary>
/// The unbounded sample: the still life standing in its <see cref="Surroundings"/> (paved ground,
/// standing stones, sky: every pixel opaque), photographed by cameras that walk once around it at
/// varying distance and height, as a Mip-NeRF 360 capture is taken, and written in the COLMAP layout:
/// <c>images/frame_NNNN.png</c> and <c>sparse/0/{cameras,images,points3D}.txt</c>. The point cloud plays
/// COLMAP's part: surface points (of the still life, the ground and the stones; none in the sky) seen
/// through a sparse grid of each photo's pixels, with the colour that photo shows there. Training holds
/// out every 8th photo as a test view, as for any capture.
/// </summary>
public static class SampleCapture
{
    /// <summary>About this many points in the cloud, whatever the image size and photo count.</summary>
    private const int TargetPoints = 30_000;
    /// <summary>Points farther than this from the origin are not in the cloud (about 10 times the cameras' ring).</summary>
    private const double MaxPointDistance = 40;

    /// <summary>The photos' cameras, in walking order: TrainViews + TestViews of them.</summary>
    public static IReadOnlyList<Camera> Cameras(SampleSceneOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        int count = options.TrainViews + options.TestViews;
        var cameras = new Camera[count];
        for (int i = 0; i < count; i++)
        {
            var rng = new Random(unchecked(options.Seed * 100_003 + i * 7919 + 4_242));   // seeded System.Random: the same draws in every process
            double azimuth = 2 * Math.PI * (i + 0.4 * rng.NextDouble()) / count + 0.1 * options.Seed;
            double distance = options.CameraDistance * (0.85 + 0.3 * rng.NextDouble());
            double height = Surroundings.GroundZ + 0.6 + 1.2 * rng.NextDouble();
            var eye = new Vec3(distance * Math.Cos(azimuth), distance * Math.Sin(azimuth), height);
            var target = new Vec3(0.15 * (rng.NextDouble() - 0.5), 0.15 * (rng.NextDouble() - 0.5), -0.5 + 0.2 * (rng.NextDouble() - 0.5));
            string name = $"frame_{i + 1:0000}.png";
            cameras[i] = SampleCameras.ToCamera(SampleCameras.LookAt(eye, target, new Vec3(0, 0, 1)).Rotation, eye, options.Width, options.Height, options.CameraAngleX, name, Path.Combine("images", name));
        }
        return cameras;
    }

    /// <summary>Renders the photos and writes the dataset into <paramref name="dir"/> (created if needed). Reports progress after each photo.</summary>
    public static void Write(string dir, SampleSceneOptions options, IProgress<(int Done, int Total)>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(dir);
        IReadOnlyList<Camera> cameras = Cameras(options);
        Directory.CreateDirectory(Path.Combine(dir, "images"));
        int stride = Math.Max(1, (int)Math.Ceiling(Math.Sqrt((double)cameras.Count * options.Width * options.Height / TargetPoints)));
        var pointsPerView = new List<(Vec3 Position, byte R, byte G, byte B)>[cameras.Count];
        int done = 0;
        var progressLock = new Lock();
        Parallel.For(0, cameras.Count, i =>
        {
            Image rgba = SceneRenderer.Render(cameras[i], options.SamplesPerAxis, maxThreads: 1, surroundings: true);
            var photo = new Image(rgba.Width, rgba.Height, 3);
            for (int c = 0; c < 3; c++) rgba.ReadPlane(c).CopyTo(photo.Plane(c));
            ImageIO.SavePng(Path.Combine(dir, cameras[i].ImagePath), photo);
            pointsPerView[i] = SurfacePoints(cameras[i], photo, stride);
            lock (progressLock) progress?.Report((++done, cameras.Count));
        });

        var all = pointsPerView.SelectMany(p => p).ToList();
        var positions = new float[3 * all.Count];
        var colors = new byte[3 * all.Count];
        for (int k = 0; k < all.Count; k++)
        {
            (Vec3 p, byte r, byte g, byte b) = all[k];
            (positions[3 * k], positions[3 * k + 1], positions[3 * k + 2]) = ((float)p.X, (float)p.Y, (float)p.Z);
            (colors[3 * k], colors[3 * k + 1], colors[3 * k + 2]) = (r, g, b);
        }
        ColmapTextWriter.Write(Path.Combine(dir, "sparse", "0"), cameras, new PointCloud(positions, colors));
    }

    /// <summary>
    /// The first opaque surface behind every <paramref name="stride"/>-th pixel centre of the photo (rows
    /// and columns), with the photo's colour there; rays that reach the sky, or ground beyond
    /// <see cref="MaxPointDistance"/>, give no point.
    /// </summary>
    private static List<(Vec3, byte, byte, byte)> SurfacePoints(Camera camera, Image photo, int stride)
    {
        var points = new List<(Vec3, byte, byte, byte)>();
        Mat3 cameraToWorld = camera.Rotation.Transposed();
        Vec3 eye = camera.Center;
        for (int y = stride / 2; y < camera.Height; y += stride)
            for (int x = stride / 2; x < camera.Width; x += stride)
            {
                Vec3 dir = (cameraToWorld * new Vec3((x + 0.5 - camera.Cx) / camera.Fx, (y + 0.5 - camera.Cy) / camera.Fy, 1)).Normalized();
                Vec3? surface;
                if (SceneLayout.Nearest(eye, dir, 0, double.PositiveInfinity, opaqueOnly: true, SceneLayout.AllPrimitives, out SurfaceHit hit)) surface = eye + hit.T * dir;
                else Surroundings.Trace(eye, dir, out surface);
                // Ground seen near the horizon is left out, as COLMAP's triangulation leaves out points its photos see from nearly one direction.
                if (surface is not Vec3 p || p.Length > MaxPointDistance) continue;
                points.Add((p, Image.Quantize8(photo[0, x, y]), Image.Quantize8(photo[1, x, y]), Image.Quantize8(photo[2, x, y])));
            }
        return points;
    }
}
