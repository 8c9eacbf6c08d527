using Radiant.Mathematics;
using Radiant.Model;
using Radiant.Rendering;
using Radiant.Tests.Rendering;
using Radiant.Training;

namespace Radiant.Tests.Training;

public class PoseCorrectionTests
{
    [Fact]
    public void Exp_turns_by_the_vectors_angle_about_it_and_the_left_Jacobian_relates_nearby_exponentials()
    {
        var axis = new Vec3(0.3, -0.5, 0.8).Normalized();
        foreach (double angle in new[] { 1e-6, 3e-5, 0.2, 1.3, 3.0 })
        {
            Vec3 omega = axis * angle;
            Mat3 r = RotationVector.Exp(omega);
            // The same rotation from its quaternion (cos θ/2, sin θ/2 · axis).
            Mat3 expected = Mat3.FromQuaternion(Math.Cos(angle / 2), Math.Sin(angle / 2) * axis.X, Math.Sin(angle / 2) * axis.Y, Math.Sin(angle / 2) * axis.Z);
            for (int i = 0; i < 3; i++)
                for (int j = 0; j < 3; j++)
                    Assert.True(Math.Abs(r[i, j] - expected[i, j]) < 1e-14, $"Exp at θ = {angle}: [{i},{j}] {r[i, j]} vs {expected[i, j]}");

            // Exp(ω + δ) = Exp(J(ω)δ)·Exp(ω) + O(|δ|²); without J the error is first order for a large angle.
            var delta = new Vec3(2e-5, -1e-5, 3e-5);
            Mat3 exact = RotationVector.Exp(omega + delta);
            double withJ = Distance(RotationVector.Exp(RotationVector.LeftJacobian(omega) * delta) * r, exact);
            Assert.True(withJ < 1e-9, $"θ = {angle}: left Jacobian error {withJ:g3}");
            if (angle > 1) Assert.True(Distance(RotationVector.Exp(delta) * r, exact) > 1e-6);
        }
    }

    [Fact]
    public void Position_sums_are_the_cross_and_plain_sums_over_the_range()
    {
        const int count = 5003;   // a partial batch of 8 at the end
        var rng = new Random(7);
        float[] means = Enumerable.Range(0, 3 * count).Select(_ => (float)(rng.NextDouble() * 4 - 2)).ToArray();
        float[] grads = Enumerable.Range(0, 3 * count).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray();
        Vec3 s1 = Vec3.Zero, s2 = Vec3.Zero;
        for (int i = 0; i < count; i++)
        {
            var x = new Vec3(means[3 * i], means[3 * i + 1], means[3 * i + 2]);
            var g = new Vec3(grads[3 * i], grads[3 * i + 1], grads[3 * i + 2]);
            s1 += x.Cross(g);
            s2 += g;
        }
        var (a1, a2) = PoseCorrection.PositionSums(means, grads, 0, count);
        Assert.True((a1 - s1).Length < 1e-3 && (a2 - s2).Length < 1e-3, $"S1 {a1} vs {s1}, S2 {a2} vs {s2}");
        // Only the first count Gaussians: one more with a large gradient changes nothing.
        float[] longer = [.. grads, 100, 100, 100];
        float[] longerMeans = [.. means, 1, 1, 1];
        var (b1, b2) = PoseCorrection.PositionSums(longerMeans, longer, 0, count);
        Assert.Equal(a1, b1);
        Assert.Equal(a2, b2);
    }

    [Fact]
    public void Pose_gradients_match_finite_differences_through_the_renderer()
    {
        (GaussianSet g, RenderCamera camera) = TestScenes.SmoothScene(20, seed: 4);
        var options = new RenderOptions { Background = [0.2f, 0.3f, 0.4f], ShDegree = 3 };
        var rng = new Random(11);
        float[] weights = Enumerable.Range(0, 3 * camera.Width * camera.Height).Select(_ => (float)(rng.NextDouble() - 0.3)).ToArray();
        var poses = new PoseCorrection([camera], translationScale: 2.0);
        // A correction away from zero, so that the left Jacobian and the rotated translation matter.
        float[] start = [0.05f, -0.03f, 0.04f, 0.01f, -0.02f, 0.015f];
        start.CopyTo(poses.Values, 0);
        var renderer = new Renderer();

        RenderResult first = renderer.Render(g, poses.Camera(0), options);
        Assert.Equal(20, first.VisibleCount);
        var grads = new GaussianGradients(g);
        renderer.Backward(weights, [], grads);
        poses.Backward(0, g, grads);
        float[] analytic = poses.Gradient.ToArray().Select(v => (float)v).ToArray();

        var numeric = new double[PoseCorrection.Floats];
        const float h = 1f / 512;
        for (int k = 0; k < numeric.Length; k++)
        {
            double At(float offset)
            {
                poses.Values[k] = start[k] + offset;
                float[] color = renderer.Render(g, poses.Camera(0), options).Color.Data;
                double loss = 0;
                for (int p = 0; p < weights.Length; p++) loss += (double)weights[p] * color[p];
                return loss;
            }
            // Fourth-order central differences.
            numeric[k] = (-At(2 * h) + 8 * At(h) - 8 * At(-h) + At(-2 * h)) / (12.0 * h);
            poses.Values[k] = start[k];
        }
        GradientAssert.Close("dL/d(ω, τ)", analytic, numeric, 2e-2, minScale: 1e-2, floor: 0.05);
    }

