using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Radiant.Rendering;

/// <summary>
/// Assigns depth-ordered Gaussians to 16×16 pixel tiles (the role of gsplat's tile intersection):
/// a counting sort by tile of the (already depth-sorted) Gaussians, stable, so each tile's range
/// of <see cref="List"/> is front to back. Each Gaussian goes to every tile of its alpha-support box
/// (<see cref="ProjectedSplat.ComputeSupport"/>) that its support ellipse reaches
/// (<see cref="TileFootprint"/>; boxes one tile wide or high are taken whole). Parallel: every worker counts and then scatters
/// a contiguous slice of the depth order with its own per-tile offsets. Buffers are reused.
/// </summary>
internal sealed unsafe class TileBinning
{
    public const int TileSize = 16;

    public int TilesX { get; private set; }
    public int TilesY { get; private set; }
    public int TileCount => TilesX * TilesY;
    /// <summary>Tile t's Gaussians are <c>List[TileStart[t] .. TileStart[t+1])</c>, front to back.</summary>
    public int[] TileStart { get; private set; } = [];
    public int[] List { get; private set; } = [];
    public int IntersectionCount { get; private set; }
    /// <summary>
    /// The most tile intersections a view may have: the tile list is one array (8.6 GB at the limit,
    /// plus 4.3 GB of reach). More, from Gaussians far larger than the image's tiles (a model seen from
    /// inside huge splats), is refused with an error rather than rendered. Lowered only by tests.
    /// </summary>
    internal long MaxIntersections { get; set; } = Array.MaxLength;

    private int[][] _cursor = [];
    private readonly KernelPool _pool;
    private readonly Action<int> _countJob, _scatterJob, _rectJob;
    private ArraySegment<ulong> _order;
    private ulong[] _rects = [];              // per Gaussian id: packed tile footprint (see PackFootprints; caller's buffer)
    private ArraySegment<ulong> _sortedRects; // the same in depth order (count pass → scatter pass; caller's buffer)
    private int _orderCount;
    private ProjectedSplat[] _splats = [];

    public TileBinning(KernelPool pool)
    {
        _pool = pool;
        _countJob = CountSlice;
        _rectJob = RectSlice;
        _scatterJob = ScatterSlice;
    }

    /// <summary>
    /// Records each visible Gaussian's tiles (a pass over the splats, parallel, so that the binning
    /// passes then read 8 bytes per Gaussian instead of the whole splat): the tile rectangle of its
    /// support box and, when that is at most 6×6 tiles, a mask of the tiles its support ellipse
    /// reaches (<see cref="TileFootprint"/>); larger footprints are recomputed row by row when binning.
    /// They are kept in <paramref name="rects"/>[id] (at least splats.Length entries) until <see cref="Build"/>.
    /// </summary>
    public unsafe void PrepareRects(ReadOnlySpan<int> visible, ProjectedSplat[] splats, ulong[] rects)
    {
        if (rects.Length < splats.Length) throw new ArgumentException("rects buffer too small", nameof(rects));
        _rects = rects;
        _splats = splats;
        fixed (int* ids = visible)
        {
            _visibleIds = ids; _visibleCount = visible.Length; _nextChunk = 0;
            try { _pool.Run(_rectJob); }
            finally { _visibleIds = null; }
        }
    }

    // Packed tile footprint (64 bits). Boxes of at most 6×6 tiles (98.5% of the 47k footprints
    // wider than 4 tiles at 800²/300k): tile x0, y0 (11 bits each: images up to 2¹⁵ px), then a
    // 36-bit mask (bit 6·(ty − y0) + (tx − x0)). Larger boxes: the Large flag with tile x0, x1, y0,
    // y1 (footprint row by row). Empty for no tile.
    private const int CoordinateBits = 11, MaskShift = 2 * CoordinateBits, MaskSide = 6;
    private const ulong CoordinateMask = (1 << CoordinateBits) - 1, TileMask = (1UL << (MaskSide * MaskSide)) - 1,
                        LargeFlag = 1UL << LargeFlagBit, EmptyFlag = 1UL << 61;
    private const int LargeFlagBit = 60;
    private const int RectChunk = 2048;
    private unsafe int* _visibleIds;
    private int _visibleCount, _nextChunk;

