using System.Text.Json;

namespace Radiant.Data.Blender;

/// <summary>
/// NeRF-synthetic / Blender layout: transforms_{train,val,test}.json beside RGBA PNGs.
/// <para>Each json has <c>camera_angle_x</c> (horizontal field of view, radians; focal =
/// 0.5·w / tan(0.5·camera_angle_x)) and optionally <c>camera_angle_y</c>, <c>fl_x</c>/<c>fl_y</c>,
/// <c>cx</c>/<c>cy</c>, <c>w</c>/<c>h</c>; and <c>frames</c>, each with <c>file_path</c> (relative to the
/// folder, usually without extension: "./train/r_0") and <c>transform_matrix</c>, a 4×4 OpenGL
/// camera-to-world matrix (camera looks down −z, y up).</para>
/// </summary>
public static class BlenderReader
{
    /// <summary>One frame of a transforms_*.json: its camera and the camera-to-world matrix as written (16 row-major values).</summary>
    internal sealed record Frame(Camera Camera, double[] CameraToWorld);

    /// <summary>Reads the dataset at <paramref name="path"/> with full-resolution cameras; the loader applies downscaling.</summary>
    public static Dataset Read(string path, DatasetOptions options)
    {
        string dir = CheckFolder(path);
        var names = new HashSet<string>(StringComparer.Ordinal);
        List<Frame> train = ReadSplit(dir, "train", names, required: true)!;
        // Test before val: some datasets' val split reuses the test images, and the test views
        // (the ones reported and rendered) keep the plain names.
        List<Frame> test = ReadSplit(dir, "test", names, required: false) ?? [];
        List<Frame> val = ReadSplit(dir, "val", names, required: false) ?? [];
        if (train.Count == 0) throw new RadiantException(Path.Combine(dir, "transforms_train.json"), "frames is empty (no training images)");

        return new Dataset
        {
            Format = "blender",
            Root = dir,
            Train = train.Select(f => f.Camera).ToList(),
            Val = val.Select(f => f.Camera).ToList(),
            Test = test.Select(f => f.Camera).ToList(),
            Options = options,
            HasAlpha = ImageFiles.HasAlpha(train[0].Camera.ImagePath),
        };
    }

    internal static string CheckFolder(string path)
    {
        if (File.Exists(path)) path = Path.GetDirectoryName(Path.GetFullPath(path))!;
        if (!Directory.Exists(path)) throw new RadiantException(path, "dataset folder not found");
        return Path.GetFullPath(path);
    }

    /// <summary>
    /// Reads <c>transforms_{split}.json</c>. Returns null when the file is absent and not
    /// <paramref name="required"/>. Camera names are the file paths without "./" and extension
    /// ("train/r_0"), made unique across splits through <paramref name="names"/>.
    /// </summary>
    internal static List<Frame>? ReadSplit(string dir, string split, HashSet<string> names, bool required)
    {
        string json = Path.Combine(dir, $"transforms_{split}.json");
        if (!File.Exists(json))
        {
            if (!required) return null;
            throw new RadiantException(json, "file not found (a Blender dataset needs transforms_train.json)");
        }
        using JsonDocument doc = JsonFields.Open(json);
        JsonElement root = JsonFields.RootObject(doc, json);
        JsonElement frames = JsonFields.Array(root, "frames", json, "");

        // Image size: from the json if given, else from the first image's header (all frames of a
        // NeRF-synthetic split share one size; a disagreeing image is caught when it is loaded).
        int? w = JsonFields.OptionalPositiveInt(root, "w", json, "");
        int? h = JsonFields.OptionalPositiveInt(root, "h", json, "");

        var result = new List<Frame>(frames.GetArrayLength());
        Intrinsics? intr = null;
        int i = 0;
        foreach (JsonElement frame in frames.EnumerateArray())
        {
            string where = $"frames[{i}]";
            if (frame.ValueKind != JsonValueKind.Object) throw new RadiantException(json, $"{where} is not an object (found {JsonFields.Describe(frame)})");
            string rel = JsonFields.String(frame, "file_path", json, where);
            string image = ImageFiles.Resolve(dir, rel)
                ?? throw new RadiantException(ImageFiles.Expected(dir, rel), $"image file not found ({where}.file_path of {Path.GetFileName(json)})");
            double[] c2w = JsonFields.CameraToWorld(JsonFields.Required(frame, "transform_matrix", json, where), json, $"{where}.transform_matrix");
            var (rotation, translation) = JsonFields.Pose(c2w, json, $"{where}.transform_matrix");

            // As stored, unless the size matches only the upright (EXIF-turned) shape (see ImageFiles.Orientation).
            var (width, height, stored) = ImageFiles.Orientation(image, intr?.Width ?? w, intr?.Height ?? h);
            intr ??= ReadIntrinsics(root, width, height, json);
            Camera cam = new()
            {
                Name = ImageFiles.Unique(ImageFiles.CameraName(rel, keepExtension: false), split, names),
                Width = intr.Width,
                Height = intr.Height,
                Fx = intr.Fx,
                Fy = intr.Fy,
                Cx = intr.Cx,
                Cy = intr.Cy,
                Rotation = rotation,
                Translation = translation,
                ImagePath = image,
                StoredOrientation = stored,
            };
            result.Add(new Frame(cam, c2w));
            i++;
        }
        return result;
    }

    private sealed record Intrinsics(int Width, int Height, double Fx, double Fy, double Cx, double Cy);

    private static Intrinsics ReadIntrinsics(JsonElement root, int w, int h, string json)
    {
        double? flX = JsonFields.OptionalNumber(root, "fl_x", json, "");
        double? flY = JsonFields.OptionalNumber(root, "fl_y", json, "");
        double? angleX = JsonFields.OptionalNumber(root, "camera_angle_x", json, "");
        double? angleY = JsonFields.OptionalNumber(root, "camera_angle_y", json, "");
        double fx = flX ?? (angleX is double ax ? FocalFromAngle(ax, w, json, "camera_angle_x")
            : throw new RadiantException(json, "camera_angle_x is missing (and no fl_x is given)"));
        double fy = flY ?? (angleY is double ay ? FocalFromAngle(ay, h, json, "camera_angle_y") : fx);
        double cx = JsonFields.OptionalNumber(root, "cx", json, "") ?? w / 2.0;
        double cy = JsonFields.OptionalNumber(root, "cy", json, "") ?? h / 2.0;
        if (!(fx > 0) || !double.IsFinite(fx)) throw new RadiantException(json, $"focal length {fx} is not positive");
        if (!(fy > 0) || !double.IsFinite(fy)) throw new RadiantException(json, $"focal length {fy} is not positive");
        if (!double.IsFinite(cx) || !double.IsFinite(cy)) throw new RadiantException(json, "principal point is not finite");
        return new Intrinsics(w, h, fx, fy, cx, cy);
    }

    /// <summary>NeRF's focal from a field of view: 0.5·size / tan(0.5·angle).</summary>
    internal static double FocalFromAngle(double angle, int size, string json, string field)
    {
        if (!(angle > 0 && angle < Math.PI)) throw new RadiantException(json, $"{field} = {angle} is not a field of view in radians (0 < angle < π)");
        return 0.5 * size / Math.Tan(0.5 * angle);
    }
}