    [Fact]
    public void The_gradient_over_many_blocks_on_the_kernel_pool_is_the_sums_formula_in_double()
    {
        // 10,000 Gaussians (three blocks of 4,096 on the kernel workers) with random gradients; the
        // reference is the class summary's formula, one Gaussian at a time in double.
        const int count = 10_000;
        var rng = new Random(5);
        var g = new GaussianSet(count, 3);
        foreach (var (_, values, _) in g.Parameters()) for (int i = 0; i < values.Length; i++) values[i] = (float)(rng.NextDouble() * 2 - 1);
        var grads = new GaussianGradients(g);
        foreach (float[] a in new[] { grads.Means, grads.Rotations, grads.ShColourGrad })
            for (int i = 0; i < a.Length; i++) a[i] = (float)(rng.NextDouble() - 0.5);
        RenderCamera camera = TestScenes.LookAt(64, 48, 50, (0.5, -0.4, -4.0));
        var poses = new PoseCorrection([camera], translationScale: 3.0);
        float[] start = [0.02f, -0.01f, 0.03f, 0.01f, 0.02f, -0.01f];
        start.CopyTo(poses.Values, 0);
        var (omega, _) = poses.Correction(0);
        var (r, t) = poses.Pose(0);
        Vec3 centre = -(r.Transposed() * t);
        // A backward pass would have recorded its camera (the SH directions' origin).
        grads.SetShView((float)centre.X, (float)centre.Y, (float)centre.Z, 3);
        poses.Backward(0, g, grads);

        Vec3 turn = Vec3.Zero, sum = Vec3.Zero;
        for (int j = 0; j < count; j++)
        {
            var x = new Vec3(g.Means[3 * j], g.Means[3 * j + 1], g.Means[3 * j + 2]);
            var gj = new Vec3(grads.Means[3 * j], grads.Means[3 * j + 1], grads.Means[3 * j + 2]);
            var (vx, vy, vz) = ((float)(x.X - (float)centre.X), (float)(x.Y - (float)centre.Y), (float)(x.Z - (float)centre.Z));
            SphericalHarmonics.Backward(g.Sh.AsSpan(j * 48, 48), 3, vx, vy, vz,
                grads.ShColourGrad[3 * j], grads.ShColourGrad[3 * j + 1], grads.ShColourGrad[3 * j + 2], 0, out _, out float dx, out float dy, out float dz);
            var d = new Vec3(dx, dy, dz);
            double w = g.Rotations[4 * j];
            var u = new Vec3(g.Rotations[4 * j + 1], g.Rotations[4 * j + 2], g.Rotations[4 * j + 3]);
            double gw = grads.Rotations[4 * j];
            var gu = new Vec3(grads.Rotations[4 * j + 1], grads.Rotations[4 * j + 2], grads.Rotations[4 * j + 3]);
            turn += (x - centre).Cross(gj - d) + (gu * w - u * gw + u.Cross(gu)) * 0.5;
            sum += gj;
        }
        Vec3 dOmega = RotationVector.LeftJacobian(omega).Transposed() * (r * turn);
        var (r0, _) = new PoseCorrection([camera], 3.0).Pose(0);
        Vec3 dTau = r0 * sum * 3.0;
        double[] expected = [dOmega.X, dOmega.Y, dOmega.Z, dTau.X, dTau.Y, dTau.Z];
        double scale = expected.Max(Math.Abs);
        for (int k = 0; k < 6; k++)
            Assert.True(Math.Abs(poses.Gradient[k] - expected[k]) < 2e-3 * scale, $"element {k}: {poses.Gradient[k]} vs {expected[k]} (scale {scale})");
    }