    private unsafe void RectSlice(int worker)
    {
        ReadOnlySpan<float> splatFloats = MemoryMarshal.Cast<ProjectedSplat, float>(_splats);
        var lanes = new FootprintLanes();
        while (true)
        {
            int begin = Interlocked.Add(ref _nextChunk, RectChunk) - RectChunk;
            if (begin >= _visibleCount) break;
            int end = Math.Min(begin + RectChunk, _visibleCount);
            for (int k = begin; k < end; k += Lanes.Count)
                PackFootprints(new ReadOnlySpan<int>(_visibleIds + k, Math.Min(Lanes.Count, end - k)), splatFloats, _rects, ref lanes);
        }
    }

    // ProjectedSplat as floats: X, Y, ConicA, ConicB, ConicC are its first five; its last eight end
    // with the support box (XMin | XMax << 16, YMin | YMax << 16) and SupportQ.
    private static readonly int SplatFloats = Unsafe.SizeOf<ProjectedSplat>() / sizeof(float);
    private static readonly int TailOffset = SplatFloats - Lanes.Count;
    private const int TailXBox = 5, TailYBox = 6, TailSupportQ = 7;

    /// <summary>Per-lane state of <see cref="PackFootprints"/>: the splats' rows as floats.</summary>
    private struct FootprintLanes
    {
        public LaneArray<Vector256<float>> Head, Tail;
    }

    [InlineArray(Lanes.Count)]
    private struct LaneArray<T> { private T _lane; }

