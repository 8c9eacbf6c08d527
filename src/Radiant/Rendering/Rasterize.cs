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
/// SIMD over pixels (<see cref="IPixelLanes{V}"/>): a tile row is two groups of 8 lanes
/// (AVX2) or one group of 16 (AVX-512); each Gaussian visits only the lane groups its
/// alpha-support ellipse reaches (per-row span, <see cref="SplatFalloff.SupportRows"/>, within its
/// support box), and a group that has stopped is skipped (the tile ends when every group has
/// stopped). Workers take tiles in square blocks (<see cref="TileBlocks"/>): a core draws
/// neighbouring tiles, which share Gaussians, one after another. Per pixel the final transmittance
/// and the index (within the tile's list) of the Gaussian where it stopped are kept for the
/// backward pass: every Gaussian before that index whose alpha passed the threshold was taken.
/// A Gaussian reaches exactly the pixels where its alpha is ≥ 1/255 (its support box is
/// conservative), so the image does not depend on the tiling. The reference instead draws a
/// Gaussian in every tile its 3σ square touches; the only visible difference is that Gaussians
/// of opacity &gt; 0.39 also draw the thin ring between 3σ and ≤ 3.33σ where their alpha is still
/// ≥ 1/255, everywhere rather than only inside those tiles (no tile seams).
/// </summary>
internal sealed unsafe partial class Rasterizer
{
    private const int Tile = TileBinning.TileSize;
    private const int Strip = SplatFalloff.StripWidth;
    private const int MaxLanes = 16;
    private const int TilePixels = Tile * Tile;
    private const int PrefetchDistance = 4;
    // Scratch offsets (floats from the 64-byte aligned base): the tile's groups (8 registers per
    // group of pixels, 8 floats per pixel at either width), the per-Gaussian row table (dy and
    // −½c·dy² per row), the backward's broadcast constants and its stop indices (one per pixel).
    private const int RowTableOffset = 8 * TilePixels, ConstantsOffset = RowTableOffset + 2 * Tile,
                      RowBufferOffset = ConstantsOffset + ConstantSlots * MaxLanes, ScratchFloats = RowBufferOffset + TilePixels + 16;

    /// <summary>
    /// Pixels per SIMD register: 16 where the hardware accelerates Vector512 (AVX-512), else 8;
    /// RADIANT_RASTER_LANES=8 or 16 overrides (e.g. to compare them; 16 without AVX-512 is emulated
    /// and slow). The image is the same either way; gradients differ only in float summation order.
    /// </summary>
    internal static int DefaultPixelLanes { get; } =
        Environment.GetEnvironmentVariable("RADIANT_RASTER_LANES") switch
        {
            "8" => 8,
            "16" => 16,
            _ => Vector512.IsHardwareAccelerated ? 16 : 8,
        };

    /// <summary>Pixels per SIMD register in the tile kernels (8 or 16); set it only between frames.</summary>
    internal int PixelLanes
    {
        get => _pixelLanes;
        set => _pixelLanes = value is 8 or 16 ? value : throw new ArgumentOutOfRangeException(nameof(value), "pixel lanes must be 8 or 16");
    }
    private int _pixelLanes = DefaultPixelLanes;

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
    // Per tile-list entry: the 8-pixel strips (see GroupMask) its support ellipse reaches within its support
    // box in that tile (none where the box misses the tile), found by the forward pass for every entry
    // it visits, which includes every entry the backward pass visits (those before a stop index).
    // Kept as two row ranges in 16 bits (<see cref="PackReach"/>): 2 bytes per entry.
    private ushort[] _reach = [];
    private float[] _color = [], _alpha = [];
    private float[]? _depth;
    private int _nextBlock;

    public Rasterizer(KernelPool pool)
    {
        _pool = pool;
        Binning = new TileBinning(pool);
        _depthSort = new DepthSort(pool);
        _forwardJob = ForwardWorker;
        _backwardJob = BackwardWorker;
        _scratch = new float[pool.Workers][];
        for (int w = 0; w < pool.Workers; w++) _scratch[w] = new float[ScratchFloats];
    }

