using System.Text.Json;

namespace Radiant.Data;

/// <summary>
/// Helpers shared by the JSON-described layouts (Blender transforms_*.json, nerfstudio transforms.json,
/// mip-NeRF metadata.json): open and parse a file, read typed fields with errors that name the file and
/// the JSON path of the bad value ("frames[3].transform_matrix is not a 4x4 matrix").
/// </summary>
internal static class JsonFields
{
    /// <summary>Parses <paramref name="path"/>; a missing file or malformed JSON becomes a one-line error naming the file.</summary>
    public static JsonDocument Open(string path, string missingHint = "")
    {
        if (!File.Exists(path))
            throw new RadiantException(path, Directory.Exists(path) ? "is a folder, not a JSON file" : "file not found" + missingHint);
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new RadiantException(path, $"cannot read: {e.Message}", e); }
        if (bytes.AsSpan().StartsWith("\uFEFF"u8)) bytes = bytes[3..]; // UTF-8 byte-order mark (Windows editors)
        bytes = QuoteNonFiniteLiterals(bytes);
        try
        {
            return JsonDocument.Parse(bytes, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            throw new RadiantException(path, $"malformed JSON: {OneLine(e.Message)}", e);
        }
    }

    /// <summary>
    /// Python's json module writes NaN, Infinity and -Infinity as bare words, which strict JSON (and
    /// System.Text.Json) rejects. Outside strings they are turned into the strings "NaN" etc., which
    /// <see cref="AsNumber"/> reads as numbers, so a NaN pose is reported as a NaN pose rather than as
    /// malformed JSON.
    /// </summary>
    internal static byte[] QuoteNonFiniteLiterals(byte[] json)
    {
        List<byte>? outBytes = null;
        bool inString = false;
        int copied = 0;
        for (int i = 0; i < json.Length; i++)
        {
            byte b = json[i];
            if (inString)
            {
                if (b == (byte)'\\') i++;
                else if (b == (byte)'"') inString = false;
                continue;
            }
            if (b == (byte)'"') { inString = true; continue; }
            ReadOnlySpan<byte> rest = json.AsSpan(i);
            int len = rest.StartsWith("NaN"u8) ? 3 : rest.StartsWith("Infinity"u8) ? 8 : rest.StartsWith("-Infinity"u8) ? 9 : 0;
            if (len == 0) continue;
            bool startOk = i == 0 || !char.IsAsciiLetterOrDigit((char)json[i - 1]);
            bool endOk = i + len == json.Length || !char.IsAsciiLetterOrDigit((char)json[i + len]);
            if (!startOk || !endOk) continue;
            outBytes ??= new List<byte>(json.Length + 16);
            outBytes.AddRange(json.AsSpan(copied, i - copied));
            outBytes.Add((byte)'"');
            outBytes.AddRange(json.AsSpan(i, len));
            outBytes.Add((byte)'"');
            i += len - 1;
            copied = i + 1;
        }
        if (outBytes is null) return json;
        outBytes.AddRange(json.AsSpan(copied));
        return outBytes.ToArray();
    }

    /// <summary>The root object of a parsed file, or an error if the file holds something else.</summary>
    public static JsonElement RootObject(JsonDocument doc, string path)
    {
        if (doc.RootElement.ValueKind != JsonValueKind.Object)
            throw new RadiantException(path, $"expected a JSON object at the top level, found {Describe(doc.RootElement)}");
        return doc.RootElement;
    }

    public static bool TryGet(JsonElement obj, string name, out JsonElement value)
    {
        value = default;
        return obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;
    }

    public static JsonElement Required(JsonElement obj, string name, string path, string where)
    {
        if (!TryGet(obj, name, out JsonElement v)) throw new RadiantException(path, $"{Join(where, name)} is missing");
        return v;
    }

    public static double? OptionalNumber(JsonElement obj, string name, string path, string where)
    {
        if (!TryGet(obj, name, out JsonElement v)) return null;
        return AsNumber(v, path, Join(where, name));
    }

    public static double Number(JsonElement obj, string name, string path, string where) =>
        AsNumber(Required(obj, name, path, where), path, Join(where, name));

    public static double AsNumber(JsonElement v, string path, string where)
    {
        // Some writers quote numbers ("w": "800"); accept that, nothing else.
        if (v.ValueKind == JsonValueKind.String && double.TryParse(v.GetString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double s))
            return s;
        if (v.ValueKind != JsonValueKind.Number) throw new RadiantException(path, $"{where} is not a number (found {Describe(v)})");
        return v.GetDouble();
    }

    public static int? OptionalPositiveInt(JsonElement obj, string name, string path, string where)
    {
        double? d = OptionalNumber(obj, name, path, where);
        if (d is null) return null;
        return AsPositiveInt(d.Value, path, Join(where, name));
    }

    public static int AsPositiveInt(double d, string path, string where)
    {
        if (!(d >= 1 && d <= int.MaxValue) || d != Math.Floor(d)) throw new RadiantException(path, $"{where} must be a positive whole number (found {d})");
        return (int)d;
    }

    public static string String(JsonElement obj, string name, string path, string where)
    {
        JsonElement v = Required(obj, name, path, where);
        if (v.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(v.GetString()))
            throw new RadiantException(path, $"{Join(where, name)} is not a file name (found {Describe(v)})");
        return v.GetString()!;
    }