    /// <summary>
    /// rects[id] = the packed footprint of each of <paramref name="ids"/> (1 to 8 splats, one per
    /// lane): from the support box, none (Empty), more than 6×6 tiles (Large), one tile wide or high
    /// and at most 4 long (the whole box: the ellipse reaches nearly all of such a box), or the
    /// <see cref="TileFootprint"/> rows, in groups of four from the box's first row.
    /// </summary>
    private static void PackFootprints(ReadOnlySpan<int> ids, ReadOnlySpan<float> splatFloats, ulong[] rects, ref FootprintLanes l)
    {
        Vector256<int> idLanes = Lanes.Ids(ids), start = idLanes * SplatFloats;
        Lanes.LoadRows(splatFloats, start, l.Head);
        Lanes.LoadRows(splatFloats, start + Vector256.Create(TailOffset), l.Tail);
        Vector256<int> xBox = l.Tail[TailXBox].AsInt32(), yBox = l.Tail[TailYBox].AsInt32();
        Vector256<int> xMin = Vector256.ShiftRightArithmetic(Vector256.ShiftLeft(xBox, 16), 16), xMax = Vector256.ShiftRightArithmetic(xBox, 16);
        Vector256<int> yMin = Vector256.ShiftRightArithmetic(Vector256.ShiftLeft(yBox, 16), 16), yMax = Vector256.ShiftRightArithmetic(yBox, 16);
        Vector256<int> support = Vector256.LessThanOrEqual(xMin, xMax) & Vector256.LessThanOrEqual(yMin, yMax);
        // Tile columns and rows of the box (pixel ≥ 0 inside a support box, so >> 4 is / 16).
        Vector256<int> x0 = Vector256.ShiftRightArithmetic(xMin, 4), x1 = Vector256.ShiftRightArithmetic(xMax, 4);
        Vector256<int> y0 = Vector256.ShiftRightArithmetic(yMin, 4), y1 = Vector256.ShiftRightArithmetic(yMax, 4);
        Vector256<int> width = x1 - x0, lastRow = y1 - y0;
        Vector256<int> large = (Vector256.GreaterThanOrEqual(width, Vector256.Create(MaskSide)) | Vector256.GreaterThanOrEqual(lastRow, Vector256.Create(MaskSide))) & support;
        Vector256<int> whole = (Vector256.Equals(width, Vector256<int>.Zero) | Vector256.Equals(lastRow, Vector256<int>.Zero))
                             & Vector256.LessThan(width, Vector256.Create(4)) & Vector256.LessThan(lastRow, Vector256.Create(4));
        Vector256<int> masked = support & ~large;
        // Mask rows to compute: the most of any masked lane (lastRow + 1 is 1–6 there; 0 elsewhere).
        Vector256<int> laneRows = (lastRow + Vector256<int>.One) & masked;
        laneRows = Vector256.Max(laneRows, Vector256.Shuffle(laneRows, Vector256.Create(4, 5, 6, 7, 0, 1, 2, 3)));
        laneRows = Vector256.Max(laneRows, Vector256.Shuffle(laneRows, Vector256.Create(2, 3, 0, 1, 6, 7, 4, 5)));
        int rows = Math.Max(laneRows.GetElement(0), laneRows.GetElement(1));
        // Row r's reached columns tx0 … tx1 (relative to x0; the whole row for a whole box) are bits
        // tx0 … tx1 of the row's 6: 2^(tx1 + 1) − 2^tx0. Rows 0–4 go to bits 6r of `rows04`, row 5 to `row5`.
        Vector256<int> rows04 = Vector256<int>.Zero, row5 = Vector256<int>.Zero;
        if (rows > 0)
        {
            var footprint = new TileFootprint(l.Head[0], l.Head[1], l.Head[2], l.Head[3], l.Head[4], l.Tail[TailSupportQ]);
            for (int r = 0; r < rows; r++)
            {
                footprint.Columns(y0 + Vector256.Create(r & ~3), r & 3, out Vector256<int> first, out Vector256<int> last);
                Vector256<int> tx0 = Vector256.Max(Vector256.ConditionalSelect(whole, x0, first), x0) - x0;
                Vector256<int> tx1 = Vector256.Min(Vector256.ConditionalSelect(whole, x1, last), x1) - x0;
                Vector256<int> reached = Vector256.GreaterThanOrEqual(tx1, tx0) & Vector256.GreaterThanOrEqual(lastRow, Vector256.Create(r));
                Vector256<int> bits = (PowerOfTwo(tx1 + Vector256<int>.One) - PowerOfTwo(tx0)) & reached;
                if (r < MaskSide - 1) rows04 |= Vector256.ShiftLeft(bits, MaskSide * r);
                else row5 = bits;
            }
        }
        // The packed footprints, lanes 0–3 and 4–7 as 64-bit lanes: masked, Large or Empty.
        (Vector256<ulong> x0Low, Vector256<ulong> x0High) = Widen(x0);
        (Vector256<ulong> x1Low, Vector256<ulong> x1High) = Widen(x1);
        (Vector256<ulong> y0Low, Vector256<ulong> y0High) = Widen(y0);
        (Vector256<ulong> y1Low, Vector256<ulong> y1High) = Widen(y1);
        (Vector256<ulong> rows04Low, Vector256<ulong> rows04High) = Widen(rows04);
        (Vector256<ulong> row5Low, Vector256<ulong> row5High) = Widen(row5);
        (Vector256<long> maskedLow, Vector256<long> maskedHigh) = Vector256.Widen(masked);
        (Vector256<long> largeLow, Vector256<long> largeHigh) = Vector256.Widen(large);
        Vector256<ulong> low = Pack(x0Low, x1Low, y0Low, y1Low, rows04Low, row5Low, maskedLow.AsUInt64(), largeLow.AsUInt64());
        Vector256<ulong> high = Pack(x0High, x1High, y0High, y1High, rows04High, row5High, maskedHigh.AsUInt64(), largeHigh.AsUInt64());
        int firstId = idLanes.ToScalar();
        if (ids.Length == Lanes.Count && Lanes.Consecutive(idLanes) && firstId >= 0 && firstId <= rects.Length - Lanes.Count)
        {
            low.StoreUnsafe(ref rects[firstId]);
            high.StoreUnsafe(ref rects[firstId], 4);
            return;
        }
        for (int k = 0; k < ids.Length; k++) rects[ids[k]] = k < 4 ? low.GetElement(k) : high.GetElement(k - 4);

        static (Vector256<ulong> Low, Vector256<ulong> High) Widen(Vector256<int> v) => Vector256.Widen(v.AsUInt32());

        static Vector256<ulong> Pack(Vector256<ulong> x0, Vector256<ulong> x1, Vector256<ulong> y0, Vector256<ulong> y1,
                                     Vector256<ulong> rows04, Vector256<ulong> row5, Vector256<ulong> masked, Vector256<ulong> large)
        {
            Vector256<ulong> maskRect = x0 | y0 << CoordinateBits | (rows04 | row5 << (MaskSide * (MaskSide - 1))) << MaskShift;
            Vector256<ulong> largeRect = x0 | x1 << CoordinateBits | y0 << (2 * CoordinateBits) | y1 << (3 * CoordinateBits) | Vector256.Create(LargeFlag);
            return Vector256.ConditionalSelect(masked, maskRect, Vector256.ConditionalSelect(large, largeRect, Vector256.Create(EmptyFlag)));
        }
    }

