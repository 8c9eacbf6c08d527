namespace Radiant.Data.Colmap;

/// <summary>
/// COLMAP's binary sparse model (all little-endian):
/// <list type="bullet">
/// <item>cameras.bin: u64 count; per camera: camera_id u32, model_id i32, width u64, height u64, params f64 × (model's count).</item>
/// <item>images.bin: u64 count; per image: image_id u32, qvec f64 × 4 (w, x, y, z), tvec f64 × 3, camera_id u32,
/// name (null-terminated), num_points2D u64, then (x f64, y f64, point3D_id i64) × num_points2D.</item>
/// <item>points3D.bin: u64 count; per point: point3D_id u64, xyz f64 × 3, rgb u8 × 3, error f64,
/// track_length u64, then (image_id u32, point2D_idx u32) × track_length.</item>
/// </list>
/// </summary>
internal static class ColmapBinary
{
    // Smallest size of one record of each file, used to bound counts by the bytes left.
    private const int MinCameraRecord = 4 + 4 + 8 + 8;              // id, model, width, height (params may be absent only for a zero-parameter model, which none is)
    private const int MinImageRecord = 4 + 4 * 8 + 3 * 8 + 4 + 1 + 8; // id, qvec, tvec, camera_id, empty name's zero byte, num_points2D
    private const int Point2DRecord = 8 + 8 + 8;                      // x, y, point3D_id
    private const int MinPointRecord = 8 + 3 * 8 + 3 + 8 + 8;         // id, xyz, rgb, error, track_length
    private const int TrackRecord = 4 + 4;                            // image_id, point2D_idx

    public static List<ColmapCameraEntry> ReadCameras(string path)
    {
        var cur = new ColmapBinaryCursor(path, ColmapReader.ReadFileBytes(path));
        int count = cur.CheckCount(cur.ReadUInt64("the number of cameras"), MinCameraRecord, "cameras");
        var cameras = new List<ColmapCameraEntry>(count);
        for (int i = 0; i < count; i++)
        {
            uint cameraId = cur.ReadUInt32($"camera {i}'s camera_id");
            int modelId = cur.ReadInt32($"camera {cameraId}'s model_id");
            ulong width = cur.ReadUInt64($"camera {cameraId}'s width");
            ulong height = cur.ReadUInt64($"camera {cameraId}'s height");
            ColmapCameraModel model = ColmapCameraModel.ById(modelId)
                ?? throw new RadiantException(path, ColmapCameraModel.UnsupportedMessage(cameraId, $"unknown (model_id {modelId})"));
            if (!model.Supported) throw new RadiantException(path, ColmapCameraModel.UnsupportedMessage(cameraId, model.Name));
            var parameters = new double[model.ParamCount];
            for (int k = 0; k < parameters.Length; k++) parameters[k] = cur.ReadDouble($"camera {cameraId}'s parameter {k}");
            string source = $"camera {cameraId}";
            cameras.Add(new ColmapCameraEntry(cameraId, model,
                ColmapReader.CheckImageSize(path, source, width, "width"),
                ColmapReader.CheckImageSize(path, source, height, "height"),
                parameters, source));
        }
        ExpectEnd(cur);
        return cameras;
    }

    public static List<ColmapImageEntry> ReadImages(string path)
    {
        var cur = new ColmapBinaryCursor(path, ColmapReader.ReadFileBytes(path));
        int count = cur.CheckCount(cur.ReadUInt64("the number of images"), MinImageRecord, "images");
        var images = new List<ColmapImageEntry>(count);
        for (int i = 0; i < count; i++)
        {
            uint imageId = cur.ReadUInt32($"image {i}'s image_id");
            string what = $"image {imageId}";
            double qw = cur.ReadDouble(what + "'s qvec"), qx = cur.ReadDouble(what + "'s qvec"),
                   qy = cur.ReadDouble(what + "'s qvec"), qz = cur.ReadDouble(what + "'s qvec");
            double tx = cur.ReadDouble(what + "'s tvec"), ty = cur.ReadDouble(what + "'s tvec"), tz = cur.ReadDouble(what + "'s tvec");
            uint cameraId = cur.ReadUInt32(what + "'s camera_id");
            string name = cur.ReadNullTerminatedString(what + "'s name");
            ulong numPoints2D = cur.ReadUInt64($"image {imageId} ('{name}')'s num_points2D");
            cur.Skip(numPoints2D, Point2DRecord, $"points2D of image {imageId} ('{name}')");
            images.Add(new ColmapImageEntry(imageId, qw, qx, qy, qz, tx, ty, tz, cameraId, name, $"image {imageId} ('{name}')"));
        }
        ExpectEnd(cur);
        return images;
    }

    public static List<ColmapReader.Point3D> ReadPoints(string path)
    {
        var cur = new ColmapBinaryCursor(path, ColmapReader.ReadFileBytes(path));
        int count = cur.CheckCount(cur.ReadUInt64("the number of points"), MinPointRecord, "points");
        var points = new List<ColmapReader.Point3D>(count);
        for (int i = 0; i < count; i++)
        {
            ulong pointId = cur.ReadUInt64($"point {i}'s point3D_id");
            string what = $"point {pointId}";
            double x = cur.ReadDouble(what + "'s xyz"), y = cur.ReadDouble(what + "'s xyz"), z = cur.ReadDouble(what + "'s xyz");
            byte r = cur.ReadByte(what + "'s rgb"), g = cur.ReadByte(what + "'s rgb"), b = cur.ReadByte(what + "'s rgb");
            cur.ReadDouble(what + "'s error");
            ulong trackLength = cur.ReadUInt64(what + "'s track_length");
            cur.Skip(trackLength, TrackRecord, what + "'s track");
            points.Add(ColmapReader.CheckPoint(path, what, pointId, x, y, z, r, g, b));
        }
        ExpectEnd(cur);
        return points;
    }

    private static void ExpectEnd(ColmapBinaryCursor cur)
    {
        if (cur.Remaining != 0)
            throw new RadiantException(cur.FilePath, $"file is corrupt: {cur.Remaining} unexpected byte(s) after the last record at byte offset {cur.Offset}");
    }
}
