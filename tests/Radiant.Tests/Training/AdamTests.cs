using Radiant.Mathematics;
using Radiant.Model;
using Radiant.Training;

namespace Radiant.Tests.Training;

public class AdamTests
{
    /// <summary>torch.optim.Adam's update written out in double for one element.</summary>
    private static void TorchStep(ref double p, ref double m, ref double v, double g, int t, double lr, double b1, double b2, double eps)
    {
        m = b1 * m + (1 - b1) * g;
        v = b2 * v + (1 - b2) * g * g;
        double stepSize = lr / (1 - Math.Pow(b1, t));
        double denom = Math.Sqrt(v) / Math.Sqrt(1 - Math.Pow(b2, t)) + eps;
        p -= stepSize * m / denom;
    }

    [Theory]
    [InlineData(1e-15)]
    [InlineData(1e-8)]
    public void Few_steps_match_the_torch_formula(double eps)
    {
        float[] p0 = [0.5f, -1.25f, 3f, 0f, 2f, -0.75f, 1e-3f];
        float[][] grads = [[0.1f, -2f, 0.003f, 1f, -1e-6f, 0.5f, 4f], [0.2f, 1f, -0.003f, 1f, 0f, -0.5f, 4f], [-0.05f, 0.5f, 0.01f, 2f, 1e-6f, 0.25f, -4f]];
        float[] lrs = [0.01f, 0.005f, 0.02f];
        var values = (float[])p0.Clone();
        var adam = new Adam(epsilon: eps);
        AdamGroup group = adam.AddGroup("x", values, 1, lrs[0]);

        var p = Array.ConvertAll(p0, v => (double)v);
        var m = new double[p.Length]; var v2 = new double[p.Length];
        for (int t = 1; t <= 3; t++)
        {
            group.LearningRate = lrs[t - 1];
            adam.Step([grads[t - 1]]);
            for (int i = 0; i < p.Length; i++) TorchStep(ref p[i], ref m[i], ref v2[i], grads[t - 1][i], t, lrs[t - 1], 0.9, 0.999, eps);
            for (int i = 0; i < p.Length; i++)
            {
                Assert.Equal(p[i], values[i], 1e-6 * Math.Max(1, Math.Abs(p[i])));
                Assert.Equal(m[i], group.FirstMoment[i], 1e-6 * Math.Max(1e-3, Math.Abs(m[i])));
                Assert.Equal(v2[i], group.SecondMoment[i], 1e-6 * Math.Max(1e-9, Math.Abs(v2[i])));
            }
        }
        Assert.Equal(3, group.StepCount);
        // First step of Adam moves each element by lr·sign(g) (m̂ = g, v̂ = g²): a quick sanity anchor.
        Assert.Equal(0.5 - 0.01, 0.5 - 0.01 * Math.Sign(grads[0][0]), 9);
    }

    [Fact]
    public void Minimises_a_quadratic()
    {
        // f(p) = Σ aᵢ (pᵢ − cᵢ)², ill-conditioned (a from 0.01 to 100), with a decaying learning rate.
        const int n = 1000;
        var rng = new Random(3);
        var a = new float[n]; var target = new float[n]; var p = new float[n]; var g = new float[n];
        for (int i = 0; i < n; i++) { a[i] = MathF.Pow(10, -2 + 4 * rng.NextSingle()); target[i] = 4 * rng.NextSingle() - 2; p[i] = 4 * rng.NextSingle() - 2; }
        var adam = new Adam();
        AdamGroup group = adam.AddGroup("p", p, 4, 0.1f);
        var schedule = new LearningRateSchedule(0.1, 1e-4, 3000);
        for (int step = 0; step < 3000; step++)
        {
            for (int i = 0; i < n; i++) g[i] = 2 * a[i] * (p[i] - target[i]);
            group.LearningRate = (float)schedule.At(step);
            group.Step(g);
        }
        for (int i = 0; i < n; i++) Assert.True(Math.Abs(p[i] - target[i]) < 2e-3f, $"element {i}: {p[i]} vs {target[i]} (a = {a[i]})");
    }

    [Fact]
    public void Column_scale_sets_per_column_learning_rates()
    {
        // Stride 5: column 0 at lr, the rest at lr/20 (as SH DC vs rest), column 4 frozen.
        var values = new float[5 * 7];
        var grad = new float[values.Length];
        var rng = new Random(4);
        for (int i = 0; i < grad.Length; i++) grad[i] = rng.NextSingle() - 0.5f;
        var adam = new Adam();
        adam.AddGroup("sh", values, 5, 0.01f, [1f, 0.05f, 0.05f, 0.05f, 0f]);
        adam.Step([grad]);
        float[] scale = [1f, 0.05f, 0.05f, 0.05f, 0f];
        for (int i = 0; i < values.Length; i++)   // step 1 moves by lr·scale·sign(g)
            Assert.Equal(-0.01f * scale[i % 5] * MathF.Sign(grad[i]), values[i], 1e-7f);
    }