    /// <summary>Per-pixel final transmittance of the last forward pass.</summary>
    public ReadOnlySpan<float> FinalTransmittance => _finalT.AsSpan(0, _width * _height);

    /// <summary>
    /// Rasterizes the <paramref name="visible"/> splats (indices into <paramref name="splats"/>,
    /// ascending) into planar colour (3·W·H), alpha and, when <paramref name="depth"/> is given,
    /// unnormalised expected depth Σ zᵢαᵢTᵢ (without it a load, a multiply-add and a store less per
    /// pixel and Gaussian: 800²/300k random raster 54 → 51 ms).
    /// </summary>
    public void Forward(ProjectedSplat[] splats, ReadOnlySpan<int> visible, int width, int height,
                        ReadOnlySpan<float> background, float[] color, float[] alpha, float[]? depth)
    {
        int pixels = width * height;
        if (color.Length < 3 * pixels || alpha.Length < pixels || (depth != null && depth.Length < pixels)) throw new ArgumentException("output buffers too small");
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
        _nextBlock = 0;
        _pool.Run(_forwardJob);
        long t3 = Stopwatch.GetTimestamp();
        SortMs = Renderer.Ms(t0, t1); BinMs = Renderer.Ms(t1, t2); RasterMs = Renderer.Ms(t2, t3);
    }

    private void ForwardWorker(int worker)
    {
        fixed (ProjectedSplat* splats = _splats)
        fixed (int* list = Binning.List)
        fixed (float* scratchBase = _scratch[worker])
        fixed (ushort* reach = _reach)
        {
            float* scratch = AlignToCacheLine(scratchBase);
            bool wide = _pixelLanes == 16, depth = _depth != null;
            var blocks = new TileBlocks(Binning.TilesX, Binning.TilesY, _pool.Workers);
            while (true)
            {
                int block = Interlocked.Increment(ref _nextBlock) - 1;
                if (block >= blocks.Count) break;
                for (int j = 0; j < blocks.TilesPerBlock; j++)
                {
                    int tile = blocks.Tile(block, j);
                    if (tile < 0) continue;
                    if (wide)
                    {
                        if (depth) ForwardTile<PixelLanes16, Vector512<float>, WithDepth>(tile, splats, list, reach, scratch);
                        else ForwardTile<PixelLanes16, Vector512<float>, WithoutDepth>(tile, splats, list, reach, scratch);
                    }
                    else if (depth) ForwardTile<PixelLanes8, Vector256<float>, WithDepth>(tile, splats, list, reach, scratch);
                    else ForwardTile<PixelLanes8, Vector256<float>, WithoutDepth>(tile, splats, list, reach, scratch);
                }
            }
        }
    }

    // Forward scratch per tile, group-major: for each group of pixels (a register's worth), one
    // register each of T, R, G, B, depth, this Gaussian's alpha and the stop indices (one base
    // pointer per group: the address is a shift of the group index).
    private const int ForwardGroupRegisters = 8, ForwardAlphaSlot = 5, ForwardStopSlot = 6;

    // Whether the tile kernel accumulates expected depth (the JIT compiles one copy of it per flag type).
    private interface IDepthOutput { static abstract bool Enabled { get; } }
    private struct WithDepth : IDepthOutput { public static bool Enabled => true; }
    private struct WithoutDepth : IDepthOutput { public static bool Enabled => false; }

