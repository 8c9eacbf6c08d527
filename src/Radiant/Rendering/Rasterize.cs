using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Radiant.Rendering;

/// <summary>
/// Tile rasterizer (the role of gsplat's rasterize kernels), forward pass: depth sort and tile
/// binning of the projected Gaussians, then per 16×16 tile, in parallel over tiles, front-to-back
/// alpha compositing (Kerbl et al. 2023 eq. 3; NeRF volume rendering):
/// C = Σᵢ cᵢ αᵢ Tᵢ + T_final·background, Tᵢ = Πⱼ&lt;ᵢ (1 − αⱼ); a pixel stops before the Gaussian
/// that would bring its transmittance below 1e-4 (that Gaussian is not included).
/// SIMD over pixels: a tile row is two groups of 8 lanes; each Gaussian visits only the lane
/// groups its alpha-support ellipse reaches (per-row span, <see cref="SplatFalloff.SupportRows"/>,
/// within its support box), and a group that has stopped is skipped (the tile ends when every
/// group has stopped). Per pixel the final transmittance and the index (within
/// the tile's list) of the Gaussian where it stopped are kept for the backward pass: every
/// Gaussian before that index whose alpha passed the threshold was taken.
/// A Gaussian reaches exactly the pixels where its alpha is ≥ 1/255 (its support box is
/// conservative), so the image does not depend on the tiling. The reference instead draws a
/// Gaussian in every tile its 3σ square touches; the only visible difference is that Gaussians
/// of opacity &gt; 0.39 also draw the thin ring between 3σ and ≤ 3.33σ where their alpha is still
/// ≥ 1/255, everywhere rather than only inside those tiles (no tile seams).
/// </summary>
internal sealed unsafe partial class Rasterizer
{
    private const int Tile = TileBinning.TileSize;
    private const int Lanes = SplatFalloff.Lanes;
    private const int GroupsPerRow = Tile / Lanes;
    private const int TilePixels = Tile * Tile;
    private const int PrefetchDistance = 4;
    // Scratch offsets (floats from the 64-byte aligned base) of the per-Gaussian row table
    // (dy and −½c·dy² per row) and the backward's broadcast constants.
    private const int RowTableOffset = 8 * TilePixels, ConstantsOffset = RowTableOffset + 2 * Tile,
                      RowBufferOffset = ConstantsOffset + 5 * Lanes;

    private readonly KernelPool _pool;
    private readonly DepthSort _depthSort;
    private readonly Action<int> _forwardJob, _backwardJob;
    private readonly float[][] _scratch;

    // Per-Gaussian workspace used by the forward pass (tile footprints, depth-sort buffers) and,
    // once those are consumed by binning, by the backward pass (per-worker gradient accumulators);
    // sharing it saves 24 bytes per Gaussian. A forward pass overwrites the previous gradients.
    private ulong[] _workspace = [];

    public TileBinning Binning { get; }
    public double SortMs { get; private set; }
    public double BinMs { get; private set; }
    public double RasterMs { get; private set; }

    // The frame being rendered (kept for the backward pass).
    private ProjectedSplat[] _splats = [];
    private int _width, _height;
    private float _bgR, _bgG, _bgB;
    private float[] _finalT = [];
    private int[] _stop = [];
    // Per tile-list entry: the groups (bit 2r + u) its support ellipse reaches within its support
    // box in that tile (none where the box misses the tile), found by the forward pass for every entry
    // it visits, which includes every entry the backward pass visits (those before a stop index).
    // Kept as two row ranges in 16 bits (<see cref="PackReach"/>): 2 bytes per entry.
    private ushort[] _reach = [];
    private float[] _color = [], _alpha = [], _depth = [];
    private int _nextTile;

