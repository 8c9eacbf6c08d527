using System.Text.Json;
using Radiant.Data.Blender;

namespace Radiant.Data.Nerfstudio;

/// <summary>
/// nerfstudio transforms.json (its "data conventions" page; close to Instant-NGP's format).
/// <para>Intrinsics <c>fl_x fl_y cx cy w h</c> and distortion <c>k1 k2 k3 k4 p1 p2</c> sit at the top
/// level or in a frame (a frame's value overrides the top-level one). <c>camera_model</c> is PINHOLE,
/// OPENCV or OPENCV_FISHEYE (k1..k4 of OpenCV's fisheye model; others are refused); without it, an
/// Instant-NGP file's <c>is_fisheye: true</c> means OPENCV_FISHEYE. Each frame has <c>file_path</c> (relative to the json's folder), optional
/// <c>mask_path</c>, and <c>transform_matrix</c>, an OpenGL camera-to-world matrix. Optional
/// <c>ply_file_path</c> names a point cloud; optional <c>train_filenames</c>/<c>val_filenames</c>/
/// <c>test_filenames</c> give the split.</para>
/// <para>Distortion: nerfstudio's OPENCV model is radial = 1 + k1 r² + k2 r⁴ + k3 r⁶ + k4 r⁸ (a
/// polynomial, see its camera_utils; Metashape's Brown model, whose k4 nerfstudio's metashape
/// converter copies) plus OpenCV's tangential p1, p2. Its k1, k2, k3, p1, p2 are OpenCV's
/// coefficients of the same names. Its k4 is NOT OpenCV's k4 (OpenCV's k4 is the r² coefficient of
/// the rational model's denominator): it is read into <see cref="LensDistortion.R8"/>.</para>
/// </summary>
public static class NerfstudioReader
{
    /// <summary>Reads the dataset at <paramref name="path"/> with full-resolution cameras; the loader applies downscaling.</summary>
    public static Dataset Read(string path, DatasetOptions options)
    {
        string json = Directory.Exists(path) ? Path.Combine(path, "transforms.json") : path;
        string? folder = Path.GetDirectoryName(Path.GetFullPath(json));
        if (folder is null || !Directory.Exists(folder)) throw new RadiantException(folder ?? path, "dataset folder not found");
        json = Path.GetFullPath(json);
        string root = Path.GetDirectoryName(json)!;

        using JsonDocument doc = JsonFields.Open(json);
        JsonElement top = JsonFields.RootObject(doc, json);
        JsonElement frames = JsonFields.Array(top, "frames", json, "");
        if (frames.GetArrayLength() == 0) throw new RadiantException(json, "frames is empty (no images)");

        var names = new HashSet<string>(StringComparer.Ordinal);
        var cameras = new List<Camera>(frames.GetArrayLength());
        int i = 0;
        foreach (JsonElement frame in frames.EnumerateArray())
        {
            cameras.Add(ReadFrame(frame, top, root, json, $"frames[{i}]", names));
            i++;
        }
        // Photos resized after processing, against the w and h the file states: one probe per set of intrinsics.
        ResizedImages.Fit(cameras, k => (cameras[k].Width, cameras[k].Height, cameras[k].Fx, cameras[k].Fy, cameras[k].Cx, cameras[k].Cy, cameras[k].StoredOrientation));

        PointCloud? points = null;
        if (JsonFields.OptionalString(top, "ply_file_path", json, "") is string ply)
        {
            string plyPath = Path.GetFullPath(Path.Combine(root, ply));
            if (!File.Exists(plyPath)) throw new RadiantException(plyPath, $"point cloud file not found (ply_file_path of {Path.GetFileName(json)})");
            points = PlyPointCloudReader.Read(plyPath);
        }

        List<Camera> train, val = [], test;
        bool hasSplitLists = JsonFields.TryGet(top, "train_filenames", out _) || JsonFields.TryGet(top, "val_filenames", out _) || JsonFields.TryGet(top, "test_filenames", out _);
        if (hasSplitLists)
        {
            // nerfstudio matches the listed names against the frames' file paths; frames not listed in
            // any split are left out, as nerfstudio does.
            var byPath = new Dictionary<string, Camera>(StringComparer.Ordinal);
            foreach (Camera c in cameras) byPath.TryAdd(c.ImagePath, c);
            train = SplitList(top, "train_filenames", root, json, byPath) ?? throw new RadiantException(json, "train_filenames is missing (val_filenames/test_filenames are given)");
            List<Camera>? valList = SplitList(top, "val_filenames", root, json, byPath);
            List<Camera>? testList = SplitList(top, "test_filenames", root, json, byPath);
            // nerfstudio evaluates on test_filenames, else on val_filenames.
            if (testList is not null) { test = testList; val = valList ?? []; }
            else test = valList ?? [];
        }
        else (train, test) = Dataset.SplitEveryNth(cameras, options.TestEvery);

        return new Dataset
        {
            Format = "nerfstudio",
            Root = root,
            Train = train,
            Val = val,
            Test = test,
            Points = points,
            Options = options,
            HasAlpha = ImageFiles.HasAlpha(cameras[0].ImagePath),
        };
    }

