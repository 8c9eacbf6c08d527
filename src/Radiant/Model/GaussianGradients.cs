using System.Runtime.Intrinsics;
using Radiant.Rendering;

namespace Radiant.Model;

/// <summary>
/// Gradients of a loss with respect to a <see cref="GaussianSet"/>'s parameters, shaped like its
/// arrays (same strides and order) except the SH coefficients, plus the screen-space positional
/// gradient <see cref="MeanScreenGrad"/> (dL/d mean2d in pixels, 2 per Gaussian) that densification uses.
/// <para>
/// The SH gradient of one view is rank one per Gaussian, dL/dsh[3k + c] = Y_k(dir)·dL/dcolour_c
/// with dir = normalise(mean − camera) (Y_k = 0 for k beyond <see cref="ActiveShDegree"/>), so it
/// is kept factored: 3 floats of dL/dcolour per Gaussian (<see cref="ShColourGrad"/>, zero on
/// channels clamped at 0) and, once per view, the camera position — the direction follows from
/// the Gaussian's mean — instead of 3·(degree+1)² floats. <see cref="ExpandSh(GaussianSet, int, int, Span{float})"/>
/// writes the full gradient of up to 8 Gaussians; the fused SH Adam step expands it 8 rows at a time. The
/// expansion reads the set's means, so it is valid until the means change (the trainer steps SH
/// before the means).
/// </para>
/// The renderer's backward pass adds into these arrays (the SH factors: one view per pass, as a
/// training step does); call <see cref="Clear"/> between steps.
/// </summary>
public sealed class GaussianGradients
{
    public int Count { get; private set; }
    public int ShDegree { get; private set; }
    public float[] Means { get; private set; } = [];
    public float[] LogScales { get; private set; } = [];
    public float[] Rotations { get; private set; } = [];
    public float[] OpacityLogits { get; private set; } = [];
    /// <summary>dL/dcolour (r, g, b) per Gaussian, zero on the channels clamped at 0: the colour factor of the SH gradient.</summary>
    public float[] ShColourGrad { get; private set; } = [];
    /// <summary>Camera position of the backward pass: the SH basis factor is Y(normalise(mean − camera)).</summary>
    public (float X, float Y, float Z) ShCamera { get; private set; }
    /// <summary>SH degree the backward pass evaluated (bands above it get zero gradient).</summary>
    public int ActiveShDegree { get; private set; }
    /// <summary>dL/d(projected mean) in pixels, (x, y) per Gaussian.</summary>
    public float[] MeanScreenGrad { get; private set; } = [];
    /// <summary>
    /// Whether the backward pass also sums each pixel's |dL/d(projected mean)| per axis into
    /// <see cref="MeanScreenAbsGrad"/> (AbsGS, Ye et al. 2024; gsplat's absgrad): the densification
    /// statistic in which gradients of opposite sign from different pixels do not cancel.
    /// <see cref="EnsureSize"/> (which the backward pass calls) allocates or frees the array after a change.
    /// </summary>
    public bool TrackAbsoluteScreenGrad { get; set; }
    /// <summary>With <see cref="TrackAbsoluteScreenGrad"/>: Σ over pixels of |dL/d(projected mean)| in pixels, (x, y) per Gaussian; else empty.</summary>
    public float[] MeanScreenAbsGrad { get; private set; } = [];

    public GaussianGradients() { }

    public GaussianGradients(GaussianSet g) => EnsureSize(g);

    /// <summary>Floats of the expanded SH gradient per Gaussian, 3·(<see cref="ShDegree"/>+1)².</summary>
    public int ShStride => 3 * (ShDegree + 1) * (ShDegree + 1);

    /// <summary>
    /// Makes the arrays match <paramref name="g"/>'s count and SH degree. Arrays that already match
    /// keep their contents; otherwise they are reallocated zeroed.
    /// </summary>
    public void EnsureSize(GaussianSet g)
    {
        if (Count == g.Count && ShDegree == g.ShDegree && Means.Length == 3 * g.Count
            && MeanScreenAbsGrad.Length == (TrackAbsoluteScreenGrad ? 2 * g.Count : 0)) return;
        Count = g.Count;
        ShDegree = g.ShDegree;
        ActiveShDegree = g.ShDegree;
        Means = new float[3 * Count];
        LogScales = new float[3 * Count];
        Rotations = new float[4 * Count];
        OpacityLogits = new float[Count];
        ShColourGrad = new float[3 * Count];
        MeanScreenGrad = new float[2 * Count];
        MeanScreenAbsGrad = TrackAbsoluteScreenGrad ? new float[2 * Count] : [];
    }

