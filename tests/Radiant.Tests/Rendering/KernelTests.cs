using System.Runtime.Intrinsics;
using Radiant.Rendering;

namespace Radiant.Tests.Rendering;

public class KernelTests
{
    [Fact]
    public void Simd_exp_is_accurate_to_a_few_ulp()
    {
        double worst = 0;
        for (int k = 0; k <= 400000; k++)
        {
            float x = -80f + 168f * k / 400000f;
            float got = SimdExp.Exp(Vector256.Create(x)).GetElement(3);
            double expected = Math.Exp(x);
            worst = Math.Max(worst, Math.Abs(got - expected) / expected);
        }
        Assert.True(worst < 5e-7, $"relative error {worst:g3}");
    }

    [Fact]
    public void Simd_exp_clamps_its_range_and_keeps_nan()
    {
        Vector256<float> got = SimdExp.Exp(Vector256.Create(-1000f, -80f, 88f, 1000f, float.NaN, float.NegativeInfinity, float.PositiveInfinity, 0f));
        Assert.True(got[0] > 0 && got[0] < 2e-35f && got[0] == got[1], $"below −80: {got[0]}");
        Assert.True(got[2] > 1.6e38f && float.IsFinite(got[2]) && got[3] == got[2], $"above 88: {got[3]}");
        Assert.True(float.IsNaN(got[4]), $"NaN: {got[4]}");
        Assert.Equal(got[0], got[5]);
        Assert.Equal(got[2], got[6]);
        Assert.Equal(1f, got[7]);
    }

    [Fact]
    public void Simd_log_is_within_a_few_ulp_of_libm()
    {
        // Every 255·opacity the projection sees (float opacities, down to the smallest subnormal,
        // times 255), then a log-uniform sweep over the normal doubles, both sides of √2 and 1.
        var rng = new Random(9);
        var inputs = new List<double> { 255, 1, Math.Sqrt(2), Math.BitDecrement(Math.Sqrt(2)), Math.BitIncrement(Math.Sqrt(2)),
                                        Math.BitDecrement(1.0), Math.BitIncrement(1.0), 0.5, 2, double.MaxValue, 2.2250738585072014e-308,
                                        255.0 * float.Epsilon };
        for (int k = 0; k < 200000; k++) inputs.Add(255.0 * (double)BitConverter.Int32BitsToSingle(rng.Next(1, 0x3F800001)));
        for (int k = 0; k < 200000; k++) inputs.Add(Math.Pow(2, -1020 + 2040 * rng.NextDouble()));
        double worstUlps = 0;
        foreach (double x in inputs)
        {
            double got = SimdLog.Ln(Vector256.Create(x)).GetElement(2);
            double expected = Math.Log(x);
            double ulp = Math.BitIncrement(Math.Abs(expected)) - Math.Abs(expected);
            worstUlps = Math.Max(worstUlps, Math.Abs(got - expected) / ulp);
        }
        Assert.True(worstUlps <= 2, $"error {worstUlps:0.##} ulp");
        Vector256<double> special = SimdLog.Ln(Vector256.Create(0.0, double.PositiveInfinity, -1.0, double.NaN));
        Assert.Equal(double.NegativeInfinity, special[0]);
        Assert.Equal(double.PositiveInfinity, special[1]);
        Assert.True(double.IsNaN(special[2]) && double.IsNaN(special[3]), $"ln −1 = {special[2]}, ln NaN = {special[3]}");
        Assert.Equal(double.NegativeInfinity, SimdLog.Ln(Vector256.Create(-0.0))[0]);
    }

    [Fact]
    public void Pixel_lane_exp2_is_accurate_and_the_same_at_both_widths()
    {
        double worst = 0;
        for (int k = 0; k <= 200000; k++)
        {
            // [−130, 0], crossing every integer (where the split into ⌊x⌋ and f changes).
            float x = -130f * k / 200000f;
            float wide = SimdExp.Exp2<PixelLanes16, Vector512<float>>(Vector512.Create(x)).GetElement(11);
            float narrow = SimdExp.Exp2<PixelLanes8, Vector256<float>>(Vector256.Create(x)).GetElement(5);
            Assert.Equal(BitConverter.SingleToInt32Bits(wide), BitConverter.SingleToInt32Bits(narrow));
            Assert.True(float.IsNormal(narrow), $"2^{x} = {narrow} is not a normal float");
            double expected = Math.Pow(2, Math.Max(x, -126));
            worst = Math.Max(worst, Math.Abs(narrow - expected) / expected);
        }
        Assert.True(worst < 4e-6, $"relative error {worst:g3}");
        Assert.True(float.IsNaN(SimdExp.Exp2<PixelLanes8, Vector256<float>>(Vector256.Create(float.NaN)).GetElement(0)));
    }

