using System.Diagnostics;
using Radiant.Imaging;
using Radiant.Model;

namespace Radiant.Rendering;

/// <summary>
/// Differentiable 3D Gaussian Splatting renderer on the CPU (projection → depth sort and tile
/// binning → tile rasterization, and the reverse for gradients). Owns reusable workspaces, so a
/// training loop at a fixed image size and Gaussian count allocates nothing per call after the
/// first. Not thread-safe; the kernels use <see cref="KernelPool.Shared"/> (all cores) unless given a worker count.
/// </summary>
public sealed class Renderer
{
    private const int Chunk = 1024;

    private readonly KernelPool _pool;
    private readonly Rasterizer _rasterizer;
    private readonly RenderResult _result = new();
    private readonly Action<int> _projectJob, _backwardJob;

    private ProjectedSplat[] _splats = [];
    private byte[] _clampMasks = [];
    private int[] _visible = [];
    private int _visibleCount, _nextChunk;

    // The frame of the last Render (what Backward needs).
    private GaussianSet? _gaussians;
    private int _count;
    private ProjectionCamera _camera;   // at the sampled size (k times the view's with supersampling)
    private int _samples = 1;           // k: samples per pixel side of the last Render
    private ProjectionSettings _settings;
    private GaussianGradients? _grads;

    public Renderer() : this(KernelPool.Shared) { }

    /// <summary>A renderer with its own <paramref name="workers"/> threads (1: runs on the caller's thread only), e.g. for a preview beside training.</summary>
    public Renderer(int workers) : this(new KernelPool(workers > 0 ? workers : throw new ArgumentOutOfRangeException(nameof(workers)))) { }

    internal Renderer(KernelPool pool)
    {
        _pool = pool;
        _rasterizer = new Rasterizer(pool);
        _projectJob = ProjectWorker;
        _backwardJob = BackwardWorker;
    }

    internal Rasterizer Rasterizer => _rasterizer;

    /// <summary>The largest image side the renderer draws, in pixels (with supersampling, of the rasterised image).</summary>
    public const int MaxImageSide = ProjectedSplat.MaxImageSide;

    /// <summary>Pixels per SIMD register in the tile rasterizer: 16 with AVX-512, else 8 (RADIANT_RASTER_LANES=8 or 16 overrides).</summary>
    public static int PixelLanes => Rasterizer.DefaultPixelLanes;

    /// <summary>Wall-clock time of each stage of the last Render and Backward.</summary>
    public RenderTimings LastTimings { get; private set; }
    internal ReadOnlySpan<ProjectedSplat> Splats => _splats.AsSpan(0, _count);

    /// <summary>
    /// Renders <paramref name="g"/> from <paramref name="camera"/> and keeps what
    /// <see cref="Backward"/> needs. The returned result is reused by the next call.
    /// </summary>
    public RenderResult Render(GaussianSet g, RenderCamera camera, RenderOptions options)
    {
        ArgumentNullException.ThrowIfNull(g);
        ArgumentNullException.ThrowIfNull(camera);
        ArgumentNullException.ThrowIfNull(options);
        if (camera.Width <= 0 || camera.Height <= 0) throw new ArgumentException("camera size must be positive");
        if (options.Supersample < 1) throw new ArgumentException("Supersample must be at least 1");
        long levelSamples = options.SupersampleLevels && camera.ScaleLevel > 0 ? 1L << Math.Min(camera.ScaleLevel, 30) : 1;
        long sampled = options.Supersample * levelSamples;
        if (camera.Width * sampled > MaxImageSide || camera.Height * sampled > MaxImageSide)
            throw new ArgumentException($"image sides above {MaxImageSide} px are not supported");
        if (options.Background is not { Length: 3 }) throw new ArgumentException("Background must have 3 components");
        int n = g.Count, samples = (int)sampled;
        _gaussians = g;
        _count = n;
        _samples = samples;
        _camera = new ProjectionCamera(camera, samples);
        _settings = new ProjectionSettings(options.NearPlane, options.Dilation, Math.Clamp(options.ShDegree, 0, g.ShDegree), options.MipFilter);
        EnsureCapacity(n, camera.Width, camera.Height);

        long t0 = Stopwatch.GetTimestamp();
        _nextChunk = 0;
        _pool.Run(_projectJob);
        long t1 = Stopwatch.GetTimestamp();

        int visible = 0;
        int[] radii = _result.Radii;
        for (int i = 0; i < n; i++)
            if (radii[i] > 0) _visible[visible++] = i;
        _visibleCount = visible;

        float[]? depth = options.ExpectedDepth ? DepthOutput() : null;
        if (samples == 1)
        {
            _rasterizer.Forward(_splats, _visible.AsSpan(0, visible), camera.Width, camera.Height, options.Background,
                                _result.Color.Data, _result.Alpha, depth);
        }
        else
        {
            // Rendered k times larger, then each pixel the mean of its k×k block.
            SampledBuffers b = Sampled(_camera.Width, _camera.Height, depth != null);
            _rasterizer.Forward(_splats, _visible.AsSpan(0, visible), _camera.Width, _camera.Height, options.Background,
                                b.Color, b.Alpha, depth != null ? b.Depth : null);
            Supersampling.Average(b.Color, _result.Color.Data, camera.Width, camera.Height, samples, 3, b.Row);
            Supersampling.Average(b.Alpha, _result.Alpha, camera.Width, camera.Height, samples, 1, b.Row);
            if (depth != null) Supersampling.Average(b.Depth, depth, camera.Width, camera.Height, samples, 1, b.Row);
        }
        _result.Depth = depth ?? [];
        LastTimings = LastTimings with
        {
            ProjectMs = Ms(t0, t1), SortMs = _rasterizer.SortMs, BinMs = _rasterizer.BinMs, RasterMs = _rasterizer.RasterMs,
        };
        _result.VisibleCount = visible;
        _result.Samples = samples;
        _result.TileIntersections = _rasterizer.Binning.IntersectionCount;
        return _result;
    }