    private void ForwardTile<L, V, TDepth>(int tile, ProjectedSplat* splats, int* list, ushort* reach, float* scratch)
        where L : struct, IPixelLanes<V> where V : unmanaged where TDepth : struct, IDepthOutput
    {
        int lanes = L.Count, groupsPerRow = Tile / lanes, groups = Tile * groupsPerRow, groupFloats = ForwardGroupRegisters * lanes;
        Debug.Assert(groups * groupFloats <= RowTableOffset);
        int x0 = tile % Binning.TilesX * Tile, y0 = tile / Binning.TilesX * Tile;
        int rows = Math.Min(Tile, _height - y0), cols = Math.Min(Tile, _width - x0);

        // One bit per group (row r, column group u: bit r·groupsPerRow + u) still compositing.
        uint active = 0;
        for (int group = 0; group < groups; group++)
        {
            float* g = scratch + group * groupFloats;
            int r = group / groupsPerRow, firstColumn = group % groupsPerRow * lanes;
            // Lanes outside the image start stopped (negative T) so that they never keep a group alive.
            L.Store(L.Select(L.LanesBelow(firstColumn, cols), L.Create(1f), L.Create(-1f)), g);
            for (int f = 1; f < 5; f++) L.Store(L.Create(0f), g + f * lanes);
            L.StoreInt(L.CreateInt(int.MaxValue), (int*)(g + ForwardStopSlot * lanes));
            if (r < rows && firstColumn < cols) active |= 1u << group;
        }

        float* rowDy = scratch + RowTableOffset, rowTerm = rowDy + Tile;
        int start = Binning.TileStart[tile], end = Binning.TileStart[tile + 1];
        // Software pipelined: the rows entry k + 1 reaches are found while entry k composites. The
        // branches of entry k's row loops then depend on a value that is already there, not on a
        // chain of a division and square roots that a mispredicted branch has to wait for (trained
        // 230k-Gaussian model at 800²: raster 16.9–17.0 → 14.9–15.1 ms).
        var frame = new SplatFalloff.TileFrame<L, V>(x0, y0);
        uint nextRows = start < end ? ReachedRows<L, V>(splats + list[start], x0, y0, frame) : 0;
        for (int k = start; k < end && active != 0; k++)
        {
            ProjectedSplat* s = splats + list[k];
            if (Sse.IsSupported && k + PrefetchDistance < end) PrefetchSplat(splats + list[k + PrefetchDistance]);
            uint reached = nextRows;
            if (k + 1 < end) nextRows = ReachedRows<L, V>(splats + list[k + 1], x0, y0, frame);
            reach[k] = PackReach(reached & 0xFFFF, reached >> 16);
            uint work = GroupMask<L, V>(reached & 0xFFFF, reached >> 16) & active;
            if (work == 0) continue;
            SplatFalloff.RowTable<L, V>(y0, s->Y, SplatFalloff.RowCoefficient(*s), rowDy, rowTerm);
            // Two phases keep the dependency chains short: first alpha for every group the Gaussian
            // reaches that is still compositing (independent work; per column group u, its column
            // terms held in registers), then the compositing steps.
            ColumnAlphas<L, V>(0, x0, s, work, rowTerm, rowDy, scratch);
            if (groupsPerRow == 2) ColumnAlphas<L, V>(1, x0, s, work, rowTerm, rowDy, scratch);
            // (Made here, after the alpha loop, so that these broadcasts need not stay in registers across it.)
            var splat = new SplatLanes<L, V>(s, k - start);
            for (; work != 0; work &= work - 1)
            {
                nuint group = (nuint)BitOperations.TrailingZeroCount(work);
                float* g = scratch + group * (nuint)groupFloats;
                if (Composite<L, V, TDepth>(g, (int*)(g + ForwardStopSlot * lanes), L.Load(g + ForwardAlphaSlot * lanes), splat))
                    active &= ~(1u << (int)group);
            }
        }

        WriteTile<L, V, TDepth>(scratch, x0, y0, rows, cols, end - start);
    }

    /// <summary>
    /// The rows of the tile's left (low 16 bits) and right (high 16 bits) 8-pixel strips that the
    /// splat's support ellipse reaches inside its support box.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint ReachedRows<L, V>(ProjectedSplat* s, int x0, int y0, in SplatFalloff.TileFrame<L, V> frame) where L : struct, IPixelLanes<V> where V : unmanaged
    {
        // Branch-free clamps: whether a box starts left of the tile or ends right of it is data, and
        // branches on it mispredict about half the time for splats wider than a tile.
        int c0 = AtLeastZero(s->XMin - x0), c1 = AtMost15(s->XMax - x0);
        int r0 = AtLeastZero(s->YMin - y0), r1 = AtMost15(s->YMax - y0);
        if (c0 > c1 || r0 > r1) return 0;
        SplatFalloff.SupportRows<L, V>(*s, frame, out uint leftRows, out uint rightRows);
        uint boxRows = (uint)((1 << (r1 + 1)) - (1 << r0));
        leftRows &= (uint)((c0 - Strip) >> 31);            // kept only if the box starts in the left strip
        rightRows &= ~(uint)((c1 - Strip) >> 31);          // kept only if it ends in the right strip
        return (leftRows & boxRows) | (rightRows & boxRows) << 16;

        static int AtLeastZero(int v) => v & ~(v >> 31);
        static int AtMost15(int v) { int over = v - (Tile - 1); return (Tile - 1) + (over & (over >> 31)); }
    }

