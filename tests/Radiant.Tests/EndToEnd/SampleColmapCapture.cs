using Radiant.Data;
using Radiant.Imaging;
using Radiant.Mathematics;
using Radiant.Sample;
using Radiant.Tests.Data;
using Radiant.Tests.Support;

namespace Radiant.Tests.EndToEnd;

/// <summary>
/// The sample scene as a phone capture processed by COLMAP would arrive: opaque photos (rendered,
/// composited over a background colour) saved as JPEG with 4:2:0 chroma by ffmpeg under phone-style
/// names (<c>images/IMG_0001.JPG</c> …), one shared PINHOLE camera of an odd size with fx ≠ fy and the
/// principal point off centre, and <c>sparse/0/{cameras,images,points3D}.bin</c> written by the
/// COLMAP reader tests' writer, the points being scene surface points (<see cref="SampleSurfacePoints"/>)
/// seen from a few of the views. Optionally also half-size copies in <c>images_2/</c>, made by ffmpeg's
/// area scaler from the same renders, as COLMAP-based tools ship them.
/// </summary>
internal sealed class SampleColmapCapture
{
    public const int Width = 96, Height = 72;
    public const double Fx = 104.5, Fy = 107.25, Cx = 50.6, Cy = 33.3;
    public const double CameraDistance = 4.0;
    public static readonly float[] Background = [0.42f, 0.47f, 0.53f];

    /// <summary>Points are cast from every this-many-th view, through every this-many-th pixel of it.</summary>
    private const int PointViewEvery = 3, PointPixelStride = 2;

    public required string Root { get; init; }
    /// <summary>The views in name order, as written (image paths absolute, under <c>images/</c>).</summary>
    public required IReadOnlyList<Camera> Cameras { get; init; }
    /// <summary>The RGB image each view's JPEG was encoded from (same order).</summary>
    public required IReadOnlyList<Image> Photos { get; init; }
    public required int PointCount { get; init; }

    public static SampleColmapCapture Write(string root, int views, bool halfSizeCopies, int samplesPerAxis = 2)
    {
        IReadOnlyList<(Mat3 Rotation, Vec3 Position)> poses = SampleCameras.TrainPoses(views, CameraDistance, seed: 5);
        string imagesDir = Path.Combine(root, "images");
        string staging = Path.Combine(root, ".png-staging");
        Directory.CreateDirectory(imagesDir);
        Directory.CreateDirectory(staging);

        var cameras = new Camera[views];
        var photos = new Image[views];
        var colmap = new ColmapTestScene();
        colmap.Cameras.Add(new ColmapTestCamera(1, "PINHOLE", 1, Width, Height, [Fx, Fy, Cx, Cy]));
        for (int i = 0; i < views; i++)
        {
            string name = $"IMG_{i + 1:0000}.JPG";
            (Mat3 rotation, Vec3 translation) = Camera.PoseFromOpenGLCameraToWorld(poses[i].Rotation, poses[i].Position, name);
            cameras[i] = new Camera
            {
                Name = name, Width = Width, Height = Height, Fx = Fx, Fy = Fy, Cx = Cx, Cy = Cy,
                Rotation = rotation, Translation = translation, ImagePath = Path.Combine(imagesDir, name),
            };
            photos[i] = SampleScene.Render(cameras[i], samplesPerAxis).CompositeOver(Background[0], Background[1], Background[2]);
            ImageIO.SavePng(Path.Combine(staging, $"{i + 1:0000}.png"), photos[i]);

            var (w, x, y, z) = rotation.ToQuaternion();
            colmap.Images.Add(new ColmapTestImage((uint)(i + 1), [w, x, y, z], [translation.X, translation.Y, translation.Z], 1, name, [], cameras[i].Center));
        }

        // Surface points with a one-view track each, observed at the pixel they were cast through.
        for (int i = 0; i < views; i += PointViewEvery)
        {
            ColmapTestImage image = colmap.Images[i];
            foreach (SurfacePoint p in SampleSurfacePoints.Cast(cameras[i], photos[i], PointPixelStride))
            {
                ulong id = (ulong)colmap.Points.Count + 1;
                colmap.Points.Add(new ColmapTestPoint(id, p.Position, p.R, p.G, p.B, 0.5, [(image.Id, (uint)image.Points2D.Count)]));
                image.Points2D.Add((p.U, p.V, (long)id));
            }
        }
        colmap.WriteBinary(Path.Combine(root, "sparse", "0"));

        // JPEG as a phone writes it: baseline, 4:2:0, upper-case extension.
        string[] jpeg = ["-q:v", "2", "-pix_fmt", "yuvj420p"];
        string pattern = Path.Combine(staging, "%04d.png");
        ExternalTool.Ffmpeg(["-i", pattern, .. jpeg, Path.Combine(imagesDir, "IMG_%04d.JPG")]);
        if (halfSizeCopies)
        {
            string half = Path.Combine(root, "images_2");
            Directory.CreateDirectory(half);
            ExternalTool.Ffmpeg(["-i", pattern, "-vf", $"scale={Width / 2}:{Height / 2}:flags=area", .. jpeg, Path.Combine(half, "IMG_%04d.JPG")]);
        }
        Directory.Delete(staging, recursive: true);

        return new SampleColmapCapture { Root = root, Cameras = cameras, Photos = photos, PointCount = colmap.Points.Count };
    }
}
