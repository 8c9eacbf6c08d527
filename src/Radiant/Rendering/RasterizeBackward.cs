using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Radiant.Rendering;

/// <summary>
/// Tile rasterizer, backward pass (the role of gsplat's rasterize backward kernel). Per pixel,
/// back to front from where it stopped, the reference recursion recovers Tᵢ = Tᵢ₊₁ / (1 − αᵢ)
/// and the colour behind, Rᵢ (R = background at the back, Rᵢ₋₁ = αᵢcᵢ + (1 − αᵢ)Rᵢ), so that
///   dC/dcᵢ = αᵢTᵢ,   dC/dαᵢ = Tᵢ(cᵢ − Rᵢ),   dA/dαᵢ = T_final / (1 − αᵢ)   (A = 1 − T_final),
/// then αᵢ = opacity·exp(power) gives dα/d opacity = G, dα/d power = α (both zero where α was
/// clamped at 0.99), and power = −½(a dx² + c dy²) − b dx dy gives the conic and mean2d terms.
/// The colour behind is carried only as its projection S = Σ_c dL/dC_c·R_c (one value per pixel
/// instead of three). Per Gaussian and column group of a tile (8 or 16 pixels wide, see
/// <see cref="IPixelLanes{V}"/>): rows its support ellipse cannot
/// reach are skipped (the reached groups are those the forward pass found and kept per tile-list
/// entry), alpha is evaluated for all rows first (independent work), then the recursion
/// runs, and the pixel sums are formed from per-row buffers and reduced once per tile; each worker
/// (at most <see cref="MaxAccumulatorCopies"/>) adds into its own per-Gaussian accumulator (no
/// races; in the shared workspace, cleared by its worker at the start), summed when the projection
/// backward reads them.
/// </summary>
internal sealed unsafe partial class Rasterizer
{
    private float* _dColor, _dAlpha;
    // With an absolute screen gradient: per worker, 2 floats per Gaussian (Σ|dL/dmean2d| per axis).
    private float[] _screenAbs = [];
    private bool _trackScreenAbs;