    /// <summary>
    /// Backward pass of the last <see cref="Render"/>: from dL/dcolour (3·H·W planar) and dL/dalpha
    /// (H·W, or empty) <b>adds</b> dL/d every parameter of the rendered set into
    /// <paramref name="grads"/> (resized with <see cref="GaussianGradients.EnsureSize"/> if needed),
    /// including the screen-space gradient dL/dmean2d in pixels (and its per-pixel absolute sums
    /// when <see cref="GaussianGradients.TrackAbsoluteScreenGrad"/> is set). The Gaussian set must
    /// not have been changed since the render.
    /// </summary>
    public void Backward(ReadOnlySpan<float> dColor, ReadOnlySpan<float> dAlpha, GaussianGradients grads)
    {
        ArgumentNullException.ThrowIfNull(grads);
        GaussianSet g = _gaussians ?? throw new InvalidOperationException("Backward needs a Render first");
        if (g.Count != _count) throw new InvalidOperationException("the Gaussian set changed size since Render");
        grads.EnsureSize(g);
        long t0 = Stopwatch.GetTimestamp();
        if (_samples > 1)
        {
            // Through the box filter first: each of a pixel's k×k samples gets 1/k² of its gradient.
            SampledBuffers b = _sampled!;
            int width = _camera.Width / _samples, height = _camera.Height / _samples;
            Supersampling.Spread(dColor, b.ColorGradient, width, height, _samples, 3);
            if (!dAlpha.IsEmpty) Supersampling.Spread(dAlpha, b.AlphaGradient, width, height, _samples, 1);
            _rasterizer.Backward(b.ColorGradient, dAlpha.IsEmpty ? [] : b.AlphaGradient, grads.TrackAbsoluteScreenGrad);
        }
        else _rasterizer.Backward(dColor, dAlpha, grads.TrackAbsoluteScreenGrad);
        long t1 = Stopwatch.GetTimestamp();
        _grads = grads;
        _nextChunk = 0;
        try { _pool.Run(_backwardJob); }
        finally { _grads = null; }
        LastTimings = LastTimings with { RasterBackwardMs = Ms(t0, t1), ProjectBackwardMs = Ms(t1, Stopwatch.GetTimestamp()) };
    }

    internal static double Ms(long from, long to) => Stopwatch.GetElapsedTime(from, to).TotalMilliseconds;

    private void EnsureCapacity(int n, int width, int height)
    {
        if (_splats.Length < n)
        {
            // Exactly n (the rasterizer sizes its per-Gaussian workspace from this length): the count changes
            // only when densification rebuilds the model, which reallocates every parameter array anyway.
            _splats = new ProjectedSplat[n];
            _clampMasks = new byte[n];
            _visible = new int[n];
        }
        if (_result.Radii.Length != n) _result.Radii = new int[n];
        Image? color = _result.Color;
        if (color is null || color.Width != width || color.Height != height) UseOutputs(width, height);
    }

    // The output images of the last few image sizes, most recent last: training that alternates sizes
    // (multiscale data, portrait and landscape photos) reuses them instead of allocating them per view,
    // which took fresh pages each time (400 iterations of multiscale training at 800²: 28.4 s, now 22.7 s).
    // The depth plane is made only when a render asks for it (training never does: 4 bytes a pixel).
    private sealed class OutputBuffers(int width, int height)
    {
        public readonly Image Color = new(width, height, 3);
        public readonly float[] Alpha = new float[width * height];
        public float[] Depth = [];
    }

    private readonly List<OutputBuffers> _outputs = [];
    private const int MaxOutputSizes = 4;

