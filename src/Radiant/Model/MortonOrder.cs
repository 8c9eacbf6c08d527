namespace Radiant.Model;

/// <summary>
/// Orders Gaussians along a Z-order (Morton) curve of their centres: each coordinate quantised to
/// 10 bits over the bounding box, the bits interleaved (x lowest), indices sorted by the code (the
/// index breaks ties). Neighbours in the order are neighbours in space: the Gaussians a tile draws
/// lie close together in memory (training keeps its model in this order, see
/// <see cref="GaussianSet.SortSpatially"/>), per-chunk ranges stay tight (compressed.ply) and
/// quantised attribute streams compress better.
/// </summary>
public static class MortonOrder
{
    public static int[] Of(ReadOnlySpan<float> means, int count)
    {
        var order = new int[count];
        for (int i = 0; i < count; i++) order[i] = i;
        if (count < 2) return order;
        Span<float> lo = stackalloc float[3], scale = stackalloc float[3];
        for (int a = 0; a < 3; a++)
        {
            float min = float.PositiveInfinity, max = float.NegativeInfinity;
            for (int i = 0; i < count; i++)
            {
                float v = means[3 * i + a];   // (comparisons: a NaN centre leaves the box alone)
                if (v < min) min = v;
                if (v > max) max = v;
            }
            lo[a] = min;
            scale[a] = max > min ? 1023f / (max - min) : 0;
        }
        var codes = new ulong[count];
        for (int i = 0; i < count; i++)
        {
            ulong code = 0;
            for (int a = 0; a < 3; a++)
            {
                uint q = (uint)Math.Clamp((int)((means[3 * i + a] - lo[a]) * scale[a]), 0, 1023);
                code |= Spread(q) << a;
            }
            codes[i] = (code << 32) | (uint)i; // the index breaks ties: a stable order
        }
        Array.Sort(codes, order);
        return order;
    }

    /// <summary>Spreads 10 bits so that bit b lands at bit 3b.</summary>
    private static ulong Spread(uint v)
    {
        ulong x = v & 0x3FF;
        x = (x | (x << 16)) & 0x030000FF;
        x = (x | (x << 8)) & 0x0300F00F;
        x = (x | (x << 4)) & 0x030C30C3;
        x = (x | (x << 2)) & 0x09249249;
        return x;
    }
}