    public static string? OptionalString(JsonElement obj, string name, string path, string where)
    {
        if (!TryGet(obj, name, out JsonElement v)) return null;
        if (v.ValueKind != JsonValueKind.String) throw new RadiantException(path, $"{Join(where, name)} is not a string (found {Describe(v)})");
        return v.GetString();
    }

    public static JsonElement Array(JsonElement obj, string name, string path, string where)
    {
        JsonElement v = Required(obj, name, path, where);
        if (v.ValueKind != JsonValueKind.Array) throw new RadiantException(path, $"{Join(where, name)} is not a list (found {Describe(v)})");
        return v;
    }

    /// <summary>A list of exactly <paramref name="count"/> finite numbers (a position, a quaternion); NaN and infinities are errors naming <paramref name="where"/>.</summary>
    public static double[] FiniteNumbers(JsonElement v, int count, string path, string where)
    {
        if (v.ValueKind != JsonValueKind.Array || v.GetArrayLength() != count)
            throw new RadiantException(path, $"{where} is not a list of {count} numbers (found {Describe(v)})");
        var values = new double[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = AsNumber(v[i], path, $"{where}[{i}]");
            if (!double.IsFinite(values[i])) throw new RadiantException(path, $"{where}[{i}] is {values[i]}, not a finite number");
        }
        return values;
    }

    /// <summary>
    /// A camera-to-world matrix given as a list of 4 rows of 4 numbers (or 3 rows, the last row
    /// 0 0 0 1 implied), row-major as NeRF's transform_matrix. Returns the 16 row-major values.
    /// </summary>
    public static double[] CameraToWorld(JsonElement v, string path, string where, bool allow3x4 = true)
    {
        string shape = allow3x4 ? "4x4 (or 3x4)" : "4x4";
        if (v.ValueKind != JsonValueKind.Array || v.GetArrayLength() is not (3 or 4) || (!allow3x4 && v.GetArrayLength() != 4))
            throw new RadiantException(path, $"{where} is not a {shape} matrix (found {Describe(v)})");
        int rows = v.GetArrayLength();
        var m = new double[16];
        m[15] = 1;
        for (int r = 0; r < rows; r++)
        {
            JsonElement row = v[r];
            if (row.ValueKind != JsonValueKind.Array || row.GetArrayLength() != 4)
                throw new RadiantException(path, $"{where} is not a {shape} matrix (row {r} is {Describe(row)})");
            for (int c = 0; c < 4; c++)
            {
                JsonElement e = row[c];
                if (e.ValueKind != JsonValueKind.Number && !IsNonFiniteString(e))
                    throw new RadiantException(path, $"{where} is not a {shape} matrix (element [{r}][{c}] is {Describe(e)})");
                m[r * 4 + c] = AsNumber(e, path, $"{where}[{r}][{c}]");
            }
        }
        if (rows == 4)
        {
            // Bottom row of an affine transform. A projective bottom row means the file holds something else.
            bool finite = true;
            for (int i = 0; i < 16; i++) finite &= double.IsFinite(m[i]);
            if (finite && (Math.Abs(m[12]) > 1e-4 || Math.Abs(m[13]) > 1e-4 || Math.Abs(m[14]) > 1e-4 || Math.Abs(m[15] - 1) > 1e-4))
                throw new RadiantException(path, $"{where} is not a rigid camera-to-world transform (its last row is not 0 0 0 1)");
        }
        return m;
    }

    /// <summary>
    /// The OpenCV world-to-camera pose of an OpenGL camera-to-world matrix (16 row-major values);
    /// NaN and non-rigid poses are reported with the file and the JSON path.
    /// </summary>
    public static (Mathematics.Mat3 Rotation, Mathematics.Vec3 Translation) Pose(double[] c2w, string path, string where)
    {
        var rot = new Mathematics.Mat3(c2w[0], c2w[1], c2w[2], c2w[4], c2w[5], c2w[6], c2w[8], c2w[9], c2w[10]);
        var pos = new Mathematics.Vec3(c2w[3], c2w[7], c2w[11]);
        try { return Camera.PoseFromOpenGLCameraToWorld(rot, pos, path); }
        catch (RadiantException e) { throw new RadiantException(path, $"{where}: {e.Problem}", e); }
    }

    private static bool IsNonFiniteString(JsonElement e) =>
        e.ValueKind == JsonValueKind.String && e.GetString() is "NaN" or "Infinity" or "-Infinity";

    public static string Join(string where, string name) => string.IsNullOrEmpty(where) ? name : $"{where}.{name}";

    public static string Describe(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.Array => $"a list of {v.GetArrayLength()}",
        JsonValueKind.Object => "an object",
        JsonValueKind.String => $"the string \"{Truncate(v.GetString() ?? "", 40)}\"",
        JsonValueKind.Number => $"the number {v.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => v.GetRawText(),
        JsonValueKind.Null => "null",
        _ => v.ValueKind.ToString(),
    };

    private static string Truncate(string s, int n) => s.Length <= n ? s : s[..n] + "…";

    private static string OneLine(string s) => s.Replace("\r", " ").Replace("\n", " ");
}
