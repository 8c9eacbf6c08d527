namespace Radiant.Mathematics;

/// <summary>
/// A rotation quaternion (w, x, y, z), Hamilton convention as <see cref="Mat3.FromQuaternion"/>, in
/// double precision for poses (not hot loops). q and −q are the same rotation.
/// </summary>
public readonly record struct Quaternion(double W, double X, double Y, double Z)
{
    public static readonly Quaternion Identity = new(1, 0, 0, 0);

    public double Dot(Quaternion b) => W * b.W + X * b.X + Y * b.Y + Z * b.Z;
    public double Norm => Math.Sqrt(Dot(this));
    public bool IsFinite => double.IsFinite(W) && double.IsFinite(X) && double.IsFinite(Y) && double.IsFinite(Z);

    public static Quaternion operator -(Quaternion q) => new(-q.W, -q.X, -q.Y, -q.Z);
    public static Quaternion operator *(Quaternion q, double s) => new(q.W * s, q.X * s, q.Y * s, q.Z * s);
    public static Quaternion operator +(Quaternion a, Quaternion b) => new(a.W + b.W, a.X + b.X, a.Y + b.Y, a.Z + b.Z);

    public Quaternion Normalized()
    {
        double n = Norm;
        if (n > 0 && double.IsFinite(n)) return this * (1 / n);
        // The squares overflowed or underflowed (components beyond about 1e154 or below 1e-154): divided
        // by the largest component first, every finite non-zero quaternion has a direction.
        double largest = Math.Max(Math.Max(Math.Abs(W), Math.Abs(X)), Math.Max(Math.Abs(Y), Math.Abs(Z)));
        if (largest == 0 || !double.IsFinite(largest)) throw new ArgumentException("quaternion has zero or non-finite norm");
        var scaled = new Quaternion(W / largest, X / largest, Y / largest, Z / largest);
        return scaled * (1 / scaled.Norm);
    }

    /// <summary>The rotation matrix (the quaternion is normalised first).</summary>
    public Mat3 ToRotation() => Mat3.FromQuaternion(W, X, Y, Z);

    /// <summary>The unit quaternion of a rotation matrix, with w ≥ 0.</summary>
    public static Quaternion FromRotation(Mat3 rotation)
    {
        var (w, x, y, z) = rotation.ToQuaternion();
        return new Quaternion(w, x, y, z);
    }

    /// <summary>Angle in radians of the rotation that takes <paramref name="a"/> to <paramref name="b"/> (shortest way, 0…π).</summary>
    public static double AngleBetween(Quaternion a, Quaternion b) =>
        2 * Math.Acos(Math.Min(1, Math.Abs(a.Normalized().Dot(b.Normalized()))));

    /// <summary>
    /// Spherical linear interpolation along the shorter great arc (Shoemake 1985):
    /// slerp(a, b; t) = [sin((1−t)θ) a + sin(tθ) b] / sin θ with cos θ = |a·b|, b negated when a·b &lt; 0
    /// so that the rotation turns by at most 180°. t outside [0, 1] extrapolates along the same
    /// arc (the Catmull–Rom pyramid needs that). Inputs are normalised; the result has unit norm.
    /// </summary>
    public static Quaternion Slerp(Quaternion a, Quaternion b, double t)
    {
        a = a.Normalized();
        b = b.Normalized();
        double cos = a.Dot(b);
        if (cos < 0) { b = -b; cos = -cos; }
        if (cos > 1 - 1e-12)
            return (a * (1 - t) + b * t).Normalized();   // nearly equal: the arc is a straight line to first order
        double theta = Math.Acos(cos), sin = Math.Sin(theta);
        return (a * (Math.Sin((1 - t) * theta) / sin) + b * (Math.Sin(t * theta) / sin)).Normalized();
    }
}