    private static Camera ReadFrame(JsonElement frame, JsonElement top, string root, string json, string where, HashSet<string> names)
    {
        if (frame.ValueKind != JsonValueKind.Object) throw new RadiantException(json, $"{where} is not an object (found {JsonFields.Describe(frame)})");

        string rel = JsonFields.String(frame, "file_path", json, where);
        string image = ImageFiles.Resolve(root, rel)
            ?? throw new RadiantException(ImageFiles.Expected(root, rel), $"image file not found ({where}.file_path of {Path.GetFileName(json)})");
        string? mask = null;
        if (JsonFields.OptionalString(frame, "mask_path", json, where) is string maskRel)
            mask = ImageFiles.Resolve(root, maskRel)
                ?? throw new RadiantException(ImageFiles.Expected(root, maskRel), $"mask file not found ({where}.mask_path of {Path.GetFileName(json)})");

        double[] c2w = JsonFields.CameraToWorld(JsonFields.Required(frame, "transform_matrix", json, where), json, $"{where}.transform_matrix");
        var (rotation, translation) = JsonFields.Pose(c2w, json, $"{where}.transform_matrix");

        // A frame's own value wins over the top-level one.
        double? Num(string name) => JsonFields.OptionalNumber(frame, name, json, where) ?? JsonFields.OptionalNumber(top, name, json, "");
        int? Int(string name) => JsonFields.OptionalPositiveInt(frame, name, json, where) ?? JsonFields.OptionalPositiveInt(top, name, json, "");

        // As stored, unless w and h match only the upright (EXIF-turned) shape (see ImageFiles.Orientation).
        var (w, h, stored) = ImageFiles.Orientation(image, Int("w"), Int("h"));
        double fx = Num("fl_x") ?? (Num("camera_angle_x") is double ax ? BlenderReader.FocalFromAngle(ax, w, json, "camera_angle_x")
            : throw new RadiantException(json, $"{where} has no focal length (fl_x is missing at the top level and in the frame)"));
        double fy = Num("fl_y") ?? (Num("camera_angle_y") is double ay ? BlenderReader.FocalFromAngle(ay, h, json, "camera_angle_y") : fx);
        double cx = Num("cx") ?? w / 2.0;
        double cy = Num("cy") ?? h / 2.0;
        if (!(fx > 0 && fy > 0) || !double.IsFinite(fx) || !double.IsFinite(fy))
            throw new RadiantException(json, $"{where}: focal length ({fx}, {fy}) is not positive");
        if (!double.IsFinite(cx) || !double.IsFinite(cy)) throw new RadiantException(json, $"{where}: principal point is not finite");

        // nerfstudio treats a missing camera_model as a perspective camera; Instant-NGP's files have
        // none and mark fisheyes (its colmap2nerf.py for COLMAP's fisheye models) with is_fisheye.
        string model = (JsonFields.OptionalString(frame, "camera_model", json, where) ?? JsonFields.OptionalString(top, "camera_model", json, "")
                        ?? (IsFisheye(frame) || IsFisheye(top) ? "OPENCV_FISHEYE" : "OPENCV")).ToUpperInvariant();
        LensDistortion? distortion = model switch
        {
            // nerfstudio reads k1…p2 for every perspective model (PINHOLE files just leave them out).
            "PINHOLE" or "SIMPLE_PINHOLE" or "OPENCV" or "SIMPLE_RADIAL" or "RADIAL" => Distortion(Num, json, where),
            "OPENCV_FISHEYE" or "FISHEYE" => FisheyeDistortion(Num, json, where),
            "FISHEYE624" => throw new RadiantException(json, $"camera_model {model} is not supported (Aria's fisheye with tangential and thin-prism terms; give PINHOLE, OPENCV or OPENCV_FISHEYE images)"),
            "EQUIRECTANGULAR" => throw new RadiantException(json, "camera_model EQUIRECTANGULAR is not supported (360° panoramas are not pinhole images)"),
            _ => throw new RadiantException(json, $"unknown camera_model \"{model}\" (supported: PINHOLE, OPENCV, OPENCV_FISHEYE)"),
        };

        return new Camera
        {
            Name = ImageFiles.Unique(ImageFiles.CameraName(rel, keepExtension: true), "frames", names),
            Width = w,
            Height = h,
            Fx = fx,
            Fy = fy,
            Cx = cx,
            Cy = cy,
            Rotation = rotation,
            Translation = translation,
            ImagePath = image,
            MaskPath = mask,
            Distortion = distortion,
            StoredOrientation = stored,
        };
    }

