using System.CommandLine;
using System.Globalization;
using Radiant.Benchmarks;

namespace Radiant.Cli.Commands;

/// <summary><c>radiant bench</c>: renderer and training-step speed on random scenes, and memory per Gaussian.</summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var quick = new Option<bool>("--quick") { Description = "Only 400x400 with 100k Gaussians and 800x800 with 300k (the two targets)" };
        var iterations = new Option<int>("--iterations") { Description = "Timed iterations per configuration (medians are reported)", DefaultValueFactory = _ => 10 };
        var antialias = new Option<bool>("--antialias") { Description = "Instead: the anti-aliasing filters' cost (forward, backward and step ms with them off and on, 3D filter computation)" };
        var command = new Command("bench", "Benchmark: forward/backward/training-step ms, render FPS and bytes per Gaussian for 200², 400², 800² images and 100k/500k Gaussians") { quick, iterations, antialias };
        CommandRunner.SetAction(command, (result, console) =>
        {
            int n = Math.Max(3, result.GetValue(iterations));
            (int Size, int Gaussians)[] configs = result.GetValue(quick)
                ? [(400, 100_000), (800, 300_000)]
                : [(200, 100_000), (400, 100_000), (800, 100_000), (200, 500_000), (400, 500_000), (800, 500_000), (800, 300_000)];
            console.Line($"{Environment.ProcessorCount} cores, {(System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated ? "AVX-512" : System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated ? "AVX2" : "no wide SIMD")}, .NET {Environment.Version}");
            if (result.GetValue(antialias))
            {
                AntiAliasingTable(console, configs, n);
                return 0;
            }
            console.Line("image     gaussians  visible  forward ms  backward ms  step ms  render FPS  bytes/gaussian");
            foreach (var (size, gaussians) in configs)
            {
                var r = RendererBenchmark.Run(gaussians, size, size, n);
                var step = TrainingStepBenchmark.Run(gaussians, size, size, n);
                var baseline = TrainingStepBenchmark.Run(1_000, size, size, 3);
                double bytesPerGaussian = (double)(step.ManagedBytes - baseline.ManagedBytes) / (gaussians - 1_000);
                console.Line(string.Create(CultureInfo.InvariantCulture,
                    $"{size + "x" + size,-9} {gaussians,9:N0}  {r.Visible,7:N0}  {r.ForwardMs,10:0.0}  {r.BackwardMs,11:0.0}  {step.StepMs,7:0.0}  {r.Fps,10:0.0}  {bytesPerGaussian,14:0}"));
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
}
