using System.Diagnostics;
using Radiant.Data;
using Radiant.Evaluation;
using Radiant.Export;
using Radiant.Export.Compact;
using Radiant.Model;
using Radiant.Rendering;
using Radiant.Training;

namespace Radiant.Compression;

/// <summary>Which compression steps run, and their settings.</summary>
public sealed record CompressionOptions
{
    /// <summary>Fraction of the Gaussians removed by global significance (0: no pruning).</summary>
    public double PruneFraction { get; init; }
    /// <summary>Fine-tuning iterations against the photos after pruning.</summary>
    public int PruneFineTuneIterations { get; init; }
    /// <summary>SH degree to reduce to (−1 or ≥ the model's: keep).</summary>
    public int ShDegree { get; init; } = -1;
    /// <summary>Distillation iterations against the unreduced model's renders after the SH reduction.</summary>
    public int DistillIterations { get; init; }
    public ModelWriteOptions Write { get; init; } = new();
    /// <summary>The model renders with the 2D Mip filter (it was trained with anti-aliasing); kept through every step and recorded in the output where the format can.</summary>
    public bool MipFilter2D { get; init; }
    /// <summary>Views of reduced pyramid levels (multiscale data) are rendered supersampled, as the model was trained (<see cref="RenderOptions.SupersampleLevels"/>), in every measurement and fine-tuning.</summary>
    public bool SupersampleLevels { get; init; }
    public ulong Seed { get; init; } = 1;
}

/// <summary>One row of the compression report: the model after a step.</summary>
public sealed record CompressionStage(string Step, long Bytes, int Gaussians, int ShDegree, double Psnr, double Ssim, double Fps, string Note = "");

