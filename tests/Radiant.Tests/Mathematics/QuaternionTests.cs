using Radiant.Mathematics;

namespace Radiant.Tests.Mathematics;

public class QuaternionTests
{
    private static Quaternion AxisAngle(Vec3 axis, double angle)
    {
        Vec3 a = axis.Normalized() * Math.Sin(angle / 2);
        return new Quaternion(Math.Cos(angle / 2), a.X, a.Y, a.Z);
    }

    [Fact]
    public void Slerp_stays_on_the_unit_sphere_inside_and_outside_the_interval()
    {
        Quaternion a = AxisAngle(new Vec3(1, 2, 3), 0.7), b = AxisAngle(new Vec3(-2, 1, 0.5), 2.1);
        for (double t = -0.5; t <= 1.5; t += 0.05)
            Assert.Equal(1, Quaternion.Slerp(a, b, t).Norm, 12);
    }

    [Fact]
    public void Slerp_turns_at_constant_rate_along_the_shortest_arc()
    {
        var axis = new Vec3(0.3, -1, 0.2);
        Quaternion a = AxisAngle(axis, 0.2), b = AxisAngle(axis, 1.4);   // 1.2 rad apart
        // −b is the same rotation; without the sign flip slerp would turn the long way (2π − 1.2 rad).
        foreach (Quaternion target in new[] { b, -b })
            for (double t = 0; t <= 1; t += 0.125)
            {
                Quaternion q = Quaternion.Slerp(a, target, t);
                Assert.Equal(1.2 * t, Quaternion.AngleBetween(a, q), 9);
                Assert.Equal(1.2 * (1 - t), Quaternion.AngleBetween(q, b), 9);
            }
        Assert.Equal(1, a.Dot(Quaternion.Slerp(a, b, 0)), 12);
        Assert.True(Quaternion.AngleBetween(Quaternion.Slerp(a, b, 1), b) < 1e-7);
    }

    [Fact]
    public void Slerp_of_nearly_equal_rotations_is_finite()
    {
        Quaternion a = AxisAngle(new Vec3(0, 0, 1), 0.5), b = AxisAngle(new Vec3(0, 0, 1), 0.5 + 1e-9);
        Quaternion q = Quaternion.Slerp(a, b, 0.5);
        Assert.True(q.IsFinite);
        Assert.Equal(1, q.Norm, 12);
    }

    [Theory]
    [InlineData(1e300)]    // the squares overflow
    [InlineData(1e-200)]   // the squares underflow
    [InlineData(1.0)]
    public void Any_finite_nonzero_scale_gives_the_same_unit_quaternion_and_rotation(double scale)
    {
        Quaternion unit = AxisAngle(new Vec3(1, -2, 0.5), 2.5), scaled = unit * scale;
        Quaternion q = scaled.Normalized();
        foreach (var (a, b) in new[] { (q.W, unit.W), (q.X, unit.X), (q.Y, unit.Y), (q.Z, unit.Z) }) Assert.Equal(b, a, 14);
        Mat3 r = scaled.ToRotation(), expected = unit.ToRotation();
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
                Assert.Equal(expected[i, j], r[i, j], 14);
    }

    [Fact]
    public void Zero_or_non_finite_quaternions_have_no_rotation()
    {
        foreach (Quaternion q in new[] { new Quaternion(0, 0, 0, 0), new Quaternion(1, double.NaN, 0, 0), new Quaternion(double.PositiveInfinity, 0, 0, 0) })
        {
            Assert.Throws<ArgumentException>(() => q.Normalized());
            Assert.Throws<ArgumentException>(() => q.ToRotation());
        }
    }

    [Fact]
    public void Rotation_round_trip_and_matrix_inverse()
    {
        Quaternion q = AxisAngle(new Vec3(1, -2, 0.5), 2.5);
        Mat3 r = q.ToRotation();
        Assert.True(Quaternion.AngleBetween(q, Quaternion.FromRotation(r)) < 1e-7);
        Mat3 m = new(2, -1, 0.5, 0.3, 4, 1, -1, 0.2, 3);
        Mat3 identity = m * m.Inverse();
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
                Assert.Equal(i == j ? 1 : 0, identity[i, j], 12);
    }
}
