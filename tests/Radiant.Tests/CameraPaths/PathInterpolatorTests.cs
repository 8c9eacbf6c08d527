using Radiant.CameraPaths;
using Radiant.Mathematics;

namespace Radiant.Tests.CameraPaths;

public class PathInterpolatorTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Path_passes_through_every_keyframe(bool timed)
    {
        List<Keyframe> keys = PathTestPoses.Irregular(timed);
        var path = new PathInterpolator(keys);
        for (int i = 0; i < keys.Count; i++)
        {
            CameraPose p = path.Evaluate(path.Times[i]);
            Assert.True((p.Position - keys[i].Pose.Position).Length < 1e-9, $"keyframe {i} position off by {(p.Position - keys[i].Pose.Position).Length}");
            Assert.True(Quaternion.AngleBetween(p.Orientation, keys[i].Pose.Orientation) < 1e-6, $"keyframe {i} orientation");
            Assert.Equal(keys[i].Pose.FovYDegrees, p.FovYDegrees, 9);
            if (timed) Assert.Equal(keys[i].Time!.Value, path.Times[i]);
        }
        // As many frames as keyframes: the keyframes themselves.
        IReadOnlyList<CameraPose> frames = path.Sample(keys.Count);
        for (int i = 0; i < keys.Count; i++) Assert.True((frames[i].Position - keys[i].Pose.Position).Length < 1e-9);
    }

    /// <summary>
    /// C¹ in time: the one-sided finite-difference velocities just before and just after each inner
    /// keyframe agree, for positions and for orientations (as quaternion derivatives). A piecewise
    /// linear path (or per-segment slerp) fails this by the full change of direction at each keyframe.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Path_is_C1_at_the_keyframes(bool timed)
    {
        List<Keyframe> keys = PathTestPoses.Irregular(timed);
        var path = new PathInterpolator(keys);
        const double h = 1e-6;
        for (int i = 1; i < keys.Count - 1; i++)
        {
            double t = path.Times[i];
            Vec3 before = (path.Evaluate(t).Position - path.Evaluate(t - h).Position) / h;
            Vec3 after = (path.Evaluate(t + h).Position - path.Evaluate(t).Position) / h;
            // One-sided differences carry O(h·|x''|) error: 1e-6 · a few units.
            Assert.True((before - after).Length < 1e-4 * Math.Max(1, before.Length), $"keyframe {i}: velocity jumps from {before} to {after}");

            Quaternion q0 = path.Evaluate(t - h).Orientation, q1 = path.Evaluate(t).Orientation, q2 = path.Evaluate(t + h).Orientation;
            if (q0.Dot(q1) < 0) q0 = -q0;
            if (q2.Dot(q1) < 0) q2 = -q2;
            Quaternion wBefore = (q1 + (-q0)) * (1 / h), wAfter = (q2 + (-q1)) * (1 / h);
            Assert.True((wBefore + (-wAfter)).Norm < 1e-4 * Math.Max(1, wBefore.Norm), $"keyframe {i}: angular velocity jumps");
        }
        // The check can fail: a polyline through the same keyframes (velocity constant per segment) jumps by far more.
        for (int i = 1; i < keys.Count - 1; i++)
        {
            Vec3 vIn = (keys[i].Pose.Position - keys[i - 1].Pose.Position) / (path.Times[i] - path.Times[i - 1]);
            Vec3 vOut = (keys[i + 1].Pose.Position - keys[i].Pose.Position) / (path.Times[i + 1] - path.Times[i]);
            Assert.True((vIn - vOut).Length > 0.1 * vIn.Length);
        }
    }

    [Fact]
    public void Orientations_stay_unit_quaternions_along_the_path()
    {
        var path = new PathInterpolator(PathTestPoses.Irregular(timed: false));
        foreach (CameraPose p in path.Sample(97)) Assert.Equal(1, p.Orientation.Norm, 10);
    }

    [Fact]
    public void Two_keyframes_give_a_straight_line_at_constant_speed()
    {
        var up = new Vec3(0, 0, 1);
        var path = new PathInterpolator([
            new Keyframe(CameraPose.LookAt(new Vec3(0, 0, 0), new Vec3(1, 0, 0), up, 40)),
            new Keyframe(CameraPose.LookAt(new Vec3(2, 4, 6), new Vec3(3, 4, 6), up, 60))]);
        IReadOnlyList<CameraPose> frames = path.Sample(5);
        for (int i = 0; i < 5; i++)
        {
            Assert.True((frames[i].Position - new Vec3(2, 4, 6) * (i / 4.0)).Length < 1e-9);
            Assert.Equal(40 + 20 * i / 4.0, frames[i].FovYDegrees, 9);
        }
    }

    [Fact]
    public void Bad_keyframe_sets_are_refused()
    {
        var up = new Vec3(0, 0, 1);
        Keyframe k(double x, double? t) => new(CameraPose.LookAt(new Vec3(x, 0, 0), new Vec3(x, 1, 0), up, 40), t);
        Assert.Contains("at least 2", Assert.Throws<ArgumentException>(() => new PathInterpolator([k(0, null)])).Message);
        Assert.Contains("all of them or to none", Assert.Throws<ArgumentException>(() => new PathInterpolator([k(0, 0), k(1, null)])).Message);
        Assert.Contains("must increase", Assert.Throws<ArgumentException>(() => new PathInterpolator([k(0, 1), k(1, 1)])).Message);
    }
}
