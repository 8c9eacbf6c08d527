using System.Text.Json;
using Radiant.Mathematics;
using Radiant.Rendering;

namespace Radiant.Viewer;

/// <summary>One camera of a training run as the viewer shows it: its id and name in cameras.json, its split, and the pose.</summary>
public sealed record ViewerCamera(int Id, string Name, string Split, RenderCamera Camera);

/// <summary>
/// Reads a run folder's <c>cameras.json</c> (written by TrainingSession: position = camera centre,
/// rotation = camera-to-world in OpenCV axes, fx fy and optional cx cy in pixels) back into
/// world-to-camera <see cref="RenderCamera"/>s: R = rotationᵀ, t = −R·position.
/// </summary>
public static class RunCameras
{
    public const string FileName = "cameras.json";

    public static IReadOnlyList<ViewerCamera> Read(string path)
    {
        try
        {
            using JsonDocument doc = JsonDocument.Parse(File.ReadAllBytes(path));
            var list = new List<ViewerCamera>();
            foreach (JsonElement e in doc.RootElement.EnumerateArray())
                list.Add(Parse(e));
            return list;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or IndexOutOfRangeException)
        {
            throw new RadiantException(path, $"not a cameras.json of a training run: {e.Message}");
        }
        catch (IOException e) { throw new RadiantException(path, $"cannot read: {e.Message}"); }
    }

    private static ViewerCamera Parse(JsonElement e)
    {
        int width = e.GetProperty("width").GetInt32(), height = e.GetProperty("height").GetInt32();
        double fx = e.GetProperty("fx").GetDouble(), fy = e.GetProperty("fy").GetDouble();
        double cx = e.TryGetProperty("cx", out var cxe) ? cxe.GetDouble() : width / 2.0;
        double cy = e.TryGetProperty("cy", out var cye) ? cye.GetDouble() : height / 2.0;
        JsonElement p = e.GetProperty("position"), r = e.GetProperty("rotation");
        var position = new Vec3(p[0].GetDouble(), p[1].GetDouble(), p[2].GetDouble());
        double R(int i, int j) => r[i][j].GetDouble();
        Mat3 w2c = new Mat3(R(0, 0), R(0, 1), R(0, 2), R(1, 0), R(1, 1), R(1, 2), R(2, 0), R(2, 1), R(2, 2)).Transposed();
        Vec3 t = -(w2c * position);
        float[] m =
        [
            (float)w2c.M00, (float)w2c.M01, (float)w2c.M02, (float)t.X,
            (float)w2c.M10, (float)w2c.M11, (float)w2c.M12, (float)t.Y,
            (float)w2c.M20, (float)w2c.M21, (float)w2c.M22, (float)t.Z,
        ];
        string split = e.TryGetProperty("split", out var s) ? s.GetString() ?? "train" : "train";
        return new ViewerCamera(e.GetProperty("id").GetInt32(), e.GetProperty("img_name").GetString() ?? "", split,
            new RenderCamera(width, height, (float)fx, (float)fy, (float)cx, (float)cy, m));
    }
}
