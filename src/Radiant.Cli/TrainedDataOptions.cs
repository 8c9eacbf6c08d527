using System.Text.Json;

namespace Radiant.Cli;

/// <summary>
/// How a Radiant training run read its dataset, from the run's <c>config.json</c> (written by
/// <c>radiant train</c>): <c>downscale</c>, <c>background</c> and <c>test_every</c>, and whether it
/// rendered reduced pyramid levels supersampled (<c>options.supersample_levels</c>; false for a run
/// recorded before that existed). A value that is missing or malformed is null, so an older or
/// hand-edited file only loses that default.
/// </summary>
internal sealed record TrainedDataOptions(string File, int? Downscale, float[]? Background, int? TestEvery, bool SupersampleLevels)
{
    /// <summary>The options of the run that <paramref name="modelPath"/> (a run folder, or a .ply inside one) belongs to; null when there is no readable config.json.</summary>
    public static TrainedDataOptions? Find(string modelPath)
    {
        string folder = Directory.Exists(modelPath) ? modelPath : Path.GetDirectoryName(Path.GetFullPath(modelPath)) ?? ".";
        string file = Path.Combine(folder, "config.json");
        if (!System.IO.File.Exists(file)) return null;
        try
        {
            using JsonDocument doc = JsonDocument.Parse(System.IO.File.ReadAllBytes(file));
            if (doc.RootElement.ValueKind != JsonValueKind.Object) return null;
            JsonElement root = doc.RootElement;
            bool supersample = root.TryGetProperty("options", out JsonElement o) && o.ValueKind == JsonValueKind.Object
                && o.TryGetProperty("supersample_levels", out JsonElement s) && s.ValueKind == JsonValueKind.True;
            return new TrainedDataOptions(file, Int(root, "downscale", 1), Color(root), Int(root, "test_every", 0), supersample);
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static int? Int(JsonElement root, string name, int minimum) =>
        root.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out int i) && i >= minimum ? i : null;

    private static float[]? Color(JsonElement root)
    {
        if (!root.TryGetProperty("background", out JsonElement v) || v.ValueKind != JsonValueKind.Array || v.GetArrayLength() != 3) return null;
        var c = new float[3];
        int k = 0;
        foreach (JsonElement e in v.EnumerateArray())
        {
            if (e.ValueKind != JsonValueKind.Number || !e.TryGetSingle(out float f) || f is < 0 or > 1) return null;
            c[k++] = f;
        }
        return c;
    }
}