    /// <summary>2^n per lane for n clamped to [0, 7], exactly, as the float with exponent n (portable variable shift).</summary>
    private static Vector256<int> PowerOfTwo(Vector256<int> n) =>
        Vector256.ConvertToInt32(Vector256.ShiftLeft(Vector256.Min(Vector256.Max(n, Vector256<int>.Zero), Vector256.Create(7)) + Vector256.Create(127), 23).AsSingle());

    /// <summary>
    /// Calls <paramref name="visit"/> for every tile row of a Large footprint (nothing for an Empty
    /// one) with the row's first tile index (ty·TilesX) and the reached columns tx0 … tx1 (clipped to
    /// the box; tx0 &gt; tx1 when the row is missed). The rows' columns come from
    /// <see cref="TileFootprint"/> eight rows at a time, one per lane, in groups of four rows from the
    /// box's first row as <see cref="PackFootprints"/> takes them (the same float operations).
    /// </summary>
    private void ForEachLargeRow<TVisitor>(ulong rect, int id, ref TVisitor visit, ref LargeSplatPrefetcher prefetch) where TVisitor : struct, IRowVisitor
    {
        if ((rect & EmptyFlag) != 0) return;
        prefetch.Advance();
        int x0 = (int)(rect & CoordinateMask), x1 = (int)(rect >> CoordinateBits & CoordinateMask);
        int y0 = (int)(rect >> (2 * CoordinateBits) & CoordinateMask), y1 = (int)(rect >> (3 * CoordinateBits) & CoordinateMask);
        var footprint = new TileFootprint(_splats[id]);
        for (int ty = y0; ty <= y1; ty += Lanes.Count)
        {
            footprint.Columns(Vector256.Create(ty) + GroupStarts, GroupRowOffsets, out Vector256<int> first, out Vector256<int> last);
            first = Vector256.Max(first, Vector256.Create(x0));
            last = Vector256.Min(last, Vector256.Create(x1));
            int rows = Math.Min(Lanes.Count, y1 - ty + 1);
            for (int j = 0; j < rows; j++) visit.Visit((ty + j) * TilesX, first.GetElement(j), last.GetElement(j));
        }
    }

    // Lane l of eight rows from a multiple of 4: group start l & ~3, row 16·(l & 3) px into the group.
    private static readonly Vector256<int> GroupStarts = Vector256.Create(0, 0, 0, 0, 4, 4, 4, 4);
    private static readonly Vector256<float> GroupRowOffsets = Vector256.Create(0f, 16, 32, 48, 0, 16, 32, 48);

    // A Large footprint reads its splat (52 bytes at a random place in depth order) to find its rows.
    // The count pass lists the worker's Large entries (their splat ids), and both passes prefetch the
    // splat of the Large entry this many ahead while handling one; else every one waits for memory.
    // Other entries pay nothing (a prefetch test on every entry cost 0.8 ms at 800²/300k).
    private const int LargePrefetchDistance = 4;
    private int[][] _largeIds = [];
    private int[] _largeCounts = [];

    /// <summary>Prefetches the splats of a worker's Large entries <see cref="LargePrefetchDistance"/> ahead of the one being binned.</summary>
    private struct LargeSplatPrefetcher
    {
        private readonly ProjectedSplat* _splats;
        private readonly int* _ids;
        private readonly int _count;
        private int _next;

        public LargeSplatPrefetcher(ProjectedSplat* splats, int* ids, int count)
        {
            _splats = splats; _ids = ids; _count = count;
            for (int j = 0; j < LargePrefetchDistance && j < count; j++) Prefetch(ids[j]);
        }

        /// <summary>Called once per Large entry, in order.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Advance()
        {
            if (_next + LargePrefetchDistance < _count) Prefetch(_ids[_next + LargePrefetchDistance]);
            _next++;
        }

        private readonly void Prefetch(int id)
        {
            if (Sse.IsSupported) Rasterizer.PrefetchSplat(_splats + id);
        }
    }

    private interface IRowVisitor { void Visit(int rowStart, int tx0, int tx1); }

