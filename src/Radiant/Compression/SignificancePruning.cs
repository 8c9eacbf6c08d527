using Radiant.Model;

namespace Radiant.Compression;

/// <summary>Global significance pruning (LightGaussian §3.1): keep the Gaussians with the largest summed blending weight.</summary>
public static class SignificancePruning
{
    /// <summary>
    /// Removes the <paramref name="pruneFraction"/> of <paramref name="g"/>'s Gaussians with the
    /// smallest <paramref name="significance"/> (ties broken by index), in place; returns how many were removed.
    /// </summary>
    public static int Prune(GaussianSet g, double[] significance, double pruneFraction)
    {
        if (significance.Length != g.Count) throw new ArgumentException("one significance per Gaussian");
        int remove = (int)Math.Round(Math.Clamp(pruneFraction, 0, 1) * g.Count);
        if (remove == 0) return 0;
        int[] order = Enumerable.Range(0, g.Count).ToArray();
        Array.Sort(significance.ToArray(), order);
        var keep = new bool[g.Count];
        Array.Fill(keep, true);
        for (int r = 0; r < remove; r++) keep[order[r]] = false;
        g.Rebuild(keep);
        return remove;
    }
}
