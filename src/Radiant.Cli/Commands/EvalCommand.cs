using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Radiant.Data;
using Radiant.Evaluation;
using Radiant.Export;
using Radiant.Imaging;
using Radiant.Rendering;
using Radiant.Training;

namespace Radiant.Cli.Commands;

/// <summary><c>radiant eval MODEL DATA</c> and <c>radiant render MODEL DATA</c>: measure and render a trained model on a dataset's views.</summary>
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

    public static Command CreateRender()
    {
        var model = new Argument<string>("model") { Description = "Training output folder or a 3DGS .ply file" };
        var data = new Argument<string>("data") { Description = "Dataset whose cameras to render" };
        var split = new Option<string>("--split") { Description = "train, test, val or all", DefaultValueFactory = _ => "test" };
        var output = new Option<string>("--out") { Description = "Folder for the PNG images", Required = true };
        var dataOptions = new DataOptions();
        var command = new Command("render", "Render a trained model from a dataset's cameras to PNG images") { model, data, split, output };
        dataOptions.AddTo(command);
        CommandRunner.SetAction(command, (result, console) =>
        {
            var (ply, _, cameras, options) = Prepare(result, model, data, split, dataOptions);
            string outDir = result.GetValue(output)!;
            if (File.Exists(outDir)) throw new RadiantException(outDir, "output path is a file, not a folder");
            Directory.CreateDirectory(outDir);
            var renderer = new Renderer();
            var used = new HashSet<string>(StringComparer.Ordinal);
            console.Progress($"rendering {cameras.Count} views", p =>
            {
                for (int i = 0; i < cameras.Count; i++)
                {
                    Image img = renderer.Render(ply.Gaussians, RenderCamera.From(cameras[i]), options).Color;
                    ImageIO.SavePng(Path.Combine(outDir, TrainingSession.RenderFileName(cameras[i], used)), img);
                    p.Report((i + 1, cameras.Count));
                }
            });
            console.Line($"wrote {cameras.Count} images to {Path.GetFullPath(outDir)}");
            return 0;
        });
        return command;
    }

    private static (GaussianPlyData Ply, Dataset Data, IReadOnlyList<Camera> Cameras, RenderOptions Options) Prepare(
        ParseResult result, Argument<string> model, Argument<string> data, Option<string> split, DataOptions dataOptions)
    {
        GaussianPlyData ply = ModelFile.Load(result.GetValue(model)!);
        DatasetOptions d = dataOptions.Read(result);
        Dataset ds = DatasetLoader.Load(result.GetValue(data)!, d);
        IReadOnlyList<Camera> cameras = ds.Split(result.GetValue(split)!);
        if (cameras.Count == 0) throw new RadiantException(ds.Root, $"the {result.GetValue(split)} split has no views");
        var options = new RenderOptions { Background = d.Background, ShDegree = ply.Gaussians.ShDegree };
        return (ply, ds, cameras, options);
    }
}