    /// <summary>Adds 1 to the counts of tiles tx0 … tx1 of a row, 8 at a time (counts are padded by 8).</summary>
    private readonly unsafe struct CountVisitor(int* counts) : IRowVisitor
    {
        public void Visit(int rowStart, int tx0, int tx1)
        {
            int* row = counts + rowStart;
            for (int tx = tx0; tx <= tx1; tx += Lanes.Count)
            {
                Vector256<int> inRow = Vector256.LessThanOrEqual(Vector256.Create(tx) + Vector256<int>.Indices, Vector256.Create(tx1));
                Vector256.Store(Vector256.Load(row + tx) - inRow, row + tx);   // inRow is −1 where counted
            }
        }
    }

    private readonly unsafe struct ScatterVisitor(int* cursor, int* list, int id) : IRowVisitor
    {
        public void Visit(int rowStart, int tx0, int tx1)
        {
            for (int t = rowStart + tx0; t <= rowStart + tx1; t++) list[cursor[t]++] = id;
        }
    }

    /// <summary>
    /// Bins the first <paramref name="count"/> entries of <paramref name="depthOrder"/> (Gaussian
    /// index in the low 32 bits, see <see cref="DepthSort"/>; rectangles from
    /// <see cref="PrepareRects"/>). <paramref name="scratch"/> holds at least <paramref name="count"/>
    /// entries and is overwritten.
    /// </summary>
    public void Build(ArraySegment<ulong> depthOrder, int count, ArraySegment<ulong> scratch, int width, int height)
    {
        TilesX = (width + TileSize - 1) / TileSize;
        TilesY = (height + TileSize - 1) / TileSize;
        int tiles = TileCount;
        if (TileStart.Length < tiles + 1) TileStart = new int[tiles + 1];
        if (_cursor.Length != _pool.Workers) _cursor = new int[_pool.Workers][];
        for (int w = 0; w < _cursor.Length; w++)
            if (_cursor[w] is null || _cursor[w].Length < tiles + CountPad) _cursor[w] = new int[tiles + CountPad];
        if (_largeIds.Length != _pool.Workers) { _largeIds = new int[_pool.Workers][]; _largeCounts = new int[_pool.Workers]; }
        for (int w = 0; w < _largeIds.Length; w++)
            if (_largeIds[w] is null || _largeIds[w].Length < count / _pool.Workers + 1) _largeIds[w] = new int[BufferGrowth.Capacity(count / _pool.Workers + 1)];
        if (scratch.Count < count || depthOrder.Count < count) throw new ArgumentException("scratch too small", nameof(scratch));
        _order = depthOrder; _orderCount = count; _sortedRects = scratch;

        _pool.Run(_countJob);
        // Exclusive prefix over (tile, worker): worker w's run in tile t follows workers < w.
        long total = 0;
        for (int t = 0; t < tiles; t++)
        {
            // Past int range only when the check below throws.
            TileStart[t] = (int)total;
            for (int w = 0; w < _cursor.Length; w++)
            {
                int c = _cursor[w][t];
                _cursor[w][t] = (int)total;
                total += c;
            }
        }
        if (total > MaxIntersections)
        {
            _order = default; _sortedRects = default; _rects = [];
            throw new RadiantException($"a view of {count:N0} Gaussians at {width}x{height} has {total:N0} tile intersections, " +
                $"more than the renderer's limit of {MaxIntersections:N0} ({total / (double)count:0.#} 16x16 tiles per Gaussian): " +
                "the Gaussians are far larger than the image's tiles; render it smaller (--size, --downscale), or check the model's scales (radiant info MODEL)");
        }
        TileStart[tiles] = (int)total;
        IntersectionCount = (int)total;
        if (List.Length < total) List = new int[BufferGrowth.Capacity(total)];
        _pool.Run(_scatterJob);
        _order = default;
        _sortedRects = default;
        _rects = [];
    }

    private (int Start, int End) Slice(int worker)
    {
        int workers = _pool.Workers;
        return ((int)((long)_orderCount * worker / workers), (int)((long)_orderCount * (worker + 1) / workers));
    }

    // Counts arrays run 8 entries past the last tile: a mask row is added as 8 lanes from its first column.
    private const int CountPad = 8;
    // Lane j of a mask row's 8 lanes tests column j (bits 0–5 of the row; lanes 6, 7 test nothing).
    private static readonly Vector256<int> ColumnBits = Vector256.Create(1, 2, 4, 8, 16, 32, 0, 0);

