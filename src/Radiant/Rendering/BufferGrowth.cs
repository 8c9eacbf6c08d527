namespace Radiant.Rendering;

/// <summary>
/// The size to allocate when a per-intersection buffer (tile list, reach) is too small: the need plus
/// 1/8 headroom. The number of tile intersections changes from view to view and as the model
/// grows; with the headroom the buffers are reallocated now and then (by at least 1/8 each time)
/// and hold at most 12.5 % more than their largest use. Growing by half left up to a third of the
/// tile list unused (21 of its 64 bytes per Gaussian in the 800²/300k bench).
/// </summary>
internal static class BufferGrowth
{
    public static int Capacity(long need) => (int)Math.Min(Array.MaxLength, need + need / 8);
}