    [Fact]
    public void Every_simd_width_and_the_parallel_path_agree()
    {
        const int rows = 30_011, stride = 7;   // above the parallel threshold; ragged tail
        var rng = new Random(5);
        float[] start = new float[rows * stride];
        for (int i = 0; i < start.Length; i++) start[i] = rng.NextSingle() * 2 - 1;
        float[][] grads = Enumerable.Range(0, 3).Select(_ => Enumerable.Range(0, start.Length).Select(_ => rng.NextSingle() - 0.5f).ToArray()).ToArray();
        float[] columnScale = [1f, 0.5f, 0.25f, 2f, 1f, 0.1f, 3f];

        float[] Run(SimdWidth simd, float[]? scale)
        {
            var values = (float[])start.Clone();
            var adam = new Adam();
            AdamGroup gr = adam.AddGroup("p", values, stride, 0.01f, scale);
            gr.Simd = simd;
            foreach (float[] g in grads) gr.Step(g);
            return values;
        }

        foreach (float[]? scale in new[] { null, columnScale })
        {
            float[] reference = Run(SimdWidth.Scalar, scale);
            foreach (SimdWidth simd in new[] { SimdWidth.V128, SimdWidth.V256, SimdWidth.V512 })
            {
                float[] r = Run(simd, scale);
                for (int i = 0; i < r.Length; i++) Assert.True(Math.Abs(r[i] - reference[i]) <= 1e-6f, $"{simd} at {i}: {r[i]} vs {reference[i]}");
            }
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Fused_sh_step_matches_plain_adam_on_the_expanded_gradient(int activeDegree)
    {
        // Above the parallel threshold (2000 × 48 floats), SH DC at lr and the rest at lr/20 as the trainer does.
        const int n = 2000, stride = 48;
        var rng = new Random(17 + activeDegree);
        var set = new GaussianSet(n, 3);
        float[] start = Enumerable.Range(0, n * stride).Select(_ => rng.NextSingle() - 0.5f).ToArray();
        float[] columnScale = Enumerable.Range(0, stride).Select(j => j < 3 ? 1f : 0.05f).ToArray();
        for (int k = 0; k < set.Means.Length; k++) set.Means[k] = 4 * rng.NextSingle() - 2;
        // Three views of random factored gradients: some Gaussians unseen (zero), some channels clamped (zero).
        var steps = new List<GaussianGradients>();
        for (int t = 0; t < 3; t++)
        {
            var grads = new GaussianGradients(set);
            grads.SetShView(3 * rng.NextSingle() - 1.5f, 3 * rng.NextSingle() - 1.5f, 3 * rng.NextSingle() - 4f, activeDegree);
            for (int i = 0; i < n; i++)
            {
                if (rng.Next(5) == 0) continue;
                for (int c = 0; c < 3; c++) grads.ShColourGrad[3 * i + c] = rng.Next(4) == 0 ? 0f : (rng.NextSingle() - 0.5f) * MathF.Pow(10, rng.Next(-4, 2));
            }
            steps.Add(grads);
        }

        foreach (SimdWidth simd in new[] { SimdWidth.Scalar, SimdWidth.V128, FloatVector.Best })
        {
            float[] plain = (float[])start.Clone(), fused = (float[])start.Clone();
            AdamGroup a = new Adam().AddGroup("sh", plain, stride, 2.5e-3f, columnScale);
            AdamGroup b = new Adam().AddGroup("sh", fused, stride, 2.5e-3f, columnScale);
            a.Simd = b.Simd = simd;
            foreach (GaussianGradients grads in steps)
            {
                float[] expanded = grads.ExpandSh(set);
                for (int i = 0; i < n; i++)
                    for (int j = 3 * (activeDegree + 1) * (activeDegree + 1); j < stride; j++)
                        Assert.Equal(0f, expanded[i * stride + j]);   // bands above the active degree get no gradient
                a.Step(expanded);
                b.Step(new ShGradientRows(grads, set));
            }
            // Bit-identical (stronger than round-off): the same expansion and the same Adam kernel, row by row.
            Close(a.Values, b.Values, "values");
            Close(a.FirstMoment, b.FirstMoment, "m");
            Close(a.SecondMoment, b.SecondMoment, "v");
            Assert.Equal(a.StepCount, b.StepCount);
        }

        void Close(float[] expected, float[] actual, string what)
        {
            for (int k = 0; k < expected.Length; k++)
                Assert.True(BitConverter.SingleToInt32Bits(expected[k]) == BitConverter.SingleToInt32Bits(actual[k]),
                    $"degree {activeDegree}, {what}[{k}]: fused {actual[k]} vs plain {expected[k]}");
        }
    }

    [Fact]
    public void Rebuild_keeps_state_aligned_with_a_gaussian_set()
    {
        var set = new GaussianSet(6, 1);
        var rng = new Random(6);
        foreach (var (_, values, _) in set.Parameters()) for (int i = 0; i < values.Length; i++) values[i] = rng.NextSingle();
        var adam = new Adam();
        foreach (var (name, values, stride) in set.Parameters()) adam.AddGroup(name, values, stride, 0.01f);
        for (int s = 0; s < 2; s++)
            adam.Step(adam.Groups.Select(g => Enumerable.Range(0, g.Values.Length).Select(_ => rng.NextSingle() - 0.5f).ToArray()).ToList());

        var before = adam.Groups.ToDictionary(g => g.Name, g => ((float[])g.FirstMoment.Clone(), (float[])g.SecondMoment.Clone()));
        bool[] keep = [true, false, true, true, false, true];
        int[] kept = [0, 2, 3, 5];
        var extra = new GaussianSet(3, 1);
        set.Rebuild(keep, extra);
        adam.Rebuild(GaussianSet.KeptThenAppended(keep, extra.Count), set.Parameters());

        foreach (var (name, values, stride) in set.Parameters())
        {
            AdamGroup g = adam[name];
            Assert.Same(values, g.Values);
            Assert.Equal(set.Count, g.Rows);
            Assert.Equal(values.Length, g.FirstMoment.Length);
            Assert.Equal(2, g.StepCount);
            var (m0, v0) = before[name];
            for (int r = 0; r < kept.Length; r++)
            {
                Assert.Equal(m0.AsSpan(kept[r] * stride, stride).ToArray(), g.FirstMoment.AsSpan(r * stride, stride).ToArray());
                Assert.Equal(v0.AsSpan(kept[r] * stride, stride).ToArray(), g.SecondMoment.AsSpan(r * stride, stride).ToArray());
            }
            Assert.All(g.FirstMoment.AsSpan(kept.Length * stride).ToArray(), x => Assert.Equal(0f, x));
            Assert.All(g.SecondMoment.AsSpan(kept.Length * stride).ToArray(), x => Assert.Equal(0f, x));
        }
        // Steps go on with the new sizes and update the set's new arrays.
        float mean0 = set.Means[0];
        adam.Step(adam.Groups.Select(g => Enumerable.Repeat(1f, g.Values.Length).ToArray()).ToList());
        Assert.NotEqual(mean0, set.Means[0]);
        Assert.Throws<ArgumentException>(() => adam.Rebuild(new int[3], set.Parameters()));   // 3 rows for 7 Gaussians' values
    }

    [Fact]
    public void Rebuild_from_a_row_map_reorders_the_set_and_its_state_and_zeros_new_rows()
    {
        var set = new GaussianSet(6, 1) { SmoothingVariance = [10, 11, 12, 13, 14, 15] };
        var rng = new Random(7);
        foreach (var (_, values, _) in set.Parameters()) for (int i = 0; i < values.Length; i++) values[i] = rng.NextSingle();
        var extra = new GaussianSet(2, 1) { SmoothingVariance = [20, 21] };
        foreach (var (_, values, _) in extra.Parameters()) for (int i = 0; i < values.Length; i++) values[i] = rng.NextSingle() + 2;
        var adam = new Adam();
        foreach (var (name, values, stride) in set.Parameters()) adam.AddGroup(name, values, stride, 0.01f);
        adam.Step(adam.Groups.Select(g => Enumerable.Range(0, g.Values.Length).Select(_ => rng.NextSingle() - 0.5f).ToArray()).ToList());

        var old = set.Parameters().ToDictionary(p => p.Name, p => (float[])p.Values.Clone());
        var extraValues = extra.Parameters().ToDictionary(p => p.Name, p => p.Values);
        var before = adam.Groups.ToDictionary(g => g.Name, g => ((float[])g.FirstMoment.Clone(), (float[])g.SecondMoment.Clone()));
        int[] rows = [5, ~1, 0, 3, ~0];   // old rows 5, 0, 3 reordered, rows 1, 2, 4 dropped, both extra rows in
        set.Rebuild(rows, extra);
        adam.Rebuild(rows, set.Parameters());

        Assert.Equal(5, set.Count);
        Assert.Equal([15f, 21f, 10f, 13f, 20f], set.SmoothingVariance);
        foreach (var (name, values, stride) in set.Parameters())
        {
            AdamGroup g = adam[name];
            Assert.Same(values, g.Values);
            var (m0, v0) = before[name];
            for (int r = 0; r < rows.Length; r++)
            {
                int row = rows[r];
                float[] source = row >= 0 ? old[name] : extraValues[name];
                int from = (row >= 0 ? row : ~row) * stride;
                Assert.Equal(source.AsSpan(from, stride).ToArray(), values.AsSpan(r * stride, stride).ToArray());
                float[] m = row >= 0 ? m0.AsSpan(from, stride).ToArray() : new float[stride];
                float[] v = row >= 0 ? v0.AsSpan(from, stride).ToArray() : new float[stride];
                Assert.Equal(m, g.FirstMoment.AsSpan(r * stride, stride).ToArray());
                Assert.Equal(v, g.SecondMoment.AsSpan(r * stride, stride).ToArray());
            }
        }
        Assert.Throws<ArgumentException>(() => set.Rebuild([0, 5], extra));    // no row 5 any more
        Assert.Throws<ArgumentException>(() => set.Rebuild([~2], extra));      // extra has 2 rows
    }

    [Fact]
    public void Sorting_spatially_puts_the_gaussians_in_morton_order_and_keeps_each_one()
    {
        var set = new GaussianSet(500, 1);
        var rng = new Random(8);
        foreach (var (_, values, _) in set.Parameters()) for (int i = 0; i < values.Length; i++) values[i] = rng.NextSingle() * 4 - 2;
        string Row(GaussianSet s, int i) => string.Join(",", s.Parameters().SelectMany(p => p.Values.AsSpan(i * p.Stride, p.Stride).ToArray()));
        var rowsBefore = Enumerable.Range(0, set.Count).Select(i => Row(set, i)).ToList();
        Assert.NotEqual(Enumerable.Range(0, set.Count), MortonOrder.Of(set.Means, set.Count));

        set.SortSpatially();
        Assert.Equal(Enumerable.Range(0, set.Count), MortonOrder.Of(set.Means, set.Count));
        Assert.Equal(rowsBefore.Order(), Enumerable.Range(0, set.Count).Select(i => Row(set, i)).Order());
    }

    [Fact]
    public void Reset_zeros_state_of_selected_rows_and_keeps_the_step()
    {
        var values = new float[4 * 3];
        var adam = new Adam();
        AdamGroup g = adam.AddGroup("o", values, 3, 0.05f);
        g.Step(Enumerable.Range(0, 12).Select(i => i + 1f).ToArray());
        g.ResetState([false, true, false, true]);
        for (int r = 0; r < 4; r++)
            for (int j = 0; j < 3; j++)
            {
                bool reset = r is 1 or 3;
                Assert.Equal(reset, g.FirstMoment[r * 3 + j] == 0);
                Assert.Equal(reset, g.SecondMoment[r * 3 + j] == 0);
            }
        g.ResetState();
        Assert.All(g.FirstMoment, x => Assert.Equal(0f, x));
        Assert.All(g.SecondMoment, x => Assert.Equal(0f, x));
        Assert.Equal(1, g.StepCount);
    }

    [Fact]
    public void State_round_trips_for_checkpoints()
    {
        var rng = new Random(7);
        float[] start = Enumerable.Range(0, 40).Select(_ => rng.NextSingle()).ToArray();
        float[][] grads = Enumerable.Range(0, 4).Select(_ => Enumerable.Range(0, 40).Select(_ => rng.NextSingle() - 0.5f).ToArray()).ToArray();

        var a = (float[])start.Clone();
        var ga = new Adam().AddGroup("a", a, 4, 0.01f);
        foreach (float[] g in grads) ga.Step(g);

        var b = (float[])start.Clone();
        var gb = new Adam().AddGroup("a", b, 4, 0.01f);
        gb.Step(grads[0]); gb.Step(grads[1]);
        var (m, v, t, saved) = ((float[])gb.FirstMoment.Clone(), (float[])gb.SecondMoment.Clone(), gb.StepCount, (float[])b.Clone());
        var gc = new Adam().AddGroup("a", saved, 4, 0.01f);
        gc.RestoreState(m, v, t);
        gc.Step(grads[2]); gc.Step(grads[3]);
        Assert.Equal(a, saved);
    }
}
