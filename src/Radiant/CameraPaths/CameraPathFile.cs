using System.Text.Json;
using System.Text.Json.Nodes;
using Radiant.Data;
using Radiant.Mathematics;

namespace Radiant.CameraPaths;

/// <summary>
/// Reads and writes camera path files (JSON). The file is either a list of keyframes or an object
/// <c>{"version": 1, "frames", "fps", "width", "height", "up", "keyframes": [...]}</c> whose fields
/// other than keyframes are optional defaults. A keyframe is
/// <c>{"position": [x, y, z], "quaternion": [w, x, y, z]}</c> (camera-to-world rotation, OpenCV axes:
/// the camera looks along its +z with +y down, as cameras.json) or
/// <c>{"position": [...], "look_at": [x, y, z], "up": [x, y, z]}</c> (up optional: the file's, else the
/// scene's), plus optional <c>"fov"</c> (vertical, degrees) and <c>"time"</c> (seconds; all keyframes or none).
/// </summary>
public static class CameraPathFile
{
    public const int Version = 1;

    /// <param name="defaultFovYDegrees">Field of view of keyframes that give none.</param>
    /// <param name="defaultUp">Up direction of look-at keyframes when neither they nor the file give one.</param>
    public static CameraPath Read(string path, double defaultFovYDegrees, Vec3 defaultUp)
    {
        using JsonDocument doc = JsonFields.Open(path, " (--path takes orbit, spiral, dataset or a camera path .json file)");
        JsonElement root = doc.RootElement;
        JsonElement list;
        int? frames = null, width = null, height = null;
        double? fps = null;
        Vec3? up = null;
        if (root.ValueKind == JsonValueKind.Array) list = root;
        else if (root.ValueKind == JsonValueKind.Object)
        {
            list = JsonFields.Array(root, "keyframes", path, "");
            frames = JsonFields.OptionalPositiveInt(root, "frames", path, "");
            width = JsonFields.OptionalPositiveInt(root, "width", path, "");
            height = JsonFields.OptionalPositiveInt(root, "height", path, "");
            fps = JsonFields.OptionalNumber(root, "fps", path, "");
            if (fps is { } f && !(f > 0 && double.IsFinite(f))) throw new RadiantException(path, $"fps must be a positive number (found {f})");
            if (JsonFields.TryGet(root, "up", out JsonElement u)) up = Direction(u, path, "up");
        }
        else throw new RadiantException(path, $"expected a list of keyframes or an object with \"keyframes\", found {JsonFields.Describe(root)}");

        int n = list.GetArrayLength();
        if (n < 2) throw new RadiantException(path, $"a camera path needs at least 2 keyframes, found {n}");
        var keys = new List<Keyframe>(n);
        for (int i = 0; i < n; i++) keys.Add(ReadKeyframe(list[i], path, $"keyframes[{i}]", defaultFovYDegrees, up ?? defaultUp));
        try { _ = new PathInterpolator(keys); }
        catch (ArgumentException e) { throw new RadiantException(path, e.Message, e); }
        return new CameraPath { Keyframes = keys, Frames = frames, Fps = fps, Width = width, Height = height, Up = up };
    }

    private static Keyframe ReadKeyframe(JsonElement k, string path, string where, double defaultFov, Vec3 up)
    {
        if (k.ValueKind != JsonValueKind.Object) throw new RadiantException(path, $"{where} is not an object (found {JsonFields.Describe(k)})");
        Vec3 position = Point(JsonFields.Required(k, "position", path, where), path, $"{where}.position");
        double fov = JsonFields.OptionalNumber(k, "fov", path, where) ?? defaultFov;
        if (!(fov > 0 && fov < 180)) throw new RadiantException(path, $"{where}.fov must be between 0 and 180 degrees (found {fov})");
        double? time = JsonFields.OptionalNumber(k, "time", path, where);
        if (time is { } t && !double.IsFinite(t)) throw new RadiantException(path, $"{where}.time is {t}, not a finite number");

        bool hasQuaternion = JsonFields.TryGet(k, "quaternion", out JsonElement q);
        bool hasLookAt = JsonFields.TryGet(k, "look_at", out JsonElement target);
        if (hasQuaternion == hasLookAt)
            throw new RadiantException(path, hasQuaternion ? $"{where} has both quaternion and look_at: give one" : $"{where} needs a quaternion [w, x, y, z] or a look_at point");
        CameraPose pose;
        if (hasQuaternion)
        {
            double[] v = JsonFields.FiniteNumbers(q, 4, path, $"{where}.quaternion");
            var quaternion = new Quaternion(v[0], v[1], v[2], v[3]);
            if (quaternion.Norm < 1e-9) throw new RadiantException(path, $"{where}.quaternion has zero length");
            pose = new CameraPose(position, quaternion.Normalized(), fov);
        }
        else
        {
            Vec3 lookAt = Point(target, path, $"{where}.look_at");
            Vec3 keyUp = JsonFields.TryGet(k, "up", out JsonElement u) ? Direction(u, path, $"{where}.up") : up;
            try { pose = CameraPose.LookAt(position, lookAt, keyUp, fov); }
            catch (ArgumentException e) { throw new RadiantException(path, $"{where}: {e.Message}", e); }
        }
        return new Keyframe(pose, time);
    }

    public static void Write(string path, CameraPath cameraPath)
    {
        var keys = new JsonArray();
        foreach (Keyframe k in cameraPath.Keyframes)
        {
            CameraPose p = k.Pose;
            Quaternion q = p.Orientation.Normalized();
            var o = new JsonObject
            {
                ["position"] = new JsonArray(p.Position.X, p.Position.Y, p.Position.Z),
                ["quaternion"] = new JsonArray(q.W, q.X, q.Y, q.Z),
                ["fov"] = p.FovYDegrees,
            };
            if (k.Time is { } t) o["time"] = t;
            keys.Add(o);
        }
        var doc = new JsonObject { ["version"] = Version };
        if (cameraPath.Frames is { } frames) doc["frames"] = frames;
        if (cameraPath.Fps is { } fps) doc["fps"] = fps;
        if (cameraPath.Width is { } w) doc["width"] = w;
        if (cameraPath.Height is { } h) doc["height"] = h;
        if (cameraPath.Up is { } up) doc["up"] = new JsonArray(up.X, up.Y, up.Z);
        doc["keyframes"] = keys;
        AtomicFile.WriteAllText(path, doc.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }

    private static Vec3 Point(JsonElement v, string path, string where)
    {
        double[] p = JsonFields.FiniteNumbers(v, 3, path, where);
        return new Vec3(p[0], p[1], p[2]);
    }

    private static Vec3 Direction(JsonElement v, string path, string where)
    {
        Vec3 d = Point(v, path, where);
        if (d.Length < 1e-12) throw new RadiantException(path, $"{where} has zero length");
        return d.Normalized();
    }
}
