namespace Radiant.Rendering;

/// <summary>Single-precision 3-vector for the per-Gaussian kernels.</summary>
internal readonly record struct Vec3f(float X, float Y, float Z);

/// <summary>Row-major single-precision 3×3 matrix for the per-Gaussian kernels.</summary>
internal readonly record struct Mat3f(float M00, float M01, float M02, float M10, float M11, float M12, float M20, float M21, float M22)
{
    /// <summary>Rotation matrix of a unit quaternion (w, x, y, z).</summary>
    public static Mat3f FromUnitQuaternion(float w, float x, float y, float z) => new(
        1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y),
        2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x),
        2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y));

    /// <summary>This · diag(s).</summary>
    public Mat3f ScaleColumns(Vec3f s) => new(
        M00 * s.X, M01 * s.Y, M02 * s.Z,
        M10 * s.X, M11 * s.Y, M12 * s.Z,
        M20 * s.X, M21 * s.Y, M22 * s.Z);
}

/// <summary>Row-major 2×3 matrix.</summary>
internal readonly record struct Mat23f(float M00, float M01, float M02, float M10, float M11, float M12);

/// <summary>Symmetric 3×3 matrix (upper triangle).</summary>
internal readonly record struct Sym3(float XX, float XY, float XZ, float YY, float YZ, float ZZ)
{
    /// <summary>M Mᵀ.</summary>
    public static Sym3 OuterOfRows(in Mat3f m) => new(
        m.M00 * m.M00 + m.M01 * m.M01 + m.M02 * m.M02,
        m.M00 * m.M10 + m.M01 * m.M11 + m.M02 * m.M12,
        m.M00 * m.M20 + m.M01 * m.M21 + m.M02 * m.M22,
        m.M10 * m.M10 + m.M11 * m.M11 + m.M12 * m.M12,
        m.M10 * m.M20 + m.M11 * m.M21 + m.M12 * m.M22,
        m.M20 * m.M20 + m.M21 * m.M21 + m.M22 * m.M22);
}