    [Fact]
    public void A_step_moves_the_trained_view_against_its_gradient_and_the_camera_follows()
    {
        (GaussianSet g, RenderCamera camera) = TestScenes.SmoothScene(20, seed: 4);
        var second = camera with { WorldToCamera = (float[])camera.WorldToCamera.Clone() };
        var poses = new PoseCorrection([camera, second], translationScale: 1.0);
        var renderer = new Renderer();
        var rng = new Random(3);
        float[] weights = Enumerable.Range(0, 3 * camera.Width * camera.Height).Select(_ => (float)(rng.NextDouble() - 0.3)).ToArray();
        renderer.Render(g, poses.Camera(1), new RenderOptions());
        var grads = new GaussianGradients(g);
        renderer.Backward(weights, [], grads);
        poses.Backward(1, g, grads);
        double[] gradient = poses.Gradient.ToArray();

        poses.Step(1, 1e-3);
        for (int k = 0; k < PoseCorrection.Floats; k++)
        {
            // Adam's first step moves each value by the learning rate against the sign of its gradient.
            // The two cameras share a centre, so no common turn or scale can be told: the turn stays
            // view 1's own; the translation is split, its common half taken out of both views.
            float own = poses.Values[PoseCorrection.Floats + k], other = poses.Values[k];
            if (k < 3)
            {
                Assert.Equal(0f, other);
                Assert.Equal(-Math.Sign(gradient[k]) * 1e-3, own, 1e-6);
            }
            else
            {
                Assert.Equal(-Math.Sign(gradient[k]) * 1e-3, own - other, 1e-6);
                Assert.Equal(0, own + other, 1e-7);
            }
        }
        Assert.Equal([0, 1], poses.Steps);
        // The corrected camera is rebuilt in place from the values; the dataset's camera is left alone.
        RenderCamera corrected = poses.Camera(1);
        Assert.Same(corrected, poses.Camera(1));
        Assert.NotEqual(camera.WorldToCamera, corrected.WorldToCamera);
        Assert.Equal(camera.WorldToCamera, second.WorldToCamera);
        Assert.NotSame(camera.WorldToCamera, poses.Camera(0).WorldToCamera);
    }

    [Fact]
    public void A_motion_common_to_all_cameras_is_taken_out_and_a_single_cameras_own_is_kept()
    {
        // Eight cameras on a ring looking at the origin, as in an orbit capture.
        var cameras = new List<RenderCamera>();
        for (int i = 0; i < 8; i++)
        {
            double a = 2 * Math.PI * i / 8;
            cameras.Add(TestScenes.LookAt(32, 24, 30, (4 * Math.Cos(a), 4 * Math.Sin(a), 1.0 + 0.3 * (i % 2))));
        }
        var poses = new PoseCorrection(cameras, translationScale: 2.0);
        // Every camera moved as if the world were shifted, scaled about the centroid and turned (small amounts).
        var shift = new Vec3(0.01, -0.02, 0.005);
        var turn = new Vec3(0.004, 0.002, -0.003);
        const double grow = 0.003;
        Vec3 centroid = cameras.Select(Centre).Aggregate(Vec3.Zero, (s, c) => s + c) / cameras.Count;
        for (int i = 0; i < cameras.Count; i++)
        {
            Mat3 r0 = Rotation(cameras[i]);
            Vec3 p = Centre(cameras[i]) - centroid;
            Vec3 delta = shift + p * grow + turn.Cross(p);
            Set(poses, i, -(r0 * turn), -(r0 * delta) / 2.0);
        }
        // A step with no gradient moves nothing itself; the common motion is taken out.
        poses.Step(0, 1e-3);
        Assert.All(poses.Values, v => Assert.True(Math.Abs(v) < 2e-5, $"{v} left of the common motion"));

        // One camera's own correction on top stays (minus its small share of a common part).
        var own = (Omega: new Vec3(0.01, 0, 0), Tau: new Vec3(0, 0.02, 0));
        Set(poses, 3, own.Omega, own.Tau);
        poses.Step(0, 1e-3);
        var (omega, tau) = poses.Correction(3);
        Assert.True((omega - own.Omega).Length < 0.25 * own.Omega.Length, $"ω {omega}");
        Assert.True((tau - own.Tau).Length < 0.3 * own.Tau.Length, $"τ {tau}");
    }

    private static void Set(PoseCorrection poses, int view, Vec3 omega, Vec3 tau)
    {
        float[] v = [(float)omega.X, (float)omega.Y, (float)omega.Z, (float)tau.X, (float)tau.Y, (float)tau.Z];
        v.CopyTo(poses.Values, view * PoseCorrection.Floats);
    }

    private static Mat3 Rotation(RenderCamera c)
    {
        float[] m = c.WorldToCamera;
        return new Mat3(m[0], m[1], m[2], m[4], m[5], m[6], m[8], m[9], m[10]);
    }

    private static Vec3 Centre(RenderCamera c)
    {
        var (x, y, z) = c.Position;
        return new Vec3(x, y, z);
    }

    private static double Distance(Mat3 a, Mat3 b)
    {
        double worst = 0;
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++) worst = Math.Max(worst, Math.Abs(a[i, j] - b[i, j]));
        return worst;
    }
}
