using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Radiant.Rendering;

/// <summary>
/// Tile rasterizer (the role of gsplat's rasterize kernels), forward pass: depth sort and tile
/// binning of the projected Gaussians, then per 16×16 tile, in parallel over tiles, front-to-back
/// alpha compositing (Kerbl et al. 2023 eq. 3; NeRF volume rendering):
/// C = Σᵢ cᵢ αᵢ Tᵢ + T_final·background, Tᵢ = Πⱼ&lt;ᵢ (1 − αⱼ); a pixel stops before the Gaussian
/// that would bring its transmittance below 1e-4 (that Gaussian is not included).
/// SIMD over pixels: a tile row is two groups of 8 lanes; each Gaussian visits only the rows and
/// lane groups its alpha-support box covers, and a group that has stopped is skipped (the tile
/// ends when every group has stopped). Per pixel the final transmittance and the index (within
/// the tile's list) of the last Gaussian taken are kept for the backward pass.
/// </summary>
internal sealed unsafe partial class Rasterizer
{
    private const int Tile = TileBinning.TileSize;
    private const int Lanes = SplatFalloff.Lanes;
    private const int GroupsPerRow = Tile / Lanes;
    private const int TilePixels = Tile * Tile;
    private const int PrefetchDistance = 4;

    private readonly KernelPool _pool;
    private readonly DepthSort _depthSort = new();
    private readonly Action<int> _forwardJob, _backwardJob;
    private readonly float[][] _scratch;

    public TileBinning Binning { get; }

    // The frame being rendered (kept for the backward pass).
    private ProjectedSplat[] _splats = [];
    private int _width, _height;
    private float _bgR, _bgG, _bgB;
    private float[] _finalT = [];
    private int[] _last = [];
    private float[] _color = [], _alpha = [], _depth = [];
    private int _nextTile;

    public Rasterizer(KernelPool pool)
    {
        _pool = pool;
        Binning = new TileBinning(pool);
        _forwardJob = ForwardWorker;
        _backwardJob = BackwardWorker;
        _scratch = new float[pool.Workers][];
        for (int w = 0; w < pool.Workers; w++) _scratch[w] = new float[10 * TilePixels];
        _grad = new float[pool.Workers][];
        for (int w = 0; w < pool.Workers; w++) _grad[w] = [];
    }

    /// <summary>Per-pixel final transmittance of the last forward pass.</summary>
    public ReadOnlySpan<float> FinalTransmittance => _finalT.AsSpan(0, _width * _height);

    /// <summary>
    /// Rasterizes the <paramref name="visible"/> splats (indices into <paramref name="splats"/>,
    /// ascending) into planar colour (3·W·H), alpha and unnormalised expected depth Σ zᵢαᵢTᵢ.
    /// </summary>
    public void Forward(ProjectedSplat[] splats, ReadOnlySpan<int> visible, int width, int height,
                        ReadOnlySpan<float> background, float[] color, float[] alpha, float[] depth)
    {
        int pixels = width * height;
        if (color.Length < 3 * pixels || alpha.Length < pixels || depth.Length < pixels) throw new ArgumentException("output buffers too small");
        _splats = splats; _width = width; _height = height;
        _bgR = background[0]; _bgG = background[1]; _bgB = background[2];
        _color = color; _alpha = alpha; _depth = depth;
        if (_finalT.Length < pixels) { _finalT = new float[pixels]; _last = new int[pixels]; }
        EnsureGradientCapacity(splats.Length);

        ReadOnlySpan<int> order = _depthSort.Sort(visible, splats);
        Binning.Build(_depthSort.Order, order.Length, splats, width, height);
        _nextTile = 0;
        _pool.Run(_forwardJob);
    }

    private void ForwardWorker(int worker)
    {
        int tiles = Binning.TileCount;
        fixed (ProjectedSplat* splats = _splats)
        fixed (int* list = Binning.List)
        fixed (float* scratch = _scratch[worker])
        {
            while (true)
            {
                int tile = Interlocked.Increment(ref _nextTile) - 1;
                if (tile >= tiles) break;
                ForwardTile(tile, splats, list, scratch);
            }
        }
    }

