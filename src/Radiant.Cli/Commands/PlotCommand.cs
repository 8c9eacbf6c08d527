using System.CommandLine;
using System.Globalization;
using Radiant.Imaging;
using Radiant.Logging;
using Radiant.Plotting;

namespace Radiant.Cli.Commands;

/// <summary><c>radiant plot RUN</c>: loss and PSNR curves of a training run as a PNG.</summary>
public static class PlotCommand
{
    public static Command Create()
    {
        var run = new Argument<string>("run") { Description = "Training output folder (or its metrics.jsonl, or a TensorBoard event file)" };
        var output = new Option<string?>("--out") { Description = "PNG to write (default: RUN/curves.png)" };
        var width = new Option<int>("--width") { Description = "Image width in pixels", DefaultValueFactory = _ => 1000 };
        var height = new Option<int>("--height") { Description = "Image height in pixels", DefaultValueFactory = _ => 760 };
        var smoothing = new Option<double>("--smoothing") { Description = "Weight of the moving average drawn over the raw curves, 0 to 0.999 (0: raw only)", DefaultValueFactory = _ => 0.9 };
        var linearLoss = new Option<bool>("--linear-loss") { Description = "Plot the loss on a linear axis (default: log scale)" };
        var command = new Command("plot", "Plot a training run's loss and PSNR curves (from metrics.jsonl or its TensorBoard event files) to a PNG")
        {
            run, output, width, height, smoothing, linearLoss,
        };
        CommandRunner.SetAction(command, (result, console) =>
        {
            string runPath = result.GetValue(run)!;
            int w = result.GetValue(width), h = result.GetValue(height);
            if (w is < 200 or > 8000 || h is < 150 or > 8000) throw new RadiantException($"--width/--height must be 200..8000 and 150..8000 pixels (got {w}x{h})");
            double s = result.GetValue(smoothing);
            if (!(s >= 0 && s < 1)) throw new RadiantException($"--smoothing must be in [0, 1) (got {s.ToString(CultureInfo.InvariantCulture)})");

            RunMetrics metrics = RunMetrics.Load(runPath);
            foreach (string warning in metrics.Warnings) console.Line($"warning: {warning}");
            if (metrics.Records.Count == 0) throw new RadiantException(metrics.Source, "holds no logged iterations yet");

            string outPath = result.GetValue(output) ?? Path.Combine(Directory.Exists(runPath) ? runPath : Path.GetDirectoryName(Path.GetFullPath(runPath))!, "curves.png");
            if (!outPath.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
                throw new RadiantException(outPath, "plot writes PNG images: give --out a name ending in .png");
            MetricsRecord last = metrics.Records[^1];
            string name = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(Directory.Exists(runPath) ? runPath : Path.GetDirectoryName(Path.GetFullPath(runPath))!)));
            MetricsRecord? lastTest = metrics.Records.LastOrDefault(r => r.TestPsnr is not null);
            string title = string.Create(CultureInfo.InvariantCulture,
                $"{name}: {last.Iteration:N0} iterations, {last.Gaussians:N0} Gaussians{(lastTest is null ? "" : $", test PSNR {lastTest.TestPsnr:0.00} dB")}");
            Image image = TrainingCurves.Render(metrics.Records, new TrainingCurvesOptions
            {
                Width = w,
                Height = h,
                Smoothing = s,
                LogLoss = !result.GetValue(linearLoss),
                Title = title,
            });
            ImageIO.SavePng(outPath, image);
            console.Line($"wrote {Path.GetFullPath(outPath)} ({w}x{h}, {metrics.Records.Count} logged iterations from {metrics.Source})");
            return 0;
        });
        return command;
    }
}
