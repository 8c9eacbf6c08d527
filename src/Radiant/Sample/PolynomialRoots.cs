namespace Radiant.Sample;

/// <summary>
/// Smallest real root of a low-degree polynomial inside an interval, for the torus (a quartic in the
/// ray parameter). Robust rather than clever: the roots of the derivative split the interval into
/// monotone pieces, and in the first piece whose ends differ in sign the root is refined by Newton
/// steps safeguarded by bisection (the derivative of a quadratic is solved in closed form). A
/// monotone piece holds at most one root, so no crossing is skipped; a tangent touch (double root
/// without a sign change) counts as a miss, which for a grazing ray is the right answer anyway.
/// Allocation-free and deterministic.
/// </summary>
[System.Runtime.CompilerServices.SkipLocalsInit]
internal static class PolynomialRoots
{
    private const int MaxDegree = 4;

    /// <summary>Evaluates c[0] + c[1]·t + … + c[n]·tⁿ (Horner).</summary>
    public static double Evaluate(ReadOnlySpan<double> c, double t)
    {
        double v = c[^1];
        for (int i = c.Length - 2; i >= 0; i--) v = v * t + c[i];
        return v;
    }

    /// <summary>The smallest root of the polynomial (ascending coefficients, degree ≤ 4) in [lo, hi] where it changes sign, or NaN.</summary>
    public static double SmallestRoot(ReadOnlySpan<double> c, double lo, double hi)
    {
        Span<double> roots = stackalloc double[MaxDegree];
        int n = Roots(c, lo, hi, roots, firstOnly: true);
        return n > 0 ? roots[0] : double.NaN;
    }

    /// <summary>Sign-changing roots in [lo, hi], ascending; returns how many were written.</summary>
    private static int Roots(ReadOnlySpan<double> c, double lo, double hi, Span<double> roots, bool firstOnly)
    {
        int degree = c.Length - 1;
        if (degree > MaxDegree) throw new ArgumentException("degree above 4", nameof(c));
        if (degree == 1)
        {
            if (c[1] == 0) return 0;
            double t = -c[0] / c[1];
            if (t >= lo && t <= hi) { roots[0] = t; return 1; }
            return 0;
        }
        if (degree == 2) return QuadraticRoots(c[2], c[1], c[0], lo, hi, roots);

        // Breakpoints: lo, the derivative's roots inside (lo, hi), hi.
        Span<double> deriv = stackalloc double[degree];
        for (int i = 1; i <= degree; i++) deriv[i - 1] = i * c[i];
        Span<double> breaks = stackalloc double[MaxDegree + 1];
        breaks[0] = lo;
        int nb = 1 + Roots(deriv, lo, hi, breaks[1..], firstOnly: false);
        breaks[nb++] = hi;

        int count = 0;
        double a = breaks[0], fa = Evaluate(c, a);
        for (int k = 1; k < nb; k++)
        {
            double b = breaks[k], fb = Evaluate(c, b);
            if (fa == 0) { roots[count++] = a; if (firstOnly) return count; }
            else if ((fa < 0) != (fb < 0) && fb != 0) { roots[count++] = RefineRoot(c, a, b, fa); if (firstOnly) return count; }
            a = b; fa = fb;
        }
        if (fa == 0 && (count == 0 || roots[count - 1] != a)) roots[count++] = a;
        return count;
    }

    /// <summary>Width at which root polishing stops: far below a pixel's footprint for a scene of unit size.</summary>
    private const double Tolerance = 1e-11;

    /// <summary>Real roots of a t² + b t + c in [lo, hi], ascending (the cancellation-free form of the formula).</summary>
    private static int QuadraticRoots(double a, double b, double c, double lo, double hi, Span<double> roots)
    {
        if (a == 0)
        {
            if (b == 0) return 0;
            double t = -c / b;
            if (t >= lo && t <= hi) { roots[0] = t; return 1; }
            return 0;
        }
        double disc = b * b - 4 * a * c;
        if (disc < 0) return 0;
        double qq = -0.5 * (b + (b >= 0 ? Math.Sqrt(disc) : -Math.Sqrt(disc)));
        double r1 = qq / a, r2 = qq != 0 ? c / qq : r1;
        if (r1 > r2) (r1, r2) = (r2, r1);
        int n = 0;
        if (r1 >= lo && r1 <= hi) roots[n++] = r1;
        if (r2 >= lo && r2 <= hi && r2 != r1) roots[n++] = r2;
        return n;
    }

    /// <summary>
    /// Root in a bracket [a, b] with f(a) of sign <paramref name="fa"/>: Newton steps while they stay
    /// inside the (shrinking) bracket, bisection otherwise. Converges in a handful of steps.
    /// </summary>
    private static double RefineRoot(ReadOnlySpan<double> c, double a, double b, double fa)
    {
        bool negAtA = fa < 0;
        double t = 0.5 * (a + b);
        for (int i = 0; i < 100 && b - a > Tolerance; i++)
        {
            double f = c[^1], df = 0;
            for (int k = c.Length - 2; k >= 0; k--) { df = df * t + f; f = f * t + c[k]; }
            if (f == 0) return t;
            if ((f < 0) == negAtA) a = t; else b = t;
            double next = df != 0 ? t - f / df : double.NaN;
            if (!(next > a && next < b)) next = 0.5 * (a + b);
            if (Math.Abs(next - t) < Tolerance) return next;
            t = next;
        }
        return t;
    }
}