    /// <summary>
    /// Phase 1 of the forward step for column group <paramref name="u"/>: alpha of the Gaussian for
    /// each group of that column in <paramref name="work"/>, zero where below 1/255 (the pixel does
    /// not take it), stored in the group's alpha register. The column terms stay in registers.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ColumnAlphas<L, V>(int u, int x0, ProjectedSplat* s, uint work, float* rowTerm, float* rowDy, float* scratch)
        where L : struct, IPixelLanes<V> where V : unmanaged
    {
        uint rowsReached = OpenRows<L, V>(work, u);
        if (rowsReached == 0) return;
        int lanes = L.Count, groupFloats = ForwardGroupRegisters * lanes;
        nuint rowFloats = (nuint)(Tile / lanes * groupFloats);
        SplatFalloff.ColumnTerms<L, V>(SplatFalloff.Dx<L, V>(x0 + u * lanes, s->X), *s, out V au, out V bu);
        float* columnAlphas = scratch + u * groupFloats + ForwardAlphaSlot * lanes;
        for (; rowsReached != 0; rowsReached &= rowsReached - 1)
        {
            nuint r = (nuint)BitOperations.TrailingZeroCount(rowsReached);
            V exponent = SplatFalloff.Exponent<L, V>(au, bu, L.Broadcast(rowTerm + r), L.Broadcast(rowDy + r));
            V alpha = SplatFalloff.Alpha<L, V>(exponent, out V valid, out _);
            L.Store(L.Keep(valid, alpha), columnAlphas + r * rowFloats);
        }
    }

    /// <summary>
    /// Writes a composited tile out: colour C + T_final·background, alpha 1 − T_final, depth, and
    /// the final T and stop index (at most the list length) kept for the backward pass, a register
    /// of pixels at a time.
    /// </summary>
    private void WriteTile<L, V, TDepth>(float* scratch, int x0, int y0, int rows, int cols, int listLength)
        where L : struct, IPixelLanes<V> where V : unmanaged where TDepth : struct, IDepthOutput
    {
        int lanes = L.Count, groupsPerRow = Tile / lanes, groupFloats = ForwardGroupRegisters * lanes;
        int plane = _width * _height;
        var bgR = L.Create(_bgR); var bgG = L.Create(_bgG); var bgB = L.Create(_bgB);
        fixed (float* color = _color, alphaOut = _alpha, depth = _depth, finalT = _finalT)
        fixed (int* stopOut = _stop)
        {
            for (int r = 0; r < rows; r++)
            {
                int row = (y0 + r) * _width + x0;
                for (int u = 0; u < groupsPerRow && u * lanes < cols; u++)
                {
                    float* g = scratch + (r * groupsPerRow + u) * groupFloats;
                    int first = u * lanes, pixel = row + first;
                    V t = L.Abs(L.Load(g));
                    V red = L.Add(L.Load(g + lanes), L.Multiply(t, bgR)), green = L.Add(L.Load(g + 2 * lanes), L.Multiply(t, bgG));
                    V blue = L.Add(L.Load(g + 3 * lanes), L.Multiply(t, bgB)), opacity = L.Subtract(L.Create(1f), t);
                    V d = L.Load(g + 4 * lanes);
                    V stop = L.MinInt(L.LoadInt((int*)(g + ForwardStopSlot * lanes)), L.CreateInt(listLength));
                    if (first + lanes <= cols)
                    {
                        L.Store(red, color + pixel); L.Store(green, color + plane + pixel); L.Store(blue, color + 2 * plane + pixel);
                        L.Store(opacity, alphaOut + pixel); L.Store(t, finalT + pixel); L.StoreInt(stop, stopOut + pixel);
                        if (TDepth.Enabled) L.Store(d, depth + pixel);
                        continue;
                    }
                    // A group cut by the image's right edge: its lanes go back to the group's scratch, then out one by one.
                    L.Store(t, g); L.Store(red, g + lanes); L.Store(green, g + 2 * lanes); L.Store(blue, g + 3 * lanes);
                    L.Store(opacity, g + ForwardAlphaSlot * lanes); L.StoreInt(stop, (int*)(g + ForwardStopSlot * lanes));
                    for (int lane = 0; lane < cols - first; lane++)
                    {
                        color[pixel + lane] = g[lanes + lane];
                        color[plane + pixel + lane] = g[2 * lanes + lane];
                        color[2 * plane + pixel + lane] = g[3 * lanes + lane];
                        alphaOut[pixel + lane] = g[ForwardAlphaSlot * lanes + lane];
                        if (TDepth.Enabled) depth[pixel + lane] = g[4 * lanes + lane];
                        finalT[pixel + lane] = g[lane];
                        stopOut[pixel + lane] = ((int*)g)[ForwardStopSlot * lanes + lane];
                    }
                }
            }
        }
    }

