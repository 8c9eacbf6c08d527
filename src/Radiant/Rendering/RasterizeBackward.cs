using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Radiant.Rendering;

/// <summary>
/// Tile rasterizer, backward pass (the role of gsplat's rasterize backward kernel). Per pixel,
/// back to front from its last contributor, the reference recursion recovers Tᵢ = Tᵢ₊₁ / (1 − αᵢ)
/// and the colour behind, Rᵢ (R = background at the back, Rᵢ₋₁ = αᵢcᵢ + (1 − αᵢ)Rᵢ), so that
///   dC/dcᵢ = αᵢTᵢ,   dC/dαᵢ = Tᵢ(cᵢ − Rᵢ),   dA/dαᵢ = T_final / (1 − αᵢ)   (A = 1 − T_final),
/// then αᵢ = opacity·exp(power) gives dα/d opacity = G, dα/d power = α (both zero where α was
/// clamped at 0.99), and power = −½(a dx² + c dy²) − b dx dy gives the conic and mean2d terms.
/// Per Gaussian and tile the pixel sums are kept in vectors and reduced once; each worker adds into
/// its own per-Gaussian accumulator (no races), summed when the projection backward takes them.
/// </summary>
internal sealed unsafe partial class Rasterizer
{
    private readonly float[][] _grad;
    private bool _gradientsDirty;
    private float* _dColor, _dAlpha;

    private void EnsureGradientCapacity(int count)
    {
        for (int w = 0; w < _grad.Length; w++)
            if (_grad[w].Length < SplatGradient.Floats * count)
                _grad[w] = new float[SplatGradient.Floats * Math.Max(count, _grad[w].Length / SplatGradient.Floats * 3 / 2)];
    }

    /// <summary>
    /// Backward of the last <see cref="Forward"/>: accumulates dL/d(mean2d, conic, opacity, colour)
    /// per Gaussian from dL/dcolour (3·W·H planar) and dL/dalpha (W·H, or empty). Read the result
    /// with <see cref="TakeGradient"/> (or <see cref="PeekGradient"/> then <see cref="ClearGradients"/>).
    /// </summary>
    public void Backward(ReadOnlySpan<float> dColor, ReadOnlySpan<float> dAlpha)
    {
        int pixels = _width * _height;
        if (dColor.Length != 3 * pixels) throw new ArgumentException($"dColor must hold 3·{_width}·{_height} floats");
        if (!dAlpha.IsEmpty && dAlpha.Length != pixels) throw new ArgumentException($"dAlpha must be empty or hold {_width}·{_height} floats");
        if (_gradientsDirty) ClearGradients();
        _gradientsDirty = true;
        fixed (float* dc = dColor)
        fixed (float* da = dAlpha)
        {
            _dColor = dc;
            _dAlpha = dAlpha.IsEmpty ? null : da;
            _nextTile = 0;
            try { _pool.Run(_backwardJob); }
            finally { _dColor = null; _dAlpha = null; }
        }
    }

    /// <summary>The accumulated gradient of Gaussian <paramref name="id"/>, summed over workers.</summary>
    public SplatGradient PeekGradient(int id) => Gather(id, clear: false);

    /// <summary>Like <see cref="PeekGradient"/> but also zeroes the accumulators of <paramref name="id"/>.</summary>
    public SplatGradient TakeGradient(int id) => Gather(id, clear: true);

    /// <summary>Declares that every accumulated gradient has been taken (the accumulators are zero).</summary>
    public void MarkGradientsTaken() => _gradientsDirty = false;

    public void ClearGradients()
    {
        foreach (float[] g in _grad) Array.Clear(g);
        _gradientsDirty = false;
    }

    private SplatGradient Gather(int id, bool clear)
    {
        Span<float> sum = stackalloc float[SplatGradient.Floats];
        sum.Clear();
        int offset = id * SplatGradient.Floats;
        foreach (float[] g in _grad)
        {
            Span<float> row = g.AsSpan(offset, SplatGradient.Floats);
            for (int j = 0; j < SplatGradient.Floats; j++) sum[j] += row[j];
            if (clear) row.Clear();
        }
        return new SplatGradient
        {
            X = sum[0], Y = sum[1], ConicA = sum[2], ConicB = sum[3], ConicC = sum[4],
            Opacity = sum[5], R = sum[6], G = sum[7], B = sum[8],
        };
    }

