using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Radiant.Data;
using Radiant.Data.Multiscale;
using Radiant.Evaluation;
using Radiant.Export;
using Radiant.Rendering;

namespace Radiant.Cli.Commands;

/// <summary><c>radiant eval MODEL DATA</c>: measure a trained model on a dataset's views.</summary>
public static class EvalCommand
{
    public static Command CreateEval()
    {
        var model = new Argument<string>("model") { Description = "Training output folder or a 3DGS .ply file (from any standard trainer)" };
        var data = new Argument<string>("data") { Description = "Dataset folder to evaluate on" };
        var split = new Option<string>("--split") { Description = "train, test, val or all", DefaultValueFactory = _ => "test" };
        var output = new Option<string?>("--json") { Description = "Write per-view and mean metrics here (default: MODEL/eval_SPLIT.json when MODEL is a folder)" };
        var scales = new Option<string?>("--scales")
        {
            Description = "Multiscale evaluation (mip-NeRF): PSNR/SSIM per scale and their mean, e.g. 1,2,4,8. " +
                "Multiscale datasets: the views labelled with these scales; others: every view downscaled by 2x2 averaging",
        };
        var alignPoses = new Option<bool>("--align-poses")
        {
            Description = "Align each view's pose to its photo through the fixed model before scoring it (BARF's test-time alignment): " +
                "for poses with errors of their own, e.g. COLMAP's, or a model trained with --pose-opt",
        };
        var alignSteps = new Option<int>("--align-steps") { Description = "With --align-poses: the most Adam steps per view (a render and a backward pass each; the learning rate drops when the loss stops falling, and a view ends once it has settled: after 40 steps on a pose that is already right, 100-190 on average on COLMAP's poses)", DefaultValueFactory = _ => 300 };
        var dataOptions = new DataOptions();
        var supersample = new SupersampleLevelsOption();
        var command = new Command("eval", "Render every view of a split and report PSNR and SSIM per view and their mean") { model, data, split, output, scales, alignPoses, alignSteps };
        dataOptions.AddTo(command);
        supersample.AddTo(command);
        CommandRunner.SetAction(command, (result, console) =>
        {
            int[]? levels = result.GetValue(scales) is { } text ? ScaleLevels.Parse(text, "--scales") : null;
            bool align = result.GetValue(alignPoses);
            int steps = result.GetValue(alignSteps);
            if (align && levels is not null) throw new RadiantException("--align-poses cannot be combined with --scales");
            if (steps < 1) throw new RadiantException("--align-steps must be at least 1");
            var (ply, ds, cameras, options) = Prepare(result, console, model, data, split, dataOptions, supersample);
            string splitName = result.GetValue(split)!;
            MultiscaleResult? multiscale = null;
            List<ViewMetrics> views;
            TestPoseAlignment? alignment = align ? new TestPoseAlignment(ds.CameraExtent().Radius) { MaxSteps = steps } : null;
            if (levels is null)
                views = console.Progress(align ? $"aligning and evaluating {cameras.Count} {splitName} views (at most {steps} steps each)" : $"evaluating {cameras.Count} {splitName} views",
                    p => Evaluator.Evaluate(ply.Gaussians, ds, cameras, options, progress: p, alignment: alignment));
            else
            {
                string what = MultiscaleEvaluator.HasLabels(ds, cameras)
                    ? $"evaluating the {splitName} views labelled with scales {ScaleLevels.Format(levels)}"
                    : $"evaluating {cameras.Count} {splitName} views at scales {ScaleLevels.Format(levels)}";
                multiscale = console.Progress(what, p => MultiscaleEvaluator.Evaluate(ply.Gaussians, ds, cameras, levels, options, splitName, p));
                views = multiscale.Views;
            }
            foreach (var v in views)
                console.Line(string.Create(CultureInfo.InvariantCulture, $"{v.Name,-32} {v.Width}x{v.Height}  PSNR {v.Psnr,6:0.00}  SSIM {v.Ssim:0.0000}") +
                             (v.Alignment is { } a ? string.Create(CultureInfo.InvariantCulture, $"  aligned by {a.RotationDegrees:0.000}° and {a.Translation:0.0000} in {a.Steps} steps") : ""));
            double psnr = views.Average(v => v.Psnr), ssim = views.Average(v => v.Ssim);
            console.Line(string.Create(CultureInfo.InvariantCulture, $"mean over {views.Count} views: PSNR {psnr:0.00} dB, SSIM {ssim:0.0000}") +
                         (align ? string.Create(CultureInfo.InvariantCulture, $" (poses aligned; mean turn {views.Average(v => v.Alignment!.RotationDegrees):0.000}°, move {views.Average(v => v.Alignment!.Translation):0.0000})") : ""));
            if (multiscale is not null) PrintScales(console, multiscale);

            string modelPath = result.GetValue(model)!;
            string? jsonPath = result.GetValue(output) ?? (Directory.Exists(modelPath) ? Path.Combine(modelPath, $"eval_{splitName}.json") : null);
            if (jsonPath is not null)
            {
                var list = new JsonArray();
                foreach (var v in views)
                {
                    var entry = new JsonObject { ["name"] = v.Name, ["width"] = v.Width, ["height"] = v.Height, ["psnr"] = Math.Round(v.Psnr, 4), ["ssim"] = Math.Round(v.Ssim, 5) };
                    if (multiscale is not null) entry["scale"] = ScaleLevels.Scale(v.ScaleLevel);
                    if (v.Alignment is { } a)
                    {
                        entry["aligned_rotation_degrees"] = Math.Round(a.RotationDegrees, 5);
                        entry["aligned_translation"] = Math.Round(a.Translation, 6);
                        entry["aligned_steps"] = a.Steps;
                    }
                    list.Add(entry);
                }
                var doc = new JsonObject
                {
                    ["model"] = Path.GetFullPath(ModelFile.Resolve(modelPath)),
                    ["data"] = ds.Root,
                    ["split"] = splitName,
                    ["psnr"] = Math.Round(psnr, 4),
                    ["ssim"] = Math.Round(ssim, 5),
                    ["views"] = list,
                };
                if (multiscale is not null) doc["scales"] = ScalesJson(multiscale);
                if (align) doc["align_poses_max_steps"] = steps;
                AtomicFile.WriteAllText(jsonPath, doc.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
                console.Line($"wrote {jsonPath}");
            }
            return 0;
        });
        return command;
    }

    /// <summary>The per-scale table: one row a scale, then the mean over scales (mip-NeRF's "avg").</summary>
    private static void PrintScales(Console console, MultiscaleResult m)
    {
        console.Line(m.FromLabels ? "per scale (views grouped by their multiscale label):" : "per scale (ground truth downscaled by 2x2 averaging):");
        console.Line("scale  size       views    PSNR    SSIM");
        foreach (ScaleMetrics s in m.Scales)
            console.Line(string.Create(CultureInfo.InvariantCulture, $"{"1/" + s.Scale,-6} {s.Width + "x" + s.Height,-10} {s.Views,5}  {s.Psnr,6:0.00}  {s.Ssim:0.0000}"));
        console.Line(string.Create(CultureInfo.InvariantCulture, $"{"mean",-6} {"",-10} {m.Views.Count,5}  {m.Psnr,6:0.00}  {m.Ssim:0.0000}"));
    }

    private static JsonObject ScalesJson(MultiscaleResult m)
    {
        var levels = new JsonArray();
        foreach (ScaleMetrics s in m.Scales)
            levels.Add(new JsonObject
            {
                ["scale"] = s.Scale,
                ["label"] = s.Level,
                ["width"] = s.Width,
                ["height"] = s.Height,
                ["views"] = s.Views,
                ["psnr"] = Math.Round(s.Psnr, 4),
                ["ssim"] = Math.Round(s.Ssim, 5),
            });
        return new JsonObject
        {
            ["ground_truth"] = m.FromLabels ? "labels" : "downscaled",
            ["per_scale"] = levels,
            ["mean"] = new JsonObject { ["psnr"] = Math.Round(m.Psnr, 4), ["ssim"] = Math.Round(m.Ssim, 5) },
        };
    }

    /// <summary>Loads the model and the dataset split named on the command line (shared with <c>render</c>).</summary>
    internal static (GaussianPlyData Ply, Dataset Data, IReadOnlyList<Camera> Cameras, RenderOptions Options) Prepare(
        ParseResult result, Console console, Argument<string> model, Argument<string> data, Option<string> split, DataOptions dataOptions, SupersampleLevelsOption supersample)
    {
        GaussianPlyData ply = ModelFile.LoadForRendering(result.GetValue(model)!);
        DatasetOptions d = dataOptions.ReadForModel(result, result.GetValue(model)!, console);
        Dataset ds = DatasetLoader.Load(result.GetValue(data)!, d);
        IReadOnlyList<Camera> cameras = ds.Split(result.GetValue(split)!);
        if (cameras.Count == 0) throw new RadiantException(ds.Root, $"the {result.GetValue(split)} split has no views");
        RenderOptions options = ply.RenderOptions(ds.Background) // with the model's 2D filter (Mip or dilation)
            with { SupersampleLevels = supersample.Read(result, result.GetValue(model)!) };
        return (ply, ds, cameras, options);
    }
}
