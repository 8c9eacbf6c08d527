namespace Radiant.Model;

/// <summary>
/// Gradients of a loss with respect to a <see cref="GaussianSet"/>'s parameters, shaped like its
/// arrays (same strides and order), plus the screen-space positional gradient
/// <see cref="MeanScreenGrad"/> (dL/d mean2d in pixels, 2 per Gaussian) that densification uses.
/// The renderer's backward pass adds into these arrays; call <see cref="Clear"/> between steps.
/// </summary>
public sealed class GaussianGradients
{
    public int Count { get; private set; }
    public int ShDegree { get; private set; }
    public float[] Means { get; private set; } = [];
    public float[] LogScales { get; private set; } = [];
    public float[] Rotations { get; private set; } = [];
    public float[] OpacityLogits { get; private set; } = [];
    public float[] Sh { get; private set; } = [];
    /// <summary>dL/d(projected mean) in pixels, (x, y) per Gaussian.</summary>
    public float[] MeanScreenGrad { get; private set; } = [];

    public GaussianGradients() { }

    public GaussianGradients(GaussianSet g) => EnsureSize(g);

    /// <summary>
    /// Makes the arrays match <paramref name="g"/>'s count and SH degree. Arrays that already match
    /// keep their contents; otherwise they are reallocated zeroed.
    /// </summary>
    public void EnsureSize(GaussianSet g)
    {
        if (Count == g.Count && ShDegree == g.ShDegree && Means.Length == 3 * g.Count) return;
        Count = g.Count;
        ShDegree = g.ShDegree;
        Means = new float[3 * Count];
        LogScales = new float[3 * Count];
        Rotations = new float[4 * Count];
        OpacityLogits = new float[Count];
        Sh = new float[Count * g.ShCoefficients * 3];
        MeanScreenGrad = new float[2 * Count];
    }

    /// <summary>Sets every gradient to zero.</summary>
    public void Clear()
    {
        Array.Clear(Means); Array.Clear(LogScales); Array.Clear(Rotations);
        Array.Clear(OpacityLogits); Array.Clear(Sh); Array.Clear(MeanScreenGrad);
    }

    /// <summary>The parameter gradients in <see cref="GaussianSet.Parameters"/>' order and strides.</summary>
    public IEnumerable<(string Name, float[] Values, int Stride)> Parameters()
    {
        int k = (ShDegree + 1) * (ShDegree + 1);
        yield return ("means", Means, 3);
        yield return ("log_scales", LogScales, 3);
        yield return ("rotations", Rotations, 4);
        yield return ("opacity_logits", OpacityLogits, 1);
        yield return ("sh", Sh, k * 3);
    }
}