    /// <summary>1 in lane j when column j of a mask row (its low 6 bits) is reached, else 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> RowTiles(ulong mask) => Vector256.Min(Vector256.Create((int)mask) & ColumnBits, Vector256<int>.One);

    private void CountSlice(int worker)
    {
        int[] counts = _cursor[worker];
        Array.Clear(counts, 0, TileCount);
        var (start, end) = Slice(worker);
        Span<ulong> order = _order.AsSpan(), sortedRects = _sortedRects.AsSpan();
        int tilesX = TilesX;
        fixed (int* countBase = counts)
        fixed (ProjectedSplat* splats = _splats)
        {
            var visitor = new CountVisitor(countBase);
            // The footprints in depth order first, a branch-free loop whose random reads overlap
            // (mixed into the counting loop below they cost 10 ms more at 800²/300k, single worker),
            // then the list of Large entries' splats (a pass of its own: appended in the loop above,
            // each store's address would wait for the previous random read).
            for (int k = start; k < end; k++) sortedRects[k] = _rects[DepthSort.IndexOf(order[k])];
            int largeCount = 0;
            fixed (int* largeIds = _largeIds[worker])
            {
                for (int k = start; k < end; k++)
                {
                    largeIds[largeCount] = DepthSort.IndexOf(order[k]);
                    largeCount += (int)(sortedRects[k] >> LargeFlagBit) & 1;
                }
                _largeCounts[worker] = largeCount;
                var prefetch = new LargeSplatPrefetcher(splats, largeIds, largeCount);
                for (int k = start; k < end; k++)
                {
                    int id = DepthSort.IndexOf(order[k]);
                    ulong rect = sortedRects[k];
                    if ((rect & (LargeFlag | EmptyFlag)) != 0) { ForEachLargeRow(rect, id, ref visitor, ref prefetch); continue; }
                    // Masked footprint: each mask row adds 1 to the counts of its tiles, as one 8-lane
                    // add (0 for the lanes past the row's bits; rows are within the image, counts padded).
                    int* row = countBase + (int)(rect >> CoordinateBits & CoordinateMask) * tilesX + (int)(rect & CoordinateMask);
                    for (ulong mask = rect >> MaskShift & TileMask; mask != 0; mask >>= MaskSide, row += tilesX)
                    {
                        Vector256.Store(Vector256.Load(row) + RowTiles(mask), row);
                    }
                }
            }
        }
    }

    private void ScatterSlice(int worker)
    {
        int[] cursor = _cursor[worker];
        int[] list = List;
        var (start, end) = Slice(worker);
        Span<ulong> order = _order.AsSpan(), sortedRects = _sortedRects.AsSpan();
        int tilesX = TilesX;
        fixed (int* cursorBase = cursor)
        fixed (int* listBase = list)
        fixed (ProjectedSplat* splats = _splats)
        fixed (int* largeIds = _largeIds[worker])
        {
            var prefetch = new LargeSplatPrefetcher(splats, largeIds, _largeCounts[worker]);
            for (int k = start; k < end; k++)
            {
                int id = DepthSort.IndexOf(order[k]);
                ulong rect = sortedRects[k];
                if ((rect & (LargeFlag | EmptyFlag)) != 0)
                {
                    var visitor = new ScatterVisitor(cursorBase, listBase, id);
                    ForEachLargeRow(rect, id, ref visitor, ref prefetch);
                    continue;
                }
                // Masked footprint, a mask row at a time: id goes to the cursor of each reached tile
                // (read from the cursor array, not from the vector just loaded: 2 ms less at 800²/300k),
                // then the row's cursors advance as one 8-lane add (as in CountSlice).
                int* row = cursorBase + (int)(rect >> CoordinateBits & CoordinateMask) * tilesX + (int)(rect & CoordinateMask);
                for (ulong mask = rect >> MaskShift & TileMask; mask != 0; mask >>= MaskSide, row += tilesX)
                {
                    uint columns = (uint)mask & ((1u << MaskSide) - 1);
                    if (columns == 0) continue;
                    Vector256<int> cursors = Vector256.Load(row);
                    for (uint bits = columns; bits != 0; bits &= bits - 1)
                        listBase[row[BitOperations.TrailingZeroCount(bits)]] = id;
                    Vector256.Store(cursors + RowTiles(columns), row);
                }
            }
        }
    }
}
