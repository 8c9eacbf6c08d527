using System.Numerics;
using System.Runtime.CompilerServices;

namespace Radiant.Rendering;

/// <summary>
/// Front-to-back order of the visible Gaussians: an LSD radix sort of their view depths' float bit
/// patterns (positive floats order like their bits) with the Gaussian index as payload, packed as
/// (depth bits &lt;&lt; 32 | index). Stable, so equal depths keep index order. The digits are those
/// of (depth bits − the smallest depth bits), only as many passes as that range needs
/// (<see cref="ChooseDigits"/>): 2 for a scene seen from outside, 3 for depths over many binades.
/// Works in a caller's buffer (the rasterizer's shared per-Gaussian workspace).
/// Parallel over the <see cref="KernelPool"/>: every worker builds the keys of, counts and then
/// scatters a contiguous slice of the current order with its own per-digit histogram; an exclusive
/// prefix over (digit, worker) places worker w's run of a digit after those of workers &lt; w, so
/// each pass stays stable and the order is the same for any number of workers.
/// </summary>
internal sealed unsafe class DepthSort
{
    // At most 3 passes of at most 12 bits; the key range decides how many and how wide (ChooseDigits).
    private const int MaxDigitBits = 12, MaxBuckets = 1 << MaxDigitBits, MaxPasses = 3;
    // Below this many Gaussians the calling thread sorts alone (a pool call costs more than the sort).
    internal const int ParallelThreshold = 16384;

    private readonly KernelPool _pool;
    private readonly Action<int> _keyJob, _countJob, _scatterJob;
    // Per worker: the counts (then cursors) of each pass's digits over the worker's slice.
    private readonly int[][] _histogram;
    // Per worker: the smallest and largest depth bits of its slice.
    private readonly uint[] _minKey, _maxKey;

    // The sort in progress (set by Sort for its jobs).
    private int* _ids;
    private ProjectedSplat[] _splats = [];
    private ulong[] _buffer = [];
    private int _count, _workers, _srcOffset, _dstOffset, _pass, _passes, _digitBits;
    private uint _baseKey;

