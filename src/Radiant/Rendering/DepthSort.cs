namespace Radiant.Rendering;

/// <summary>
/// Front-to-back order of the visible Gaussians: an LSD radix sort (3 passes of 11 bits) of their
/// view depths' float bit patterns (positive floats order like their bits) with the Gaussian index
/// as payload, packed as (depth bits &lt;&lt; 32 | index). Stable, so equal depths keep index order.
/// Buffers are reused across frames.
/// </summary>
internal sealed class DepthSort
{
    private const int DigitBits = 11, Buckets = 1 << DigitBits, Passes = 3;
    private ulong[] _a = [], _b = [];
    private readonly int[] _histogram = new int[Passes * Buckets];

    /// <summary>The sorted entries of the last <see cref="Sort"/> (index = low 32 bits).</summary>
    public ulong[] Sorted { get; private set; } = [];

    /// <summary>A buffer of at least the last count entries that <see cref="Sorted"/> does not use (free scratch until the next sort).</summary>
    public ulong[] Spare { get; private set; } = [];

    public static int IndexOf(ulong entry) => (int)(uint)entry;

    /// <summary>Sorts <paramref name="ids"/> by <c>splats[id].Depth</c> (all depths must be positive).</summary>
    public void Sort(ReadOnlySpan<int> ids, ProjectedSplat[] splats)
    {
        int n = ids.Length;
        if (_a.Length < n)
        {
            int capacity = Math.Max(n, _a.Length + _a.Length / 2);
            _a = new ulong[capacity];
            _b = new ulong[capacity];
        }
        Span<int> histogram = _histogram;
        histogram.Clear();
        ulong[] src = _a, dst = _b;
        for (int k = 0; k < n; k++)
        {
            int id = ids[k];
            uint key = BitConverter.SingleToUInt32Bits(splats[id].Depth);
            src[k] = ((ulong)key << 32) | (uint)id;
            histogram[(int)(key & (Buckets - 1))]++;
            histogram[Buckets + (int)((key >> DigitBits) & (Buckets - 1))]++;
            histogram[2 * Buckets + (int)(key >> (2 * DigitBits))]++;
        }
        for (int pass = 0; pass < Passes; pass++)
        {
            Span<int> counts = histogram.Slice(pass * Buckets, Buckets);
            int shift = 32 + pass * DigitBits;
            // A digit shared by every key leaves the order unchanged: skip the pass.
            if (n == 0 || counts[(int)((src[0] >> shift) & (Buckets - 1))] == n) continue;
            int sum = 0;
            for (int d = 0; d < Buckets; d++) { int c = counts[d]; counts[d] = sum; sum += c; }
            for (int k = 0; k < n; k++)
            {
                ulong v = src[k];
                dst[counts[(int)((v >> shift) & (Buckets - 1))]++] = v;
            }
            (src, dst) = (dst, src);
        }
        Sorted = src;
        Spare = dst;
    }
}