    public Rasterizer(KernelPool pool)
    {
        _pool = pool;
        Binning = new TileBinning(pool);
        _depthSort = new DepthSort(pool);
        _forwardJob = ForwardWorker;
        _backwardJob = BackwardWorker;
        _scratch = new float[pool.Workers][];
        for (int w = 0; w < pool.Workers; w++) _scratch[w] = new float[RowBufferOffset + 3 * Tile * Lanes + 16];
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
        if (_finalT.Length < pixels) { _finalT = new float[pixels]; _stop = new int[pixels]; }
        EnsureWorkspace(splats.Length, visible.Length);

        long t0 = Stopwatch.GetTimestamp();
        // Workspace: tile footprints by Gaussian id in [0, N), then the depth sort's two halves.
        Binning.PrepareRects(visible, splats, _workspace);
        _depthSort.Sort(visible, splats, _workspace, splats.Length);
        long t1 = Stopwatch.GetTimestamp();
        Binning.Build(_depthSort.Sorted, visible.Length, _depthSort.Spare, width, height);
        if (_reach.Length < Binning.IntersectionCount) _reach = new ushort[BufferGrowth.Capacity(Binning.IntersectionCount)];
        long t2 = Stopwatch.GetTimestamp();
        _nextTile = 0;
        _pool.Run(_forwardJob);
        long t3 = Stopwatch.GetTimestamp();
        SortMs = Renderer.Ms(t0, t1); BinMs = Renderer.Ms(t1, t2); RasterMs = Renderer.Ms(t2, t3);
    }

    private void ForwardWorker(int worker)
    {
        int tiles = Binning.TileCount;
        fixed (ProjectedSplat* splats = _splats)
        fixed (int* list = Binning.List)
        fixed (float* scratchBase = _scratch[worker])
        fixed (ushort* reach = _reach)
        {
            float* scratch = AlignToCacheLine(scratchBase);
            while (true)
            {
                int tile = Interlocked.Increment(ref _nextTile) - 1;
                if (tile >= tiles) break;
                ForwardTile(tile, splats, list, reach, scratch);
            }
        }
    }

    // Forward scratch per tile, group-major: for each group of 8 pixels, 8 lanes each of
    // T, R, G, B, depth, this Gaussian's alpha and the stop indices (one base pointer per group,
    // 256 bytes: the address is a shift of the group index).
    private const int ForwardGroupFloats = 8 * Lanes, ForwardAlphaSlot = 5 * Lanes, ForwardStopSlot = 6 * Lanes;

    private void ForwardTile(int tile, ProjectedSplat* splats, int* list, ushort* reach, float* scratch)
    {
        const int groups = Tile * GroupsPerRow;
        Debug.Assert(groups * ForwardGroupFloats <= RowTableOffset);
        int x0 = tile % Binning.TilesX * Tile, y0 = tile / Binning.TilesX * Tile;
        int rows = Math.Min(Tile, _height - y0), cols = Math.Min(Tile, _width - x0);

        // One bit per group of 8 pixels (row r, group u) still compositing.
        uint active = 0;
        for (int group = 0; group < groups; group++)
        {
            float* g = scratch + group * ForwardGroupFloats;
            int r = group / GroupsPerRow, firstColumn = group % GroupsPerRow * Lanes;
            // Lanes outside the image start stopped (negative T) so that they never keep a group alive.
            var inside = Vector256.LessThan(Vector256.Create(firstColumn) + Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7), Vector256.Create(cols));
            Select(inside.AsSingle(), Vector256<float>.One, Vector256.Create(-1f)).Store(g);
            for (int f = 1; f < 5; f++) Vector256<float>.Zero.Store(g + f * Lanes);
            Vector256.Create(int.MaxValue).Store((int*)(g + ForwardStopSlot));
            if (r < rows && firstColumn < cols) active |= 1u << group;
        }