    /// <summary>A Gaussian's per-pixel constants broadcast to all lanes.</summary>
    private readonly struct SplatLanes<L, V>(ProjectedSplat* s, int index) where L : struct, IPixelLanes<V> where V : unmanaged
    {
        public readonly V R = L.Broadcast(&s->R), G = L.Broadcast(&s->G), B = L.Broadcast(&s->B);
        public readonly V Depth = L.Broadcast(&s->Depth);
        public readonly V Index = L.CreateInt(index);
    }

    /// <summary>
    /// Front-to-back step for one group of pixels (<paramref name="g"/>: T, R, G, B, depth registers; depth only with <typeparamref name="TDepth"/>)
    /// given αᵢ = min(0.99, o·exp(power)), zeroed below 1/255: taken where T·(1 − αᵢ) ≥ 1e-4 (an
    /// active pixel has T ≥ 1e-4, so α = 0 is always "taken", adding nothing);
    /// C += cᵢαᵢT, D += zᵢαᵢT, T ← T(1 − αᵢ). A pixel whose T would fall below 1e-4 stops: its T is
    /// stored negated (so it never takes another Gaussian) and this Gaussian's index recorded as
    /// its stop. Returns true when all the group's pixels have stopped.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Composite<L, V, TDepth>(float* g, int* stop, V alpha, in SplatLanes<L, V> splat)
        where L : struct, IPixelLanes<V> where V : unmanaged where TDepth : struct, IDepthOutput
    {
        int lanes = L.Count;
        V t = L.Load(g);
        V tNext = L.MultiplyAddNegated(alpha, t, t);   // T·(1 − α) = −(α·T) + T
        // (Each compare is used by one masked operation, written twice where two need it: with
        // AVX-512 a mask used once stays in a mask register, one used twice went through a vector.
        // Raster 800²/300k random 59.5–60.0 → 56.4–56.6 ms with AlphaRow's and SupportRows' masks too.)
        V minT = L.Create(SplatFalloff.MinTransmittance);
        V take = L.GreaterThanOrEqual(tNext, minT);
        V weight = L.Keep(take, L.Multiply(alpha, t));   // αᵢ Tᵢ
        L.Store(L.FusedMultiplyAdd(weight, splat.R, L.Load(g + lanes)), g + lanes);
        L.Store(L.FusedMultiplyAdd(weight, splat.G, L.Load(g + 2 * lanes)), g + 2 * lanes);
        L.Store(L.FusedMultiplyAdd(weight, splat.B, L.Load(g + 3 * lanes)), g + 3 * lanes);
        if (TDepth.Enabled) L.Store(L.FusedMultiplyAdd(weight, splat.Depth, L.Load(g + 4 * lanes)), g + 4 * lanes);
        V tStored = L.Select(L.LessThan(tNext, minT), t, tNext);
        if (L.Stopping(tNext, take, t) == 0)
        {
            L.Store(tStored, g);
            return false;
        }
        // Newly stopping lanes: not taken, T still positive (sign bit clear), i.e. sign of (take | T) clear.
        V stopMask = L.Not(L.SignMask(L.Or(L.GreaterThanOrEqual(tNext, minT), t)));
        tStored = L.Or(tStored, L.And(stopMask, L.Create(-0.0f)));
        L.Store(tStored, g);
        L.StoreInt(L.Select(stopMask, splat.Index, L.LoadInt(stop)), stop);
        return L.MoveMask(tStored) == L.AllLanes;
    }

