using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Radiant.Data;
using Radiant.Export;
using Radiant.Mathematics;

namespace Radiant.Cli.Commands;

/// <summary><c>radiant info DATA</c>: what a dataset is (layout, splits, sizes, intrinsics, bounds, points); given a model, what the model is (<see cref="ModelSummary"/>).</summary>
public static class InfoCommand
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Command Create()
    {
        var data = new Argument<string>("data") { Description = "Dataset folder (Blender, nerfstudio, COLMAP, LLFF, multiscale) or its transforms.json / metadata.json; or a model (training output folder, .ply, .compressed.ply, .splat, .spz, .rgc)" };
        var decode = new Option<bool>("--decode") { Description = "Decode every image (at the chosen --downscale) and report any that fail" };
        var json = new Option<bool>("--json") { Description = "Print the summary as JSON" };
        var dataOptions = new DataOptions();
        var command = new Command("info", "Describe a dataset (layout, cameras per split, image sizes, intrinsics, scene bounds, points) or a model (Gaussians, SH degree, filter, bounds)") { data, decode, json };
        dataOptions.AddTo(command);
        CommandRunner.SetAction(command, (result, console) =>
        {
            if (ModelSummary.IsModel(result.GetValue(data)!))
            {
                JsonObject model = ModelSummary.Describe(result.GetValue(data)!);
                if (result.GetValue(json)) console.Line(model.ToJsonString(Indented));
                else Print(model, console);
                return 0;
            }
            Dataset ds = DatasetLoader.Load(result.GetValue(data)!, dataOptions.Read(result));
            JsonObject summary = Summarize(ds);
            if (result.GetValue(json)) console.Line(summary.ToJsonString(Indented));
            else Print(summary, console);
            if (result.GetValue(decode)) return DecodeAll(ds, console);
            return 0;
        });
        return command;
    }

    public static JsonObject Summarize(Dataset ds)
    {
        var splits = new JsonObject();
        foreach (var (name, cams) in new[] { ("train", ds.Train), ("val", ds.Val), ("test", ds.Test) })
        {
            if (cams.Count == 0 && name == "val") continue;
            splits[name] = cams.Count;
        }
        var all = ds.AllCameras.ToList();
        var sizes = new JsonObject();
        foreach (var g in all.GroupBy(c => $"{c.Width}x{c.Height}").OrderByDescending(g => g.Count()))
            sizes[g.Key] = g.Count();
        static JsonArray Range(IEnumerable<double> values)
        {
            var v = values.ToList();
            return v.Count == 0 ? [] : [Round(v.Min()), Round(v.Max())];
        }
        var (lo, hi) = ds.Bounds(includePoints: false);
        var (center, radius) = ds.CameraExtent();
        var o = new JsonObject
        {
            ["format"] = ds.Format,
            ["root"] = ds.Root,
            ["cameras"] = splits,
            ["image_sizes"] = sizes,
            ["downscale"] = ds.Options.Downscale,
            ["fx"] = Range(all.Select(c => c.Fx)),
            ["fy"] = Range(all.Select(c => c.Fy)),
            ["cx"] = Range(all.Select(c => c.Cx)),
            ["cy"] = Range(all.Select(c => c.Cy)),
            ["fov_x_deg"] = Range(all.Select(c => c.FovX * 180 / Math.PI)),
            ["distorted_cameras"] = all.Count(c => c.Distortion is { IsZero: false }),
            ["alpha"] = ds.HasAlpha,
            ["background"] = new JsonArray([.. ds.Background.Select(c => (JsonNode)Round(c))]),
            ["camera_bounds"] = new JsonObject { ["min"] = Vec(lo), ["max"] = Vec(hi) },
            ["camera_center"] = Vec(center),
            ["camera_extent"] = Round(radius),
            ["points"] = ds.Points?.Count ?? 0,
        };
        if (ds.Points is { Count: > 0 })
        {
            var (plo, phi) = PointBounds(ds.Points);
            o["point_bounds"] = new JsonObject { ["min"] = Vec(plo), ["max"] = Vec(phi) };
        }
        if (all.Any(c => c.ScaleLevel != 0))
        {
            var levels = new JsonObject();
            foreach (var g in all.GroupBy(c => c.ScaleLevel).OrderBy(g => g.Key)) levels[$"d{g.Key}"] = g.Count();
            o["scale_levels"] = levels;
        }
        var near = all.Where(c => c.Near.HasValue).Select(c => c.Near!.Value).ToList();
        if (near.Count > 0) o["near_far"] = new JsonArray(Round(near.Min()), Round(all.Where(c => c.Far.HasValue).Max(c => c.Far!.Value)));
        return o;
    }

    private static (Vec3, Vec3) PointBounds(PointCloud pts)
    {
        float[] p = pts.Positions;
        double[] lo = [double.MaxValue, double.MaxValue, double.MaxValue], hi = [double.MinValue, double.MinValue, double.MinValue];
        for (int i = 0; i < p.Length; i++) { lo[i % 3] = Math.Min(lo[i % 3], p[i]); hi[i % 3] = Math.Max(hi[i % 3], p[i]); }
        return (new Vec3(lo[0], lo[1], lo[2]), new Vec3(hi[0], hi[1], hi[2]));
    }

    private static double Round(double v) => Math.Round(v, 4);
    private static JsonArray Vec(Vec3 v) => [Round(v.X), Round(v.Y), Round(v.Z)];

    private static void Print(JsonObject s, Console console)
    {
        static string Text(JsonNode? n) => n switch
        {
            null => "-",
            JsonArray a when a.Count == 2 && a[0]!.ToJsonString() == a[1]!.ToJsonString() => a[0]!.ToJsonString(),
            JsonArray a when a.Count == 2 => $"{a[0]!.ToJsonString()} .. {a[1]!.ToJsonString()}",
            JsonArray a => "(" + string.Join(", ", a.Select(x => x!.ToJsonString())) + ")",
            JsonObject obj => string.Join(", ", obj.Select(kv => $"{kv.Key} {Text(kv.Value)}")),
            JsonValue v when Count(v) is >= 1000 and var count => count.ToString("N0", CultureInfo.InvariantCulture),
            JsonValue v when v.TryGetValue(out string? str) => str!,
            _ => n.ToJsonString(),
        };
        foreach (var (key, value) in s)
            console.Line($"{key.Replace('_', ' '),-22} {(key == "image_sizes" ? ImageSizes((JsonObject)value!) : Text(value))}");
    }

    /// <summary>A whole number (a count or a size in bytes), else null.</summary>
    private static long? Count(JsonValue v) => v.TryGetValue(out long l) ? l : v.TryGetValue(out int i) ? i : null;

    /// <summary>"800x800 (100 images), 400x400 (25 images)".</summary>
    private static string ImageSizes(JsonObject sizes) =>
        string.Join(", ", sizes.Select(kv => $"{kv.Key} ({kv.Value} image{((int)kv.Value! == 1 ? "" : "s")})"));

    /// <summary>Decodes every image, so that a user learns about a bad file before training starts.</summary>
    private static int DecodeAll(Dataset ds, Console console)
    {
        var cams = ds.AllCameras.ToList();
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        console.Progress("decoding images", progress =>
        {
            int done = 0;
            Parallel.ForEach(cams, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, cam =>
            {
                try
                {
                    ds.LoadImage(cam);
                    ds.LoadMask(cam);
                }
                catch (RadiantException e) { failures.Add(e.Message); }
                progress.Report((Interlocked.Increment(ref done), cams.Count));
            });
        });
        foreach (string f in failures.OrderBy(f => f, StringComparer.Ordinal)) console.Error($"error: {f}");
        console.Line(string.Create(CultureInfo.InvariantCulture, $"decoded {cams.Count - failures.Count} of {cams.Count} images"));
        return failures.IsEmpty ? 0 : 1;
    }
}
