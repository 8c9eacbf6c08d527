namespace Radiant.Rendering;

/// <summary>
/// Front-to-back order of the visible Gaussians: an LSD radix sort (3 passes of 11 bits) of their
/// view depths' float bit patterns (positive floats order like their bits) with the Gaussian index
/// as payload, packed as (depth bits &lt;&lt; 32 | index). Stable, so equal depths keep index order.
/// Works in a caller's buffer (the rasterizer's shared per-Gaussian workspace).
/// Parallel over the <see cref="KernelPool"/>: every worker builds the keys of, counts and then
/// scatters a contiguous slice of the current order with its own per-digit histogram; an exclusive
/// prefix over (digit, worker) places worker w's run of a digit after those of workers &lt; w, so
/// each pass stays stable and the order is the same for any number of workers.
/// </summary>
internal sealed unsafe class DepthSort
{
    private const int DigitBits = 11, Buckets = 1 << DigitBits, Passes = 3;
    // Below this many Gaussians the calling thread sorts alone (a pool call costs more than the sort).
    internal const int ParallelThreshold = 16384;

    private readonly KernelPool _pool;
    private readonly Action<int> _keyJob, _countJob, _scatterJob;
    // Per worker: the counts (then cursors) of each pass's digits over the worker's slice.
    private readonly int[][] _histogram;

    // The sort in progress (set by Sort for its jobs).
    private int* _ids;
    private ProjectedSplat[] _splats = [];
    private ulong[] _buffer = [];
    private int _count, _workers, _srcOffset, _dstOffset, _pass;

    public DepthSort(KernelPool pool)
    {
        _pool = pool;
        _keyJob = KeySlice;
        _countJob = CountSlice;
        _scatterJob = ScatterSlice;
        _histogram = new int[pool.Workers][];
        for (int w = 0; w < pool.Workers; w++) _histogram[w] = new int[Passes * Buckets];
    }

    /// <summary>The sorted entries of the last <see cref="Sort"/> (index = low 32 bits).</summary>
    public ArraySegment<ulong> Sorted { get; private set; }

    /// <summary>The other half of the sort's buffer, the same length as <see cref="Sorted"/> (free scratch until the buffer is reused).</summary>
    public ArraySegment<ulong> Spare { get; private set; }

    public static int IndexOf(ulong entry) => (int)(uint)entry;

    /// <summary>
    /// Sorts <paramref name="ids"/> by <c>splats[id].Depth</c> (all depths must be positive) in
    /// <paramref name="buffer"/>[offset, offset + 2·count).
    /// </summary>
    public void Sort(ReadOnlySpan<int> ids, ProjectedSplat[] splats, ulong[] buffer, int offset)
    {
        int n = ids.Length;
        if (buffer.Length - offset < 2 * n) throw new ArgumentException("sort buffer too small", nameof(buffer));
        _splats = splats; _buffer = buffer; _count = n;
        _workers = n >= ParallelThreshold ? _pool.Workers : 1;
        _srcOffset = offset; _dstOffset = offset + n;
        fixed (int* idBase = ids)
        {
            _ids = idBase;
            try { RunJob(_keyJob); }
            finally { _ids = null; }
        }
        for (int pass = 0; pass < Passes; pass++)
        {
            // A digit shared by every key leaves the order unchanged: skip the pass.
            if (n == 0 || DigitIsShared(pass)) continue;
            _pass = pass;
            // The key building counted every pass's digits over each slice; after the first pass
            // the slices hold other keys and are counted again (a single slice's counts hold).
            if (pass > 0 && _workers > 1) RunJob(_countJob);
            // Exclusive prefix over (digit, worker): worker w's run of digit d follows workers < w.
            int sum = 0;
            for (int d = pass * Buckets; d < (pass + 1) * Buckets; d++)
                for (int w = 0; w < _workers; w++)
                {
                    int c = _histogram[w][d];
                    _histogram[w][d] = sum;
                    sum += c;
                }
            RunJob(_scatterJob);
            (_srcOffset, _dstOffset) = (_dstOffset, _srcOffset);
        }
        Sorted = new ArraySegment<ulong>(buffer, _srcOffset, n);
        Spare = new ArraySegment<ulong>(buffer, _dstOffset, n);
        _splats = []; _buffer = [];
    }

    private void RunJob(Action<int> job)
    {
        if (_workers == 1) job(0);
        else _pool.Run(job);
    }

    /// <summary>Whether every key has the same digit in <paramref name="pass"/> (from the key counts, before any pass).</summary>
    private bool DigitIsShared(int pass)
    {
        int digit = (int)((_buffer[_srcOffset] >> (32 + pass * DigitBits)) & (Buckets - 1));
        int total = 0;
        for (int w = 0; w < _workers; w++) total += _histogram[w][pass * Buckets + digit];
        return total == _count;
    }

    private (int Start, int End) Slice(int worker) =>
        ((int)((long)_count * worker / _workers), (int)((long)_count * (worker + 1) / _workers));

    /// <summary>The worker's slice of entries (depth bits, id) and its counts of all three digits.</summary>
    private void KeySlice(int worker)
    {
        if (worker >= _workers) return;
        Span<int> histogram = _histogram[worker];
        histogram.Clear();
        var (start, end) = Slice(worker);
        Span<ulong> src = _buffer.AsSpan(_srcOffset, _count);
        ProjectedSplat[] splats = _splats;
        for (int k = start; k < end; k++)
        {
            int id = _ids[k];
            uint key = BitConverter.SingleToUInt32Bits(splats[id].Depth);
            src[k] = ((ulong)key << 32) | (uint)id;
            histogram[(int)(key & (Buckets - 1))]++;
            histogram[Buckets + (int)((key >> DigitBits) & (Buckets - 1))]++;
            histogram[2 * Buckets + (int)(key >> (2 * DigitBits))]++;
        }
    }

    /// <summary>The worker's counts of this pass's digit over its slice of the current order.</summary>
    private void CountSlice(int worker)
    {
        if (worker >= _workers) return;
        Span<int> counts = _histogram[worker].AsSpan(_pass * Buckets, Buckets);
        counts.Clear();
        var (start, end) = Slice(worker);
        ReadOnlySpan<ulong> src = _buffer.AsSpan(_srcOffset, _count);
        int shift = 32 + _pass * DigitBits;
        for (int k = start; k < end; k++) counts[(int)((src[k] >> shift) & (Buckets - 1))]++;
    }

    /// <summary>The worker's slice to its digits' positions (cursors from the prefix), in order.</summary>
    private void ScatterSlice(int worker)
    {
        if (worker >= _workers) return;
        Span<int> cursor = _histogram[worker].AsSpan(_pass * Buckets, Buckets);
        var (start, end) = Slice(worker);
        ReadOnlySpan<ulong> src = _buffer.AsSpan(_srcOffset, _count);
        Span<ulong> dst = _buffer.AsSpan(_dstOffset, _count);
        int shift = 32 + _pass * DigitBits;
        for (int k = start; k < end; k++)
        {
            ulong v = src[k];
            dst[cursor[(int)((v >> shift) & (Buckets - 1))]++] = v;
        }
    }
}