    /// <summary>Prefetches both cache lines a splat may straddle.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void PrefetchSplat(ProjectedSplat* s)
    {
        Sse.Prefetch0(s);
        Sse.Prefetch0((byte*)s + sizeof(ProjectedSplat) - 1);
    }

    /// <summary>
    /// The group mask (bit r·groupsPerRow + u) of the rows reached in the left and right 8-pixel
    /// strips: with 8 lanes the strips are the groups (row r's left at bit 2r, right at 2r + 1);
    /// with 16 lanes a row is one group, reached if either strip is.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static uint GroupMask<L, V>(uint leftRows, uint rightRows) where L : struct, IPixelLanes<V> where V : unmanaged
    {
        if (L.Count == 16) return leftRows | rightRows;
        if (Bmi2.IsSupported) return Bmi2.ParallelBitDeposit(leftRows, 0x55555555u) | Bmi2.ParallelBitDeposit(rightRows, 0xAAAAAAAAu);
        uint spread = 0;
        for (int r = 0; r < Tile; r++) spread |= ((leftRows >> r) & 1) << (2 * r) | ((rightRows >> r) & 1) << (2 * r + 1);
        return spread;
    }

    /// <summary>The row mask (bit r) of column group u's groups in a group mask.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static uint OpenRows<L, V>(uint groups, int u) where L : struct, IPixelLanes<V> where V : unmanaged
    {
        if (L.Count == 16) return groups;
        if (Bmi2.IsSupported) return Bmi2.ParallelBitExtract(groups, 0x55555555u << u);
        uint rows = 0;
        for (int r = 0; r < Tile; r++) rows |= ((groups >> (2 * r + u)) & 1) << r;
        return rows;
    }

    /// <summary>
    /// The rows a Gaussian reaches in the left and right column group of a tile as two ranges
    /// (first row, last row: 4 bits each; empty when first &gt; last). Each mask is the rows of one
    /// 8-pixel column strip its support ellipse meets inside its box, which is contiguous: the
    /// intersection of an ellipse with a strip is convex. Should rounding ever leave a gap, the
    /// range covers it, and the backward pass finds alpha below 1/255 there (no contribution).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ushort PackReach(uint leftRows, uint rightRows) => (ushort)(PackRange(leftRows) | PackRange(rightRows) << 8);

    /// <summary>The group mask (<see cref="GroupMask"/>) of a <see cref="PackReach"/> value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static uint UnpackReach<L, V>(ushort reach) where L : struct, IPixelLanes<V> where V : unmanaged
        => GroupMask<L, V>(UnpackRange(reach & 0xFFu), UnpackRange((uint)reach >> 8));

    // No rows packs as first 15 > last 0 (empty). Branch-free: whether a splat reaches a strip at
    // all is data, and a branch on it mispredicts. Bit 15 and bit 0 added for the two searches leave
    // a non-empty mask's first and last row as they are (its first row is ≤ 15, its last ≥ 0).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint PackRange(uint rows) =>
        (uint)BitOperations.TrailingZeroCount(rows | 0x8000u) | (uint)(31 - BitOperations.LeadingZeroCount(rows | 1u)) << 4;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint UnpackRange(uint range)
    {
        int first = (int)(range & 0xF), last = (int)(range >> 4);
        return first > last ? 0 : (2u << last) - (1u << first);
    }

    /// <summary>First 64-byte boundary at or after <paramref name="p"/> (scratch arrays have 16 floats of slack).</summary>
    internal static float* AlignToCacheLine(float* p) => (float*)(((nuint)p + 63) & ~(nuint)63);
}
