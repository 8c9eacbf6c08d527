using System.CommandLine;
using System.Globalization;
using Radiant.Benchmarks;
using Radiant.CameraPaths;
using Radiant.Data;
using Radiant.Export;
using Radiant.Rendering;

namespace Radiant.Cli.Commands;

/// <summary><c>radiant bench</c>: renderer and training-step speed on random scenes, and memory per Gaussian.</summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var quick = new Option<bool>("--quick") { Description = "Only 400x400 with 100k Gaussians and 800x800 with 300k (the two targets)" };
        var iterations = new Option<int>("--iterations") { Description = "Timed iterations per configuration (medians are reported)", DefaultValueFactory = _ => 10 };
        var antialias = new Option<bool>("--antialias") { Description = "Instead: the anti-aliasing filters' cost (forward, backward and step ms with them off and on, 3D filter computation)" };
        var only = new Option<string?>("--only") { Description = "One configuration SIZExGAUSSIANS, e.g. 800x300000 (renderer only unless --step)" };
        var step = new Option<bool>("--step") { Description = "With --only: also time the training step and memory; with --model: time training steps on the model (targets: its renders from the next camera)" };
        var stages = new Option<bool>("--stages") { Description = "Also print per-stage minimum ms, CPU ms per render+backward (all threads) and image/gradient hashes" };
        var absGrad = new Option<bool>("--absgrad") { Description = "The backward also sums AbsGS's densification statistic, as train --absgrad does (backward column and --stages; not the step)" };
        var model = new Option<string?>("--model") { Description = "Instead: render speed of a trained model (a training output folder, or a model file with a cameras.json beside it) from its cameras; each view is timed --iterations times" };
        var size = new Option<int?>("--size") { Description = "With --model: render at this width (height keeps the cameras' aspect; default: the cameras' own size)" };
        var distance = new Option<float?>("--camera-distance")
        {
            Description = $"The random scenes' camera distance from the cube's centre (default {RendererBenchmark.DefaultCameraDistance}: all of the cube in view; 1.3: at its face, like a capture inside a scene, with large splats near the camera and most Gaussians culled)",
        };
        var views = new Option<int>("--views") { Description = "With --model: number of cameras, spread over the test split (or all cameras if there is none)", DefaultValueFactory = _ => 10 };
        var command = new Command("bench", "Benchmark: forward/backward/training-step ms, render FPS and bytes per Gaussian for 200², 400², 800² images and 100k/500k Gaussians") { quick, iterations, only, step, stages, antialias, model, size, views, distance, absGrad };
        CommandRunner.SetAction(command, (result, console) =>
        {
            int n = Math.Max(3, result.GetValue(iterations));
            string? single = result.GetValue(only);
            bool timeStep = single is null || result.GetValue(step);
            (int Size, int Gaussians)[] configs = single is not null ? [ParseConfig(single)]
                : result.GetValue(quick)
                ? [(400, 100_000), (800, 300_000)]
                : [(200, 100_000), (400, 100_000), (800, 100_000), (200, 500_000), (400, 500_000), (800, 500_000), (800, 300_000)];
            console.Line($"{Environment.ProcessorCount} cores, {(System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated ? "AVX-512" : System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated ? "AVX2" : "no wide SIMD")}, {Renderer.PixelLanes}-pixel raster lanes, .NET {Environment.Version}");
            if (result.GetValue(model) is null && (result.GetValue(size) is not null || result.GetResult(views) is { Implicit: false }))
                throw new RadiantException("--size and --views apply to --model only");
            float cameraDistance = result.GetValue(distance) ?? RendererBenchmark.DefaultCameraDistance;
            if (result.GetValue(distance) is not null && (result.GetValue(model) is not null || result.GetValue(antialias)))
                throw new RadiantException("--camera-distance applies to the random scenes only (not with --model or --antialias)");
            if (!(cameraDistance >= 0 && cameraDistance <= 1000))
                throw new RadiantException("--camera-distance", $"must be between 0 and 1000 (found {cameraDistance})");
            if (result.GetValue(absGrad) && (result.GetValue(model) is not null || result.GetValue(antialias)))
                throw new RadiantException("--absgrad applies to the random scenes only (not with --model or --antialias)");
            if (result.GetValue(model) is { } modelPath)
            {
                ModelTable(console, modelPath, result.GetValue(size), result.GetValue(views), Math.Max(1, result.GetValue(iterations)), result.GetValue(step));
                return 0;
            }
            if (result.GetValue(antialias))
            {
                AntiAliasingTable(console, configs, n);
                return 0;
            }
            console.Line("image     gaussians  visible  forward ms  backward ms  step ms  render FPS  bytes/gaussian");
            foreach (var (size, gaussians) in configs)
            {
                var r = RendererBenchmark.Run(gaussians, size, size, n, cameraDistance: cameraDistance, absGrad: result.GetValue(absGrad));
                double stepMs = double.NaN, bytesPerGaussian = double.NaN;
                if (timeStep)
                {
                    var stepResult = TrainingStepBenchmark.Run(gaussians, size, size, n, cameraDistance: cameraDistance);
                    var baseline = TrainingStepBenchmark.Run(1_000, size, size, 3, cameraDistance: cameraDistance);
                    stepMs = stepResult.StepMs;
                    bytesPerGaussian = (double)(stepResult.ManagedBytes - baseline.ManagedBytes) / (gaussians - 1_000);
                }
                console.Line(string.Create(CultureInfo.InvariantCulture,
                    $"{size + "x" + size,-9} {gaussians,9:N0}  {r.Visible,7:N0}  {r.ForwardMs,10:0.0}  {r.BackwardMs,11:0.0}  {Timed(stepMs, "0.0"),7}  {r.Fps,10:0.0}  {Timed(bytesPerGaussian, "0"),14}"));
                if (result.GetValue(stages))
                {
                    var s = r.Stages;
                    console.Line(string.Create(CultureInfo.InvariantCulture,
                        $"  stage minimums ms: project {s.ProjectMs:0.0}, sort {s.SortMs:0.0}, bin {s.BinMs:0.0}, raster {s.RasterMs:0.0}, raster backward {s.RasterBackwardMs:0.0}, project backward {s.ProjectBackwardMs:0.0}; tiles per visible {r.IntersectionsPerVisible:0.00}; CPU ms per render+backward {r.CpuMsPerStep:0}; calling thread CPU ms forward {r.ThreadCpuForwardMs:0.0}, backward {r.ThreadCpuBackwardMs:0.0} (min; all the work when RADIANT_KERNEL_THREADS=1); image hash {r.ImageHash:x16}, gradient hash {r.GradientHash:x16}"));
                }
            }
            console.Line("step = render + loss (L1 + SSIM) + backward + Adam (anti-aliasing on, the training default); bytes/gaussian = marginal managed memory of a training run");
            return 0;
        });
        return command;
    }

    private static void AntiAliasingTable(Console console, (int Size, int Gaussians)[] configs, int iterations)
    {
        console.Line("image     gaussians  forward ms off/on  backward ms off/on  step ms off/on  3D filter ms (100 views)");
        foreach (var (size, gaussians) in configs)
        {
            var r = AntiAliasingBenchmark.Run(gaussians, size, size, iterations);
            console.Line(string.Create(CultureInfo.InvariantCulture,
                $"{size + "x" + size,-9} {gaussians,9:N0}  {r.ForwardOffMs,8:0.0} /{r.ForwardOnMs,6:0.0}  {r.BackwardOffMs,9:0.0} /{r.BackwardOnMs,6:0.0}  {r.StepOffMs,6:0.0} /{r.StepOnMs,6:0.0}  {r.FilterComputeMs,10:0.0}"));
        }
        console.Line("off = reference 0.3 px² dilation; on = Mip-Splatting 3D smoothing filter + 2D Mip filter (the filter is recomputed after each densification and every 100 iterations)");
    }

    private static void ModelTable(Console console, string modelPath, int? width, int viewCount, int rounds, bool timeStep)
    {
        if (width is { } w && w < 16) throw new RadiantException("--size", $"must be at least 16 (found {w})");
        if (viewCount < 1) throw new RadiantException("--views", $"must be at least 1 (found {viewCount})");
        GaussianPlyData ply = ModelFile.LoadForRendering(modelPath);
        string camerasPath = TrainingCamerasFile.FindFor(modelPath)
            ?? throw new RadiantException(modelPath, $"no {TrainingCamerasFile.FileName} in or beside the model to take the cameras from");
        var all = TrainingCamerasFile.Read(camerasPath);
        var test = all.Where(c => c.Split == "test").Select(c => c.Camera).ToList();
        List<Camera> cameras = ModelRenderBenchmark.Pick(test.Count > 0 ? test : all.Select(c => c.Camera).ToList(), viewCount, width);
        if (cameras.Count == 0) throw new RadiantException(camerasPath, "has no cameras");
        var options = ply.RenderOptions([1, 1, 1]);
        var r = console.Progress($"rendering {cameras.Count} views of {ply.Gaussians.Count:N0} Gaussians", p => ModelRenderBenchmark.Run(ply.Gaussians, cameras, options, rounds, p));
        var s = r.Stages;
        console.Line(string.Create(CultureInfo.InvariantCulture,
            $"{Path.GetFullPath(ModelFile.Resolve(modelPath))}: {r.Gaussians:N0} Gaussians (SH degree {ply.Gaussians.ShDegree}), {r.Views} views at {r.Width}x{r.Height}, {rounds} timed renders each"));
        console.Line(string.Create(CultureInfo.InvariantCulture,
            $"render median {r.MedianMs:0.0} ms, {r.Fps:0.0} FPS; visible {r.MeanVisible:N0} on average, tiles per visible {r.TilesPerVisible:0.00}; stage minimums ms: project {s.ProjectMs:0.0}, sort {s.SortMs:0.0}, bin {s.BinMs:0.0}, raster {s.RasterMs:0.0}"));
        if (!timeStep) return;
        var steps = console.Progress($"training {cameras.Count} views", p => ModelStepBenchmark.Run(ply.Gaussians, cameras, options, rounds, p));
        console.Line(string.Create(CultureInfo.InvariantCulture,
            $"training step median {steps.MedianMs:0.0} ms over {rounds} steps per view (render, loss, backward, Adam; no densification); stage minimums ms: project {steps.Stages.ProjectMs:0.0}, sort {steps.Stages.SortMs:0.0}, bin {steps.Stages.BinMs:0.0}, raster {steps.Stages.RasterMs:0.0}, raster backward {steps.Stages.RasterBackwardMs:0.0}, project backward {steps.Stages.ProjectBackwardMs:0.0}"));
    }

    private static (int Size, int Gaussians) ParseConfig(string text)
    {
        string[] parts = text.Split('x');
        if (parts.Length != 2 || !int.TryParse(parts[0], out int size) || !int.TryParse(parts[1], out int gaussians) || size < 16 || gaussians < 2_000)
            throw new RadiantException("--only", $"expected SIZExGAUSSIANS (size ≥ 16, gaussians ≥ 2000), got '{text}'");
        return (size, gaussians);
    }

    /// <summary>A figure measured only with --step: "-" when it was not.</summary>
    private static string Timed(double value, string format) =>
        double.IsNaN(value) ? "-" : value.ToString(format, CultureInfo.InvariantCulture);
}
