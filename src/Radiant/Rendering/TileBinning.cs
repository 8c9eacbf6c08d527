namespace Radiant.Rendering;

/// <summary>
/// Assigns depth-ordered Gaussians to 16×16 pixel tiles (the role of gsplat's tile intersection):
/// a counting sort by tile of the (already depth-sorted) Gaussians, stable, so each tile's range
/// of <see cref="List"/> is front to back. Each Gaussian goes to every tile its alpha-support box
/// (<see cref="ProjectedSplat.ComputeSupport"/>) touches. Parallel: every worker counts and then scatters
/// a contiguous slice of the depth order with its own per-tile offsets. Buffers are reused.
/// </summary>
internal sealed class TileBinning
{
    public const int TileSize = 16;

    public int TilesX { get; private set; }
    public int TilesY { get; private set; }
    public int TileCount => TilesX * TilesY;
    /// <summary>Tile t's Gaussians are <c>List[TileStart[t] .. TileStart[t+1])</c>, front to back.</summary>
    public int[] TileStart { get; private set; } = [];
    public int[] List { get; private set; } = [];
    public int IntersectionCount { get; private set; }

    private int[][] _cursor = [];
    private readonly KernelPool _pool;
    private readonly Action<int> _countJob, _scatterJob;
    private ulong[] _order = [];
    private ulong[] _rects = [];        // per Gaussian id: tile rectangle, 4 × 16 bits (x0, x1, y0, y1)
    private ulong[] _sortedRects = [];  // the same in depth order (count pass → scatter pass; borrowed buffer)
    private int _orderCount;

    public TileBinning(KernelPool pool)
    {
        _pool = pool;
        _countJob = CountSlice;
        _scatterJob = ScatterSlice;
    }

    /// <summary>
    /// Records each visible Gaussian's tile rectangle (a sequential pass over the splats, so that
    /// the binning passes then read 8 bytes per Gaussian instead of the whole splat).
    /// </summary>
    public void PrepareRects(ReadOnlySpan<int> visible, ProjectedSplat[] splats)
    {
        if (_rects.Length < splats.Length) _rects = new ulong[splats.Length];
        foreach (int id in visible)
        {
            ref ProjectedSplat s = ref splats[id];
            _rects[id] = s.HasSupport
                ? (ulong)(uint)(s.XMin / TileSize) | (ulong)(uint)(s.XMax / TileSize) << 16 | (ulong)(uint)(s.YMin / TileSize) << 32 | (ulong)(uint)(s.YMax / TileSize) << 48
                : 0xFFFF;   // x0 > x1: no tile
        }
    }

    /// <summary>
    /// Bins the first <paramref name="count"/> entries of <paramref name="depthOrder"/> (Gaussian
    /// index in the low 32 bits, see <see cref="DepthSort"/>; rectangles from
    /// <see cref="PrepareRects"/>). <paramref name="scratch"/> holds at least <paramref name="count"/>
    /// entries and is overwritten.
    /// </summary>
    public void Build(ulong[] depthOrder, int count, ulong[] scratch, int width, int height)
    {
        TilesX = (width + TileSize - 1) / TileSize;
        TilesY = (height + TileSize - 1) / TileSize;
        int tiles = TileCount;
        if (TileStart.Length < tiles + 1) TileStart = new int[tiles + 1];
        if (_cursor.Length != _pool.Workers) _cursor = new int[_pool.Workers][];
        for (int w = 0; w < _cursor.Length; w++)
            if (_cursor[w] is null || _cursor[w].Length < tiles) _cursor[w] = new int[tiles];
        if (scratch.Length < count) throw new ArgumentException("scratch too small", nameof(scratch));
        _order = depthOrder; _orderCount = count; _sortedRects = scratch;

        _pool.Run(_countJob);
        // Exclusive prefix over (tile, worker): worker w's run in tile t follows workers < w.
        int total = 0;
        for (int t = 0; t < tiles; t++)
        {
            TileStart[t] = total;
            for (int w = 0; w < _cursor.Length; w++)
            {
                int c = _cursor[w][t];
                _cursor[w][t] = total;
                total += c;
            }
        }
        TileStart[tiles] = total;
        IntersectionCount = total;
        if (List.Length < total) List = new int[Math.Max(total, List.Length + List.Length / 2)];
        _pool.Run(_scatterJob);
        _order = [];
        _sortedRects = [];
    }

    private (int Start, int End) Slice(int worker)
    {
        int workers = _pool.Workers;
        return ((int)((long)_orderCount * worker / workers), (int)((long)_orderCount * (worker + 1) / workers));
    }

    private void CountSlice(int worker)
    {
        int[] counts = _cursor[worker];
        Array.Clear(counts, 0, TileCount);
        var (start, end) = Slice(worker);
        for (int k = start; k < end; k++)
        {
            ulong rect = _sortedRects[k] = _rects[DepthSort.IndexOf(_order[k])];
            int x0 = (int)(rect & 0xFFFF), x1 = (int)(rect >> 16 & 0xFFFF), y0 = (int)(rect >> 32 & 0xFFFF), y1 = (int)(rect >> 48);
            for (int ty = y0; ty <= y1; ty++)
                for (int tx = x0; tx <= x1; tx++)
                    counts[ty * TilesX + tx]++;
        }
    }

    private void ScatterSlice(int worker)
    {
        int[] cursor = _cursor[worker];
        int[] list = List;
        var (start, end) = Slice(worker);
        for (int k = start; k < end; k++)
        {
            int id = DepthSort.IndexOf(_order[k]);
            ulong rect = _sortedRects[k];
            int x0 = (int)(rect & 0xFFFF), x1 = (int)(rect >> 16 & 0xFFFF), y0 = (int)(rect >> 32 & 0xFFFF), y1 = (int)(rect >> 48);
            for (int ty = y0; ty <= y1; ty++)
            {
                int row = ty * TilesX;
                for (int tx = x0; tx <= x1; tx++)
                    list[cursor[row + tx]++] = id;
            }
        }
    }
}
