namespace Radiant.Tests.Training;

/// <summary>Central finite differences of a double-precision function against an analytic gradient.</summary>
public static class GradientCheck
{
    /// <summary>Indices to probe: random ones plus the corners and edges of every channel plane.</summary>
    public static int[] Probes(int width, int height, int channels, int count, int seed)
    {
        var rng = new Random(seed);
        var set = new SortedSet<int>();
        for (int c = 0; c < channels; c++)
        {
            int o = c * width * height;
            set.Add(o); set.Add(o + width - 1); set.Add(o + (height - 1) * width); set.Add(o + width * height - 1);
            set.Add(o + (height / 2) * width); set.Add(o + (height / 2) * width + width - 1);
        }
        while (set.Count < count) set.Add(rng.Next(width * height * channels));
        return set.ToArray();
    }

    public static double[] FiniteDifferences(Func<double[], double> f, double[] x, int[] probes, double h)
    {
        var fd = new double[probes.Length];
        for (int k = 0; k < probes.Length; k++)
        {
            int i = probes[k];
            double v = x[i];
            x[i] = v + h; double plus = f(x);
            x[i] = v - h; double minus = f(x);
            x[i] = v;
            fd[k] = (plus - minus) / (2 * h);
        }
        return fd;
    }

    /// <summary>max |analytic − fd| over the probes, relative to max |fd| (0 = perfect, 1 = a zero gradient, 2 = a sign flip).</summary>
    public static double RelativeError(float[] analytic, double[] fd, int[] probes)
    {
        double err = 0, scale = 0;
        for (int k = 0; k < probes.Length; k++)
        {
            err = Math.Max(err, Math.Abs(analytic[probes[k]] - fd[k]));
            scale = Math.Max(scale, Math.Abs(fd[k]));
        }
        Assert.True(scale > 0, "the finite differences are all zero: the check would prove nothing");
        return err / scale;
    }

    /// <summary>Asserts the analytic gradient passes at <paramref name="tolerance"/> and that a zeroed or sign-flipped one would not.</summary>
    public static void AssertMatches(float[] analytic, double[] fd, int[] probes, double tolerance)
    {
        double rel = RelativeError(analytic, fd, probes);
        Assert.True(rel < tolerance, $"gradient relative error {rel:E3} ≥ {tolerance:E1}");
        Assert.True(RelativeError(new float[analytic.Length], fd, probes) >= tolerance, "a zero gradient would pass");
        Assert.True(RelativeError(Array.ConvertAll(analytic, v => -v), fd, probes) >= tolerance, "a sign-flipped gradient would pass");
        // Per probe as well: each within 2% of itself or 0.1% of the largest.
        double max = fd.Max(Math.Abs);
        for (int k = 0; k < probes.Length; k++)
            Assert.True(Math.Abs(analytic[probes[k]] - fd[k]) <= 0.02 * Math.Abs(fd[k]) + 1e-3 * max,
                $"probe {probes[k]}: analytic {analytic[probes[k]]:E4} vs finite difference {fd[k]:E4}");
    }
}
