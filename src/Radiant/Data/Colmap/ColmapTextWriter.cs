using System.Text;

namespace Radiant.Data.Colmap;

/// <summary>
/// Writes a COLMAP text model (<c>cameras.txt</c>, <c>images.txt</c>, <c>points3D.txt</c>, the files
/// <c>colmap model_converter --output_type TXT</c> writes) of pinhole cameras and a coloured point
/// cloud, without keypoints or tracks: one PINHOLE camera per distinct size and intrinsics, images
/// named by the file name of their <see cref="Camera.ImagePath"/>, each pose as COLMAP's world-to-camera
/// quaternion (w ≥ 0) and translation.
/// </summary>
public static class ColmapTextWriter
{
    public const string CamerasHeader = "# Camera list with one line of data per camera:\n#   CAMERA_ID, MODEL, WIDTH, HEIGHT, PARAMS[]\n";

    /// <summary>One <c>cameras.txt</c> line: <c>ID PINHOLE W H fx fy cx cy</c>, with a newline.</summary>
    public static string PinholeCameraLine(long id, int width, int height, double fx, double fy, double cx, double cy) =>
        FormattableString.Invariant($"{id} PINHOLE {width} {height} {fx:R} {fy:R} {cx:R} {cy:R}\n");

    public static void Write(string modelDir, IReadOnlyList<Camera> cameras, PointCloud? points)
    {
        Directory.CreateDirectory(modelDir);
        var ids = new Dictionary<(int, int, double, double, double, double), int>();
        var cameraLines = new StringBuilder(CamerasHeader);
        var imageLines = new StringBuilder("# Image list with two lines of data per image:\n#   IMAGE_ID, QW, QX, QY, QZ, TX, TY, TZ, CAMERA_ID, NAME\n#   POINTS2D[] as (X, Y, POINT3D_ID)\n");
        for (int i = 0; i < cameras.Count; i++)
        {
            Camera c = cameras[i];
            if (c.Distortion is { IsZero: false }) throw new ArgumentException($"camera {c.Name} has lens distortion; the writer writes pinhole cameras");
            var key = (c.Width, c.Height, c.Fx, c.Fy, c.Cx, c.Cy);
            if (!ids.TryGetValue(key, out int cameraId))
            {
                ids[key] = cameraId = ids.Count + 1;
                cameraLines.Append(PinholeCameraLine(cameraId, c.Width, c.Height, c.Fx, c.Fy, c.Cx, c.Cy));
            }
            var (qw, qx, qy, qz) = c.Rotation.ToQuaternion();
            imageLines.Append(FormattableString.Invariant($"{i + 1} {qw:R} {qx:R} {qy:R} {qz:R} {c.Translation.X:R} {c.Translation.Y:R} {c.Translation.Z:R} {cameraId} {Path.GetFileName(c.ImagePath)}\n\n"));
        }
        var pointLines = new StringBuilder("# 3D point list with one line of data per point:\n#   POINT3D_ID, X, Y, Z, R, G, B, ERROR, TRACK[] as (IMAGE_ID, POINT2D_IDX)\n");
        for (int i = 0; i < (points?.Count ?? 0); i++)
        {
            float[] p = points!.Positions;
            byte[] rgb = points.Colors;
            pointLines.Append(FormattableString.Invariant($"{i + 1} {p[3 * i]:R} {p[3 * i + 1]:R} {p[3 * i + 2]:R} {rgb[3 * i]} {rgb[3 * i + 1]} {rgb[3 * i + 2]} 0\n"));
        }
        AtomicFile.WriteAllText(Path.Combine(modelDir, "cameras.txt"), cameraLines.ToString());
        AtomicFile.WriteAllText(Path.Combine(modelDir, "images.txt"), imageLines.ToString());
        AtomicFile.WriteAllText(Path.Combine(modelDir, "points3D.txt"), pointLines.ToString());
    }
}
