using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Radiant.Data;
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
        var dataOptions = new DataOptions();
        var command = new Command("eval", "Render every view of a split and report PSNR and SSIM per view and their mean") { model, data, split, output };
        dataOptions.AddTo(command);
        CommandRunner.SetAction(command, (result, console) =>
        {
            var (ply, ds, cameras, options) = Prepare(result, model, data, split, dataOptions);
            string splitName = result.GetValue(split)!;
            List<ViewMetrics> views = console.Progress($"evaluating {cameras.Count} {splitName} views",
                p => Evaluator.Evaluate(ply.Gaussians, ds, cameras, options, progress: p));
            foreach (var v in views)
                console.Line(string.Create(CultureInfo.InvariantCulture, $"{v.Name,-32} {v.Width}x{v.Height}  PSNR {v.Psnr,6:0.00}  SSIM {v.Ssim:0.0000}"));
            double psnr = views.Average(v => v.Psnr), ssim = views.Average(v => v.Ssim);
            console.Line(string.Create(CultureInfo.InvariantCulture, $"mean over {views.Count} views: PSNR {psnr:0.00} dB, SSIM {ssim:0.0000}"));

            string modelPath = result.GetValue(model)!;
            string? jsonPath = result.GetValue(output) ?? (Directory.Exists(modelPath) ? Path.Combine(modelPath, $"eval_{splitName}.json") : null);
            if (jsonPath is not null)
            {
                var list = new JsonArray();
                foreach (var v in views)
                    list.Add(new JsonObject { ["name"] = v.Name, ["width"] = v.Width, ["height"] = v.Height, ["psnr"] = Math.Round(v.Psnr, 4), ["ssim"] = Math.Round(v.Ssim, 5) });
                var doc = new JsonObject
                {
                    ["model"] = Path.GetFullPath(ModelFile.Resolve(modelPath)),
                    ["data"] = ds.Root,
                    ["split"] = splitName,
                    ["psnr"] = Math.Round(psnr, 4),
                    ["ssim"] = Math.Round(ssim, 5),
                    ["views"] = list,
                };
                AtomicFile.WriteAllText(jsonPath, doc.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
                console.Line($"wrote {jsonPath}");
            }
            return 0;
        });
        return command;
    }

    /// <summary>Loads the model and the dataset split named on the command line (shared with <c>render</c>).</summary>
    internal static (GaussianPlyData Ply, Dataset Data, IReadOnlyList<Camera> Cameras, RenderOptions Options) Prepare(
        ParseResult result, Argument<string> model, Argument<string> data, Option<string> split, DataOptions dataOptions)
    {
        GaussianPlyData ply = ModelFile.Load(result.GetValue(model)!);
        DatasetOptions d = dataOptions.Read(result);
        Dataset ds = DatasetLoader.Load(result.GetValue(data)!, d);
        IReadOnlyList<Camera> cameras = ds.Split(result.GetValue(split)!);
        if (cameras.Count == 0) throw new RadiantException(ds.Root, $"the {result.GetValue(split)} split has no views");
        RenderOptions options = ply.RenderOptions(d.Background); // with the model's 2D filter (Mip or dilation)
        return (ply, ds, cameras, options);
    }
}