    [Fact]
    public void Power_of_two_scaling_is_exact_with_and_without_avx512()
    {
        // vscalefps (where present) and the AVX2 form (n added to the exponent bits) against exact
        // arithmetic: p·2ⁿ for p in [1, 2) and integral n down to −126 (normal results).
        var rng = new Random(5);
        for (int k = 0; k < 20000; k++)
        {
            var n = Vector256.Create(0f);
            var p = Vector256.Create(0f);
            for (int lane = 0; lane < 8; lane++)
            {
                n = n.WithElement(lane, rng.Next(-126, 1));
                p = p.WithElement(lane, (float)(1 + rng.NextDouble()));
            }
            Vector256<float> scaled = PixelLanes8.ScaleByPowerOfTwo(p, n), portable = PixelLanes8.ScaleByPowerOfTwoPortable(p, n);
            Vector512<float> scaled16 = PixelLanes16.ScaleByPowerOfTwo(Vector512.Create(p, p), Vector512.Create(n, n));
            for (int lane = 0; lane < 8; lane++)
            {
                float expected = (float)(p[lane] * Math.Pow(2, n[lane]));
                Assert.Equal(expected, scaled[lane]);
                Assert.Equal(expected, portable[lane]);
                Assert.Equal(expected, scaled16[lane + 8]);
            }
        }
    }

    [Fact]
    public void Compositing_masks_agree_with_their_definitions_at_both_widths()
    {
        // A compositing step's T·(1 − α) for active lanes (T ≥ 1e-4, some just above it), lanes that
        // stopped before (negative T) and lanes outside the image (T = −1), with α up to 0.99:
        // Stopping must be exactly "not taken and T positive", Keep and KeepWhereGreaterInt exactly
        // the masked value or +0.
        var rng = new Random(11);
        float minT = SplatFalloff.MinTransmittance;
        int stopped = 0;
        for (int k = 0; k < 20000; k++)
        {
            var t = new float[16];
            var alpha = new float[16];
            var stop = new int[16];
            for (int lane = 0; lane < 16; lane++)
            {
                t[lane] = rng.Next(4) switch
                {
                    0 => -(minT + (float)rng.NextDouble()),
                    1 => -1f,
                    2 => minT * (1 + 0.05f * (float)rng.NextDouble()),
                    _ => minT + (float)rng.NextDouble(),
                };
                alpha[lane] = rng.Next(5) == 0 ? 0 : (float)rng.NextDouble() * SplatFalloff.MaxAlpha;
                stop[lane] = rng.Next(-2, 3);
            }
            var t16 = Vector512.Create(t);
            var alpha16 = Vector512.Create(alpha);
            Vector512<float> tNext16 = PixelLanes16.MultiplyAddNegated(alpha16, t16, t16);
            Vector512<float> take16 = PixelLanes16.GreaterThanOrEqual(tNext16, PixelLanes16.Create(minT));
            uint stopping16 = PixelLanes16.Stopping(tNext16, take16, t16);
            Vector512<float> kept16 = PixelLanes16.Keep(take16, alpha16);
            Vector512<float> keptInt16 = PixelLanes16.KeepWhereGreaterInt(Vector512.Create(stop).AsSingle(), PixelLanes16.CreateInt(0), alpha16);
            for (int half = 0; half < 2; half++)
            {
                var t8 = Vector256.Create(t.AsSpan(8 * half, 8));
                var alpha8 = Vector256.Create(alpha.AsSpan(8 * half, 8));
                Vector256<float> tNext8 = PixelLanes8.MultiplyAddNegated(alpha8, t8, t8);
                Vector256<float> take8 = PixelLanes8.GreaterThanOrEqual(tNext8, PixelLanes8.Create(minT));
                Assert.Equal((stopping16 >> (8 * half)) & 0xFF, PixelLanes8.Stopping(tNext8, take8, t8));
                Vector256<float> kept8 = PixelLanes8.Keep(take8, alpha8);
                Vector256<float> keptInt8 = PixelLanes8.KeepWhereGreaterInt(Vector256.Create(stop.AsSpan(8 * half, 8)).AsSingle(), PixelLanes8.CreateInt(0), alpha8);
                for (int lane = 0; lane < 8; lane++)
                {
                    int i = 8 * half + lane;
                    float tNext = MathF.FusedMultiplyAdd(-alpha[i], t[i], t[i]);
                    bool taken = tNext >= minT;
                    bool expectStop = !taken && t[i] > 0;
                    stopped += expectStop ? 1 : 0;
                    Assert.Equal(expectStop, ((stopping16 >> i) & 1) == 1);
                    Assert.Equal(BitConverter.SingleToInt32Bits(taken ? alpha[i] : 0f), BitConverter.SingleToInt32Bits(kept16[i]));
                    Assert.Equal(BitConverter.SingleToInt32Bits(taken ? alpha[i] : 0f), BitConverter.SingleToInt32Bits(kept8[lane]));
                    Assert.Equal(BitConverter.SingleToInt32Bits(stop[i] > 0 ? alpha[i] : 0f), BitConverter.SingleToInt32Bits(keptInt16[i]));
                    Assert.Equal(BitConverter.SingleToInt32Bits(stop[i] > 0 ? alpha[i] : 0f), BitConverter.SingleToInt32Bits(keptInt8[lane]));
                }
            }
        }
        Assert.True(stopped > 1000, $"only {stopped} stopping lanes drawn");
    }

