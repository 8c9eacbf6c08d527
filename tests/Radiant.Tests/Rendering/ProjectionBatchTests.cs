using Radiant.Model;
using Radiant.Rendering;

namespace Radiant.Tests.Rendering;

/// <summary>
/// The projection kernels process 8 Gaussians per call, one per SIMD lane, and the per-Gaussian
/// API is the same kernel with one lane. A Gaussian's result must not depend on its lane, its
/// neighbours or the batch length (the tail of a batch is padded): the batched results over a set
/// whose size is not a multiple of 8 are compared, bit for bit, across batchings that put every
/// Gaussian in different lanes, and against the one-lane calls. (The formulas themselves are
/// checked against finite differences in ProjectionTests and the whole-pipeline tests.)
/// </summary>
public class ProjectionBatchTests
{
    private static readonly RenderCamera Camera = TestScenes.LookAt(64, 48, 60, (1.0, -0.8, -4.5));
    private const int N = 37;

    public static TheoryData<int, bool, bool> Cases()
    {
        var data = new TheoryData<int, bool, bool>();
        for (int degree = 0; degree <= 3; degree++)
            foreach (bool mip in new[] { false, true })
                foreach (bool smoothing in new[] { false, true })
                    data.Add(degree, mip, smoothing);
        return data;
    }

    /// <summary>
    /// N Gaussians: most in view, some behind the near plane, some off-screen, one with a zero
    /// quaternion, SH large enough that some channels clamp at 0; every third without a smoothing
    /// variance when the filter is set.
    /// </summary>
    private static GaussianSet Scene(int degree, bool smoothing)
    {
        var rng = new Random(100 + 10 * degree + (smoothing ? 1 : 0));
        var g = new GaussianSet(N, degree);
        for (int i = 0; i < N; i++)
        {
            double tz = i % 9 == 4 ? TestScenes.Uniform(rng, -1.0, 0.15) : TestScenes.Uniform(rng, 1.0, 6.0);   // behind the near plane 0.2
            double tx = i % 7 == 5 ? TestScenes.Uniform(rng, 3.0, 5.0) * tz : TestScenes.Uniform(rng, -0.5, 0.5) * tz;   // off-screen
            double ty = TestScenes.Uniform(rng, -0.4, 0.4) * tz;
            (g.Means[3 * i], g.Means[3 * i + 1], g.Means[3 * i + 2]) = TestScenes.WorldFromView(Camera, tx, ty, tz);
            TestScenes.Randomise(g, i, rng, Math.Log(0.01), Math.Log(0.3), 0.1, 0.9, 1.0);
        }
        g.Rotations.AsSpan(4 * 10, 4).Clear();
        if (smoothing)
        {
            g.SmoothingVariance = new float[N];
            for (int i = 0; i < N; i++) g.SmoothingVariance[i] = i % 3 == 0 ? 0 : TestScenes.Uniform(rng, 1e-4, 5e-3);
        }
        return g;
    }

    private static ProjectionSettings Settings(int degree, bool mip) =>
        mip ? new ProjectionSettings(0.2f, RenderOptions.MipFilterVariance, degree, MipFilter: true) : new ProjectionSettings(0.2f, 0.3f, degree);