    /// <summary>Sets every gradient to zero.</summary>
    public void Clear()
    {
        Array.Clear(Means); Array.Clear(LogScales); Array.Clear(Rotations); Array.Clear(OpacityLogits);
        Array.Clear(ShColourGrad); Array.Clear(MeanScreenGrad); Array.Clear(MeanScreenAbsGrad);
    }

    /// <summary>
    /// Records the view of a backward pass: the camera position and SH degree the SH gradient
    /// refers to. Called for every Gaussian of a pass with the same values (and from several
    /// threads), so it writes only on a change.
    /// </summary>
    internal void SetShView(float cameraX, float cameraY, float cameraZ, int activeDegree)
    {
        // Compared bit for bit (−0 ≠ +0 here), so the stored position is exactly the backward's.
        (float X, float Y, float Z) c = ShCamera;
        if (Bits(c.X) != Bits(cameraX) || Bits(c.Y) != Bits(cameraY) || Bits(c.Z) != Bits(cameraZ)) ShCamera = (cameraX, cameraY, cameraZ);
        if (ActiveShDegree != activeDegree) ActiveShDegree = activeDegree;
        static int Bits(float f) => BitConverter.SingleToInt32Bits(f);
    }

    /// <summary>
    /// Writes dL/dsh of Gaussian <paramref name="i"/> (<see cref="ShStride"/> floats, laid out
    /// [3k + c] as <see cref="GaussianSet.Sh"/>) from its factors: Y_k(normalise(mean − camera))·dL/dcolour_c.
    /// <paramref name="g"/> must be the set of the backward pass, its means unchanged since.
    /// </summary>
    public void ExpandSh(GaussianSet g, int i, Span<float> dSh) => ExpandSh(g, i, 1, dSh);

    /// <summary>
    /// <see cref="ExpandSh(GaussianSet, int, Span{float})"/> for Gaussians [<paramref name="first"/>,
    /// first + <paramref name="count"/>) (count ≤ 8), one after another in <paramref name="dSh"/>
    /// (count · <see cref="ShStride"/> floats), one per vector lane; a Gaussian gets the same values in any lane.
    /// </summary>
    public void ExpandSh(GaussianSet g, int first, int count, Span<float> dSh)
    {
        if (g.Count != Count || g.ShDegree != ShDegree) throw new ArgumentException("not the Gaussian set of these gradients", nameof(g));
        if (first < 0 || count is < 1 or > Lanes.Count || first + count > Count) throw new ArgumentOutOfRangeException(nameof(count));
        if (dSh.Length != count * ShStride) throw new ArgumentException($"{dSh.Length} floats for {count} SH gradients of {ShStride}", nameof(dSh));
        // v = mean − camera exactly as the forward and backward compute it, so the direction is bit-identical.
        Vector256<int> ids = Lanes.Range(first, count);
        Vector256<int> i3 = ids * 3;
        Vector256<float> vx = Lanes.Gather(g.Means, i3) - Vector256.Create(ShCamera.X);
        Vector256<float> vy = Lanes.Gather(g.Means, i3 + Vector256.Create(1)) - Vector256.Create(ShCamera.Y);
        Vector256<float> vz = Lanes.Gather(g.Means, i3 + Vector256.Create(2)) - Vector256.Create(ShCamera.Z);
        Vector256<float> dr = Lanes.Gather(ShColourGrad, i3), dg = Lanes.Gather(ShColourGrad, i3 + Vector256.Create(1));
        Vector256<float> db = Lanes.Gather(ShColourGrad, i3 + Vector256.Create(2));
        SphericalHarmonics.ExpandGradient(vx, vy, vz, ActiveShDegree, dr, dg, db, count, ShStride, dSh);
    }

    /// <summary>The whole expanded dL/dsh, shaped like <see cref="GaussianSet.Sh"/> (a new array).</summary>
    public float[] ExpandSh(GaussianSet g)
    {
        int stride = ShStride;
        var sh = new float[Count * stride];
        for (int first = 0; first < Count; first += Lanes.Count)
        {
            int count = Math.Min(Lanes.Count, Count - first);
            ExpandSh(g, first, count, sh.AsSpan(first * stride, count * stride));
        }
        return sh;
    }

    /// <summary>
    /// The parameter gradients in <see cref="GaussianSet.Parameters"/>' order and strides; the SH
    /// entry is a freshly expanded copy (<see cref="ExpandSh(GaussianSet)"/>; <paramref name="g"/>
    /// as there).
    /// </summary>
    public IEnumerable<(string Name, float[] Values, int Stride)> Parameters(GaussianSet g)
    {
        yield return ("means", Means, 3);
        yield return ("log_scales", LogScales, 3);
        yield return ("rotations", Rotations, 4);
        yield return ("opacity_logits", OpacityLogits, 1);
        yield return ("sh", ExpandSh(g), ShStride);
    }
}
