using System.CommandLine;
using System.Globalization;
using Radiant.Compression;
using Radiant.Data;
using Radiant.Export;

namespace Radiant.Cli.Commands;

/// <summary><c>radiant compress MODEL DATA --out FILE</c>: prune, reduce SH, quantise and entropy code, measuring every step.</summary>
public static class CompressCommand
{
    public static Command Create()
    {
        var model = new Argument<string>("model") { Description = "Training output folder or model file (.ply, .compressed.ply, .splat, .spz, .rgc)" };
        var data = new Argument<string>("data") { Description = "The dataset the model was trained on (significance and fine-tuning use its training views, the report its test views)" };
        var output = new Option<string>("--out") { Description = "File to write; the format follows the extension (.rgc: Radiant's compact format; .spz, .compressed.ply, .splat, .ply)", Required = true };
        var prune = new Option<double>("--prune") { Description = "Fraction of Gaussians to remove by global significance Σ αT over the training views (0..0.99; 0: none)", DefaultValueFactory = _ => 0.6 };
        var pruneTune = new Option<int>("--prune-finetune") { Description = "Fine-tuning iterations on the photos after pruning", DefaultValueFactory = _ => 1000 };
        var shDegree = new Option<int>("--sh-degree") { Description = "Reduce the SH degree to this (0..3; -1: keep)", DefaultValueFactory = _ => -1 };
        var distill = new Option<int>("--distill") { Description = "Distillation iterations against the unreduced model's renders after --sh-degree", DefaultValueFactory = _ => 1000 };
        var spzVersion = new Option<int>("--spz-version") { Description = ".spz version to write: 3 or 2", DefaultValueFactory = _ => 3 };
        var codec = new Option<string>("--codec") { Description = ".rgc entropy coder: brotli, deflate or none", DefaultValueFactory = _ => "brotli" };
        var codebook = new Option<int>("--sh-codebook") { Description = ".rgc k-means codebook entries for the higher SH (0: per-Gaussian half floats)", DefaultValueFactory = _ => 4096 };
        var dataOptions = new DataOptions();
        var command = new Command("compress", "Compress a trained model (significance pruning, SH reduction with distillation, quantisation, entropy coding) and report size and quality after each step")
        {
            model, data, output, prune, pruneTune, shDegree, distill, spzVersion, codec, codebook,
        };
        dataOptions.AddTo(command);
        CommandRunner.SetAction(command, (result, console) =>
        {
            double pruneFraction = result.GetValue(prune);
            if (!(pruneFraction >= 0 && pruneFraction <= 0.99)) throw new RadiantException($"--prune must be in [0, 0.99] (got {pruneFraction.ToString(CultureInfo.InvariantCulture)})");
            int degree = result.GetValue(shDegree);
            if (degree is < -1 or > 3) throw new RadiantException($"--sh-degree must be 0..3 or -1 (got {degree})");
            if (result.GetValue(pruneTune) < 0 || result.GetValue(distill) < 0) throw new RadiantException("--prune-finetune and --distill must not be negative");
            var options = new CompressionOptions
            {
                PruneFraction = pruneFraction,
                PruneFineTuneIterations = result.GetValue(pruneTune),
                ShDegree = degree,
                DistillIterations = result.GetValue(distill),
                Write = ConvertCommand.ReadWriteOptions(result, spzVersion, codec, codebook),
            };
            string outPath = result.GetValue(output)!;
            if (Export.Compact.ModelFormats.FromExtension(outPath) is null)
                throw new RadiantException(outPath, $"unknown model file extension (use one of {Export.Compact.ModelFormats.Extensions})");
            AtomicFile.EnsureWritable(outPath);   // before minutes of pruning and fine-tuning
            string modelPath = ModelFile.Resolve(result.GetValue(model)!);
            GaussianPlyData ply = ModelFile.Load(modelPath);
            // Keep the model's own 2D filter, and its rendering of reduced pyramid levels.
            options = options with { MipFilter2D = ply.MipFilter2D, SupersampleLevels = SupersampleLevelsOption.AsTrained(modelPath) };
            Dataset ds = DatasetLoader.Load(result.GetValue(data)!, dataOptions.ReadForModel(result, modelPath, console));
            if (ds.Train.Count == 0) throw new RadiantException(ds.Root, "the dataset has no training views");

            console.Line($"{"step",-StepWidth} {"bytes",12} {"ratio",7} {"Gaussians",10} {"SH",3} {"PSNR",7} {"SSIM",7} {"FPS",7}  note");
            long inputBytes = new FileInfo(modelPath).Length;
            List<CompressionStage> stages = console.Steps(report =>
                CompressionPipeline.Run(ply.Gaussians, inputBytes, ds, outPath, options,
                    onStage: s => console.Line(Row(s, inputBytes)), progress: report));
            CompressionStage first = stages[0], last = stages[^1];
            console.Line(string.Create(CultureInfo.InvariantCulture,
                $"wrote {outPath}: {(double)inputBytes / last.Bytes:0.0}x smaller, PSNR {Math.Round(last.Psnr - first.Psnr, 2) + 0.0:+0.00;-0.00} dB, SSIM {Math.Round(last.Ssim - first.Ssim, 4) + 0.0:+0.0000;-0.0000} on {(ds.Test.Count > 0 ? "test" : "train")} views"));
            return 0;
        });
        return command;
    }

    /// <summary>The step column: wide enough for "write NAME.compressed.ply" with a short name; longer steps push their row right.</summary>
    private const int StepWidth = 26;

    private static string Row(CompressionStage s, long inputBytes) => string.Create(CultureInfo.InvariantCulture,
        $"{s.Step,-StepWidth} {s.Bytes,12} {(double)inputBytes / s.Bytes,6:0.0}x {s.Gaussians,10} {s.ShDegree,3} {s.Psnr,7:0.00} {s.Ssim,7:0.0000} {s.Fps,7:0.0}  {s.Note}");
}
