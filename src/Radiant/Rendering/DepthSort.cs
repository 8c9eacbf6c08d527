namespace Radiant.Rendering;

/// <summary>
/// Front-to-back order of the visible Gaussians: an LSD radix sort (3 passes of 11 bits) of their
/// view depths' float bit patterns (positive floats order like their bits) with the Gaussian index
/// as payload. Stable, so equal depths keep index order. Buffers are reused across frames.
/// </summary>
internal sealed class DepthSort
{
    private const int DigitBits = 11, Buckets = 1 << DigitBits, Passes = 3;
    private ulong[] _a = [], _b = [];
    private readonly int[] _histogram = new int[Passes * Buckets];

    /// <summary>Sorted Gaussian indices (valid until the next call).</summary>
    public int[] Order { get; private set; } = [];

    /// <summary>Sorts <paramref name="ids"/> by <c>splats[id].Depth</c> (all depths must be positive).</summary>
    public ReadOnlySpan<int> Sort(ReadOnlySpan<int> ids, ProjectedSplat[] splats)
    {
        int n = ids.Length;
        if (_a.Length < n)
        {
            int capacity = Math.Max(n, _a.Length + _a.Length / 2);
            _a = new ulong[capacity];
            _b = new ulong[capacity];
            Order = new int[capacity];
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
        int[] order = Order;
        for (int k = 0; k < n; k++) order[k] = (int)(uint)src[k];
        return order.AsSpan(0, n);
    }
}
