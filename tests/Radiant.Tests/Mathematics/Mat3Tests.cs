using Radiant.Mathematics;

namespace Radiant.Tests.Mathematics;

public class Mat3Tests
{
    [Theory]
    [InlineData(1, 0, 0, 0)]
    [InlineData(0.7, 0.1, -0.5, 0.3)]
    [InlineData(0.01, 0.9, 0.2, -0.4)]   // w small: exercises the non-trace branches
    [InlineData(0.0, 0.0, 0.0, 1.0)]
    [InlineData(0.0, 0.0, 1.0, 0.0)]
    public void Quaternion_round_trip(double w, double x, double y, double z)
    {
        Mat3 r = Mat3.FromQuaternion(w, x, y, z);
        Assert.True(r.RotationError() < 1e-12);
        var q = r.ToQuaternion();
        double n = Math.Sqrt(w * w + x * x + y * y + z * z);
        // q and −q are the same rotation; ToQuaternion returns w ≥ 0.
        double dot = Math.Abs(q.W * w + q.X * x + q.Y * y + q.Z * z) / n;
        Assert.Equal(1, dot, 10);
        Mat3 back = Mat3.FromQuaternion(q.W, q.X, q.Y, q.Z);
        for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) Assert.Equal(r[i, j], back[i, j], 12);
    }

    [Fact]
    public void Quaternion_about_z_rotates_x_to_y()
    {
        double h = Math.Sqrt(0.5);
        Mat3 r = Mat3.FromQuaternion(h, 0, 0, h); // 90° about +z
        Vec3 v = r * new Vec3(1, 0, 0);
        Assert.Equal(0, v.X, 12); Assert.Equal(1, v.Y, 12); Assert.Equal(0, v.Z, 12);
    }

    [Fact]
    public void Product_transpose_and_determinant()
    {
        Mat3 a = Mat3.FromQuaternion(0.3, 0.2, -0.9, 0.1);
        Mat3 b = Mat3.FromQuaternion(0.8, -0.1, 0.3, 0.5);
        Mat3 ab = a * b;
        var v = new Vec3(0.3, -1.2, 2.5);
        Vec3 direct = ab * v, twoStep = a * (b * v);
        Assert.Equal(direct.X, twoStep.X, 12); Assert.Equal(direct.Y, twoStep.Y, 12); Assert.Equal(direct.Z, twoStep.Z, 12);
        Assert.Equal(1, ab.Determinant, 12);
        Assert.True((a.Transposed() * a).RotationError() < 1e-12);
        var scaled = new Mat3(2, 0, 0, 0, 1, 0, 0, 0, 1);
        Assert.True(scaled.RotationError() > 0.5);
    }

    [Fact]
    public void Zero_quaternion_is_refused()
    {
        Assert.Throws<ArgumentException>(() => Mat3.FromQuaternion(0, 0, 0, 0));
        Assert.Throws<ArgumentException>(() => Mat3.FromQuaternion(double.NaN, 0, 0, 1));
    }
}