    public DepthSort(KernelPool pool)
    {
        _pool = pool;
        _keyJob = KeySlice;
        _countJob = CountSlice;
        _scatterJob = ScatterSlice;
        _histogram = new int[pool.Workers][];
        for (int w = 0; w < pool.Workers; w++) _histogram[w] = new int[MaxPasses * MaxBuckets];
        _minKey = new uint[pool.Workers];
        _maxKey = new uint[pool.Workers];
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
        if (n > 0)
        {
            uint minKey = uint.MaxValue, maxKey = 0;
            for (int w = 0; w < _workers; w++) { minKey = Math.Min(minKey, _minKey[w]); maxKey = Math.Max(maxKey, _maxKey[w]); }
            _baseKey = minKey;
            (_passes, _digitBits) = ChooseDigits(maxKey - minKey);
            if (_passes > 0) { _pass = -1; RunJob(_countJob); }
        }
        else _passes = 0;
        for (int pass = 0; pass < _passes; pass++)
        {
            _pass = pass;
            // The first count covered every pass's digits over each slice; after the first pass
            // the slices hold other keys and are counted again (a single slice's counts hold).
            if (pass > 0 && _workers > 1) RunJob(_countJob);
            // Exclusive prefix over (digit, worker): worker w's run of digit d follows workers < w.
            int sum = 0, buckets = 1 << _digitBits;
            for (int d = pass * MaxBuckets; d < pass * MaxBuckets + buckets; d++)
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

    /// <summary>
    /// Passes and digit width for keys spanning <paramref name="range"/> above the smallest (an LSD
    /// sort of key − smallest key orders as the keys do): as few passes as cover its significant
    /// bits with digits of at most 12 bits, the bits split evenly. Depths within a few binades
    /// (a scene seen from outside: 2.7–5.3 spans 23 bits) take 2 passes, not 3.
    /// </summary>
    internal static (int Passes, int DigitBits) ChooseDigits(uint range)
    {
        int bits = 32 - BitOperations.LeadingZeroCount(range);
        if (bits == 0) return (0, 0);
        int passes = (bits + MaxDigitBits - 1) / MaxDigitBits;
        return (passes, (bits + passes - 1) / passes);
    }

    private void RunJob(Action<int> job)
    {
        if (_workers == 1) job(0);
        else _pool.Run(job);
    }

    private (int Start, int End) Slice(int worker) =>
        ((int)((long)_count * worker / _workers), (int)((long)_count * (worker + 1) / _workers));

    /// <summary>This pass's digit of an entry: bits of (depth bits − smallest depth bits).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Digit(ulong entry, uint baseKey, int shift, uint mask) => (int)(((uint)(entry >> 32) - baseKey) >> shift & mask);

    /// <summary>The worker's slice of entries (depth bits, id) and the smallest and largest depth bits in it.</summary>
    private void KeySlice(int worker)
    {
        if (worker >= _workers) return;
        var (start, end) = Slice(worker);
        Span<ulong> src = _buffer.AsSpan(_srcOffset, _count);
        ProjectedSplat[] splats = _splats;
        uint minKey = uint.MaxValue, maxKey = 0;
        for (int k = start; k < end; k++)
        {
            int id = _ids[k];
            uint key = BitConverter.SingleToUInt32Bits(splats[id].Depth);
            src[k] = ((ulong)key << 32) | (uint)id;
            minKey = Math.Min(minKey, key);
            maxKey = Math.Max(maxKey, key);
        }
        _minKey[worker] = minKey;
        _maxKey[worker] = maxKey;
    }

    /// <summary>The worker's counts of this pass's digit (of every pass's before the first, <c>_pass</c> = −1) over its slice of the current order.</summary>
    private void CountSlice(int worker)
    {
        if (worker >= _workers) return;
        var (start, end) = Slice(worker);
        ReadOnlySpan<ulong> src = _buffer.AsSpan(_srcOffset, _count);
        uint baseKey = _baseKey, mask = (1u << _digitBits) - 1;
        int bits = _digitBits;
        if (_pass >= 0)
        {
            Span<int> counts = _histogram[worker].AsSpan(_pass * MaxBuckets, MaxBuckets);
            counts.Clear();
            int shift = _pass * bits;
            for (int k = start; k < end; k++) counts[Digit(src[k], baseKey, shift, mask)]++;
            return;
        }
        // Every pass's digits at once; those of passes that do not run all count in their bucket 0.
        Span<int> histogram = _histogram[worker];
        histogram.Clear();
        uint mask1 = _passes > 1 ? mask : 0, mask2 = _passes > 2 ? mask : 0;
        for (int k = start; k < end; k++)
        {
            uint key = (uint)(src[k] >> 32) - baseKey;
            histogram[(int)(key & mask)]++;
            histogram[MaxBuckets + (int)(key >> bits & mask1)]++;
            histogram[2 * MaxBuckets + (int)(key >> (2 * bits) & mask2)]++;
        }
    }

    /// <summary>The worker's slice to its digits' positions (cursors from the prefix), in order.</summary>
    private void ScatterSlice(int worker)
    {
        if (worker >= _workers) return;
        Span<int> cursor = _histogram[worker].AsSpan(_pass * MaxBuckets, MaxBuckets);
        var (start, end) = Slice(worker);
        ReadOnlySpan<ulong> src = _buffer.AsSpan(_srcOffset, _count);
        Span<ulong> dst = _buffer.AsSpan(_dstOffset, _count);
        uint baseKey = _baseKey, mask = (1u << _digitBits) - 1;
        int shift = _pass * _digitBits;
        for (int k = start; k < end; k++)
        {
            ulong v = src[k];
            dst[cursor[Digit(v, baseKey, shift, mask)]++] = v;
        }
    }
}
