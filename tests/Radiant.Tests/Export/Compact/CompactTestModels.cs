using Radiant.Export.Compact;
using Radiant.Mathematics;
using Radiant.Model;
using Xunit;

namespace Radiant.Tests.Export.Compact;

/// <summary>Per-format worst-case quantisation errors (each derived in the format's comment, with float slack).</summary>
public sealed record Bounds(double Position, double LogScale, double Opacity, double Dc, double Rest, double RotationDot);

/// <summary>Random models with realistic parameter ranges, and a Gaussian-by-Gaussian comparison within bounds.</summary>
internal static class CompactTestModels
{
    /// <summary>Gaussians on a jittered grid in [−3, 3.2)³ (centres ≥ 0.4 apart for up to 1000, so a reordered copy matches by nearest centre), SH degree as asked.</summary>
    public static GaussianSet Random(int count, int degree, ulong seed = 3)
    {
        var rng = new Rng(seed);
        var g = new GaussianSet(count, degree);
        int side = (int)Math.Ceiling(Math.Cbrt(count));
        for (int i = 0; i < count; i++)
        {
            float step = 6f / side; // the centres span [−3, 3.2)
            g.Means[3 * i] = -3 + step * (i % side) + 0.2f * rng.NextFloat();
            g.Means[3 * i + 1] = -3 + step * (i / side % side) + 0.2f * rng.NextFloat();
            g.Means[3 * i + 2] = -3 + step * (i / side / side) + 0.2f * rng.NextFloat();
            for (int a = 0; a < 3; a++) g.LogScales[3 * i + a] = -6 + 5 * rng.NextFloat();
            for (int a = 0; a < 4; a++) g.Rotations[4 * i + a] = rng.NextGaussian();
            g.OpacityLogits[i] = -4 + 8 * rng.NextFloat();
            int k = g.ShCoefficients;
            for (int j = 0; j < 3 * k; j++) g.Sh[i * k * 3 + j] = j < 3 ? -1.5f + 3 * rng.NextFloat() : -0.4f + 0.8f * rng.NextFloat();
        }
        return g;
    }

    /// <summary>
    /// Index in <paramref name="original"/> of each of <paramref name="actual"/>'s Gaussians, by
    /// nearest centre (formats reorder); identity when <paramref name="sameOrder"/>.
    /// </summary>
    public static int[] Match(GaussianSet original, GaussianSet actual, bool sameOrder)
    {
        var m = new int[actual.Count];
        for (int i = 0; i < actual.Count; i++)
        {
            if (sameOrder) { m[i] = i; continue; }
            double best = double.MaxValue;
            for (int j = 0; j < original.Count; j++)
            {
                double d = 0;
                for (int a = 0; a < 3; a++) { double t = actual.Means[3 * i + a] - original.Means[3 * j + a]; d += t * t; }
                if (d < best) { best = d; m[i] = j; }
            }
        }
        Assert.Equal(actual.Count, m.Distinct().Count());
        return m;
    }

    /// <summary>Asserts every Gaussian of <paramref name="actual"/> equals its match within the bounds; returns the largest errors seen.</summary>
    public static Bounds AssertClose(GaussianSet original, GaussianSet actual, Bounds b, bool sameOrder = false, int shDegree = -1)
    {
        Assert.Equal(original.Count, actual.Count);
        int degree = shDegree < 0 ? original.ShDegree : shDegree;
        Assert.Equal(degree, actual.ShDegree);
        int[] match = Match(original, actual, sameOrder);
        double pos = 0, scale = 0, opacity = 0, dc = 0, rest = 0, dot = 1;
        int ko = original.ShCoefficients, ka = actual.ShCoefficients;
        for (int i = 0; i < actual.Count; i++)
        {
            int j = match[i];
            for (int a = 0; a < 3; a++)
            {
                pos = Math.Max(pos, Math.Abs(actual.Means[3 * i + a] - original.Means[3 * j + a]));
                scale = Math.Max(scale, Math.Abs(actual.LogScales[3 * i + a] - original.LogScales[3 * j + a]));
                dc = Math.Max(dc, Math.Abs(actual.Sh[i * ka * 3 + a] - original.Sh[j * ko * 3 + a]));
            }
            for (int q = 3; q < 3 * ka; q++) rest = Math.Max(rest, Math.Abs(actual.Sh[i * ka * 3 + q] - original.Sh[j * ko * 3 + q]));
            opacity = Math.Max(opacity, Math.Abs(GaussianSet.Sigmoid(actual.OpacityLogits[i]) - GaussianSet.Sigmoid(original.OpacityLogits[j])));
            var qa = Quantize.UnitQuaternion(actual.Rotations.AsSpan(4 * i, 4));
            var qo = Quantize.UnitQuaternion(original.Rotations.AsSpan(4 * j, 4));
            dot = Math.Min(dot, Math.Abs(qa.W * qo.W + qa.X * qo.X + qa.Y * qo.Y + qa.Z * qo.Z));
        }
        var seen = new Bounds(pos, scale, opacity, dc, rest, dot);
        Assert.True(pos <= b.Position, $"position error {pos} > {b.Position}");
        Assert.True(scale <= b.LogScale, $"log-scale error {scale} > {b.LogScale}");
        Assert.True(opacity <= b.Opacity, $"opacity error {opacity} > {b.Opacity}");
        Assert.True(dc <= b.Dc, $"SH DC error {dc} > {b.Dc}");
        Assert.True(rest <= b.Rest, $"higher SH error {rest} > {b.Rest}");
        Assert.True(dot >= b.RotationDot, $"rotation |q·q'| {dot} < {b.RotationDot}");
        return seen;
    }
}