    private void UseOutputs(int width, int height)
    {
        int found = _outputs.Count - 1;
        while (found >= 0 && (_outputs[found].Color.Width != width || _outputs[found].Color.Height != height)) found--;
        OutputBuffers output;
        if (found >= 0)
        {
            output = _outputs[found];
            _outputs.RemoveAt(found);
        }
        else
        {
            output = new OutputBuffers(width, height);
            if (_outputs.Count == MaxOutputSizes) _outputs.RemoveAt(0);
        }
        _outputs.Add(output);
        (_result.Color, _result.Alpha) = (output.Color, output.Alpha);
    }

    /// <summary>The depth plane of the current output size (<see cref="UseOutputs"/> put it last), made on first use.</summary>
    private float[] DepthOutput()
    {
        OutputBuffers output = _outputs[^1];
        if (output.Depth.Length == 0) output.Depth = new float[output.Alpha.Length];
        return output.Depth;
    }

    // A supersampled render's image at the sampled size and the gradients the backward spreads over it
    // (one size is kept: multiscale training renders every reduced level at the full image's size).
    private sealed class SampledBuffers(int width, int height)
    {
        public readonly int Width = width, Height = height;
        public readonly float[] Color = new float[3 * width * height], Alpha = new float[width * height];
        public float[] Depth = [];
        public readonly float[] ColorGradient = new float[3 * width * height];
        public float[] AlphaGradient => _alphaGradient.Length > 0 ? _alphaGradient : _alphaGradient = new float[Width * Height];
        private float[] _alphaGradient = [];
        public readonly float[] Row = new float[width];
    }

    private SampledBuffers? _sampled;

    private SampledBuffers Sampled(int width, int height, bool depth)
    {
        if (_sampled is null || _sampled.Width != width || _sampled.Height != height) _sampled = new SampledBuffers(width, height);
        if (depth && _sampled.Depth.Length == 0) _sampled.Depth = new float[width * height];
        return _sampled;
    }

    /// <summary>Projection stage, parallel over chunks of Gaussians, 8 at a time.</summary>
    private void ProjectWorker(int worker)
    {
        GaussianSet g = _gaussians!;
        int[] radii = _result.Radii;
        while (true)
        {
            int begin = Interlocked.Add(ref _nextChunk, Chunk) - Chunk;
            if (begin >= _count) break;
            int end = Math.Min(begin + Chunk, _count);
            for (int i = begin; i < end; i += Lanes.Count)
            {
                int count = Math.Min(Lanes.Count, end - i);
                Projection.Forward(g, i, count, _camera, _settings, _splats.AsSpan(i, count), _clampMasks.AsSpan(i, count), radii.AsSpan(i, count));
            }
        }
    }

    /// <summary>
    /// Projection backward, parallel over chunks of the visible Gaussians, 8 at a time (gathered by
    /// id). The next batch's parameters, gradient rows and rasterizer gradients are prefetched while
    /// one is computed: visible ids are scattered (culling, depth order of densified models), so each
    /// Gaussian's rows are a dozen cache lines far apart (800²/300k: 10.4–11.3 → 8.7–8.9 ms; camera at
    /// the cube's face, 23 % visible: 6.6–6.9 → 4.1 ms).
    /// </summary>
    private void BackwardWorker(int worker)
    {
        GaussianSet g = _gaussians!;
        GaussianGradients grads = _grads!;
        Span<SplatGradient> d = stackalloc SplatGradient[Lanes.Count];
        Span<byte> clampMasks = stackalloc byte[Lanes.Count];
        while (true)
        {
            int begin = Interlocked.Add(ref _nextChunk, Chunk) - Chunk;
            if (begin >= _visibleCount) break;
            int end = Math.Min(begin + Chunk, _visibleCount);
            for (int first = begin; first < end; first += Lanes.Count)
            {
                for (int k = first + Lanes.Count; k < Math.Min(first + 2 * Lanes.Count, _visibleCount); k++)
                {
                    Projection.PrefetchBackward(g, grads, _visible[k]);
                    _rasterizer.PrefetchGradient(_visible[k]);
                }
                ReadOnlySpan<int> ids = _visible.AsSpan(first, Math.Min(Lanes.Count, end - first));
                for (int k = 0; k < ids.Length; k++)
                {
                    d[k] = _rasterizer.Gradient(ids[k]);
                    clampMasks[k] = _clampMasks[ids[k]];
                }
                Projection.Backward(g, ids, _camera, _settings, d[..ids.Length], [], clampMasks[..ids.Length], grads);
                if (grads.TrackAbsoluteScreenGrad)
                {
                    foreach (int id in ids)
                    {
                        (float x, float y) = _rasterizer.AbsoluteScreenGradient(id);
                        grads.MeanScreenAbsGrad[2 * id] += x;
                        grads.MeanScreenAbsGrad[2 * id + 1] += y;
                    }
                }
            }
        }
    }
}

/// <summary>Milliseconds spent in each stage of the last <see cref="Renderer.Render"/> / <see cref="Renderer.Backward"/>.</summary>
public readonly record struct RenderTimings(double ProjectMs, double SortMs, double BinMs, double RasterMs,
                                            double RasterBackwardMs, double ProjectBackwardMs);
