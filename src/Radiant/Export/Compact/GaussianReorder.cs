using Radiant.Model;

namespace Radiant.Export.Compact;

/// <summary>Copies a Gaussian set with its Gaussians in a given order (formats that sort before writing).</summary>
public static class GaussianReorder
{
    /// <summary>A new set whose Gaussian r is <paramref name="g"/>'s Gaussian order[r].</summary>
    public static GaussianSet Apply(GaussianSet g, ReadOnlySpan<int> order)
    {
        var result = new GaussianSet(order.Length, g.ShDegree);
        foreach (var ((_, src, stride), (_, dst, _)) in g.Parameters().Zip(result.Parameters()))
            for (int r = 0; r < order.Length; r++)
                Array.Copy(src, order[r] * stride, dst, r * stride, stride);
        return result;
    }
}
