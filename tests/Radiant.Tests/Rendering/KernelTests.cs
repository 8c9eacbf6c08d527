using System.Runtime.Intrinsics;
using Radiant.Rendering;

namespace Radiant.Tests.Rendering;

public class KernelTests
{
    [Fact]
    public void Simd_exp_is_accurate_to_a_few_ulp()
    {
        double worst = 0;
        for (int k = 0; k <= 200000; k++)
        {
            float x = -80f + 80f * k / 200000f;
            float got = SimdExp.Exp(Vector256.Create(x)).GetElement(3);
            double expected = Math.Exp(x);
            worst = Math.Max(worst, Math.Abs(got - expected) / expected);
        }
        Assert.True(worst < 5e-7, $"relative error {worst:g3}");
    }

    [Fact]
    public void Depth_sort_is_stable_and_ascending()
    {
        var rng = new Random(1);
        var splats = new ProjectedSplat[5000];
        for (int i = 0; i < splats.Length; i++) splats[i].Depth = i % 7 == 0 ? 3.5f : TestScenes.Uniform(rng, 0.2, 1000);
        int[] ids = Enumerable.Range(0, splats.Length).Where(i => i % 3 != 1).ToArray();
        var sort = new DepthSort();
        sort.Sort(ids, splats);
        int[] expected = ids.OrderBy(i => splats[i].Depth).ToArray();
        Assert.Equal(expected, sort.Sorted.Take(ids.Length).Select(DepthSort.IndexOf).ToArray());
    }

    [Fact]
    public void Tile_lists_hold_each_Gaussian_in_every_tile_its_box_touches_in_depth_order()
    {
        var rng = new Random(2);
        const int width = 100, height = 70;
        var splats = new ProjectedSplat[400];
        for (int i = 0; i < splats.Length; i++)
        {
            splats[i] = RasterizeTests.MakeSplat(TestScenes.Uniform(rng, -30, 130), TestScenes.Uniform(rng, -30, 100),
                TestScenes.Uniform(rng, 1, 200), 0, TestScenes.Uniform(rng, 1, 200), TestScenes.Uniform(rng, 0.001, 1), 1, 1, 1, TestScenes.Uniform(rng, 1, 9));
        }
        for (int i = 0; i < splats.Length; i++) splats[i].ComputeSupport(width, height);
        int[] order = Enumerable.Range(0, splats.Length).OrderBy(i => splats[i].Depth).ToArray();
        var binning = new TileBinning(KernelPool.Shared);
        binning.PrepareRects(order, splats);
        ulong[] entries = order.Select(i => (ulong)(uint)i).ToArray();
        binning.Build(entries, entries.Length, new ulong[entries.Length], width, height);
        Assert.Equal(7, binning.TilesX);
        Assert.Equal(5, binning.TilesY);
        for (int ty = 0; ty < binning.TilesY; ty++)
        {
            for (int tx = 0; tx < binning.TilesX; tx++)
            {
                int t = ty * binning.TilesX + tx;
                int[] got = binning.List.AsSpan(binning.TileStart[t], binning.TileStart[t + 1] - binning.TileStart[t]).ToArray();
                int[] expected = order.Where(i => splats[i].HasSupport
                    && splats[i].XMin / 16 <= tx && tx <= splats[i].XMax / 16 && splats[i].YMin / 16 <= ty && ty <= splats[i].YMax / 16).ToArray();
                Assert.Equal(expected, got);
            }
        }
    }

    [Fact]
    public void Extent_box_covers_every_pixel_above_the_alpha_threshold()
    {
        var rng = new Random(5);
        for (int trial = 0; trial < 200; trial++)
        {
            double s1 = TestScenes.Uniform(rng, 0.3, 300), s2 = TestScenes.Uniform(rng, 0.3, 300), rho = TestScenes.Uniform(rng, -0.99, 0.99);
            ProjectedSplat s = RasterizeTests.MakeSplat(TestScenes.Uniform(rng, 0, 60), TestScenes.Uniform(rng, 0, 60), s1, rho * Math.Sqrt(s1 * s2), s2,
                TestScenes.Uniform(rng, 0.001, 1), 1, 1, 1, 1);
            s.ComputeSupport(60, 60);
            bool any = s.HasSupport;
            int x0 = s.XMin, x1 = s.XMax, y0 = s.YMin, y1 = s.YMax;
            for (int py = 0; py < 60; py++)
            {
                for (int px = 0; px < 60; px++)
                {
                    double dx = px + 0.5 - s.X, dy = py + 0.5 - s.Y;
                    double alpha = s.Opacity * Math.Exp(-0.5 * (s.ConicA * dx * dx + s.ConicC * dy * dy) - s.ConicB * dx * dy);
                    if (alpha < 1.0 / 255 * 0.9999) continue;
                    Assert.True(any && px >= x0 && px <= x1 && py >= y0 && py <= y1, $"trial {trial}: pixel ({px},{py}) alpha {alpha} outside the box");
                }
            }
        }
    }

    [Fact]
    public void Gradient_checker_rejects_zeroed_wrong_or_trivial_gradients()
    {
        double[] numeric = [0.8, -0.3, 0.05, 1.2];
        GradientAssert.Close("right", [0.801f, -0.3f, 0.0502f, 1.199f], numeric, 1e-2);
        Assert.ThrowsAny<Exception>(() => GradientAssert.Close("zeroed", new float[4], numeric, 1e-2));
        Assert.ThrowsAny<Exception>(() => GradientAssert.Close("one zeroed", [0.8f, -0.3f, 0.05f, 0f], numeric, 1e-2));
        Assert.ThrowsAny<Exception>(() => GradientAssert.Close("sign", [0.8f, 0.3f, 0.05f, 1.2f], numeric, 1e-2));
        Assert.ThrowsAny<Exception>(() => GradientAssert.Close("trivial", new float[4], new double[4], 1e-2));
    }

    [Fact]
    public void Projected_splat_stays_compact()
    {
        Assert.Equal(52, System.Runtime.CompilerServices.Unsafe.SizeOf<ProjectedSplat>());
        Assert.Equal(36, System.Runtime.CompilerServices.Unsafe.SizeOf<SplatGradient>());
    }
}
