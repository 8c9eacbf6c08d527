namespace Radiant.Mathematics;

/// <summary>
/// Rotations as rotation vectors ω (axis × angle θ = |ω|): the exponential map of SO(3) and its
/// left Jacobian (e.g. Barfoot, "State Estimation for Robotics", §7.1.3), with series for small θ.
/// </summary>
public static class RotationVector
{
    // Below this angle the closed forms lose digits to cancellation and their series are used.
    private const double SmallAngle = 1e-4;

    /// <summary>Exp(ω) = I + (sin θ/θ)·W + ((1 − cos θ)/θ²)·W², W = [ω]× (Rodrigues' formula).</summary>
    public static Mat3 Exp(Vec3 omega)
    {
        var (a, b, _) = Coefficients(omega);
        Mat3 w = Skew(omega);
        return Mat3.Identity + w * a + w * w * b;
    }

    /// <summary>
    /// The left Jacobian J(ω) = I + ((1 − cos θ)/θ²)·W + ((θ − sin θ)/θ³)·W²:
    /// Exp(ω + δ) ≈ Exp(J(ω)·δ)·Exp(ω) for small δ.
    /// </summary>
    public static Mat3 LeftJacobian(Vec3 omega)
    {
        var (_, b, c) = Coefficients(omega);
        Mat3 w = Skew(omega);
        return Mat3.Identity + w * b + w * w * c;
    }

    /// <summary>[ω]×, the matrix with [ω]×·v = ω × v.</summary>
    public static Mat3 Skew(Vec3 v) => new(0, -v.Z, v.Y, v.Z, 0, -v.X, -v.Y, v.X, 0);

    /// <summary>sin θ/θ, (1 − cos θ)/θ², (θ − sin θ)/θ³.</summary>
    private static (double A, double B, double C) Coefficients(Vec3 omega)
    {
        double theta2 = omega.Dot(omega), theta = Math.Sqrt(theta2);
        if (theta < SmallAngle)
            return (1 - theta2 / 6, 0.5 - theta2 / 24, 1.0 / 6 - theta2 / 120);
        double sin = Math.Sin(theta), cos = Math.Cos(theta);
        return (sin / theta, (1 - cos) / theta2, (theta - sin) / (theta2 * theta));
    }
}