    private void BackwardWorker(int worker)
    {
        int tiles = Binning.TileCount;
        fixed (ProjectedSplat* splats = _splats)
        fixed (int* list = Binning.List)
        fixed (float* scratch = _scratch[worker])
        fixed (float* grad = _grad[worker])
        {
            while (true)
            {
                int tile = Interlocked.Increment(ref _nextTile) - 1;
                if (tile >= tiles) break;
                BackwardTile(tile, splats, list, scratch, grad);
            }
        }
    }

    private void BackwardTile(int tile, ProjectedSplat* splats, int* list, float* scratch, float* grad)
    {
        float* T = scratch, behindR = scratch + TilePixels, behindG = scratch + 2 * TilePixels, behindB = scratch + 3 * TilePixels;
        float* dR = scratch + 4 * TilePixels, dG = scratch + 5 * TilePixels, dB = scratch + 6 * TilePixels;
        float* dAlphaT = scratch + 7 * TilePixels;
        int* last = (int*)(scratch + 8 * TilePixels);
        int x0 = tile % Binning.TilesX * Tile, y0 = tile / Binning.TilesX * Tile;
        int rows = Math.Min(Tile, _height - y0), cols = Math.Min(Tile, _width - x0);
        int plane = _width * _height;

        int* groupLast = stackalloc int[Tile * GroupsPerRow];
        int tileLast = -1;
        for (int r = 0; r < Tile; r++)
        {
            for (int x = 0; x < Tile; x++)
            {
                int p = r * Tile + x;
                behindR[p] = _bgR; behindG[p] = _bgG; behindB[p] = _bgB;
                if (r < rows && x < cols)
                {
                    int pixel = (y0 + r) * _width + x0 + x;
                    float finalT = _finalT[pixel];
                    T[p] = finalT;
                    dR[p] = _dColor[pixel]; dG[p] = _dColor[plane + pixel]; dB[p] = _dColor[2 * plane + pixel];
                    dAlphaT[p] = _dAlpha == null ? 0 : _dAlpha[pixel] * finalT;
                    last[p] = _last[pixel];
                }
                else
                {
                    T[p] = 1; dR[p] = dG[p] = dB[p] = dAlphaT[p] = 0; last[p] = -1;
                }
            }
        }
        for (int group = 0; group < Tile * GroupsPerRow; group++)
        {
            int m = -1;
            for (int l = 0; l < Lanes; l++) m = Math.Max(m, last[group * Lanes + l]);
            groupLast[group] = m;
            tileLast = Math.Max(tileLast, m);
        }

        int start = Binning.TileStart[tile];
        var one = Vector256<float>.One;
        var maxAlpha = Vector256.Create(SplatFalloff.MaxAlpha);
        for (int k = start + tileLast; k >= start; k--)
        {
            int local = k - start;
            int id = list[k];
            ProjectedSplat* s = splats + id;
            if (Sse.IsSupported && k - PrefetchDistance >= start)
            {
                int ahead = list[k - PrefetchDistance];
                Sse.Prefetch0(splats + ahead);
                Sse.Prefetch0(grad + ahead * SplatGradient.Floats);
            }
            s->PixelBox(_width, _height, out int bx0, out int bx1, out int by0, out int by1);
            int c0 = Math.Max(bx0, x0) - x0, c1 = Math.Min(bx1, x0 + Tile - 1) - x0;
            int r0 = Math.Max(by0, y0) - y0, r1 = Math.Min(by1, y0 + Tile - 1) - y0;
            if (c0 > c1 || r0 > r1) continue;

            float halfNegA = -0.5f * s->ConicA, negB = -s->ConicB, halfNegC = -0.5f * s->ConicC;
            var opacity = Vector256.Create(s->Opacity);
            var red = Vector256.Create(s->R);
            var green = Vector256.Create(s->G);
            var blue = Vector256.Create(s->B);
            var index = Vector256.Create(local);
            Vector256<float> sumR = default, sumG = default, sumB = default, sumOpacity = default;
            Vector256<float> sumXX = default, sumX = default, sumXY = default, sumY = default, sumYY = default;
            bool touched = false;
            for (int u = c0 / Lanes; u <= c1 / Lanes; u++)
            {
                Vector256<float> dx = SplatFalloff.Dx(x0 + u * Lanes, s->X);
                Vector256<float> au = Vector256.Create(halfNegA) * dx * dx;
                Vector256<float> bu = Vector256.Create(negB) * dx;
                // Σ over rows of dL/dpower, ·dy and ·dy² (dx is constant down a column group).
                Vector256<float> p0 = default, p1 = default, p2 = default;
                for (int r = r0; r <= r1; r++)
                {
                    int group = r * GroupsPerRow + u;
                    if (local > groupLast[group]) continue;
                    int p = group * Lanes;
                    float dy = SplatFalloff.Dy(y0 + r, s->Y);
                    Vector256<float> power = SplatFalloff.Power(au, bu, halfNegC, dy);
                    Vector256<float> alpha = SplatFalloff.Alpha(power, opacity, out var valid, out var gaussian, out var unclamped);
                    valid &= Vector256.GreaterThanOrEqual(Vector256.Load(last + p), index).AsSingle();
                    if (valid.ExtractMostSignificantBits() == 0) continue;
                    touched = true;

                    Vector256<float> a = alpha & valid;
                    Vector256<float> invOneMinus = one / (one - a);
                    Vector256<float> t = Vector256.Load(T + p) * invOneMinus;   // Tᵢ
                    t.Store(T + p);
                    Vector256<float> rr = Vector256.Load(behindR + p), rg = Vector256.Load(behindG + p), rb = Vector256.Load(behindB + p);
                    Vector256<float> diffR = red - rr, diffG = green - rg, diffB = blue - rb;
                    Vector256<float> gr = Vector256.Load(dR + p), gg = Vector256.Load(dG + p), gb = Vector256.Load(dB + p);
                    Vector256.FusedMultiplyAdd(a, diffR, rr).Store(behindR + p);
                    Vector256.FusedMultiplyAdd(a, diffG, rg).Store(behindG + p);
                    Vector256.FusedMultiplyAdd(a, diffB, rb).Store(behindB + p);

                    Vector256<float> weight = a * t;                          // dC/dcᵢ = αᵢTᵢ
                    sumR = Vector256.FusedMultiplyAdd(weight, gr, sumR);
                    sumG = Vector256.FusedMultiplyAdd(weight, gg, sumG);
                    sumB = Vector256.FusedMultiplyAdd(weight, gb, sumB);

                    Vector256<float> dAlpha = Vector256.FusedMultiplyAdd(gr, diffR, Vector256.FusedMultiplyAdd(gg, diffG, gb * diffB)) * t
                                              + Vector256.Load(dAlphaT + p) * invOneMinus;
                    dAlpha &= valid & Vector256.LessThanOrEqual(unclamped, maxAlpha);
                    sumOpacity = Vector256.FusedMultiplyAdd(dAlpha, gaussian, sumOpacity);
                    Vector256<float> dPower = dAlpha * alpha;
                    p0 += dPower;
                    p1 = Vector256.FusedMultiplyAdd(dPower, Vector256.Create(dy), p1);
                    p2 = Vector256.FusedMultiplyAdd(dPower, Vector256.Create(dy * dy), p2);
                }
                sumXX = Vector256.FusedMultiplyAdd(dx * dx, p0, sumXX);
                sumX = Vector256.FusedMultiplyAdd(dx, p0, sumX);
                sumXY = Vector256.FusedMultiplyAdd(dx, p1, sumXY);
                sumY += p1;
                sumYY += p2;
            }
            if (!touched) continue;

            // dpower/dmean = (a dx + b dy, b dx + c dy); dpower/d(a, b, c) = (−½dx², −dx dy, −½dy²).
            float sx = Vector256.Sum(sumX), sy = Vector256.Sum(sumY);
            float* g = grad + id * SplatGradient.Floats;
            g[0] += s->ConicA * sx + s->ConicB * sy;
            g[1] += s->ConicB * sx + s->ConicC * sy;
            g[2] += -0.5f * Vector256.Sum(sumXX);
            g[3] += -Vector256.Sum(sumXY);
            g[4] += -0.5f * Vector256.Sum(sumYY);
            g[5] += Vector256.Sum(sumOpacity);
            g[6] += Vector256.Sum(sumR);
            g[7] += Vector256.Sum(sumG);
            g[8] += Vector256.Sum(sumB);
        }
    }
}
