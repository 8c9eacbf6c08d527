using Radiant.Evaluation;
using Radiant.Imaging;
using Radiant.Mathematics;
using Radiant.Model;
using Radiant.Rendering;
using Xunit.Abstractions;

namespace Radiant.Tests.Evaluation;

public class TestPoseAlignmentTests(ITestOutputHelper output)
{
    private static readonly RenderOptions Black = new() { Background = [0, 0, 0], ShDegree = 0 };

    [Fact]
    public void A_test_camera_off_by_half_a_degree_is_aligned_until_the_scene_lands_where_its_photo_has_it()
    {
        // Small blobs (about 0.03 units) through the whole ball: fine detail at every depth, so that a
        // turn is not made up for by a move.
        GaussianSet g = MultiscaleEvaluatorTests.Blobs(20000, 4, logScale: -3.5);
        RenderCamera truth = RenderCamera.From(MultiscaleEvaluatorTests.BlenderCamera(128, 96));
        var renderer = new Renderer();
        Image photo = renderer.Render(g, truth, Black).Color.Clone();
        // Turned by 0.5° about a slanted axis and moved by 0.02 units (the camera is 3 units from the blobs).
        RenderCamera off = Moved(truth, new Vec3(0.6, -0.5, 0.3).Normalized() * (0.5 * Math.PI / 180), new Vec3(-0.012, -0.01, 0.012));
        float[] offMatrix = (float[])off.WorldToCamera.Clone();
        double before = ImageMetrics.Evaluate(renderer.Render(g, off, Black).Color, photo).Psnr;

        AlignedPose aligned = new TestPoseAlignment(translationScale: 3).Align(renderer, g, off, photo, Black);
        double after = ImageMetrics.Evaluate(renderer.Render(g, aligned.Camera, Black).Color, photo).Psnr;
        double offBy = MeanShift(g, off, truth), leftBy = MeanShift(g, aligned.Camera, truth);
        output.WriteLine($"PSNR {before:F2} -> {after:F2} dB; correction {aligned.RotationDegrees:F3}° and {aligned.Translation:F4} in {aligned.Steps} steps; " +
                         $"the blobs' centres {offBy:F2} -> {leftBy:F3} px from where the true camera puts them");

        Assert.True(before < 30, $"the moved camera scores {before:F2} dB");
        Assert.True(after > 42, $"aligned, {after:F2} dB");
        // A small turn and a small sideways move look almost alike for a narrow camera facing a compact
        // scene, so the pose need not come back exactly; the image must.
        Assert.True(offBy > 1.5, $"the move shifts the blobs by {offBy:F2} px");
        Assert.True(leftBy < 0.1, $"aligned, the blobs are {leftBy:F3} px from their true places");
        Assert.Equal(offMatrix, off.WorldToCamera);   // the given camera is not changed
    }

    [Fact]
    public void A_camera_that_fits_its_photo_exactly_keeps_its_pose()
    {
        GaussianSet g = MultiscaleEvaluatorTests.Blobs(3000, 4);
        RenderCamera truth = RenderCamera.From(MultiscaleEvaluatorTests.BlenderCamera(64, 48));
        var renderer = new Renderer();
        Image photo = renderer.Render(g, truth, Black).Color.Clone();

        // Steps from a loss of zero can only raise it: the pose of the lowest loss is the given one.
        AlignedPose aligned = new TestPoseAlignment(translationScale: 3).Align(renderer, g, truth, photo, Black);
        Assert.Equal(0, aligned.RotationDegrees);
        Assert.Equal(0, aligned.Translation);
        Assert.Equal(truth.WorldToCamera, aligned.Camera.WorldToCamera);
        // Nothing to gain: the rate drops every 10 steps, 1e-3 → 2.5e-4 → 6.25e-5 → 1.6e-5 → 3.9e-6,
        // below the final 1e-5 after 40 steps, well before the 300 at most.
        Assert.Equal(40, aligned.Steps);
        Assert.Equal(20, new TestPoseAlignment(translationScale: 3) { MaxSteps = 20 }.Align(renderer, g, truth, photo, Black).Steps);
    }

    [Fact]
    public void The_target_must_match_the_camera()
    {
        GaussianSet g = MultiscaleEvaluatorTests.Blobs(10, 4);
        RenderCamera cam = RenderCamera.From(MultiscaleEvaluatorTests.BlenderCamera(64, 48));
        var align = new TestPoseAlignment(3);
        Assert.Throws<ArgumentException>(() => align.Align(new Renderer(), g, cam, new Image(48, 64, 3), Black));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TestPoseAlignment(0));
    }

    /// <summary><paramref name="c"/> turned by the rotation vector <paramref name="omega"/> (world frame, about its centre) and its centre moved by <paramref name="move"/>.</summary>
    private static RenderCamera Moved(RenderCamera c, Vec3 omega, Vec3 move)
    {
        Mat3 r = Rotation(c) * RotationVector.Exp(omega);
        Vec3 centre = Centre(c) + move, t = -(r * centre);
        return c with
        {
            WorldToCamera =
            [
                (float)r.M00, (float)r.M01, (float)r.M02, (float)t.X,
                (float)r.M10, (float)r.M11, (float)r.M12, (float)t.Y,
                (float)r.M20, (float)r.M21, (float)r.M22, (float)t.Z,
            ],
        };
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

    /// <summary>The mean distance in pixels between the Gaussians' centres as <paramref name="a"/> and as <paramref name="b"/> project them.</summary>
    private static double MeanShift(GaussianSet g, RenderCamera a, RenderCamera b)
    {
        double sum = 0;
        for (int i = 0; i < g.Count; i++)
        {
            var x = new Vec3(g.Means[3 * i], g.Means[3 * i + 1], g.Means[3 * i + 2]);
            var (ua, va) = Project(a, x);
            var (ub, vb) = Project(b, x);
            sum += Math.Sqrt((ua - ub) * (ua - ub) + (va - vb) * (va - vb));
        }
        return sum / g.Count;
    }

    private static (double U, double V) Project(RenderCamera c, Vec3 x)
    {
        float[] m = c.WorldToCamera;
        Vec3 p = Rotation(c) * x + new Vec3(m[3], m[7], m[11]);
        return (c.Fx * p.X / p.Z + c.Cx, c.Fy * p.Y / p.Z + c.Cy);
    }
}
