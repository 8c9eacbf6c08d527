using System.Text.Json.Nodes;
using Radiant.Export.Compact;
using Radiant.Model;

namespace Radiant.Export;

/// <summary>
/// What a trained model is, for <c>radiant info MODEL</c>: its file and format, Gaussian count, SH
/// degree, 2D filter, where its centres lie (the full box and the box of the middle 98 % per axis,
/// which a few far-off floaters do not stretch), opacities and sizes.
/// </summary>
public static class ModelSummary
{
    /// <summary>Whether <paramref name="path"/> names a model rather than a dataset: a model file, or a folder with a trained model in it.</summary>
    public static bool IsModel(string path) =>
        File.Exists(path) ? ModelFormats.FromExtension(path) is not null
        : Directory.Exists(path) && (File.Exists(Path.Combine(path, "point_cloud.ply")) || Directory.Exists(Path.Combine(path, "point_cloud")));

    public static JsonObject Describe(string path)
    {
        string file = ModelFile.Resolve(path);
        GaussianPlyData data = ModelFile.Load(file);
        GaussianSet g = data.Gaussians;
        int n = g.Count;
        var opacity = new float[n];
        var size = new float[n];
        for (int i = 0; i < n; i++)
        {
            opacity[i] = GaussianSet.Sigmoid(g.OpacityLogits[i]);
            size[i] = MathF.Exp(Math.Max(g.LogScales[3 * i], Math.Max(g.LogScales[3 * i + 1], g.LogScales[3 * i + 2])));
        }
        var o = new JsonObject
        {
            ["model"] = Path.GetFullPath(file),
            ["format"] = (ModelFormats.FromExtension(file) ?? ModelFormat.Ply).ToString(),
            ["file_bytes"] = new FileInfo(file).Length,
            ["gaussians"] = n,
            ["sh_degree"] = g.ShDegree,
            ["filter_2d"] = data.MipFilter2D ? "Mip filter, 0.1 px² (Mip-Splatting)" : "dilation, 0.3 px² (reference 3DGS)",
        };
        if (n == 0) return o;
        float[][] axes = [SortedAxis(g.Means, 0), SortedAxis(g.Means, 1), SortedAxis(g.Means, 2)];
        o["centre_bounds"] = new JsonObject { ["min"] = Axes(a => Quantile(axes[a], 0)), ["max"] = Axes(a => Quantile(axes[a], 1)) };
        o["centre_bounds_98"] = new JsonObject { ["min"] = Axes(a => Quantile(axes[a], 0.01)), ["max"] = Axes(a => Quantile(axes[a], 0.99)) };
        o["opacity_median"] = Round(Median(opacity));
        o["opaque_fraction"] = Round(opacity.Count(v => v >= 0.5f) / (double)n);
        o["largest_scale_median"] = Round(Median(size));
        return o;
    }

    private static JsonArray Axes(Func<int, double> value) => [Round(value(0)), Round(value(1)), Round(value(2))];

    /// <summary>Axis <paramref name="axis"/> of xyz triples, sorted.</summary>
    private static float[] SortedAxis(float[] xyz, int axis)
    {
        var v = new float[xyz.Length / 3];
        for (int i = 0; i < v.Length; i++) v[i] = xyz[3 * i + axis];
        Array.Sort(v);
        return v;
    }

    /// <summary>The q-quantile (nearest rank) of sorted values.</summary>
    private static double Quantile(float[] sorted, double q) => sorted[(int)Math.Round(q * (sorted.Length - 1))];

    /// <summary>The median (upper middle); sorts <paramref name="values"/> in place.</summary>
    private static double Median(float[] values)
    {
        Array.Sort(values);
        return values[values.Length / 2];
    }

    private static double Round(double v) => Math.Round(v, 4) + 0.0;
}