/// <summary>
/// <c>radiant compress</c>: prune by global significance (<see cref="GaussianContribution"/>),
/// fine-tune, reduce the SH degree and distil from the unreduced model, then quantise and entropy
/// code by writing the output format (<c>.rgc</c>: 16-bit positions, 8-bit scales, opacity and
/// smallest-three rotations, half-float colour, an SH k-means codebook, Brotli; or .spz /
/// .compressed.ply / .splat / .ply). Every step is measured on the test views: size, count,
/// PSNR, SSIM and render speed. Before the last step sizes are those of a standard .ply.
/// </summary>
public static class CompressionPipeline
{
    public static List<CompressionStage> Run(GaussianSet model, long inputBytes, Dataset ds, string outPath, CompressionOptions options,
                                             Action<CompressionStage>? onStage = null, Action<string, int, int>? progress = null)
    {
        IReadOnlyList<Camera> test = ds.Test.Count > 0 ? ds.Test : ds.Train;
        float[] background = ds.Background;
        double extent = ds.CameraExtent().Radius;
        var stages = new List<CompressionStage>();
        bool mip = options.MipFilter2D;
        RenderOptions RenderOptionsFor(GaussianSet g, bool? filter2D = null) =>
            new RenderOptions { Background = background, ShDegree = g.ShDegree, SupersampleLevels = options.SupersampleLevels }.WithFilter2D(filter2D ?? mip);
        void Measure(string step, GaussianSet g, long bytes, string note = "", bool? filter2D = null)
        {
            RenderOptions options = RenderOptionsFor(g, filter2D);
            List<ViewMetrics> m = Evaluator.Evaluate(g, ds, test, options);
            var stage = new CompressionStage(step, bytes, g.Count, g.ShDegree, m.Average(v => v.Psnr), m.Average(v => v.Ssim), RenderFps(g, test, options), note);
            stages.Add(stage);
            onStage?.Invoke(stage);
        }
        IProgress<(int Done, int Total)> Progress(string what) => new SyncProgress<(int Done, int Total)>(p => progress?.Invoke(what, p.Done, p.Total));

        GaussianSet g = model.Clone();
        SmoothingFilter.Bake(g); // a filter_3D model: every step works on the filtered Gaussians
        Measure("input", g, inputBytes);
        TrainingView[]? views = null;
        TrainingView[] Views() => views ??= TrainingViews.Load(ds, ds.Train);

        if (options.PruneFraction > 0)
        {
            var cams = ds.Train.Select(RenderCamera.From).ToList();
            double[] significance = GaussianContribution.Compute(g, cams, RenderOptionsFor(g), Progress("significance"));
            int removed = SignificancePruning.Prune(g, significance, options.PruneFraction);
            Measure("prune", g, PlyBytes(g), $"removed {removed} of least Σ αT");
            if (options.PruneFineTuneIterations > 0)
            {
                FineTuning.Run(g, Views(), extent, background, options.PruneFineTuneIterations, mip, options.SupersampleLevels, options.Seed, Progress("fine-tune"));
                Measure("fine-tune", g, PlyBytes(g), $"{options.PruneFineTuneIterations} iterations on the photos");
            }
        }
        if (options.ShDegree >= 0 && options.ShDegree < g.ShDegree)
        {
            GaussianSet teacher = g;
            g = FineTuning.ReduceShDegree(teacher, options.ShDegree);
            Measure($"SH {teacher.ShDegree}→{options.ShDegree}", g, PlyBytes(g));
            if (options.DistillIterations > 0)
            {
                TrainingView[] targets = FineTuning.TeacherViews(teacher, Views(), RenderOptionsFor(teacher));
                FineTuning.Run(g, targets, extent, background, options.DistillIterations, mip, options.SupersampleLevels, options.Seed, Progress("distil"));
                Measure("distil", g, PlyBytes(g), $"{options.DistillIterations} iterations on degree-{teacher.ShDegree} renders");
            }
        }

        ModelFormats.Write(outPath, g, options.Write with { MipFilter2D = mip }, progress);
        // The last row measures the file as written: what any reader of it (eval, view) renders.
        GaussianPlyData written = ModelFormats.Read(outPath);
        GaussianSet stored = written.Gaussians;
        long bytes = new FileInfo(outPath).Length;
        if (ModelFormats.FromExtension(outPath) == ModelFormat.RadiantCompact)
        {
            CompactOptions c = options.Write.Compact;
            int entries = RadiantCompactFile.CodebookEntries(g.Count, g.ShDegree, c);
            long quantised = RadiantCompactFile.HeaderBytes + RadiantCompactFile.PayloadLength(g.Count, g.ShDegree, entries);
            Measure("quantise", stored, quantised, entries > 0 ? $"SH codebook of {entries}" : "SH as half floats");
            var last = stages[^1] with { Step = $"entropy code", Bytes = bytes, Note = c.Codec.ToString() };
            stages.Add(last);
            onStage?.Invoke(last);
        }
        else Measure($"write {Path.GetFileName(outPath)}", stored, bytes,
            mip && !written.MipFilter2D ? "no 2D Mip filter mark in this format: rendered with the 0.3 px² dilation" : "", written.MipFilter2D);
        return stages;
    }

    /// <summary>Size of <paramref name="g"/> as a standard .ply: header + 4·(14 + 3K) bytes a Gaussian.</summary>
    public static long PlyBytes(GaussianSet g) => GaussianPly.Header(g.Count, g.ShDegree).Length + (long)g.Count * 4 * (14 + 3 * g.ShCoefficients);

    /// <summary>
    /// Frames per second rendering the cameras: one over the median time of a render, after the
    /// benchmark's warm-up (<see cref="Benchmarks.WarmUp"/>: the renderer's code optimised, its
    /// buffers made). Each render alone swings with JIT tiers and the machine; the median of a pass does much less.
    /// </summary>
    public static double RenderFps(GaussianSet g, IReadOnlyList<Camera> cameras, RenderOptions options)
    {
        var renderer = new Renderer();
        var cams = cameras.Select(RenderCamera.From).ToList();
        int k = 0;
        Benchmarks.WarmUp.Run(() => renderer.Render(g, cams[k++ % cams.Count], options));
        var seconds = new double[cams.Count];
        for (int i = 0; i < cams.Count; i++)
        {
            long t0 = Stopwatch.GetTimestamp();
            renderer.Render(g, cams[i], options);
            seconds[i] = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        }
        Array.Sort(seconds);
        return 1 / seconds[seconds.Length / 2];
    }
}