    private void ForwardTile(int tile, ProjectedSplat* splats, int* list, float* scratch)
    {
        float* T = scratch, colR = scratch + TilePixels, colG = scratch + 2 * TilePixels, colB = scratch + 3 * TilePixels;
        float* depth = scratch + 4 * TilePixels;
        int* last = (int*)(scratch + 5 * TilePixels);
        int x0 = tile % Binning.TilesX * Tile, y0 = tile / Binning.TilesX * Tile;
        int rows = Math.Min(Tile, _height - y0), cols = Math.Min(Tile, _width - x0);

        for (int p = 0; p < TilePixels; p += Lanes)
        {
            Vector256<float>.One.Store(T + p);
            Vector256<float>.Zero.Store(colR + p);
            Vector256<float>.Zero.Store(colG + p);
            Vector256<float>.Zero.Store(colB + p);
            Vector256<float>.Zero.Store(depth + p);
            Vector256<int>.AllBitsSet.Store(last + p);
        }
        // Lanes right of the image start stopped (negative T) so that they never keep a group alive.
        for (int r = 0; r < rows; r++)
            for (int x = cols; x < Tile; x++) T[r * Tile + x] = -1;
        // One bit per group of 8 pixels (row r, group u) still compositing.
        uint active = 0;
        for (int r = 0; r < rows; r++)
            for (int u = 0; u < GroupsPerRow && u * Lanes < cols; u++)
                active |= 1u << (r * GroupsPerRow + u);

        int start = Binning.TileStart[tile], end = Binning.TileStart[tile + 1];
        var signBit = Vector256.Create(-0.0f);
        var minT = Vector256.Create(SplatFalloff.MinTransmittance);
        for (int k = start; k < end && active != 0; k++)
        {
            ProjectedSplat* s = splats + list[k];
            if (Sse.IsSupported && k + PrefetchDistance < end) Sse.Prefetch0(splats + list[k + PrefetchDistance]);
            s->PixelBox(_width, _height, out int bx0, out int bx1, out int by0, out int by1);
            int c0 = Math.Max(bx0, x0) - x0, c1 = Math.Min(bx1, x0 + Tile - 1) - x0;
            int r0 = Math.Max(by0, y0) - y0, r1 = Math.Min(by1, y0 + Tile - 1) - y0;
            if (c0 > c1 || r0 > r1) continue;

            float halfNegA = -0.5f * s->ConicA, negB = -s->ConicB, halfNegC = -0.5f * s->ConicC;
            var opacity = Vector256.Create(s->Opacity);
            var red = Vector256.Create(s->R);
            var green = Vector256.Create(s->G);
            var blue = Vector256.Create(s->B);
            var z = Vector256.Create(s->Depth);
            var index = Vector256.Create(k - start);
            for (int u = c0 / Lanes; u <= c1 / Lanes; u++)
            {
                Vector256<float> dx = SplatFalloff.Dx(x0 + u * Lanes, s->X);
                Vector256<float> au = Vector256.Create(halfNegA) * dx * dx;
                Vector256<float> bu = Vector256.Create(negB) * dx;
                for (int r = r0; r <= r1; r++)
                {
                    int group = r * GroupsPerRow + u;
                    if ((active & (1u << group)) == 0) continue;
                    int p = group * Lanes;
                    Vector256<float> power = SplatFalloff.Power(au, bu, halfNegC, SplatFalloff.Dy(y0 + r, s->Y));
                    Vector256<float> alpha = SplatFalloff.Alpha(power, opacity, out var valid, out _, out _);

                    // transmittance: T_new = T·(1 − α); stop (exclude this Gaussian) if T_new < 1e-4.
                    Vector256<float> t = Vector256.Load(T + p);
                    Vector256<float> tNext = t * (Vector256<float>.One - alpha);
                    Vector256<float> take = valid & Vector256.GreaterThanOrEqual(tNext, minT);
                    Vector256<float> weight = (alpha & take) * t;          // αᵢ Tᵢ
                    Vector256.FusedMultiplyAdd(weight, red, Vector256.Load(colR + p)).Store(colR + p);
                    Vector256.FusedMultiplyAdd(weight, green, Vector256.Load(colG + p)).Store(colG + p);
                    Vector256.FusedMultiplyAdd(weight, blue, Vector256.Load(colB + p)).Store(colB + p);
                    Vector256.FusedMultiplyAdd(weight, z, Vector256.Load(depth + p)).Store(depth + p);
                    // A stopped pixel keeps −T (sign bit set): it never takes another Gaussian since
                    // its T_new is negative, and |T| is its final transmittance.
                    Vector256<float> tStored = Vector256.ConditionalSelect(take, tNext, t | (valid & signBit));
                    tStored.Store(T + p);
                    Vector256.ConditionalSelect(take.AsInt32(), index, Vector256.Load(last + p)).Store(last + p);
                    if (tStored.ExtractMostSignificantBits() == 0xFF) active &= ~(1u << group);
                }
            }
        }

        int plane = _width * _height;
        for (int r = 0; r < rows; r++)
        {
            int row = (y0 + r) * _width + x0;
            for (int x = 0; x < cols; x++)
            {
                int p = r * Tile + x, pixel = row + x;
                float t = MathF.Abs(T[p]);
                _color[pixel] = colR[p] + t * _bgR;
                _color[plane + pixel] = colG[p] + t * _bgG;
                _color[2 * plane + pixel] = colB[p] + t * _bgB;
                _alpha[pixel] = 1 - t;
                _depth[pixel] = depth[p];
                _finalT[pixel] = t;
                _last[pixel] = last[p];
            }
        }
    }
}