    /// <summary>Forward of all N in batches: a first batch of <paramref name="lead"/> Gaussians, then batches of 8 (the last one short).</summary>
    private static (ProjectedSplat[] Splats, byte[] Clamp, int[] Radii) ForwardBatched(GaussianSet g, ProjectionSettings settings, int lead)
    {
        var cam = new ProjectionCamera(Camera);
        var splats = new ProjectedSplat[N + 8];
        var clamp = new byte[N + 8];
        var radii = new int[N + 8];
        radii.AsSpan(N).Fill(-7);   // sentinels: nothing may be written past the batch
        for (int first = 0; first < N;)
        {
            int count = Math.Min(first == 0 && lead > 0 ? lead : 8, N - first);
            Projection.Forward(g, first, count, cam, settings, splats.AsSpan(first, 8), clamp.AsSpan(first, 8), radii.AsSpan(first, 8));
            first += count;
        }
        Assert.All(radii[N..], r => Assert.Equal(-7, r));
        return (splats[..N], clamp[..N], radii[..N]);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Forward_does_not_depend_on_lane_or_batch(int degree, bool mip, bool smoothing)
    {
        GaussianSet g = Scene(degree, smoothing);
        ProjectionSettings settings = Settings(degree, mip);
        var cam = new ProjectionCamera(Camera);
        var (splats, clamp, radii) = ForwardBatched(g, settings, 0);

        int culledNear = 0, culledOffScreen = 0, visible = 0, clamped = 0;
        for (int i = 0; i < N; i++)
        {
            int radius = Projection.Forward(g, i, cam, settings, out ProjectedSplat one, out byte oneClamp);
            Assert.Equal(radius, radii[i]);
            Assert.Equal(one, splats[i]);
            Assert.Equal(oneClamp, clamp[i]);
            if (radius > 0) { visible++; if (clamp[i] != 0) clamped++; }
            else if (i % 9 == 4) culledNear++;
            else culledOffScreen++;
            if (radius == 0) Assert.Equal(default, splats[i]);
        }
        Assert.True(visible >= 25 && culledNear >= 3 && culledOffScreen >= 3, $"visible {visible}, near {culledNear}, off-screen {culledOffScreen}");
        if (degree > 0) Assert.True(clamped > 0, "some visible Gaussian should have a clamped channel");
        Assert.True(radii[10] > 0, "the zero-quaternion Gaussian should be visible");

        for (int lead = 1; lead < 8; lead++)
        {
            var (s2, c2, r2) = ForwardBatched(g, settings, lead);
            Assert.Equal(splats, s2);
            Assert.Equal(clamp, c2);
            Assert.Equal(radii, r2);
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Backward_does_not_depend_on_lane_or_batch(int degree, bool mip, bool smoothing)
    {
        GaussianSet g = Scene(degree, smoothing);
        ProjectionSettings settings = Settings(degree, mip);
        var cam = new ProjectionCamera(Camera);
        var (_, clamp, radii) = ForwardBatched(g, settings, 0);
        int[] visible = Enumerable.Range(0, N).Where(i => radii[i] > 0).ToArray();   // ascending, not contiguous
        var rng = new Random(7);
        var d = new SplatGradient[N];
        var dDepth = new float[N];
        foreach (int i in visible)
        {
            d[i] = new SplatGradient
            {
                X = TestScenes.Uniform(rng, -1, 1), Y = TestScenes.Uniform(rng, -1, 1),
                ConicA = TestScenes.Uniform(rng, -1, 1), ConicB = TestScenes.Uniform(rng, -1, 1), ConicC = TestScenes.Uniform(rng, -1, 1),
                Opacity = TestScenes.Uniform(rng, -1, 1),
                R = TestScenes.Uniform(rng, -1, 1), G = TestScenes.Uniform(rng, -1, 1), B = TestScenes.Uniform(rng, -1, 1),
            };
            dDepth[i] = TestScenes.Uniform(rng, -1, 1);
        }

        var one = new GaussianGradients(g);
        foreach (int i in visible) Projection.Backward(g, i, cam, settings, d[i], dDepth[i], clamp[i], one);

        for (int lead = 0; lead < 8; lead++)
        {
            var batched = new GaussianGradients(g);
            var ids = new int[8];
            var dBatch = new SplatGradient[8];
            var depthBatch = new float[8];
            var clampBatch = new byte[8];
            for (int first = 0; first < visible.Length;)
            {
                int count = Math.Min(first == 0 && lead > 0 ? lead : 8, visible.Length - first);
                for (int k = 0; k < count; k++)
                {
                    int i = visible[first + k];
                    ids[k] = i; dBatch[k] = d[i]; depthBatch[k] = dDepth[i]; clampBatch[k] = clamp[i];
                }
                Projection.Backward(g, ids.AsSpan(0, count), cam, settings, dBatch.AsSpan(0, count), depthBatch.AsSpan(0, count),
                                    clampBatch.AsSpan(0, count), batched);
                first += count;
            }
            Assert.Equal(one.ShCamera, batched.ShCamera);
            Assert.Equal(one.ActiveShDegree, batched.ActiveShDegree);
            foreach (var ((name, expected, _), (_, actual, _)) in one.Parameters(g).Zip(batched.Parameters(g)))
                Assert.True(expected.AsSpan().SequenceEqual(actual), $"lead {lead}: {name} differs");
            Assert.Equal(one.MeanScreenGrad, batched.MeanScreenGrad);
            Assert.Equal(one.ShColourGrad, batched.ShColourGrad);
        }

        // Only the visible Gaussians received gradients, and they did.
        for (int i = 0; i < N; i++)
            Assert.Equal(radii[i] > 0, one.Means[3 * i] != 0 || one.Means[3 * i + 1] != 0 || one.Means[3 * i + 2] != 0);
    }
}