    /// <summary>(Σ lanes of a, …, Σ lanes of h) as one vector (horizontal-add tree).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> SumLanes(Vector256<float> a, Vector256<float> b, Vector256<float> c, Vector256<float> d,
                                             Vector256<float> e, Vector256<float> f, Vector256<float> g, Vector256<float> h)
    {
        if (!Avx.IsSupported) return Vector256.Create(Vector256.Sum(a), Vector256.Sum(b), Vector256.Sum(c), Vector256.Sum(d),
                                                       Vector256.Sum(e), Vector256.Sum(f), Vector256.Sum(g), Vector256.Sum(h));
        // hadd pairs lanes within 128-bit halves; after three levels each half holds partial sums
        // of the low / high four lanes, which the final cross-half add combines.
        Vector256<float> ab = Avx.HorizontalAdd(a, b), cd = Avx.HorizontalAdd(c, d);
        Vector256<float> ef = Avx.HorizontalAdd(e, f), gh = Avx.HorizontalAdd(g, h);
        Vector256<float> abcd = Avx.HorizontalAdd(ab, cd), efgh = Avx.HorizontalAdd(ef, gh);
        // abcd = (a_lo, b_lo, c_lo, d_lo | a_hi, b_hi, c_hi, d_hi); likewise efgh.
        Vector256<float> low = Avx.Permute2x128(abcd, efgh, 0x20), high = Avx.Permute2x128(abcd, efgh, 0x31);
        return low + high;
    }

    /// <summary>
    /// Sizes the shared workspace for N = <paramref name="splatCount"/> Gaussians, <paramref name="visibleCount"/>
    /// of them visible: the forward's N footprints + 2 × visible sort entries, the backward's
    /// 9 floats per Gaussian per worker.
    /// </summary>
    private void EnsureWorkspace(int splatCount, int visibleCount)
    {
        long forward = splatCount + 2L * visibleCount;
        long backward = ((long)SplatGradient.Floats * AccumulatorCopies * splatCount + 1) / 2;
        long need = Math.Max(forward, backward);
        if (need > Array.MaxLength) throw new ArgumentException("too many Gaussians for the rasterizer's workspace");
        // Exact: the need follows the Gaussian count (the accumulators outweigh the forward's use), which
        // changes only when densification rebuilds the model, not from view to view.
        if (_workspace.Length < need) _workspace = new ulong[need];
    }

    /// <summary>
    /// Backward of the last <see cref="Forward"/>: dL/d(mean2d, conic, opacity, colour) per Gaussian
    /// from dL/dcolour (3·W·H planar) and dL/dalpha (W·H, or empty), replacing the previous
    /// backward's. Read the result with <see cref="Gradient"/> (valid until the next forward).
    /// With <paramref name="absoluteScreenGradient"/>, also the sums over pixels of each pixel's
    /// |dL/dmean2d| per axis (AbsGS, Ye et al. 2024; gsplat's absgrad), read with <see cref="AbsoluteScreenGradient"/>.
    /// </summary>
    public void Backward(ReadOnlySpan<float> dColor, ReadOnlySpan<float> dAlpha, bool absoluteScreenGradient = false)
    {
        int pixels = _width * _height;
        if (dColor.Length != 3 * pixels) throw new ArgumentException($"dColor must hold 3·{_width}·{_height} floats");
        if (!dAlpha.IsEmpty && dAlpha.Length != pixels) throw new ArgumentException($"dAlpha must be empty or hold {_width}·{_height} floats");
        _trackScreenAbs = absoluteScreenGradient;
        long screenFloats = 2L * AccumulatorCopies * _splats.Length;
        if (absoluteScreenGradient && _screenAbs.Length < screenFloats) _screenAbs = new float[screenFloats];
        else if (!absoluteScreenGradient) _screenAbs = [];   // (training stops densifying: freed)
        fixed (float* dc = dColor)
        fixed (float* da = dAlpha)
        {
            _dColor = dc;
            _dAlpha = dAlpha.IsEmpty ? null : da;
            try { _pool.Run(_backwardJob); }
            finally { _dColor = null; _dAlpha = null; }
        }
    }

    /// <summary>The gradient of Gaussian <paramref name="id"/> from the last <see cref="Backward"/>, summed over workers.</summary>
    public SplatGradient Gradient(int id)
    {
        if ((uint)id >= (uint)_splats.Length) throw new ArgumentOutOfRangeException(nameof(id));
        // The first 8 floats as one vector, the ninth (B) alone; each sums the copies in worker order.
        ref float accumulators = ref Unsafe.As<ulong, float>(ref MemoryMarshal.GetArrayDataReference(_workspace));
        nint stride = SplatGradient.Floats * _splats.Length;
        Vector256<float> head = Vector256<float>.Zero;
        float last = 0;
        for (nint w = 0, offset = (nint)id * SplatGradient.Floats; w < AccumulatorCopies; w++, offset += stride)
        {
            ref float row = ref Unsafe.Add(ref accumulators, offset);
            head += Vector256.LoadUnsafe(ref row);
            last += Unsafe.Add(ref row, SplatGradient.Floats - 1);
        }
        SplatGradient sum = default;
        head.StoreUnsafe(ref Unsafe.As<SplatGradient, float>(ref sum));
        sum.B = last;
        return sum;
    }

    /// <summary>
    /// Σ over pixels of |dL/dmean2d| per axis for Gaussian <paramref name="id"/>, summed over workers,
    /// from the last <see cref="Backward"/> made with the absolute screen gradient.
    /// </summary>
    public (float X, float Y) AbsoluteScreenGradient(int id)
    {
        if ((uint)id >= (uint)_splats.Length) throw new ArgumentOutOfRangeException(nameof(id));
        if (!_trackScreenAbs) throw new InvalidOperationException("the last backward pass did not sum absolute screen gradients");
        float x = 0, y = 0;
        for (int w = 0, offset = 2 * id; w < AccumulatorCopies; w++, offset += 2 * _splats.Length)
        {
            x += _screenAbs[offset];
            y += _screenAbs[offset + 1];
        }
        return (x, y);
    }

    /// <summary>Prefetches Gaussian <paramref name="id"/>'s accumulator rows (and absolute screen sums), read by <see cref="Gradient"/> and <see cref="AbsoluteScreenGradient"/> (a hint; no pinning needed).</summary>
    public void PrefetchGradient(int id)
    {
        if (!Sse.IsSupported || (uint)id >= (uint)_splats.Length) return;
        ref float accumulators = ref Unsafe.As<ulong, float>(ref MemoryMarshal.GetArrayDataReference(_workspace));
        nint stride = SplatGradient.Floats * _splats.Length;
        for (nint w = 0, offset = (nint)id * SplatGradient.Floats; w < AccumulatorCopies; w++, offset += stride)
        {
            Sse.Prefetch0(Unsafe.AsPointer(ref Unsafe.Add(ref accumulators, offset)));
            Sse.Prefetch0(Unsafe.AsPointer(ref Unsafe.Add(ref accumulators, offset + SplatGradient.Floats - 1)));
        }
        if (_trackScreenAbs)
        {
            ref float screenAbs = ref MemoryMarshal.GetArrayDataReference(_screenAbs);
            for (nint w = 0, offset = 2 * (nint)id; w < AccumulatorCopies; w++, offset += 2 * _splats.Length)
                Sse.Prefetch0(Unsafe.AsPointer(ref Unsafe.Add(ref screenAbs, offset)));
        }
    }

    /// <summary>
    /// At most this many workers run the backward tiles, each with its own accumulators (9 floats
    /// per Gaussian): on a many-core machine the copies would otherwise cost more memory than the
    /// model (64 × 36 B per Gaussian) and their sum in <see cref="Gradient"/> more time than it saves.
    /// </summary>
    internal const int MaxAccumulatorCopies = 8;

    /// <summary>Bytes of the per-Gaussian workspace (footprints and sort, then the backward's accumulators).</summary>
    internal long WorkspaceBytes => _workspace.LongLength * sizeof(ulong);

    private int AccumulatorCopies => Math.Min(_pool.Workers, MaxAccumulatorCopies);

    private void BackwardWorker(int worker)
    {
        int workers = AccumulatorCopies;
        if (worker >= workers) return;
        fixed (ProjectedSplat* splats = _splats)
        fixed (int* list = Binning.List)
        fixed (float* scratchBase = _scratch[worker])
        fixed (ulong* workspace = _workspace)
        fixed (ushort* reach = _reach)
        fixed (float* screenAbsBase = _screenAbs)
        {
            float* scratch = AlignToCacheLine(scratchBase);
            // This worker's accumulators (9 floats per Gaussian), zeroed: the forward pass used the memory.
            int stride = SplatGradient.Floats * _splats.Length;
            float* grad = (float*)workspace + (nint)worker * stride;
            new Span<float>(grad, stride).Clear();
            float* screenAbs = null;
            if (_trackScreenAbs)
            {
                screenAbs = screenAbsBase + (nint)worker * 2 * _splats.Length;
                new Span<float>(screenAbs, 2 * _splats.Length).Clear();
            }
            // Blocks of tiles (as in the forward pass) are dealt to workers statically (block ≡ worker
            // mod W), not taken from a shared counter: each worker's float sums then always see the
            // same tiles in the same order, so gradients, and whole training runs, are bit-reproducible
            // for a given worker count.
            // The tile's stack buffers live here, not in BackwardTile: a method with stackalloc is
            // compiled straight to full optimisation, without the profile-guided tier.
            float* edge = stackalloc float[6 * MaxLanes];
            int* openAt = stackalloc int[2 * Tile];
            int* openGroup = stackalloc int[2 * Tile];
            var buffers = new TileBuffers(edge, openAt, openGroup);
            // The JIT specialises the tile loop per flag type, so each run gets a copy without the
            // terms it does not need: training passes no dL/dalpha (a load and a multiply less per
            // pixel group), and only AbsGS densification sums absolute screen gradients (seven vector
            // operations per pixel group).
            var job = new BackwardJob(splats, list, reach, scratch, grad, screenAbs, buffers, worker, workers);
            if (_pixelLanes == 16) BackwardBlocks<PixelLanes16, Vector512<float>>(job);
            else BackwardBlocks<PixelLanes8, Vector256<float>>(job);
        }
    }

    /// <summary>A backward worker's pointers: the frame's splats, tile lists and reach, its scratch, buffers and accumulators.</summary>
    private readonly struct BackwardJob(ProjectedSplat* splats, int* list, ushort* reach, float* scratch, float* grad, float* screenAbs,
                                        TileBuffers buffers, int worker, int workers)
    {
        public readonly ProjectedSplat* Splats = splats;
        public readonly int* List = list;
        public readonly ushort* Reach = reach;
        public readonly float* Scratch = scratch, Grad = grad, ScreenAbs = screenAbs;
        public readonly TileBuffers Buffers = buffers;
        public readonly int Worker = worker, Workers = workers;
    }

    private void BackwardBlocks<L, V>(in BackwardJob job) where L : struct, IPixelLanes<V> where V : unmanaged
    {
        bool alphaLoss = _dAlpha != null, screenAbs = job.ScreenAbs != null;
        if (!alphaLoss && !screenAbs) BackwardBlocks<L, V, WithoutAlphaLoss, WithoutAbsoluteScreenGradient>(job);
        else if (!alphaLoss) BackwardBlocks<L, V, WithoutAlphaLoss, WithAbsoluteScreenGradient>(job);
        else if (!screenAbs) BackwardBlocks<L, V, WithAlphaLoss, WithoutAbsoluteScreenGradient>(job);
        else BackwardBlocks<L, V, WithAlphaLoss, WithAbsoluteScreenGradient>(job);
    }

    private void BackwardBlocks<L, V, TAlphaLoss, TScreen>(in BackwardJob job)
        where L : struct, IPixelLanes<V> where V : unmanaged where TAlphaLoss : struct, IAlphaLoss where TScreen : struct, IScreenGradient
    {
        var blocks = new TileBlocks(Binning.TilesX, Binning.TilesY, job.Workers);
        for (int block = job.Worker; block < blocks.Count; block += job.Workers)
        {
            for (int j = 0; j < blocks.TilesPerBlock; j++)
            {
                int tile = blocks.Tile(block, j);
                if (tile >= 0) BackwardTile<L, V, TAlphaLoss, TScreen>(tile, job);
            }
        }
    }

    // Backward scratch per tile, group-major: for each group of pixels, one register each of T, S,
    // dL/dR, dL/dG, dL/dB, dL/dA·T_final, and the current Gaussian's α and dα/dpower (written by
    // phase 1, read by phase 2: one base pointer per group); the stop indices in the row buffer.
    private const int BackwardGroupRegisters = 8, AlphaSlot = 6, DAlphaDPowerSlot = 7;
    // The broadcast constants of the Gaussian in hand, a register each: colour at 0–2, its list index
    // (int) at 4; with absolute screen gradients, their lane sums at 5 and 6.
    private const int ConstantSlots = 7, AbsXSlot = 5, AbsYSlot = 6;

    /// <summary>A worker's small per-tile buffers: an edge group's lanes (6 registers), the groups by opening order (2 × 32 ints).</summary>
    private readonly struct TileBuffers(float* edge, int* openAt, int* openGroup)
    {
        public readonly float* Edge = edge;
        public readonly int* OpenAt = openAt, OpenGroup = openGroup;
    }

    private interface IAlphaLoss { static abstract bool Present { get; } }
    private struct WithAlphaLoss : IAlphaLoss { public static bool Present => true; }
    private struct WithoutAlphaLoss : IAlphaLoss { public static bool Present => false; }
    private interface IScreenGradient { static abstract bool Absolute { get; } }
    private struct WithAbsoluteScreenGradient : IScreenGradient { public static bool Absolute => true; }
    private struct WithoutAbsoluteScreenGradient : IScreenGradient { public static bool Absolute => false; }

    private void BackwardTile<L, V, TAlphaLoss, TScreen>(int tile, in BackwardJob job)
        where L : struct, IPixelLanes<V> where V : unmanaged where TAlphaLoss : struct, IAlphaLoss where TScreen : struct, IScreenGradient
    {
        float* scratch = job.Scratch;
        TileBuffers buffers = job.Buffers;
        int lanes = L.Count, groupsPerRow = Tile / lanes, groups = Tile * groupsPerRow, groupFloats = BackwardGroupRegisters * lanes;
        Debug.Assert(groups * groupFloats <= RowTableOffset && groups * lanes <= TilePixels);
        int* stop = (int*)(scratch + RowBufferOffset);
        int x0 = tile % Binning.TilesX * Tile, y0 = tile / Binning.TilesX * Tile;
        int rows = Math.Min(Tile, _height - y0), cols = Math.Min(Tile, _width - x0);
        int plane = _width * _height;

        // Per pixel: T = T_final, S = dL/dC · background (the colour behind the last Gaussian,
        // projected on dL/dC), dL/dC, dL/dA·T_final and the stop index, a group at a time; pixels
        // outside the image read as T = 1 and zeros (no Gaussian reaches them).
        float* edge = buffers.Edge;
        fixed (float* finalTs = _finalT)
        fixed (int* stops = _stop)
        {
            for (int group = 0; group < groups; group++)
            {
                int r = group / groupsPerRow, firstColumn = group % groupsPerRow * lanes;
                int pixel = (y0 + r) * _width + x0 + firstColumn;
                V finalT, gr, gg, gb, da, groupStop;
                if (r < rows && firstColumn + lanes <= cols)
                {
                    finalT = L.Load(finalTs + pixel);
                    gr = L.Load(_dColor + pixel); gg = L.Load(_dColor + plane + pixel); gb = L.Load(_dColor + 2 * plane + pixel);
                    da = _dAlpha == null ? default : L.Load(_dAlpha + pixel);
                    groupStop = L.LoadInt(stops + pixel);
                }
                else
                {
                    int* edgeStop = (int*)(edge + 5 * lanes);
                    for (int lane = 0; lane < lanes; lane++)
                    {
                        bool inside = r < rows && firstColumn + lane < cols;
                        int p = pixel + lane;
                        edge[lane] = inside ? finalTs[p] : 1;
                        edge[lanes + lane] = inside ? _dColor[p] : 0;
                        edge[2 * lanes + lane] = inside ? _dColor[plane + p] : 0;
                        edge[3 * lanes + lane] = inside ? _dColor[2 * plane + p] : 0;
                        edge[4 * lanes + lane] = inside && _dAlpha != null ? _dAlpha[p] : 0;
                        edgeStop[lane] = inside ? stops[p] : 0;
                    }
                    finalT = L.Load(edge);
                    gr = L.Load(edge + lanes); gg = L.Load(edge + 2 * lanes); gb = L.Load(edge + 3 * lanes);
                    da = L.Load(edge + 4 * lanes);
                    groupStop = L.LoadInt(edgeStop);
                }
                float* g = scratch + group * groupFloats;
                L.Store(finalT, g);
                L.Store(L.Add(L.Add(L.Multiply(gr, L.Create(_bgR)), L.Multiply(gg, L.Create(_bgG))), L.Multiply(gb, L.Create(_bgB))), g + lanes);
                L.Store(gr, g + 2 * lanes); L.Store(gg, g + 3 * lanes); L.Store(gb, g + 4 * lanes);
                L.Store(L.Multiply(da, finalT), g + 5 * lanes);
                L.StoreInt(groupStop, stop + group * lanes);
            }
        }
        // A group takes part for Gaussians before the largest stop index among its pixels.
        // Going back to front, group g opens (takes part) from the Gaussian before its stop index:
        // the groups sorted by stop index, descending, open one after another.
        int* openAt = buffers.OpenAt, openGroup = buffers.OpenGroup;
        for (int group = 0; group < groups; group++)
        {
            int m = 0;
            for (int l = 0; l < lanes; l++) m = Math.Max(m, stop[group * lanes + l]);
            int j = group;
            for (; j > 0 && openAt[j - 1] < m; j--) { openAt[j] = openAt[j - 1]; openGroup[j] = openGroup[j - 1]; }
            openAt[j] = m; openGroup[j] = group;
        }
        BackwardList<L, V, TAlphaLoss, TScreen>(job.Splats, job.List + Binning.TileStart[tile], job.Reach + Binning.TileStart[tile], x0, y0,
                                                scratch, job.Grad, job.ScreenAbs, openAt, openGroup);
    }

    /// <summary>
    /// The tile's list, back to front from its last stop index (<paramref name="list"/> and
    /// <paramref name="reach"/> start at the tile's first entry; the groups' scratch is set up):
    /// each Gaussian's gradient added to <paramref name="grad"/> (and, with <typeparamref name="TScreen"/>
    /// absolute, its Σ|dL/dmean2d| to <paramref name="screenAbs"/>). A method of its own, apart from the
    /// tile's set-up: the JIT's inlining budget is spent per compiled method, and together they once
    /// exhausted it and left calls in this loop.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void BackwardList<L, V, TAlphaLoss, TScreen>(ProjectedSplat* splats, int* list, ushort* reach, int x0, int y0, float* scratch,
                                                              float* grad, float* screenAbs, int* openAt, int* openGroup)
        where L : struct, IPixelLanes<V> where V : unmanaged where TAlphaLoss : struct, IAlphaLoss where TScreen : struct, IScreenGradient
    {
        int lanes = L.Count, groupsPerRow = Tile / lanes, groups = Tile * groupsPerRow;
        int* stop = (int*)(scratch + RowBufferOffset);
        int tileStop = openAt[0], opened = 0;
        uint open = 0;   // bit r·groupsPerRow + u: group (row r, column group u) open

        float* rowDy = scratch + RowTableOffset, rowTerm = rowDy + Tile;
        float* constants = scratch + ConstantsOffset;
        for (int k = tileStop - 1; k >= 0; k--)
        {
            for (; opened < groups && k < openAt[opened]; opened++) open |= 1u << openGroup[opened];
            int id = list[k];
            ProjectedSplat* s = splats + id;
            if (Sse.IsSupported && k - PrefetchDistance >= 0)
            {
                int ahead = list[k - PrefetchDistance];
                PrefetchSplat(splats + ahead);
                // Both cache lines the 9-float accumulator may straddle (36-byte stride).
                Sse.Prefetch0(grad + ahead * SplatGradient.Floats);
                Sse.Prefetch0(grad + ahead * SplatGradient.Floats + SplatGradient.Floats - 1);
            }
            // The groups its support ellipse reaches (found by the forward pass) that take part.
            uint reachOpen = UnpackReach<L, V>(reach[k]) & open;
            if (reachOpen == 0) continue;

            SplatFalloff.RowTable<L, V>(y0, s->Y, SplatFalloff.RowCoefficient(*s), rowDy, rowTerm);
            // The Gaussian's constants live in memory (read as operands) to leave registers to the sums.
            L.Store(L.Broadcast(&s->R), constants);
            L.Store(L.Broadcast(&s->G), constants + lanes);
            L.Store(L.Broadcast(&s->B), constants + 2 * lanes);
            L.StoreInt(L.CreateInt(k), (int*)(constants + 4 * lanes));
            // Per column group u: the lane sums over its rows of αT·dL/dC and of dL/dpower, ·dy, ·dy²
            // (dx is constant down a column group), gathered into the tile's per-lane sums: colour,
            // Σ dα·o·G, and the dx/dy moments of dL/dpower (dα/dpower = α = o·G where unclamped;
            // dα/do = G, so 1/o is applied at the end).
            // (dx is formed again after each column, not kept live across its loops: fewer spills.)
            if (TScreen.Absolute) { L.Store(default, constants + AbsXSlot * lanes); L.Store(default, constants + AbsYSlot * lanes); }
            bool touched = BackwardColumn<L, V, TAlphaLoss, TScreen>(0, x0, s, scratch, stop, constants, rowTerm, rowDy, reachOpen,
                                                                   out V sumR, out V sumG, out V sumB, out V p0, out V py0, out V pyy0);
            V dx0 = SplatFalloff.Dx<L, V>(x0, s->X);
            V sumG0 = p0, sumXX = L.Multiply(L.Multiply(dx0, dx0), p0), sumX = L.Multiply(dx0, p0), sumXY = L.Multiply(dx0, py0), sumY = py0, sumYY = pyy0;
            if (groupsPerRow == 2)
            {
                touched |= BackwardColumn<L, V, TAlphaLoss, TScreen>(1, x0, s, scratch, stop, constants, rowTerm, rowDy, reachOpen,
                                                                   out V r1, out V g1, out V b1, out V p1, out V py1, out V pyy1);
                V dx1 = SplatFalloff.Dx<L, V>(x0 + lanes, s->X);
                sumR = L.Add(sumR, r1); sumG = L.Add(sumG, g1); sumB = L.Add(sumB, b1); sumG0 = L.Add(sumG0, p1);
                sumXX = L.FusedMultiplyAdd(L.Multiply(dx1, dx1), p1, sumXX);
                sumX = L.FusedMultiplyAdd(dx1, p1, sumX);
                sumXY = L.FusedMultiplyAdd(dx1, py1, sumXY);
                sumY = L.Add(sumY, py1); sumYY = L.Add(sumYY, pyy1);
            }
            if (!touched) continue;

            // dpower/dmean = (a dx + b dy, b dx + c dy); dpower/d(a, b, c) = (−½dx², −dx dy, −½dy²);
            // the moments above are of dL/dpower; dL/do = Σ dL/dα·G = Σ dL/dpower / o.
            // Eight lane sums at once: (ΣX, ΣY, ΣXX, ΣXY, ΣYY, ΣG0, ΣR, ΣG), then ΣB.
            Vector256<float> sums = SumLanes(L.Fold(sumX), L.Fold(sumY), L.Fold(sumXX), L.Fold(sumXY),
                                             L.Fold(sumYY), L.Fold(sumG0), L.Fold(sumR), L.Fold(sumG));
            float sx = sums.GetElement(0), sy = sums.GetElement(1);
            float* grad9 = grad + id * SplatGradient.Floats;
            Vector256<float> scale = Vector256.Create(0f, 0f, -0.5f, -1f, -0.5f, 1 / s->Opacity, 1f, 1f);
            Vector256<float> meanGrad = Vector256.Create(s->ConicA * sx + s->ConicB * sy, s->ConicB * sx + s->ConicC * sy, 0, 0, 0, 0, 0, 0);
            (Vector256.Load(grad9) + Vector256.FusedMultiplyAdd(sums, scale, meanGrad)).Store(grad9);
            grad9[8] += Vector256.Sum(L.Fold(sumB));
            if (TScreen.Absolute)
            {
                screenAbs[2 * id] += Vector256.Sum(L.Fold(L.Load(constants + AbsXSlot * lanes)));
                screenAbs[2 * id + 1] += Vector256.Sum(L.Fold(L.Load(constants + AbsYSlot * lanes)));
            }
        }
    }

    /// <summary>
    /// Phases 1 and 2 of one Gaussian (<paramref name="s"/>, constants broadcast in <paramref name="constants"/>)
    /// on column group <paramref name="u"/> of the tile at column <paramref name="x0"/>, over the rows of
    /// <paramref name="reachOpen"/>: the lane sums over the rows taken of αT·dL/dC (<paramref name="sumR"/>,
    /// <paramref name="sumG"/>, <paramref name="sumB"/>) and of dL/dpower, ·dy, ·dy² (<paramref name="q0"/>,
    /// <paramref name="q1"/>, <paramref name="q2"/>) and, with <typeparamref name="TScreen"/> absolute, of
    /// |dL/dmean2d| per axis, added to the lanes of the constants' AbsXSlot and AbsYSlot; all zero, and
    /// false returned, when no row took it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool BackwardColumn<L, V, TAlphaLoss, TScreen>(int u, int x0, ProjectedSplat* s, float* scratch, int* stop, float* constants,
                                                                float* rowTerm, float* rowDy, uint reachOpen,
                                                                out V sumR, out V sumG, out V sumB, out V q0, out V q1, out V q2)
        where L : struct, IPixelLanes<V> where V : unmanaged where TAlphaLoss : struct, IAlphaLoss where TScreen : struct, IScreenGradient
    {
        sumR = sumG = sumB = q0 = q1 = q2 = default;
        uint rowsReached = OpenRows<L, V>(reachOpen, u);
        if (rowsReached == 0) return false;
        int lanes = L.Count, rowFloats = Tile / lanes * BackwardGroupRegisters * lanes;
        SplatFalloff.ColumnTerms<L, V>(SplatFalloff.Dx<L, V>(x0 + u * lanes, s->X), *s, out V au, out V bu);
        // Phase 1 (independent per row): α, dα/dpower (stored in the group's scratch) and the
        // rows with a lane that took this Gaussian. Column group u of row r is at
        // column + r·rowFloats (its stop indices at stopColumn + r·Tile).
        float* column = scratch + u * BackwardGroupRegisters * lanes;
        int* stopColumn = stop + u * lanes;
        uint rowsTaken = 0;
        while (rowsReached != 0)
        {
            // Two rows per step (independent work; shares the loop overhead and constants).
            int r = BitOperations.TrailingZeroCount(rowsReached);
            rowsReached &= rowsReached - 1;
            rowsTaken |= AlphaRow<L, V>(column + r * rowFloats, stopColumn + r * Tile, constants, au, bu, rowTerm + r, rowDy + r) << r;
            if (rowsReached == 0) break;
            r = BitOperations.TrailingZeroCount(rowsReached);
            rowsReached &= rowsReached - 1;
            rowsTaken |= AlphaRow<L, V>(column + r * rowFloats, stopColumn + r * Tile, constants, au, bu, rowTerm + r, rowDy + r) << r;
        }
        // Phase 2, back to front per pixel (reference recursion): Tᵢ = Tᵢ₊₁/(1 − αᵢ); with
        // S = Σ_c dL/dC_c·R_c (the colour behind, projected on dL/dC) and q = Σ_c dL/dC_c·cᵢ_c:
        // dL/dαᵢ = Tᵢ(q − S) + dL/dA·T_final/(1 − αᵢ);  S ← S + αᵢ(q − S);  dL/dcᵢ += αᵢTᵢ·dL/dC.
        if (rowsTaken == 0) return false;
        V accR = default, accG = default, accB = default;
        V p0 = default, p1 = default, p2 = default;
        AbsoluteScreenSums<L, V> absolute = TScreen.Absolute ? new(x0 + u * lanes, s) : default;
        for (; rowsTaken != 0; rowsTaken &= rowsTaken - 1)
        {
            int r = BitOperations.TrailingZeroCount(rowsTaken);
            float* g = column + r * rowFloats;
            V a = L.Load(g + AlphaSlot * lanes);
            V invOneMinus = L.Reciprocal(L.Subtract(L.Create(1f), a));
            V t = L.Multiply(L.Load(g), invOneMinus);
            L.Store(t, g);
            V dLdR = L.Load(g + 2 * lanes), dLdG = L.Load(g + 3 * lanes), dLdB = L.Load(g + 4 * lanes);
            V q = L.FusedMultiplyAdd(dLdR, L.Load(constants),
                   L.FusedMultiplyAdd(dLdG, L.Load(constants + lanes), L.Multiply(dLdB, L.Load(constants + 2 * lanes))));
            V behind = L.Load(g + lanes);
            V diff = L.Subtract(q, behind);
            L.Store(L.FusedMultiplyAdd(a, diff, behind), g + lanes);
            V dAlpha = TAlphaLoss.Present
                ? L.FusedMultiplyAdd(diff, t, L.Multiply(L.Load(g + 5 * lanes), invOneMinus))
                : L.Multiply(diff, t);
            V weight = L.Multiply(a, t);
            accR = L.FusedMultiplyAdd(weight, dLdR, accR);
            accG = L.FusedMultiplyAdd(weight, dLdG, accG);
            accB = L.FusedMultiplyAdd(weight, dLdB, accB);
            // Through αᵢ = o·G: dL/dpower = dL/dα·o·G (0 where clamped, masked in phase 1).
            V dPower = L.Multiply(dAlpha, L.Load(g + DAlphaDPowerSlot * lanes));
            var dyv = L.Broadcast(rowDy + r);
            p0 = L.Add(p0, dPower);
            p1 = L.FusedMultiplyAdd(dPower, dyv, p1);
            p2 = L.FusedMultiplyAdd(L.Multiply(dPower, dyv), dyv, p2);
            if (TScreen.Absolute) absolute.AddRow(dPower, dyv);
        }
        sumR = accR; sumG = accG; sumB = accB; q0 = p0; q1 = p1; q2 = p2;
        if (TScreen.Absolute) AddAbsoluteSums<L, V>(constants, absolute.X, absolute.Y);
        return true;
    }

    /// <summary>
    /// AbsGS's sums for one column group of pixels: a pixel's dL/dmean2d is dL/dpower·(a dx + b dy,
    /// b dx + c dy), summed as |dL/dpower|·|a dx + b dy| and |dL/dpower|·|b dx + c dy| over the rows.
    /// (One struct, not six locals: with six more vector locals the JIT stopped inlining
    /// BackwardColumn into BackwardList, seen in its tier-1 code, and the default pass's raster
    /// backward went from 73–75 to 81–84 ms at 800²/300k; probably its limit on an inlinee's locals.)
    /// </summary>
    private struct AbsoluteScreenSums<L, V> where L : struct, IPixelLanes<V> where V : unmanaged
    {
        private readonly V _adx, _bdx, _conicB, _conicC;
        public V X, Y;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public AbsoluteScreenSums(int px, ProjectedSplat* s)
        {
            V dx = SplatFalloff.Dx<L, V>(px, s->X);
            _conicB = L.Create(s->ConicB); _conicC = L.Create(s->ConicC);
            _adx = L.Multiply(L.Create(s->ConicA), dx); _bdx = L.Multiply(_conicB, dx);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void AddRow(V dPower, V dy)
        {
            V magnitude = L.Abs(dPower);
            X = L.FusedMultiplyAdd(magnitude, L.Abs(L.FusedMultiplyAdd(_conicB, dy, _adx)), X);
            Y = L.FusedMultiplyAdd(magnitude, L.Abs(L.FusedMultiplyAdd(_conicC, dy, _bdx)), Y);
        }
    }

    /// <summary>Adds a column's lane sums to the Gaussian's, in the constants' <see cref="AbsXSlot"/> and <see cref="AbsYSlot"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddAbsoluteSums<L, V>(float* constants, V absX, V absY) where L : struct, IPixelLanes<V> where V : unmanaged
    {
        float* x = constants + AbsXSlot * L.Count, y = constants + AbsYSlot * L.Count;
        L.Store(L.Add(L.Load(x), absX), x);
        L.Store(L.Add(L.Load(y), absY), y);
    }

    /// <summary>
    /// Phase 1 for one group (scratch <paramref name="g"/>, stop indices <paramref name="groupStop"/>, row
    /// terms <paramref name="rowTerm"/>, <paramref name="dy"/>): α and dα/dpower of the current Gaussian
    /// stored in the group's scratch (0 in lanes that do not take it); returns 1 if a lane takes it, else 0.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint AlphaRow<L, V>(float* g, int* groupStop, float* constants, V au, V bu, float* rowTerm, float* dy)
        where L : struct, IPixelLanes<V> where V : unmanaged
    {
        int lanes = L.Count;
        V exponent = SplatFalloff.Exponent<L, V>(au, bu, L.Broadcast(rowTerm), L.Broadcast(dy));
        V alpha = SplatFalloff.Alpha<L, V>(exponent, out _, out V unclamped);
        // α where the pixel took the Gaussian (α ≥ 1/255, before the pixel's stop), else 0. Each mask
        // is used once, so that with AVX-512 each stays a mask register (a zero-masking move).
        V taken = L.KeepWhereGreaterInt(L.LoadInt(groupStop), L.LoadInt((int*)(constants + 4 * lanes)),
                                        L.Keep(L.GreaterThanOrEqual(alpha, L.Create(SplatFalloff.MinAlpha)), alpha));
        // A branch, not a data dependency: phase 2's loop over the rows taken then runs ahead on the prediction.
        if (L.MoveMask(L.GreaterThanInt(taken, L.CreateInt(0))) == 0) return 0;
        L.Store(taken, g + AlphaSlot * lanes);
        // dα/dpower is o·G where alpha is not clamped at 0.99, else 0 (where not clamped, α = o·G).
        L.Store(L.Keep(L.LessThanOrEqual(unclamped, L.Create(SplatFalloff.MaxAlpha)), taken), g + DAlphaDPowerSlot * lanes);
        return 1;
    }
}
