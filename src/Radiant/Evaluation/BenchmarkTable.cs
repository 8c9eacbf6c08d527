using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Radiant.Evaluation;

/// <summary>
/// One trained scene's test figures (<see cref="Psnr"/> null when the scene has no test views) and,
/// for a multiscale benchmark, its test PSNR at each scale (full, 1/2, 1/4, 1/8).
/// </summary>
public sealed record SceneResult(SceneProtocol Protocol, int Downscale, int Iterations, double? Psnr, double? Ssim, int Gaussians, double TrainingSeconds,
                                 IReadOnlyList<double>? ScalePsnr = null);

/// <summary>
/// Trained scenes set beside the published figures (<see cref="PublishedFigures"/>): a row a scene,
/// then a row a suite with the means over its scenes and the reference's mean over the same scenes,
/// as a Markdown table (printed and written as <c>summary.md</c>) and as JSON (<c>summary.json</c>).
/// </summary>
public static class BenchmarkTable
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>The suites of <paramref name="rows"/> with their rows, in first-appearance order (scenes of no suite left out).</summary>
    private static IEnumerable<(BenchmarkSuite Suite, List<SceneResult> Rows)> Suites(IReadOnlyList<SceneResult> rows) =>
        rows.Where(r => r.Protocol.Suite is not null).GroupBy(r => r.Protocol.Suite!).Select(g => (g.Key, g.ToList()));

    public static string Markdown(IReadOnlyList<SceneResult> rows)
    {
        var text = new StringBuilder();
        text.AppendLine("| scene | suite | images | iterations | PSNR | SSIM | reference PSNR | difference | Gaussians | minutes |");
        text.AppendLine("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (SceneResult r in rows)
            text.AppendLine(Invariant, $"| {r.Protocol.Scene} | {r.Protocol.Suite?.Name ?? "-"} | {Reduction(r.Downscale)} | {r.Iterations:N0} | {Figure(r.Psnr, "0.00")} | {Figure(r.Ssim, "0.0000")} | {Figure(Reference(r), "0.00")} | {Difference(r.Psnr, Reference(r))} | {r.Gaussians:N0} | {r.TrainingSeconds / 60:0.0} |");
        foreach (var (suite, members) in Suites(rows))
        {
            var (psnr, ssim) = Means(members);
            double? reference = SuiteReference(suite, members);
            text.AppendLine(Invariant, $"| **mean of {members.Count}** | {suite.Name} | | | {Figure(psnr, "0.00")} | {Figure(ssim, "0.0000")} | {Figure(reference, "0.00")} | {Difference(psnr, reference)} | | {members.Sum(m => m.TrainingSeconds) / 60:0.0} |");
        }
        foreach (var (suite, members) in Suites(rows))
        {
            if (suite.ScalePsnr is not { } published || members.All(m => m.ScalePsnr is null)) continue;
            bool comparable = members.All(AtProtocolReduction);
            text.AppendLine().AppendLine(Invariant, $"{suite.Name}, test PSNR per scale:").AppendLine();
            text.AppendLine("| scene | full | 1/2 | 1/4 | 1/8 | mean |");
            text.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: |");
            var measured = members.Where(m => m.ScalePsnr is not null).ToList();
            foreach (SceneResult m in measured) text.AppendLine(ScaleRow(m.Protocol.Scene, m.ScalePsnr!));
            if (measured.Count > 1) text.AppendLine(ScaleRow($"**mean of {measured.Count}**", ScaleMeans(measured)));
            if (comparable) text.AppendLine(ScaleRow($"{suite.Method} (mean of {suite.Scenes.Count} scenes)", published));
        }
        var suites = Suites(rows).Select(s => s.Suite).ToList();
        if (suites.Count > 0)
        {
            text.AppendLine();
            foreach (BenchmarkSuite suite in suites) text.AppendLine($"{suite.Name}: {suite.Source}.");
            if (rows.Any(r => r.Protocol.Suite is not null && !AtProtocolReduction(r)))
                text.AppendLine("Scenes trained at another image reduction than their protocol's are not compared.");
        }
        return text.ToString();
    }

    public static JsonObject Json(IReadOnlyList<SceneResult> rows)
    {
        var scenes = new JsonArray();
        foreach (SceneResult r in rows)
            scenes.Add(new JsonObject
            {
                ["scene"] = r.Protocol.Scene,
                ["suite"] = r.Protocol.Suite?.Name,
                ["downscale"] = r.Downscale,
                ["iterations"] = r.Iterations,
                ["psnr"] = Round(r.Psnr, 4),
                ["ssim"] = Round(r.Ssim, 5),
                ["reference_psnr"] = Reference(r),
                ["gaussians"] = r.Gaussians,
                ["training_seconds"] = Math.Round(r.TrainingSeconds, 1),
                ["scale_psnr"] = r.ScalePsnr is { } scales ? new JsonArray([.. scales.Select(p => (JsonNode?)Math.Round(p, 4))]) : null,
            });
        var suites = new JsonArray();
        foreach (var (suite, members) in Suites(rows))
        {
            var (psnr, ssim) = Means(members);
            bool complete = members.Count == suite.Scenes.Count, comparable = members.All(AtProtocolReduction);
            var withScales = members.Where(m => m.ScalePsnr is not null).ToList();
            suites.Add(new JsonObject
            {
                ["suite"] = suite.Name,
                ["method"] = suite.Method,
                ["scenes"] = members.Count,
                ["psnr"] = Round(psnr, 4),
                ["ssim"] = Round(ssim, 5),
                ["reference_psnr"] = SuiteReference(suite, members),
                ["reference_ssim"] = complete && comparable ? suite.MeanSsim : null,
                ["scale_psnr"] = withScales.Count > 0 ? new JsonArray([.. ScaleMeans(withScales).Select(p => (JsonNode?)Math.Round(p, 4))]) : null,
                ["reference_scale_psnr"] = suite.ScalePsnr is { } published && comparable ? new JsonArray([.. published.Select(p => (JsonNode?)p)]) : null,
            });
        }
        return new JsonObject { ["reference_iterations"] = PublishedFigures.Iterations, ["scenes"] = scenes, ["suites"] = suites };
    }

    /// <summary>Whether a row was trained at its protocol's image reduction, the only case its published figure is compared with.</summary>
    private static bool AtProtocolReduction(SceneResult r) => r.Downscale == r.Protocol.Downscale;

    private static double? Reference(SceneResult r) => AtProtocolReduction(r) ? r.Protocol.ReferencePsnr : null;

    private static double? SuiteReference(BenchmarkSuite suite, List<SceneResult> members) =>
        members.All(AtProtocolReduction) ? PublishedFigures.MeanPsnr(suite, [.. members.Select(m => m.Protocol)]) : null;

    private static string ScaleRow(string label, IReadOnlyList<double> psnr) =>
        string.Create(Invariant, $"| {label} | {string.Join(" | ", psnr.Select(p => p.ToString("0.00", Invariant)))} | {psnr.Average():0.00} |");

    private static double[] ScaleMeans(List<SceneResult> rows) =>
        [.. Enumerable.Range(0, rows[0].ScalePsnr!.Count).Select(j => rows.Average(r => r.ScalePsnr![j]))];

    /// <summary>Means over the rows that have test figures (null when none has).</summary>
    private static (double? Psnr, double? Ssim) Means(List<SceneResult> rows)
    {
        var measured = rows.Where(r => r.Psnr is not null).ToList();
        return measured.Count == 0 ? (null, null) : (measured.Average(r => r.Psnr!.Value), measured.Average(r => r.Ssim!.Value));
    }

    /// <summary>A reduction as the table shows it: full, 1/N, or auto.</summary>
    public static string Reduction(int downscale) => downscale switch
    {
        Data.DatasetOptions.Auto => "auto",
        1 => "full",
        _ => "1/" + downscale.ToString(Invariant),
    };

    private static string Figure(double? value, string format) => value is { } v ? v.ToString(format, Invariant) : "-";

    private static string Difference(double? psnr, double? reference) =>
        psnr is { } p && reference is { } r ? (p - r).ToString("+0.00;-0.00;0.00", Invariant) : "-";

    private static double? Round(double? value, int digits) => value is { } v ? Math.Round(v, digits) : null;
}