        float* rowDy = scratch + RowTableOffset, rowTerm = rowDy + Tile;
        int start = Binning.TileStart[tile], end = Binning.TileStart[tile + 1];
        for (int k = start; k < end && active != 0; k++)
        {
            ProjectedSplat* s = splats + list[k];
            if (Sse.IsSupported && k + PrefetchDistance < end) PrefetchSplat(splats + list[k + PrefetchDistance]);
            int c0 = Math.Max(s->XMin - x0, 0), c1 = Math.Min(s->XMax - x0, Tile - 1);
            int r0 = Math.Max(s->YMin - y0, 0), r1 = Math.Min(s->YMax - y0, Tile - 1);
            if (c0 > c1 || r0 > r1) { reach[k] = NoReach; continue; }

            SplatFalloff.RowTable(y0, s->Y, SplatFalloff.RowCoefficient(*s), rowDy, rowTerm);
            // The groups (bit 2r + u: row r, column group u) the support ellipse reaches inside the
            // box (kept for the backward pass) and that are still compositing.
            SplatFalloff.SupportRows(*s, x0, rowDy, out uint leftRows, out uint rightRows);
            uint boxRows = (uint)((1 << (r1 + 1)) - (1 << r0));
            if (c0 >= Lanes) leftRows = 0;
            if (c1 < Lanes) rightRows = 0;
            leftRows &= boxRows;
            rightRows &= boxRows;
            reach[k] = PackReach(leftRows, rightRows);
            uint work = SpreadRows(leftRows, rightRows) & active;
            if (work == 0) continue;
            // Two phases keep the dependency chains short: first alpha for every group the Gaussian
            // reaches that is still compositing (independent work; per column group u, its column
            // terms held in registers), then the compositing steps.
            for (int u = 0; u < GroupsPerRow; u++)
            {
                uint rowsReached = OpenRows(work, u);
                if (rowsReached == 0) continue;
                SplatFalloff.ColumnTerms(x0 + u * Lanes, *s, out var au, out var bu);
                float* columnAlphas = scratch + u * ForwardGroupFloats + ForwardAlphaSlot;
                for (; rowsReached != 0; rowsReached &= rowsReached - 1)
                {
                    nuint r = (nuint)BitOperations.TrailingZeroCount(rowsReached);
                    Vector256<float> exponent = SplatFalloff.Exponent(au, bu, Vector256.Create(rowTerm[r]), Vector256.Create(rowDy[r]));
                    // Alpha, zero where below 1/255 (the pixel does not take the Gaussian).
                    Vector256<float> alpha = SplatFalloff.Alpha(exponent, out var valid, out _);
                    (alpha & valid).Store(columnAlphas + r * GroupsPerRow * ForwardGroupFloats);
                }
            }
            // (Made here, after the alpha loop, so that these broadcasts need not stay in registers across it.)
            var splat = new SplatLanes(s, k - start);
            for (; work != 0; work &= work - 1)
            {
                nuint group = (nuint)BitOperations.TrailingZeroCount(work);
                float* g = scratch + group * ForwardGroupFloats;
                if (Composite(g, (int*)(g + ForwardStopSlot), Vector256.Load(g + ForwardAlphaSlot), splat))
                    active &= ~(1u << (int)group);
            }
        }

