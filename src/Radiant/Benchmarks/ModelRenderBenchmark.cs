using System.Diagnostics;
using Radiant.Data;
using Radiant.Model;
using Radiant.Rendering;

namespace Radiant.Benchmarks;

/// <summary>
/// Render speed of a trained model from its own cameras (for <c>radiant bench --model</c>): a
/// trained scene has small, mostly opaque Gaussians, unlike the random initialisation of
/// <see cref="RendererBenchmark"/>, so this is the figure a viewer sees.
/// </summary>
public static class ModelRenderBenchmark
{
    /// <summary>Median ms over every timed render of every view; stage times are per-stage minimums.</summary>
    public sealed record Result(int Gaussians, int Views, int Width, int Height, double MedianMs, double Fps,
                                double MeanVisible, double TilesPerVisible, RenderTimings Stages);

    /// <summary>
    /// Renders the cameras in turn to warm up (<see cref="WarmUp"/>, and each at least once), then
    /// <paramref name="rounds"/> times each, all views in turn (as a viewer moving around the scene would).
    /// </summary>
    public static Result Run(GaussianSet g, IReadOnlyList<Camera> cameras, RenderOptions options, int rounds,
                             IProgress<(int Done, int Total)>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(g);
        if (cameras.Count == 0) throw new ArgumentException("no cameras to render", nameof(cameras));
        if (rounds < 1) throw new ArgumentOutOfRangeException(nameof(rounds));
        var renderer = new Renderer();
        var views = cameras.Select(RenderCamera.From).ToList();
        // The views in turn until the JIT has compiled the optimised code, then the rest of a round (every view's buffers).
        int next = 0;
        WarmUp.Run(() => renderer.Render(g, views[next++ % views.Count], options));
        for (; next < views.Count; next++) renderer.Render(g, views[next], options);

        var times = new List<double>(rounds * views.Count);
        var stages = new List<RenderTimings>(times.Capacity);
        double visible = 0, intersections = 0;
        for (int round = 0; round < rounds; round++)
            foreach (RenderCamera c in views)
            {
                long t0 = Stopwatch.GetTimestamp();
                RenderResult r = renderer.Render(g, c, options);
                times.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
                stages.Add(renderer.LastTimings);
                visible += r.VisibleCount;
                intersections += r.TileIntersections;
                progress?.Report((times.Count, rounds * views.Count));
            }
        times.Sort();
        double median = times[times.Count / 2];
        var minimum = new RenderTimings(stages.Min(s => s.ProjectMs), stages.Min(s => s.SortMs), stages.Min(s => s.BinMs),
                                        stages.Min(s => s.RasterMs), 0, 0);
        return new Result(g.Count, views.Count, cameras[0].Width, cameras[0].Height, median, 1000 / median,
                          visible / times.Count, visible == 0 ? 0 : intersections / visible, minimum);
    }

    /// <summary>
    /// Up to <paramref name="count"/> of <paramref name="cameras"/> spread evenly over the list,
    /// resized to <paramref name="width"/> pixels wide (height keeps the aspect) when given.
    /// </summary>
    public static List<Camera> Pick(IReadOnlyList<Camera> cameras, int count, int? width)
    {
        int n = Math.Min(count, cameras.Count);
        var picked = new List<Camera>(n);
        for (int i = 0; i < n; i++)
        {
            Camera c = cameras[(int)((long)i * cameras.Count / n)];
            if (width is { } w) c = c.ResizedTo(w, Math.Max(1, (int)Math.Round((double)c.Height * w / c.Width)));
            picked.Add(c);
        }
        return picked;
    }
}