    [Fact]
    public void Depth_sort_is_stable_and_ascending()
    {
        var rng = new Random(1);
        var splats = new ProjectedSplat[5000];
        for (int i = 0; i < splats.Length; i++) splats[i].Depth = i % 7 == 0 ? 3.5f : TestScenes.Uniform(rng, 0.2, 1000);
        int[] ids = Enumerable.Range(0, splats.Length).Where(i => i % 3 != 1).ToArray();
        var sort = new DepthSort(KernelPool.Shared);
        ulong[] buffer = new ulong[3 + 2 * ids.Length];
        sort.Sort(ids, splats, buffer, 3);
        int[] expected = ids.OrderBy(i => splats[i].Depth).ToArray();
        Assert.Equal(expected, sort.Sorted.Take(ids.Length).Select(DepthSort.IndexOf).ToArray());
    }

    [Theory]
    [InlineData(1, DepthSort.ParallelThreshold - 1, 3)]
    [InlineData(2, DepthSort.ParallelThreshold - 1, 3)]
    [InlineData(2, DepthSort.ParallelThreshold, 3)]
    [InlineData(2, DepthSort.ParallelThreshold + 7, 2)]
    [InlineData(1, 5 * DepthSort.ParallelThreshold + 3, 3)]
    [InlineData(2, 5 * DepthSort.ParallelThreshold + 3, 3)]
    [InlineData(3, 5 * DepthSort.ParallelThreshold + 3, 3)]
    [InlineData(2, 5 * DepthSort.ParallelThreshold + 3, 2)]
    [InlineData(3, 5 * DepthSort.ParallelThreshold + 3, 1)]
    [InlineData(2, 2 * DepthSort.ParallelThreshold + 1, 0)]
    public void Parallel_depth_sort_equals_a_stable_sort_by_depth_then_input_position(int workers, int count, int passes)
    {
        // Many ties: depths from 300 values spread so that the sort takes `passes` radix passes:
        // over several binades (3), within [1, 1.5) (2: 22 bits), within 2^12 ulps of 1 (1), or all
        // one value (none); ids in shuffled order so that stability is not the same as id order.
        var rng = new Random(count + workers);
        float[] values = Enumerable.Range(0, 300).Select(_ => passes switch
        {
            3 => (float)TestScenes.Uniform(rng, 0.01, 5000),
            2 => 1 + 0.5f * rng.NextSingle(),
            1 => BitConverter.UInt32BitsToSingle(BitConverter.SingleToUInt32Bits(1f) + (uint)rng.Next(1 << 12)),
            _ => 2.5f,
        }).ToArray();
        uint range = values.Max(BitConverter.SingleToUInt32Bits) - values.Min(BitConverter.SingleToUInt32Bits);
        Assert.Equal(passes, DepthSort.ChooseDigits(range).Passes);
        var splats = new ProjectedSplat[count + 100];
        for (int i = 0; i < splats.Length; i++) splats[i].Depth = values[rng.Next(values.Length)];
        int[] ids = Enumerable.Range(0, splats.Length).ToArray();
        rng.Shuffle(ids);
        ids = ids[..count];
        // Reference: Array.Sort of (depth bits, input position), unique keys.
        ulong[] reference = new ulong[count];
        for (int k = 0; k < count; k++) reference[k] = (ulong)BitConverter.SingleToUInt32Bits(splats[ids[k]].Depth) << 32 | (uint)k;
        Array.Sort(reference);
        int[] expected = reference.Select(e => ids[(int)(uint)e]).ToArray();

        var sort = new DepthSort(new KernelPool(workers));
        ulong[] buffer = new ulong[5 + 2 * count];
        sort.Sort(ids, splats, buffer, 5);
        Assert.Equal(expected, sort.Sorted.Select(DepthSort.IndexOf).ToArray());
        Assert.Equal(count, sort.Spare.Count);
        var single = new DepthSort(new KernelPool(1));
        single.Sort(ids, splats, new ulong[5 + 2 * count], 5);
        Assert.Equal(single.Sorted.Offset, sort.Sorted.Offset);
    }