        WriteTile(scratch, x0, y0, rows, cols, end - start);
    }

    /// <summary>
    /// Writes a composited tile out: colour C + T_final·background, alpha 1 − T_final, depth, and
    /// the final T and stop index (at most the list length) kept for the backward pass, 8 pixels at
    /// a time.
    /// </summary>
    private void WriteTile(float* scratch, int x0, int y0, int rows, int cols, int listLength)
    {
        int plane = _width * _height;
        var bgR = Vector256.Create(_bgR); var bgG = Vector256.Create(_bgG); var bgB = Vector256.Create(_bgB);
        fixed (float* color = _color, alphaOut = _alpha, depth = _depth, finalT = _finalT)
        fixed (int* stopOut = _stop)
        {
            for (int r = 0; r < rows; r++)
            {
                int row = (y0 + r) * _width + x0;
                for (int u = 0; u < GroupsPerRow && u * Lanes < cols; u++)
                {
                    float* g = scratch + (r * GroupsPerRow + u) * ForwardGroupFloats;
                    int first = u * Lanes, pixel = row + first;
                    Vector256<float> t = Vector256.Abs(Vector256.Load(g));
                    Vector256<float> red = Vector256.Load(g + Lanes) + t * bgR, green = Vector256.Load(g + 2 * Lanes) + t * bgG;
                    Vector256<float> blue = Vector256.Load(g + 3 * Lanes) + t * bgB, opacity = Vector256<float>.One - t;
                    Vector256<float> d = Vector256.Load(g + 4 * Lanes);
                    Vector256<int> stop = Vector256.Min(Vector256.Load((int*)(g + ForwardStopSlot)), Vector256.Create(listLength));
                    if (first + Lanes <= cols)
                    {
                        red.Store(color + pixel); green.Store(color + plane + pixel); blue.Store(color + 2 * plane + pixel);
                        opacity.Store(alphaOut + pixel); d.Store(depth + pixel); t.Store(finalT + pixel); stop.Store(stopOut + pixel);
                        continue;
                    }
                    // A group cut by the image's right edge.
                    for (int lane = 0; lane < cols - first; lane++)
                    {
                        color[pixel + lane] = red.GetElement(lane);
                        color[plane + pixel + lane] = green.GetElement(lane);
                        color[2 * plane + pixel + lane] = blue.GetElement(lane);
                        alphaOut[pixel + lane] = opacity.GetElement(lane);
                        depth[pixel + lane] = d.GetElement(lane);
                        finalT[pixel + lane] = t.GetElement(lane);
                        stopOut[pixel + lane] = stop.GetElement(lane);
                    }
                }
            }
        }
    }

    /// <summary>A Gaussian's per-pixel constants broadcast to all lanes.</summary>
    private readonly struct SplatLanes(ProjectedSplat* s, int index)
    {
        public readonly Vector256<float> R = Vector256.Create(s->R), G = Vector256.Create(s->G), B = Vector256.Create(s->B);
        public readonly Vector256<float> Depth = Vector256.Create(s->Depth);
        public readonly Vector256<int> Index = Vector256.Create(index);
    }

    /// <summary>
    /// Front-to-back step for one group of 8 pixels (<paramref name="g"/>: T, R, G, B, depth lanes)
    /// given αᵢ = min(0.99, o·exp(power)), zeroed below 1/255: taken where T·(1 − αᵢ) ≥ 1e-4 (an
    /// active pixel has T ≥ 1e-4, so α = 0 is always "taken", adding nothing);
    /// C += cᵢαᵢT, D += zᵢαᵢT, T ← T(1 − αᵢ). A pixel whose T would fall below 1e-4 stops: its T is
    /// stored negated (so it never takes another Gaussian) and this Gaussian's index recorded as
    /// its stop. Returns true when all 8 pixels have stopped.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Composite(float* g, int* stop, Vector256<float> alpha, in SplatLanes splat)
    {
        Vector256<float> t = Vector256.Load(g);
        Vector256<float> tNext = Fma.IsSupported ? Fma.MultiplyAddNegated(alpha, t, t)   // T·(1 − α) = −(α·T) + T
                                                 : Vector256.FusedMultiplyAdd(-alpha, t, t);
        Vector256<float> take = Vector256.GreaterThanOrEqual(tNext, Vector256.Create(SplatFalloff.MinTransmittance));
        Vector256<float> weight = (alpha & take) * t;                            // αᵢ Tᵢ
        Vector256.FusedMultiplyAdd(weight, splat.R, Vector256.Load(g + Lanes)).Store(g + Lanes);
        Vector256.FusedMultiplyAdd(weight, splat.G, Vector256.Load(g + 2 * Lanes)).Store(g + 2 * Lanes);
        Vector256.FusedMultiplyAdd(weight, splat.B, Vector256.Load(g + 3 * Lanes)).Store(g + 3 * Lanes);
        Vector256.FusedMultiplyAdd(weight, splat.Depth, Vector256.Load(g + 4 * Lanes)).Store(g + 4 * Lanes);
        Vector256<float> tStored = Select(take, tNext, t);
        // Newly stopping lanes: not taken, T still positive (sign bit clear), i.e. sign of (take | T) clear.
        Vector256<float> continuing = take | t;
        if (continuing.ExtractMostSignificantBits() == 0xFF)
        {
            tStored.Store(g);
            return false;
        }
        Vector256<float> stopMask = ~Vector256.ShiftRightArithmetic(continuing.AsInt32(), 31).AsSingle();
        tStored |= stopMask & Vector256.Create(-0.0f);
        tStored.Store(g);
        Select(stopMask.AsInt32(), splat.Index, Vector256.Load(stop)).Store(stop);
        return tStored.ExtractMostSignificantBits() == 0xFF;
    }

    /// <summary>Prefetches both cache lines a splat may straddle.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void PrefetchSplat(ProjectedSplat* s)
    {
        Sse.Prefetch0(s);
        Sse.Prefetch0((byte*)s + sizeof(ProjectedSplat) - 1);
    }

    /// <summary>Interleaves two 16-row bit masks into group bits: row r's left group at bit 2r, right at 2r + 1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static uint SpreadRows(uint leftRows, uint rightRows)
    {
        if (Bmi2.IsSupported) return Bmi2.ParallelBitDeposit(leftRows, 0x55555555u) | Bmi2.ParallelBitDeposit(rightRows, 0xAAAAAAAAu);
        uint spread = 0;
        for (int r = 0; r < Tile; r++) spread |= ((leftRows >> r) & 1) << (2 * r) | ((rightRows >> r) & 1) << (2 * r + 1);
        return spread;
    }

    /// <summary>A tile-list entry that reaches no group (both row ranges empty: first row 15, last row 0).</summary>
    private const ushort NoReach = 0x0F0F;

    /// <summary>
    /// The rows a Gaussian reaches in the left and right column group of a tile as two ranges
    /// (first row, last row: 4 bits each; empty when first &gt; last). Each mask is the rows of one
    /// 8-pixel column strip its support ellipse meets inside its box, which is contiguous: the
    /// intersection of an ellipse with a strip is convex. Should rounding ever leave a gap, the
    /// range covers it, and the backward pass finds alpha below 1/255 there (no contribution).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ushort PackReach(uint leftRows, uint rightRows) => (ushort)(PackRange(leftRows) | PackRange(rightRows) << 8);

    /// <summary>The group mask (bit 2r + u) of a <see cref="PackReach"/> value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static uint UnpackReach(ushort reach) => SpreadRows(UnpackRange(reach & 0xFFu), UnpackRange((uint)reach >> 8));

    private static uint PackRange(uint rows) =>
        rows == 0 ? 0x0Fu : (uint)BitOperations.TrailingZeroCount(rows) | (uint)(31 - BitOperations.LeadingZeroCount(rows)) << 4;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint UnpackRange(uint range)
    {
        int first = (int)(range & 0xF), last = (int)(range >> 4);
        return first > last ? 0 : (2u << last) - (1u << first);
    }

    /// <summary>First 64-byte boundary at or after <paramref name="p"/> (scratch arrays have 16 floats of slack).</summary>
    internal static float* AlignToCacheLine(float* p) => (float*)(((nuint)p + 63) & ~(nuint)63);

    /// <summary>mask ? a : b for full-lane masks (one blend instruction).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<float> Select(Vector256<float> mask, Vector256<float> a, Vector256<float> b)
        => Avx.IsSupported ? Avx.BlendVariable(b, a, mask) : Vector256.ConditionalSelect(mask, a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<int> Select(Vector256<int> mask, Vector256<int> a, Vector256<int> b)
        => Avx.IsSupported ? Avx.BlendVariable(b.AsSingle(), a.AsSingle(), mask.AsSingle()).AsInt32() : Vector256.ConditionalSelect(mask, a, b);
}
