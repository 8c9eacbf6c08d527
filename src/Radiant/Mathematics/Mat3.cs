namespace Radiant.Mathematics;

/// <summary>A row-major 3×3 matrix in double precision: M[r,c] = element (r, c).</summary>
public readonly struct Mat3
{
    public readonly double M00, M01, M02, M10, M11, M12, M20, M21, M22;

    public Mat3(double m00, double m01, double m02, double m10, double m11, double m12, double m20, double m21, double m22)
    {
        M00 = m00; M01 = m01; M02 = m02; M10 = m10; M11 = m11; M12 = m12; M20 = m20; M21 = m21; M22 = m22;
    }

    public static readonly Mat3 Identity = new(1, 0, 0, 0, 1, 0, 0, 0, 1);

    public static Mat3 FromRows(Vec3 r0, Vec3 r1, Vec3 r2) => new(r0.X, r0.Y, r0.Z, r1.X, r1.Y, r1.Z, r2.X, r2.Y, r2.Z);
    public static Mat3 FromColumns(Vec3 c0, Vec3 c1, Vec3 c2) => new(c0.X, c1.X, c2.X, c0.Y, c1.Y, c2.Y, c0.Z, c1.Z, c2.Z);

    public double this[int r, int c] => (r * 3 + c) switch
    {
        0 => M00, 1 => M01, 2 => M02, 3 => M10, 4 => M11, 5 => M12, 6 => M20, 7 => M21, 8 => M22,
        _ => throw new IndexOutOfRangeException(),
    };

    public Vec3 Row(int r) => new(this[r, 0], this[r, 1], this[r, 2]);
    public Vec3 Column(int c) => new(this[0, c], this[1, c], this[2, c]);

    public Mat3 Transposed() => new(M00, M10, M20, M01, M11, M21, M02, M12, M22);

    public double Determinant =>
        M00 * (M11 * M22 - M12 * M21) - M01 * (M10 * M22 - M12 * M20) + M02 * (M10 * M21 - M11 * M20);

    public static Vec3 operator *(Mat3 m, Vec3 v) => new(
        m.M00 * v.X + m.M01 * v.Y + m.M02 * v.Z,
        m.M10 * v.X + m.M11 * v.Y + m.M12 * v.Z,
        m.M20 * v.X + m.M21 * v.Y + m.M22 * v.Z);

    public static Mat3 operator *(Mat3 a, Mat3 b) => FromColumns(a * b.Column(0), a * b.Column(1), a * b.Column(2));

    public static Mat3 operator +(Mat3 a, Mat3 b) => new(
        a.M00 + b.M00, a.M01 + b.M01, a.M02 + b.M02, a.M10 + b.M10, a.M11 + b.M11, a.M12 + b.M12, a.M20 + b.M20, a.M21 + b.M21, a.M22 + b.M22);
    public static Mat3 operator -(Mat3 a, Mat3 b) => a + b * -1;
    public static Mat3 operator *(Mat3 m, double s) => new(
        m.M00 * s, m.M01 * s, m.M02 * s, m.M10 * s, m.M11 * s, m.M12 * s, m.M20 * s, m.M21 * s, m.M22 * s);

    /// <summary>The outer product a bᵀ.</summary>
    public static Mat3 Outer(Vec3 a, Vec3 b) => FromColumns(a * b.X, a * b.Y, a * b.Z);

    /// <summary>The inverse by the adjugate, M⁻¹ = adj(M) / det M; throws for a singular matrix.</summary>
    public Mat3 Inverse()
    {
        double det = Determinant;
        if (det == 0 || !double.IsFinite(det)) throw new InvalidOperationException("matrix is singular");
        // Rows of the inverse are the cross products of the columns: (M⁻¹)ᵢ = (cⱼ × cₖ) / det for cyclic (i, j, k).
        Vec3 c0 = Column(0), c1 = Column(1), c2 = Column(2);
        return FromRows(c1.Cross(c2), c2.Cross(c0), c0.Cross(c1)) * (1 / det);
    }

    public bool IsFinite
    {
        get
        {
            for (int i = 0; i < 9; i++) if (!double.IsFinite(this[i / 3, i % 3])) return false;
            return true;
        }
    }

    /// <summary>Largest deviation of RᵀR from the identity and of det R from +1; near zero for a rotation.</summary>
    public double RotationError()
    {
        Mat3 rtr = Transposed() * this;
        double err = Math.Abs(Determinant - 1);
        for (int r = 0; r < 3; r++)
            for (int c = 0; c < 3; c++)
                err = Math.Max(err, Math.Abs(rtr[r, c] - (r == c ? 1 : 0)));
        return err;
    }

    /// <summary>Rotation matrix of the unit quaternion (w, x, y, z) (Hamilton convention, as COLMAP). The input is normalised.</summary>
    public static Mat3 FromQuaternion(double w, double x, double y, double z)
    {
        double n = Math.Sqrt(w * w + x * x + y * y + z * z);
        if (n == 0 || !double.IsFinite(n)) ((w, x, y, z), n) = (new Quaternion(w, x, y, z).Normalized(), 1);   // squares out of range
        w /= n; x /= n; y /= n; z /= n;
        return new Mat3(
            1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y),
            2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x),
            2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y));
    }

    /// <summary>Unit quaternion (w, x, y, z) with w ≥ 0 of a rotation matrix (Shepperd's method).</summary>
    public (double W, double X, double Y, double Z) ToQuaternion()
    {
        double w, x, y, z;
        double trace = M00 + M11 + M22;
        if (trace > 0)
        {
            double s = Math.Sqrt(trace + 1) * 2;
            w = 0.25 * s; x = (M21 - M12) / s; y = (M02 - M20) / s; z = (M10 - M01) / s;
        }
        else if (M00 > M11 && M00 > M22)
        {
            double s = Math.Sqrt(1 + M00 - M11 - M22) * 2;
            w = (M21 - M12) / s; x = 0.25 * s; y = (M01 + M10) / s; z = (M02 + M20) / s;
        }
        else if (M11 > M22)
        {
            double s = Math.Sqrt(1 + M11 - M00 - M22) * 2;
            w = (M02 - M20) / s; x = (M01 + M10) / s; y = 0.25 * s; z = (M12 + M21) / s;
        }
        else
        {
            double s = Math.Sqrt(1 + M22 - M00 - M11) * 2;
            w = (M10 - M01) / s; x = (M02 + M20) / s; y = (M12 + M21) / s; z = 0.25 * s;
        }
        if (w < 0) { w = -w; x = -x; y = -y; z = -z; }
        double n = Math.Sqrt(w * w + x * x + y * y + z * z);
        return (w / n, x / n, y / n, z / n);
    }
}

public static class Mat3Extensions
{
    /// <summary>The nearest rotation by Gram–Schmidt on the rows, for poses that carry float round-off.</summary>
    public static Mat3 Orthonormalized(this Mat3 m)
    {
        Vec3 r0 = m.Row(0).Normalized();
        Vec3 r1 = (m.Row(1) - r0 * r0.Dot(m.Row(1))).Normalized();
        Vec3 r2 = r0.Cross(r1);
        return Mat3.FromRows(r0, r1, r2);
    }
}
