using System.Text.Json;
using Radiant.Data.Blender;

namespace Radiant.Data.Multiscale;

/// <summary>
/// mip-NeRF multiscale Blender metadata.json (written by its convert_blender_data.py, or by
/// <see cref="MultiscaleWriter"/>): per split ("train", "val", "test") an object of parallel lists
/// <c>file_path</c>, <c>cam2world</c> (3×4 or 4×4 OpenGL camera-to-world), <c>width</c>, <c>height</c>,
/// <c>focal</c>, and optionally <c>label</c> (scale level), <c>near</c>, <c>far</c>, <c>lossmult</c>,
/// <c>pix2cam</c>. The camera is mip-NeRF's: fx = fy = focal, principal point at the image centre
/// (width/2, height/2).
/// </summary>
public static class MultiscaleReader
{
    private static readonly string[] Splits = ["train", "val", "test"];

    /// <summary>Reads the dataset at <paramref name="path"/> with full-resolution cameras; the loader applies downscaling.</summary>
    public static Dataset Read(string path, DatasetOptions options)
    {
        string dir = BlenderReader.CheckFolder(path);
        string json = Path.Combine(dir, "metadata.json");
        using JsonDocument doc = JsonFields.Open(json, " (a multiscale dataset needs metadata.json)");
        JsonElement root = JsonFields.RootObject(doc, json);
        if (!JsonFields.TryGet(root, "train", out _)) throw new RadiantException(json, "train is missing (no training split)");

        var names = new HashSet<string>(StringComparer.Ordinal);
        var splits = new Dictionary<string, List<Camera>>();
        foreach (string split in Splits)
            splits[split] = JsonFields.TryGet(root, split, out JsonElement s) ? ReadSplit(s, split, dir, json, names) : [];
        if (splits["train"].Count == 0) throw new RadiantException(json, "train has no images");

        return new Dataset
        {
            Format = "multiscale",
            Root = dir,
            Train = splits["train"],
            Val = splits["val"],
            Test = splits["test"],
            Options = options,
            HasAlpha = ImageFiles.HasAlpha(splits["train"][0].ImagePath),
        };
    }

    private static List<Camera> ReadSplit(JsonElement split, string name, string dir, string json, HashSet<string> names)
    {
        if (split.ValueKind != JsonValueKind.Object) throw new RadiantException(json, $"{name} is not an object of lists (found {JsonFields.Describe(split)})");
        JsonElement files = JsonFields.Array(split, "file_path", json, name);
        int n = files.GetArrayLength();

        JsonElement? List(string field, bool required)
        {
            if (!JsonFields.TryGet(split, field, out _))
                return required ? throw new RadiantException(json, $"{name}.{field} is missing") : null;
            JsonElement list = JsonFields.Array(split, field, json, name);
            if (list.GetArrayLength() != n)
                throw new RadiantException(json, $"{name}.{field} has {list.GetArrayLength()} entries but {name}.file_path has {n}");
            return list;
        }

        JsonElement c2ws = List("cam2world", true)!.Value;
        JsonElement widths = List("width", true)!.Value, heights = List("height", true)!.Value, focals = List("focal", true)!.Value;
        JsonElement? labels = List("label", false), nears = List("near", false), fars = List("far", false), lossmults = List("lossmult", false);
        List("pix2cam", false); // checked for length only: the intrinsics follow from focal, width and height

        var cameras = new List<Camera>(n);
        for (int i = 0; i < n; i++)
        {
            string where = $"{name}.file_path[{i}]";
            JsonElement f = files[i];
            if (f.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(f.GetString()))
                throw new RadiantException(json, $"{where} is not a file name (found {JsonFields.Describe(f)})");
            string rel = f.GetString()!;
            string image = ImageFiles.Resolve(dir, rel)
                ?? throw new RadiantException(ImageFiles.Expected(dir, rel), $"image file not found ({where} of metadata.json)");

            double[] c2w = JsonFields.CameraToWorld(c2ws[i], json, $"{name}.cam2world[{i}]");
            var (rotation, translation) = JsonFields.Pose(c2w, json, $"{name}.cam2world[{i}]");
            int w = JsonFields.AsPositiveInt(JsonFields.AsNumber(widths[i], json, $"{name}.width[{i}]"), json, $"{name}.width[{i}]");
            int h = JsonFields.AsPositiveInt(JsonFields.AsNumber(heights[i], json, $"{name}.height[{i}]"), json, $"{name}.height[{i}]");
            double focal = JsonFields.AsNumber(focals[i], json, $"{name}.focal[{i}]");
            if (!(focal > 0) || !double.IsFinite(focal)) throw new RadiantException(json, $"{name}.focal[{i}] = {focal} is not a positive focal length");
            int label = 0;
            if (labels is JsonElement l)
            {
                double d = JsonFields.AsNumber(l[i], json, $"{name}.label[{i}]");
                if (!(d >= 0 && d <= 64) || d != Math.Floor(d)) throw new RadiantException(json, $"{name}.label[{i}] = {d} is not a scale level (0, 1, 2, …)");
                label = (int)d;
            }
            double lossMult = lossmults is JsonElement lm ? JsonFields.AsNumber(lm[i], json, $"{name}.lossmult[{i}]") : 1;
            if (!(lossMult >= 0) || !double.IsFinite(lossMult)) throw new RadiantException(json, $"{name}.lossmult[{i}] = {lossMult} is not a non-negative weight");
            double? near = nears is JsonElement ne ? JsonFields.AsNumber(ne[i], json, $"{name}.near[{i}]") : null;
            double? far = fars is JsonElement fa ? JsonFields.AsNumber(fa[i], json, $"{name}.far[{i}]") : null;

            cameras.Add(new Camera
            {
                Name = ImageFiles.Unique(ImageFiles.CameraName(rel, keepExtension: false), name, names),
                Width = w,
                Height = h,
                Fx = focal,
                Fy = focal,
                Cx = w / 2.0,
                Cy = h / 2.0,
                Rotation = rotation,
                Translation = translation,
                ImagePath = image,
                ScaleLevel = label,
                LossMult = lossMult,
                Near = near,
                Far = far,
            });
        }
        return cameras;
    }
}
