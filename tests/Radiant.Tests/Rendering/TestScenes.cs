using Radiant.Model;
using Radiant.Rendering;

namespace Radiant.Tests.Rendering;

/// <summary>Deterministic random cameras and Gaussian sets for the rendering tests.</summary>
internal static class TestScenes
{
    /// <summary>A camera at <paramref name="position"/> looking at the origin (OpenCV axes), slightly rolled.</summary>
    public static RenderCamera LookAt(int width, int height, float focal, (double X, double Y, double Z) position, double roll = 0.1)
    {
        // forward = normalise(target − position); right and down complete a right-handed OpenCV frame.
        double fx = -position.X, fy = -position.Y, fz = -position.Z;
        double fl = Math.Sqrt(fx * fx + fy * fy + fz * fz); fx /= fl; fy /= fl; fz /= fl;
        double ux = 0, uy = 1, uz = 0; // world up
        double rx = fy * uz - fz * uy, ry = fz * ux - fx * uz, rz = fx * uy - fy * ux;
        double rl = Math.Sqrt(rx * rx + ry * ry + rz * rz); rx /= rl; ry /= rl; rz /= rl;
        double dx = fy * rz - fz * ry, dy = fz * rx - fx * rz, dz = fx * ry - fy * rx;
        double c = Math.Cos(roll), s = Math.Sin(roll);
        (rx, ry, rz, dx, dy, dz) = (c * rx + s * dx, c * ry + s * dy, c * rz + s * dz, -s * rx + c * dx, -s * ry + c * dy, -s * rz + c * dz);
        double[] r = [rx, ry, rz, dx, dy, dz, fx, fy, fz];
        var m = new float[12];
        for (int row = 0; row < 3; row++)
        {
            m[4 * row] = (float)r[3 * row]; m[4 * row + 1] = (float)r[3 * row + 1]; m[4 * row + 2] = (float)r[3 * row + 2];
            m[4 * row + 3] = (float)-(r[3 * row] * position.X + r[3 * row + 1] * position.Y + r[3 * row + 2] * position.Z);
        }
        return new RenderCamera(width, height, focal, focal * 1.05f, width * 0.5f + 0.7f, height * 0.5f - 0.4f, m);
    }

    public static float Uniform(Random rng, double lo, double hi) => (float)(lo + (hi - lo) * rng.NextDouble());

    /// <summary>Fills Gaussian i with a random rotation (unnormalised), the given scale range and opacity range.</summary>
    public static void Randomise(GaussianSet g, int i, Random rng, double logScaleLo, double logScaleHi, double opacityLo, double opacityHi, double shHigh)
    {
        for (int a = 0; a < 3; a++) g.LogScales[3 * i + a] = Uniform(rng, logScaleLo, logScaleHi);
        double qs = Uniform(rng, 0.6, 1.6);
        for (int a = 0; a < 4; a++) g.Rotations[4 * i + a] = (float)(qs * (rng.NextDouble() * 2 - 1));
        g.OpacityLogits[i] = GaussianSet.Logit(Uniform(rng, opacityLo, opacityHi));
        int k = g.ShCoefficients;
        for (int c = 0; c < 3; c++)
        {
            g.Sh[(i * k) * 3 + c] = (Uniform(rng, 0.25, 0.8) - 0.5f) / GaussianSet.ShC0;
            for (int j = 1; j < k; j++) g.Sh[(i * k + j) * 3 + c] = Uniform(rng, -shHigh, shHigh);
        }
    }

    /// <summary>World point whose view-space coordinates under <paramref name="cam"/> are (tx, ty, tz).</summary>
    public static (float X, float Y, float Z) WorldFromView(RenderCamera cam, double tx, double ty, double tz)
    {
        float[] m = cam.WorldToCamera;
        double vx = tx - m[3], vy = ty - m[7], vz = tz - m[11];
        return ((float)(m[0] * vx + m[4] * vy + m[8] * vz), (float)(m[1] * vx + m[5] * vy + m[9] * vz), (float)(m[2] * vx + m[6] * vy + m[10] * vz));
    }

    /// <summary>
    /// A scene for whole-pipeline gradient checks: every Gaussian is wide enough that its alpha is
    /// above 1/255 over the whole image, opacities are low enough that no pixel reaches the
    /// transmittance cut-off or the 0.99 clamp, colours stay clear of the clamp at 0, and depths
    /// are 0.09 apart so that small perturbations never reorder them: the rendered image is a
    /// smooth function of every parameter.
    /// </summary>
    public static (GaussianSet G, RenderCamera Camera) SmoothScene(int count, int seed, int width = 32, int height = 24)
    {
        var rng = new Random(seed);
        RenderCamera cam = LookAt(width, height, 30, (0.4, -0.3, -4.0));
        var g = new GaussianSet(count, 3);
        int[] slots = Enumerable.Range(0, count).OrderBy(_ => rng.Next()).ToArray();
        for (int i = 0; i < count; i++)
        {
            double tz = 3.2 + 0.09 * slots[i];
            (g.Means[3 * i], g.Means[3 * i + 1], g.Means[3 * i + 2]) =
                WorldFromView(cam, Uniform(rng, -0.12, 0.12) * tz, Uniform(rng, -0.1, 0.1) * tz, tz);
            Randomise(g, i, rng, Math.Log(1.8), Math.Log(3.2), 0.06, 0.3, 0.03);
        }
        return (g, cam);
    }
}

/// <summary>Comparison of analytic gradients with finite differences.</summary>
internal static class GradientAssert
{
    /// <summary>
    /// Asserts that <paramref name="analytic"/> matches <paramref name="numeric"/>: the numeric
    /// gradient is non-trivial (max |·| ≥ <paramref name="minScale"/>), and every element agrees
    /// within <paramref name="relTol"/> of max(|numeric element|, <paramref name="floor"/> · the array's max) — so a
    /// zeroed or wrong element with a visible numeric gradient fails.
    /// </summary>
    public static void Close(string name, ReadOnlySpan<float> analytic, ReadOnlySpan<double> numeric, double relTol, double minScale = 1e-6, double floor = 0.05)
    {
        Assert.Equal(numeric.Length, analytic.Length);
        double scale = 0;
        foreach (double v in numeric) scale = Math.Max(scale, Math.Abs(v));
        Assert.True(scale >= minScale, $"{name}: numeric gradient is trivial (max {scale:g3})");
        double worst = 0; int worstAt = -1;
        for (int k = 0; k < numeric.Length; k++)
        {
            double err = Math.Abs(analytic[k] - numeric[k]) / Math.Max(Math.Abs(numeric[k]), floor * scale);
            if (err > worst) { worst = err; worstAt = k; }
        }
        Assert.True(worst <= relTol,
            $"{name}: element {worstAt} analytic {analytic[worstAt]:g6} vs numeric {numeric[worstAt]:g6} (relative error {worst:g3} > {relTol}, scale {scale:g3})");
    }
}
