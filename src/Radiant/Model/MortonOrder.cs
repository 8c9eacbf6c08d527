namespace Radiant.Model;

/// <summary>
/// Orders Gaussians along a Z-order (Morton) curve of their centres: each coordinate quantised to
/// 10 bits over the box that holds the middle 98 % of the centres on each axis (centres outside it
/// take its edge cells), the bits interleaved (x lowest), indices sorted by the code (the index
/// breaks ties). With the whole bounding box a few far points (a capture's distant background,
/// stray COLMAP points) would squeeze the rest of the scene into a handful of cells.
/// Neighbours in the order are neighbours in space: the Gaussians a tile draws lie close together
/// in memory (training keeps its model in this order, see <see cref="GaussianSet.SortSpatially"/>),
/// per-chunk ranges stay tight (compressed.ply) and quantised attribute streams compress better.
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
            var (min, max) = MiddleRange(means, count, a);
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

    /// <summary>
    /// The 1st and 99th percentile of the centres' coordinate <paramref name="axis"/>, from up to
    /// 65,536 of them evenly spaced (NaN centres left out); (0, 0) when there are none.
    /// </summary>
    private static (float Min, float Max) MiddleRange(ReadOnlySpan<float> means, int count, int axis)
    {
        const int MaxSample = 1 << 16;
        int step = Math.Max(1, count / MaxSample);
        var sample = new List<float>(Math.Min(count, MaxSample + 1));
        for (int i = 0; i < count; i += step)
            if (!float.IsNaN(means[3 * i + axis])) sample.Add(means[3 * i + axis]);
        if (sample.Count == 0) return (0, 0);
        sample.Sort();
        int last = sample.Count - 1;
        return (sample[(int)(0.01 * last)], sample[(int)Math.Ceiling(0.99 * last)]);
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