    [Theory]
    [InlineData(0u, 0, 0)]
    [InlineData(1u, 1, 1)]
    [InlineData(0xFFFu, 1, 12)]
    [InlineData(0x1000u, 2, 7)]
    [InlineData(0xFFFFFFu, 2, 12)]     // 24 bits: depths 2.7 to 5.3 span 23
    [InlineData(0x1000000u, 3, 9)]
    [InlineData(0xFFFFFFFFu, 3, 11)]
    public void Depth_sort_takes_as_few_passes_of_at_most_12_bits_as_cover_the_key_range(uint range, int passes, int digitBits)
    {
        Assert.Equal((passes, digitBits), DepthSort.ChooseDigits(range));
        Assert.True(passes * digitBits >= 32 - System.Numerics.BitOperations.LeadingZeroCount(range));
    }

    [Theory]
    [InlineData(100, 70, 0.9)]    // boxes up to 7×5 tiles: packed 4×4 masks and the row-by-row path
    [InlineData(400, 250, 0.9)]   // boxes up to 25×16 tiles
    public void Tile_lists_hold_each_Gaussian_in_depth_order_in_every_tile_its_support_ellipse_reaches_and_no_tile_outside_its_box(int width, int height, double maxPairFraction)
    {
        var rng = new Random(2);
        var splats = new ProjectedSplat[400];
        for (int i = 0; i < splats.Length; i++)
        {
            // Round and strongly elongated, tilted ellipses, tiny to larger than the image.
            double s1 = Math.Exp(TestScenes.Uniform(rng, Math.Log(0.2), Math.Log(900))), s2 = Math.Exp(TestScenes.Uniform(rng, Math.Log(0.2), Math.Log(900)));
            double rho = i % 4 == 0 ? 0 : TestScenes.Uniform(rng, -0.995, 0.995);
            splats[i] = RasterizeTests.MakeSplat(TestScenes.Uniform(rng, -30, width + 30), TestScenes.Uniform(rng, -30, height + 30),
                s1, rho * Math.Sqrt(s1 * s2), s2, TestScenes.Uniform(rng, 0.001, 1), 1, 1, 1, TestScenes.Uniform(rng, 1, 9));
        }
        for (int i = 0; i < splats.Length; i++) splats[i].ComputeSupport(width, height);
        int[] order = Enumerable.Range(0, splats.Length).OrderBy(i => splats[i].Depth).ToArray();
        var binning = new TileBinning(KernelPool.Shared);
        binning.PrepareRects(order, splats, new ulong[splats.Length]);
        ulong[] entries = order.Select(i => (ulong)(uint)i).ToArray();
        binning.Build(entries, entries.Length, new ulong[entries.Length], width, height);
        Assert.Equal((width + 15) / 16, binning.TilesX);
        Assert.Equal((height + 15) / 16, binning.TilesY);
        int boxPairs = 0;
        for (int ty = 0; ty < binning.TilesY; ty++)
        {
            for (int tx = 0; tx < binning.TilesX; tx++)
            {
                int t = ty * binning.TilesX + tx;
                int[] got = binning.List.AsSpan(binning.TileStart[t], binning.TileStart[t + 1] - binning.TileStart[t]).ToArray();
                int[] inBox = order.Where(i => splats[i].HasSupport
                    && splats[i].XMin / 16 <= tx && tx <= splats[i].XMax / 16 && splats[i].YMin / 16 <= ty && ty <= splats[i].YMax / 16).ToArray();
                boxPairs += inBox.Length;
                // Front to back and within the box: the tile's list is a subsequence of the box list.
                Assert.Equal(got, inBox.Where(got.Contains).ToArray());
                // Every Gaussian with a pixel centre of this tile inside its support ellipse (q ≤ SupportQ,
                // a superset of alpha ≥ 1/255) is listed.
                foreach (int i in inBox)
                    if (!got.Contains(i))
                        Assert.False(ReachesTile(splats[i], tx, ty, width, height), $"Gaussian {i} dropped from tile ({tx},{ty})");
            }
        }
        // The ellipse test is not just the box: measured 1,473 of 1,672 box pairs (100×70), 2,867 of 3,380 (400×250).
        Assert.True(binning.IntersectionCount < maxPairFraction * boxPairs, $"{binning.IntersectionCount} of {boxPairs} box pairs");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Batched_footprints_bin_every_Gaussian_into_exactly_the_tiles_of_its_one_at_a_time_footprint(int workers)
    {
        // PrepareRects packs footprints 8 splats at a time (one per lane); the reference here walks
        // each splat alone, row by row, with a one-splat TileFootprint. Random splats (tiny to larger
        // than the image, round and thin, tilted), plus edge cases: no support (transparent or off
        // screen), exactly on tile borders, one tile wide or high, 6×6 and 7×7 tile boxes; a count
        // that is not a multiple of 8 and a visible list with gaps.
        const int width = 300, height = 220;
        var rng = new Random(17);
        var splats = new List<ProjectedSplat>();
        for (int i = 0; i < 997; i++)
        {
            double s1 = Math.Exp(TestScenes.Uniform(rng, Math.Log(0.05), Math.Log(6000))), s2 = Math.Exp(TestScenes.Uniform(rng, Math.Log(0.05), Math.Log(6000)));
            double rho = i % 5 == 0 ? 0 : TestScenes.Uniform(rng, -0.999, 0.999);
            splats.Add(RasterizeTests.MakeSplat(TestScenes.Uniform(rng, -40, width + 40), TestScenes.Uniform(rng, -40, height + 40),
                s1, rho * Math.Sqrt(s1 * s2), s2, TestScenes.Uniform(rng, 0.002, 1), 1, 1, 1, TestScenes.Uniform(rng, 1, 9)));
        }
        splats.Add(RasterizeTests.MakeSplat(50, 50, 100, 0, 100, 0.001f, 1, 1, 1, 2));     // alpha never reaches 1/255
        splats.Add(RasterizeTests.MakeSplat(-500, 50, 100, 0, 100, 0.9f, 1, 1, 1, 2));     // off screen
        splats.Add(RasterizeTests.MakeSplat(32, 48, 30, 0, 30, 0.9f, 1, 1, 1, 2));         // centred on a tile corner
        splats.Add(RasterizeTests.MakeSplat(40, 100, 1, 0, 900, 0.9f, 1, 1, 1, 2));        // one tile wide
        splats.Add(RasterizeTests.MakeSplat(100, 40, 900, 0, 1, 0.9f, 1, 1, 1, 2));        // one tile high
        splats.Add(RasterizeTests.MakeSplat(150, 110, 180, 120, 180, 0.9f, 1, 1, 1, 2));   // tilted, about 6×6 tiles
        splats.Add(RasterizeTests.MakeSplat(150, 110, 400, -300, 400, 0.9f, 1, 1, 1, 2));  // tilted, more than 6×6 tiles
        ProjectedSplat[] all = splats.ToArray();
        for (int i = 0; i < all.Length; i++) all[i].ComputeSupport(width, height);
        int[] visible = Enumerable.Range(0, all.Length).Where(i => i % 11 != 3).ToArray();
        int[] order = visible.OrderBy(i => all[i].Depth).ToArray();
        var binning = new TileBinning(new KernelPool(workers));
        binning.PrepareRects(visible, all, new ulong[all.Length]);
        ulong[] entries = order.Select(i => (ulong)(uint)i).ToArray();
        binning.Build(entries, entries.Length, new ulong[entries.Length], width, height);

        var expected = new List<int>[binning.TileCount];
        for (int t = 0; t < expected.Length; t++) expected[t] = [];
        int masked = 0, large = 0, whole = 0;
        foreach (int i in order)
        {
            ProjectedSplat s = all[i];
            if (!s.HasSupport) continue;
            int x0 = s.XMin / 16, x1 = s.XMax / 16, y0 = s.YMin / 16, y1 = s.YMax / 16;
            bool isLarge = x1 - x0 >= 6 || y1 - y0 >= 6;
            bool isWhole = !isLarge && (x0 == x1 || y0 == y1) && x1 - x0 < 4 && y1 - y0 < 4;
            if (isLarge) large++; else if (isWhole) whole++; else masked++;
            var footprint = new TileFootprint(s);
            for (int ty = y0; ty <= y1; ty++)
            {
                int first = x0, last = x1;
                if (!isWhole)
                {
                    footprint.Columns(Vector256.Create(y0 + ((ty - y0) & ~3)), (ty - y0) & 3, out var f, out var l);
                    first = Math.Max(first, f.GetElement(0));
                    last = Math.Min(last, l.GetElement(0));
                }
                for (int tx = first; tx <= last; tx++) expected[ty * binning.TilesX + tx].Add(i);
            }
        }
        for (int t = 0; t < expected.Length; t++)
            Assert.Equal(expected[t], binning.List.AsSpan(binning.TileStart[t], binning.TileStart[t + 1] - binning.TileStart[t]).ToArray());
        // Every case is exercised (measured: 174 masked, 314 large, 205 whole-box splats).
        Assert.True(masked > 100 && large > 100 && whole > 100, $"{masked} masked, {large} large, {whole} whole-box");
    }

    /// <summary>Tilted splats with variances 0.1 to 3000 px², means in [lo, hi)², opacity from minOpacity to 1.</summary>
    private static ProjectedSplat[] RandomSplats(Random rng, int count, double lo, double hi, double minOpacity)
    {
        var s = new ProjectedSplat[count];
        for (int k = 0; k < count; k++)
        {
            double s1 = Math.Exp(TestScenes.Uniform(rng, Math.Log(0.1), Math.Log(3000))), s2 = Math.Exp(TestScenes.Uniform(rng, Math.Log(0.1), Math.Log(3000)));
            s[k] = RasterizeTests.MakeSplat(TestScenes.Uniform(rng, lo, hi), TestScenes.Uniform(rng, lo, hi), s1,
                TestScenes.Uniform(rng, -0.99, 0.99) * Math.Sqrt(s1 * s2), s2, TestScenes.Uniform(rng, minOpacity, 1), 1, 1, 1, 1);
        }
        return s;
    }

    [Fact]
    public void Support_box_lanes_are_independent_splats()
    {
        // 4 splats in the lanes of ProjectedSplat.Support give, lane by lane, the box and Q of each
        // splat alone (ComputeSupport), including no support: transparent, off screen, degenerate conic.
        var rng = new Random(29);
        for (int trial = 0; trial < 200; trial++)
        {
            ProjectedSplat[] s = RandomSplats(rng, 4, -100, 260, 0.001);
            if (trial % 7 == 0) s[trial % 4].ConicB = s[trial % 4].ConicA; // det ≤ 0 for a ≤ c
            Vector256<double> Field(Func<ProjectedSplat, float> f) => Vector256.Create(s.Select(p => (double)f(p)).ToArray());
            ProjectedSplat.Support(Field(p => p.X), Field(p => p.Y), Field(p => p.ConicA), Field(p => p.ConicB), Field(p => p.ConicC), Field(p => p.Opacity),
                                   160, 120, out SupportBox box, out Vector256<double> q);
            for (int k = 0; k < 4; k++)
            {
                ProjectedSplat lane = s[k], alone = s[k];
                lane.SetSupport(box, q, k);
                alone.ComputeSupport(160, 120);
                Assert.Equal((alone.XMin, alone.XMax, alone.YMin, alone.YMax), (lane.XMin, lane.XMax, lane.YMin, lane.YMax));
                Assert.Equal(alone.SupportQ, lane.SupportQ);
            }
        }
    }

    [Fact]
    public void Tile_footprint_lanes_are_independent_splats()
    {
        // 8 splats in the lanes give, lane by lane, the columns of each splat alone (all lanes).
        var rng = new Random(23);
        for (int trial = 0; trial < 50; trial++)
        {
            ProjectedSplat[] s = RandomSplats(rng, 8, -20, 180, 0.01);
            for (int k = 0; k < 8; k++) s[k].ComputeSupport(160, 160);
            Vector256<float> Field(Func<ProjectedSplat, float> f) => Vector256.Create(s.Select(f).ToArray());
            var lanes = new TileFootprint(Field(p => p.X), Field(p => p.Y), Field(p => p.ConicA), Field(p => p.ConicB), Field(p => p.ConicC), Field(p => p.SupportQ));
            var ty0 = Vector256.Create(Enumerable.Range(0, 8).Select(k => rng.Next(0, 10)).ToArray());
            for (int j = 0; j < 4; j++)
            {
                lanes.Columns(ty0, j, out var first, out var last);
                for (int k = 0; k < 8; k++)
                {
                    new TileFootprint(s[k]).Columns(Vector256.Create(ty0.GetElement(k)), j, out var f, out var l);
                    Assert.Equal(f.GetElement(0), first.GetElement(k));
                    Assert.Equal(l.GetElement(0), last.GetElement(k));
                }
            }
        }
    }

    private static bool ReachesTile(ProjectedSplat s, int tx, int ty, int width, int height)
    {
        for (int py = ty * 16; py < Math.Min(ty * 16 + 16, height); py++)
            for (int px = tx * 16; px < Math.Min(tx * 16 + 16, width); px++)
            {
                double dx = px + 0.5 - s.X, dy = py + 0.5 - s.Y;
                if (s.ConicA * dx * dx + 2 * s.ConicB * dx * dy + s.ConicC * dy * dy <= s.SupportQ) return true;
            }
        return false;
    }

    [Fact]
    public void Tile_footprint_reaches_every_tile_with_a_pixel_centre_inside_the_support_ellipse()
    {
        // Thin, tilted, tiny and huge ellipses, tiles of a 160×160 image, each tested pixel by pixel.
        var rng = new Random(11);
        int dropped = 0, kept = 0, boxTiles = 0, keptEmpty = 0;
        for (int trial = 0; trial < 300; trial++)
        {
            double s1 = Math.Exp(TestScenes.Uniform(rng, Math.Log(0.05), Math.Log(3000))), s2 = Math.Exp(TestScenes.Uniform(rng, Math.Log(0.05), Math.Log(3000)));
            double rho = TestScenes.Uniform(rng, -0.999, 0.999);
            ProjectedSplat s = RasterizeTests.MakeSplat(TestScenes.Uniform(rng, -20, 180), TestScenes.Uniform(rng, -20, 180), s1, rho * Math.Sqrt(s1 * s2), s2,
                TestScenes.Uniform(rng, 0.005, 1), 1, 1, 1, 1);
            s.ComputeSupport(160, 160);
            if (!s.HasSupport) continue;
            var footprint = new TileFootprint(s);
            int bx0 = s.XMin / 16, bx1 = s.XMax / 16;
            for (int ty = s.YMin / 16; ty <= s.YMax / 16; ty++)
            {
                footprint.Columns(Vector256.Create(ty), 0, out var first, out var last);
                for (int tx = bx0; tx <= bx1; tx++)
                {
                    boxTiles++;
                    bool listed = tx >= first.GetElement(0) && tx <= last.GetElement(0);
                    bool reaches = ReachesTile(s, tx, ty, 160, 160);
                    if (listed) { kept++; if (!reaches) keptEmpty++; }
                    else if (reaches) dropped++;
                }
            }
        }
        Assert.Equal(0, dropped);
        // Tight as well as safe: measured 2,783 of 3,311 box tiles kept, 26 of them without a pixel inside.
        Assert.True(kept < 0.87 * boxTiles, $"kept {kept} of {boxTiles} box tiles");
        Assert.True(keptEmpty < 0.02 * kept, $"{keptEmpty} of {kept} kept tiles have no pixel inside");
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
