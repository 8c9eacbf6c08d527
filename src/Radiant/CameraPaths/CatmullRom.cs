using Radiant.Mathematics;

namespace Radiant.CameraPaths;

/// <summary>
/// Catmull–Rom splines with arbitrary knots, evaluated by the Barry–Goldman pyramid (Barry and
/// Goldman 1988; Yuksel, Schaefer and Keyser 2011 for the centripetal knots). The pyramid uses only
/// two-point interpolations, so the same code interpolates positions (lerp) and orientations (slerp,
/// which makes it a spherical Catmull–Rom). The curve passes through every control point at its
/// knot and its first derivative is continuous there, for any interpolation that is linear to first
/// order where its two inputs coincide (lerp and slerp both are).
/// </summary>
public static class CatmullRom
{
    /// <summary>Knot exponent of the centripetal spline: Δt = |P_{i+1} − P_i|^α.</summary>
    public const double CentripetalAlpha = 0.5;

    /// <summary>A step with no movement gets this fraction of the mean step, so that a keyframe that only turns still takes time.</summary>
    public const double MinimumStepFraction = 0.1;

    /// <summary>
    /// Centripetal knots t₀ = 0, t_{i+1} = t_i + |P_{i+1} − P_i|^½ (no cusps or self-intersections
    /// within a segment, unlike uniform knots). Steps shorter than <see cref="MinimumStepFraction"/>
    /// of the mean are raised to it; if no point moves, the knots are uniform.
    /// </summary>
    public static double[] CentripetalKnots(IReadOnlyList<Vec3> points)
    {
        int n = points.Count;
        var steps = new double[Math.Max(0, n - 1)];
        for (int i = 0; i + 1 < n; i++) steps[i] = Math.Pow((points[i + 1] - points[i]).Length, CentripetalAlpha);
        double mean = steps.Length > 0 ? steps.Average() : 0;
        var knots = new double[n];
        for (int i = 0; i + 1 < n; i++)
            knots[i + 1] = knots[i] + (mean > 0 ? Math.Max(steps[i], MinimumStepFraction * mean) : 1);
        return knots;
    }

    /// <summary>
    /// The segment from <paramref name="p1"/> (knot t1) to <paramref name="p2"/> (knot t2) at time
    /// <paramref name="t"/>, with neighbours p0 and p3. Pyramid: A_k interpolates P_{k−1}, P_k over
    /// [t_{k−1}, t_k]; B_1 = A_1, A_2 over [t0, t2]; B_2 = A_2, A_3 over [t1, t3]; C = B_1, B_2 over [t1, t2].
    /// <paramref name="interpolate"/>(a, b, w) must return a at w = 0 and b at w = 1 (w may leave [0, 1]).
    /// </summary>
    public static T Evaluate<T>(T p0, T p1, T p2, T p3, double t0, double t1, double t2, double t3, double t, Func<T, T, double, T> interpolate)
    {
        T a1 = interpolate(p0, p1, (t - t0) / (t1 - t0));
        T a2 = interpolate(p1, p2, (t - t1) / (t2 - t1));
        T a3 = interpolate(p2, p3, (t - t2) / (t3 - t2));
        T b1 = interpolate(a1, a2, (t - t0) / (t2 - t0));
        T b2 = interpolate(a2, a3, (t - t1) / (t3 - t1));
        return interpolate(b1, b2, (t - t1) / (t2 - t1));
    }

    public static Vec3 Lerp(Vec3 a, Vec3 b, double w) => a + (b - a) * w;
}
