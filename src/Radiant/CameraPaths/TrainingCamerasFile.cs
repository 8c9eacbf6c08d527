using System.Text.Json;
using Radiant.Data;
using Radiant.Mathematics;

namespace Radiant.CameraPaths;

/// <summary>
/// Reads the cameras.json a training run writes (Radiant's or the reference trainer's): a list of
/// {id, img_name, width, height, position, rotation (camera-to-world, OpenCV axes, 3 rows), fx, fy}
/// with optional cx, cy (default: the image centre) and split ("train"/"test").
/// </summary>
public static class TrainingCamerasFile
{
    public const string FileName = "cameras.json";

    /// <summary>
    /// The cameras.json that belongs to a model: inside MODEL when it is a folder, else beside the
    /// .ply, or in the run folder of the reference layout RUN/point_cloud/iteration_N/point_cloud.ply. Null if none.
    /// </summary>
    public static string? FindFor(string modelPath)
    {
        if (Directory.Exists(modelPath))
        {
            string inside = Path.Combine(modelPath, FileName);
            return File.Exists(inside) ? inside : null;
        }
        string dir = Path.GetDirectoryName(Path.GetFullPath(modelPath))!;
        string beside = Path.Combine(dir, FileName);
        if (File.Exists(beside)) return beside;
        // The reference trainer's layout: RUN/point_cloud/iteration_N/point_cloud.ply beside RUN/cameras.json.
        DirectoryInfo? pointCloud = Directory.GetParent(dir);
        if (Path.GetFileName(dir).StartsWith("iteration_", StringComparison.Ordinal) && pointCloud is { Name: "point_cloud", Parent: { } run })
        {
            string inRun = Path.Combine(run.FullName, FileName);
            if (File.Exists(inRun)) return inRun;
        }
        return null;
    }

    public static List<(Camera Camera, string? Split)> Read(string path)
    {
        using JsonDocument doc = JsonFields.Open(path);
        JsonElement root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Array) throw new RadiantException(path, $"expected a list of cameras, found {JsonFields.Describe(root)}");
        var cameras = new List<(Camera, string?)>();
        int i = 0;
        foreach (JsonElement c in root.EnumerateArray())
        {
            string where = $"[{i++}]";
            if (c.ValueKind != JsonValueKind.Object) throw new RadiantException(path, $"{where} is not an object (found {JsonFields.Describe(c)})");
            int width = JsonFields.AsPositiveInt(JsonFields.Number(c, "width", path, where), path, $"{where}.width");
            int height = JsonFields.AsPositiveInt(JsonFields.Number(c, "height", path, where), path, $"{where}.height");
            double[] p = JsonFields.FiniteNumbers(JsonFields.Required(c, "position", path, where), 3, path, $"{where}.position");
            JsonElement rotation = JsonFields.Array(c, "rotation", path, where);
            if (rotation.GetArrayLength() != 3) throw new RadiantException(path, $"{where}.rotation is not 3 rows of 3 numbers");
            Vec3[] rows = Enumerable.Range(0, 3).Select(r =>
            {
                double[] v = JsonFields.FiniteNumbers(rotation[r], 3, path, $"{where}.rotation[{r}]");
                return new Vec3(v[0], v[1], v[2]);
            }).ToArray();
            Mat3 c2w = Mat3.FromRows(rows[0], rows[1], rows[2]);
            if (c2w.RotationError() > 1e-2) throw new RadiantException(path, $"{where}.rotation is not a rotation matrix");
            double fx = JsonFields.Number(c, "fx", path, where), fy = JsonFields.Number(c, "fy", path, where);
            if (!(fx > 0 && fy > 0 && double.IsFinite(fx) && double.IsFinite(fy))) throw new RadiantException(path, $"{where}: fx and fy must be positive");
            Mat3 w2c = c2w.Orthonormalized().Transposed();
            var position = new Vec3(p[0], p[1], p[2]);
            string name = JsonFields.TryGet(c, "img_name", out JsonElement n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : $"camera_{i - 1}";
            var camera = new Camera
            {
                Name = name,
                Width = width,
                Height = height,
                Fx = fx,
                Fy = fy,
                Cx = JsonFields.OptionalNumber(c, "cx", path, where) ?? width / 2.0,
                Cy = JsonFields.OptionalNumber(c, "cy", path, where) ?? height / 2.0,
                Rotation = w2c,
                Translation = -(w2c * position),
                ImagePath = name,
            };
            cameras.Add((camera, JsonFields.OptionalString(c, "split", path, where)));
        }
        if (cameras.Count == 0) throw new RadiantException(path, "has no cameras");
        return cameras;
    }
}
