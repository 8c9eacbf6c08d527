using System.CommandLine;
using Radiant.Data;
using Radiant.Export;
using Radiant.Imaging;
using Radiant.Rendering;
using Radiant.Training;

namespace Radiant.Cli.Commands;

/// <summary><c>radiant render MODEL DATA</c>: render a trained model from a dataset's cameras to images.</summary>
public static class RenderCommand
{
    public static Command Create()
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
            var (ply, _, cameras, options) = EvalCommand.Prepare(result, model, data, split, dataOptions);
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
}