    /// <summary>nerfstudio's OPENCV coefficients mapped onto OpenCV's model (see the class remarks); null when all are zero.</summary>
    private static LensDistortion? Distortion(Func<string, double?> num, string json, string where)
    {
        double k1 = num("k1") ?? 0, k2 = num("k2") ?? 0, k3 = num("k3") ?? 0, k4 = num("k4") ?? 0;
        double p1 = num("p1") ?? 0, p2 = num("p2") ?? 0;
        foreach (double v in new[] { k1, k2, k3, k4, p1, p2 })
            if (!double.IsFinite(v)) throw new RadiantException(json, $"{where}: distortion coefficients are not finite");
        var d = new LensDistortion(K1: k1, K2: k2, P1: p1, P2: p2, K3: k3) { R8 = k4 };
        return d.IsZero ? null : d;
    }

    private static bool IsFisheye(JsonElement obj) => JsonFields.TryGet(obj, "is_fisheye", out JsonElement v) && v.ValueKind == JsonValueKind.True;

    /// <summary>nerfstudio's OPENCV_FISHEYE: OpenCV's fisheye model with its k1..k4 (see <see cref="LensDistortion"/>).</summary>
    private static LensDistortion FisheyeDistortion(Func<string, double?> num, string json, string where)
    {
        double k1 = num("k1") ?? 0, k2 = num("k2") ?? 0, k3 = num("k3") ?? 0, k4 = num("k4") ?? 0;
        foreach (double v in new[] { k1, k2, k3, k4 })
            if (!double.IsFinite(v)) throw new RadiantException(json, $"{where}: distortion coefficients are not finite");
        return LensDistortion.FisheyeLens(k1, k2, k3, k4);
    }

    private static List<Camera>? SplitList(JsonElement top, string field, string root, string json, Dictionary<string, Camera> byPath)
    {
        if (!JsonFields.TryGet(top, field, out _)) return null;
        JsonElement list = JsonFields.Array(top, field, json, "");
        var result = new List<Camera>(list.GetArrayLength());
        int i = 0;
        foreach (JsonElement e in list.EnumerateArray())
        {
            if (e.ValueKind != JsonValueKind.String) throw new RadiantException(json, $"{field}[{i}] is not a file name (found {JsonFields.Describe(e)})");
            string name = e.GetString()!;
            string? resolved = ImageFiles.Resolve(root, name);
            if (resolved is null || !byPath.TryGetValue(resolved, out Camera? cam))
                throw new RadiantException(json, $"{field}[{i}] \"{name}\" is not the file_path of any frame");
            result.Add(cam);
            i++;
        }
        return result;
    }
}
