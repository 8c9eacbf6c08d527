namespace Radiant.Rendering;

/// <summary>
/// Front-to-back order of the visible Gaussians: an LSD radix sort (3 passes of 11 bits) of their
/// view depths' float bit patterns (positive floats order like their bits) with the Gaussian index
/// as payload, packed as (depth bits &lt;&lt; 32 | index). Stable, so equal depths keep index order.
/// Works in a caller's buffer (the rasterizer's shared per-Gaussian workspace).
/// </summary>
internal sealed class DepthSort
{
    private const int DigitBits = 11, Buckets = 1 << DigitBits, Passes = 3;
    private readonly int[] _histogram = new int[Passes * Buckets];

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
        Span<int> histogram = _histogram;
        histogram.Clear();
        Span<ulong> src = buffer.AsSpan(offset, n), dst = buffer.AsSpan(offset + n, n);
        bool swapped = false;
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
            Span<ulong> t = src; src = dst; dst = t;
            swapped = !swapped;
        }
        Sorted = new ArraySegment<ulong>(buffer, swapped ? offset + n : offset, n);
        Spare = new ArraySegment<ulong>(buffer, swapped ? offset : offset + n, n);
    }
}
