using Radiant.Model;
using Radiant.Rendering;
using Radiant.Tests.Support;

namespace Radiant.Tests.Rendering;

public class RendererTests
{
    internal static (float[] DColor, float[] DAlpha) Weights(int width, int height, int seed)
    {
        var rng = new Random(seed);
        var dColor = new float[3 * width * height];
        var dAlpha = new float[width * height];
        foreach (ref float w in dColor.AsSpan()) w = TestScenes.Uniform(rng, -1, 1);
        foreach (ref float w in dAlpha.AsSpan()) w = TestScenes.Uniform(rng, -1, 1);
        return (dColor, dAlpha);
    }

    internal static double Loss(RenderResult r, float[] dColor, float[] dAlpha)
    {
        double sum = 0;
        for (int k = 0; k < dColor.Length; k++) sum += (double)dColor[k] * r.Color.Data[k];
        for (int k = 0; k < dAlpha.Length; k++) sum += (double)dAlpha[k] * r.Alpha[k];
        return sum;
    }

    [Fact]
    public void A_single_worker_renderer_draws_the_same_image_as_the_shared_pool()
    {
        (GaussianSet g, RenderCamera cam) = TestScenes.SmoothScene(200, seed: 11, width: 70, height: 45);
        var options = new RenderOptions { Background = [0.2f, 0.3f, 0.4f] };
        float[] shared = new Renderer().Render(g, cam, options).Color.Data.ToArray();
        float[] single = new Renderer(workers: 1).Render(g, cam, options).Color.Data.ToArray();
        Assert.Equal(shared, single);
        Assert.True(shared.Distinct().Count() > 100, "the scene must draw something");
        Assert.Throws<ArgumentOutOfRangeException>(() => new Renderer(workers: 0));
    }

    [Fact]
    public void Many_workers_give_the_single_worker_gradients_with_at_most_eight_accumulator_copies()
    {
        (GaussianSet g, RenderCamera cam) = TestScenes.SmoothScene(300, seed: 5, width: 90, height: 70);
        var options = new RenderOptions { Background = [0.2f, 0.3f, 0.4f] };
        var (dColor, dAlpha) = Weights(cam.Width, cam.Height, 3);
        GaussianGradients Gradients(Renderer renderer)
        {
            renderer.Render(g, cam, options);
            var grads = new GaussianGradients(g);
            renderer.Backward(dColor, dAlpha, grads);
            return grads;
        }
        var many = new Renderer(workers: 12);
        GaussianGradients reference = Gradients(new Renderer(workers: 1)), spread = Gradients(many);

        // The same sums in another order: equal to float rounding.
        foreach (var (name, a, b) in new[] { ("means", reference.Means, spread.Means), ("log-scales", reference.LogScales, spread.LogScales),
                                             ("rotations", reference.Rotations, spread.Rotations), ("opacities", reference.OpacityLogits, spread.OpacityLogits),
                                             ("colours", reference.ShColourGrad, spread.ShColourGrad) })
        {
            double scale = a.Max(MathF.Abs);
            Assert.True(scale > 0, $"{name}: no gradient");
            for (int k = 0; k < a.Length; k++)
                Assert.True(Math.Abs(a[k] - b[k]) <= 1e-5 * scale, $"{name}[{k}]: {b[k]} with 12 workers, {a[k]} with one");
        }
        // 12 workers, but the backward's accumulators (36 bytes per Gaussian each) are capped at 8 copies.
        long capped = (long)Rasterizer.MaxAccumulatorCopies * SplatGradient.Floats * sizeof(float) * g.Count;
        Assert.InRange(many.Rasterizer.WorkspaceBytes, capped, capped + sizeof(ulong));
    }

    [Fact]
    public void A_dropped_renderer_is_collected_after_the_kernel_workers_ran_its_jobs()
    {
        WeakReference renderer = RenderAndDrop();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        Assert.False(renderer.IsAlive, "a worker thread still holds the last job, and through it the renderer's buffers");
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static WeakReference RenderAndDrop()
    {
        (GaussianSet g, RenderCamera cam) = TestScenes.SmoothScene(100, seed: 2, width: 40, height: 30);
        var renderer = new Renderer(workers: 2);   // a worker thread besides the caller's, whatever the machine
        renderer.Render(g, cam, new RenderOptions());
        var (dColor, _) = Weights(cam.Width, cam.Height, 1);
        renderer.Backward(dColor, [], new GaussianGradients(g));
        return new WeakReference(renderer);
    }

    [Fact]
    public void Whole_pipeline_gradients_match_finite_differences_for_every_parameter()
    {
        (GaussianSet g, RenderCamera cam) = TestScenes.SmoothScene(20, seed: 4);
        var options = new RenderOptions { Background = [0.2f, 0.3f, 0.4f] };
        var (dColor, dAlpha) = Weights(cam.Width, cam.Height, 8);
        var renderer = new Renderer();

        RenderResult first = renderer.Render(g, cam, options);
        Assert.Equal(20, first.VisibleCount);
        // Preconditions of a smooth loss: every Gaussian covers every pixel, no cut-off is near.
        foreach (ProjectedSplat s in renderer.Splats)
            for (int py = 0; py < cam.Height; py++)
                for (int px = 0; px < cam.Width; px++)
                {
                    double dx = px + 0.5 - s.X, dy = py + 0.5 - s.Y;
                    double alpha = s.Opacity * Math.Exp(-0.5 * (s.ConicA * dx * dx + s.ConicC * dy * dy) - s.ConicB * dx * dy);
                    Assert.True(alpha > 1.05 / 255 && alpha < 0.98, "each Gaussian's support must cover the image, unclamped");
                }
        Assert.True(first.Alpha.Max() < 1 - 5e-4);
        var grads = new GaussianGradients(g);
        renderer.Backward(dColor, dAlpha, grads);

        MatchFiniteDifferences(g, grads, () => Loss(renderer.Render(g, cam, options), dColor, dAlpha));
    }

    /// <summary>
    /// Every parameter's gradient in <paramref name="grads"/> against fourth-order central differences of
    /// <paramref name="loss"/>: (−f(+2h) + 8f(+h) − 8f(−h) + f(−2h)) / 12h. Steps are powers of two; means
    /// move less than half the depth spacing of <see cref="TestScenes.SmoothScene"/>, so the order never changes.
    /// </summary>
    internal static void MatchFiniteDifferences(GaussianSet g, GaussianGradients grads, Func<double> loss)
    {
        foreach (var ((name, analytic, _), (_, values, _)) in grads.Parameters(g).Zip(g.Parameters()))
        {
            float h = name == "means" ? 0.015625f : 0.0625f;
            var numeric = new double[values.Length];
            for (int k = 0; k < values.Length; k++)
            {
                float keep = values[k];
                double At(float offset)
                {
                    values[k] = keep + offset;
                    return loss();
                }
                numeric[k] = (-At(2 * h) + 8 * At(h) - 8 * At(-h) + At(-2 * h)) / (12.0 * h);
                values[k] = keep;
            }
            GradientAssert.Close($"dL/d {name}", analytic, numeric, 3e-2, minScale: 1e-3, floor: 0.1);
        }
    }

    [Fact]
    public void Screen_space_gradient_is_dL_dmean2d_in_pixels()
    {
        (GaussianSet g, RenderCamera cam) = TestScenes.SmoothScene(6, seed: 2);
        var options = new RenderOptions();
        var (dColor, dAlpha) = Weights(cam.Width, cam.Height, 3);
        var renderer = new Renderer();
        renderer.Render(g, cam, options);
        var grads = new GaussianGradients(g);
        renderer.Backward(dColor, dAlpha, grads);

        // Finite differences on the projected means themselves, through the rasterizer alone.
        ProjectedSplat[] splats = renderer.Splats.ToArray();
        var rasterizer = new Rasterizer(KernelPool.Shared);
        int n = cam.Width * cam.Height;
        var color = new float[3 * n]; var alpha = new float[n]; var depth = new float[n];
        int[] ids = Enumerable.Range(0, splats.Length).ToArray();
        double LossAt()
        {
            rasterizer.Forward(splats, ids, cam.Width, cam.Height, options.Background, color, alpha, depth);
            double sum = 0;
            for (int k = 0; k < 3 * n; k++) sum += (double)dColor[k] * color[k];
            for (int k = 0; k < n; k++) sum += (double)dAlpha[k] * alpha[k];
            return sum;
        }
        // Central differences averaged over three steps: where a pixel's alpha crosses the 1/255
        // cutoff the loss jumps, which puts a few percent of noise into any one difference quotient
        // of the smaller elements (spread of ±4 % over steps of 0.0025–0.04 px for one of them).
        float[] steps = [0.005f, 0.01f, 0.02f];
        var numeric = new double[2 * splats.Length];
        for (int i = 0; i < splats.Length; i++)
        {
            for (int axis = 0; axis < 2; axis++)
            {
                ref float v = ref axis == 0 ? ref splats[i].X : ref splats[i].Y;
                float keep = v;
                foreach (float h in steps)
                {
                    v = keep + h; float hi = v; double up = LossAt();
                    v = keep - h; float lo = v; double down = LossAt();
                    v = keep;
                    numeric[2 * i + axis] += (up - down) / (hi - lo) / steps.Length;
                }
            }
        }
        GradientAssert.Close("MeanScreenGrad", grads.MeanScreenGrad, numeric, 2e-2);
    }

    [Fact]
    public void Absolute_screen_gradient_is_tracked_on_request_and_is_the_gradients_magnitude_for_one_pixel()
    {
        (GaussianSet g, RenderCamera cam) = TestScenes.SmoothScene(40, seed: 4, width: 40, height: 30);
        var options = new RenderOptions();
        var (dColor, _) = Weights(cam.Width, cam.Height, 9);
        var renderer = new Renderer(workers: 3);   // sums over the workers' accumulators
        GaussianGradients Backward(float[] weights, bool track)
        {
            renderer.Render(g, cam, options);
            var grads = new GaussianGradients(g) { TrackAbsoluteScreenGrad = track };
            renderer.Backward(weights, [], grads);
            return grads;
        }
        GaussianGradients plain = Backward(dColor, track: false), tracked = Backward(dColor, track: true);
        Assert.Empty(plain.MeanScreenAbsGrad);
        Assert.Equal(plain.Means, tracked.Means);
        Assert.Equal(plain.MeanScreenGrad, tracked.MeanScreenGrad);
        for (int k = 0; k < plain.MeanScreenGrad.Length; k++)
            Assert.True(tracked.MeanScreenAbsGrad[k] >= MathF.Abs(plain.MeanScreenGrad[k]) * (1 - 1e-5f), $"element {k}");
        Assert.Contains(Enumerable.Range(0, g.Count), i => tracked.MeanScreenAbsGrad[2 * i] > 2 * MathF.Abs(tracked.MeanScreenGrad[2 * i]) + 1e-4f);

        // One pixel with weights: the sum of magnitudes is the magnitude of the sum.
        var onePixel = new float[dColor.Length];
        int pixel = cam.Width * (cam.Height / 2) + cam.Width / 2;
        for (int c = 0; c < 3; c++) onePixel[c * cam.Width * cam.Height + pixel] = 1;
        GaussianGradients single = Backward(onePixel, track: true);
        Assert.Contains(single.MeanScreenGrad, v => MathF.Abs(v) > 1e-5f);
        for (int k = 0; k < single.MeanScreenGrad.Length; k++)
            Assert.Equal(MathF.Abs(single.MeanScreenGrad[k]), single.MeanScreenAbsGrad[k], 1e-9f);
    }

    [Fact]
    public void Backward_adds_into_the_gradients_and_culled_Gaussians_get_none()
    {
        (GaussianSet g, RenderCamera cam) = TestScenes.SmoothScene(5, seed: 6);
        // Gaussian 4 goes behind the camera.
        float[] m = cam.WorldToCamera;
        var (px, py, pz) = cam.Position;
        g.Means[12] = px - m[8]; g.Means[13] = py - m[9]; g.Means[14] = pz - m[10];
        var options = new RenderOptions();
        var (dColor, _) = Weights(cam.Width, cam.Height, 1);
        var renderer = new Renderer();
        RenderResult r = renderer.Render(g, cam, options);
        Assert.Equal(0, r.Radii[4]);
        Assert.Equal(4, r.VisibleCount);

        var once = new GaussianGradients(g);
        renderer.Backward(dColor, ReadOnlySpan<float>.Empty, once);
        var twice = new GaussianGradients(g);
        renderer.Backward(dColor, ReadOnlySpan<float>.Empty, twice);
        renderer.Backward(dColor, ReadOnlySpan<float>.Empty, twice);
        foreach (var ((name, a, stride), (_, b, _)) in once.Parameters(g).Zip(twice.Parameters(g)))
        {
            for (int k = 0; k < a.Length; k++) Assert.Equal(2 * a[k], b[k], 1e-4 * (1 + Math.Abs(b[k])));
            for (int k = 4 * stride; k < 5 * stride; k++) Assert.Equal(0f, a[k]);
            Assert.Contains(a, v => v != 0);
        }
    }

    [Fact]
    public void Rendering_is_deterministic_and_independent_of_call_history()
    {
        (GaussianSet g, RenderCamera cam) = TestScenes.SmoothScene(30, seed: 12, width: 70, height: 37);
        var options = new RenderOptions { ShDegree = 2 };
        var a = new Renderer();
        float[] first = a.Render(g, cam, options).Color.Data.ToArray();
        (GaussianSet big, RenderCamera bigCam) = TestScenes.SmoothScene(200, seed: 1, width: 100, height: 90);
        a.Render(big, bigCam, options);
        float[] again = a.Render(g, cam, options).Color.Data.ToArray();
        Assert.Equal(first, again);
    }
}

public class RendererEdgeCaseTests
{
    [Fact]
    public void An_empty_set_or_everything_culled_renders_the_background_and_has_no_gradient()
    {
        RenderCamera cam = TestScenes.LookAt(40, 30, 30, (0, 0, -4));
        var options = new RenderOptions { Background = [0.25f, 0.5f, 0.75f] };
        var renderer = new Renderer();
        var empty = new GaussianSet(0, 3);
        RenderResult r = renderer.Render(empty, cam, options);
        Assert.Equal(0, r.VisibleCount);
        Assert.All(r.Color.ReadPlane(2).ToArray(), v => Assert.Equal(0.75f, v));
        renderer.Backward(new float[3 * 40 * 30], default, new GaussianGradients(empty));

        (GaussianSet g, _) = TestScenes.SmoothScene(4, seed: 1);
        var (px, py, pz) = cam.Position;
        for (int i = 0; i < 4; i++) { g.Means[3 * i] = px; g.Means[3 * i + 1] = py; g.Means[3 * i + 2] = pz - 1; }  // behind
        r = renderer.Render(g, cam, options);
        Assert.Equal(0, r.VisibleCount);
        Assert.All(r.Alpha, a => Assert.Equal(0f, a));
        var grads = new GaussianGradients(g);
        var dColor = new float[3 * 40 * 30];
        Array.Fill(dColor, 1f);
        renderer.Backward(dColor, default, grads);
        Assert.All(grads.Means, v => Assert.Equal(0f, v));
    }

    [Fact]
    public void Wrong_sizes_are_refused()
    {
        (GaussianSet g, RenderCamera cam) = TestScenes.SmoothScene(3, seed: 1);
        var renderer = new Renderer();
        Assert.Throws<InvalidOperationException>(() => renderer.Backward(new float[3 * cam.Width * cam.Height], default, new GaussianGradients(g)));
        renderer.Render(g, cam, new RenderOptions());
        Assert.Throws<ArgumentException>(() => renderer.Backward(new float[5], default, new GaussianGradients(g)));
        Assert.Throws<ArgumentException>(() => renderer.Backward(new float[3 * cam.Width * cam.Height], new float[3], new GaussianGradients(g)));
        Assert.Throws<ArgumentException>(() => renderer.Render(g, cam with { Width = 40000 }, new RenderOptions()));
    }
}

[CollectionDefinition(nameof(AllocationCollection), DisableParallelization = true)]
public class AllocationCollection;

[Collection(nameof(AllocationCollection))]
public class RendererAllocationTests
{
    [Fact]
    public void A_training_step_allocates_nothing_after_warm_up()
    {
        (GaussianSet g, RenderCamera cam) = TestScenes.SmoothScene(300, seed: 3, width: 96, height: 64);
        var options = new RenderOptions();
        var renderer = new Renderer();
        var grads = new GaussianGradients(g);
        var dColor = new float[3 * cam.Width * cam.Height];
        Array.Fill(dColor, 0.1f);
        // Warm-up long enough for tiered JIT compilation to settle (it allocates while it does).
        for (int i = 0; i < 60; i++) { renderer.Render(g, cam, options); renderer.Backward(dColor, default, grads); }
        // The fewest over three windows of 5 steps: the kernel workers' allocations count too (process-wide).
        long allocated = AllocationProbe.FewestInProcess(() =>
        {
            for (int i = 0; i < 5; i++) { renderer.Render(g, cam, options); renderer.Backward(dColor, default, grads); }
        });
        Assert.True(allocated < 1024, $"{allocated} bytes allocated in 5 steps (the fewest of three windows)");
    }

    [Fact]
    public void The_depth_plane_is_made_only_for_a_render_that_asks_for_expected_depth()
    {
        (GaussianSet g, RenderCamera small) = TestScenes.SmoothScene(200, seed: 4, width: 48, height: 32);
        RenderCamera large = small with { Width = 400, Height = 300, Cx = 200, Cy = 150 };
        var renderer = new Renderer();
        for (int i = 0; i < 60; i++) renderer.Render(g, small, new RenderOptions());
        int pixels = large.Width * large.Height;

        // A new size: colour and alpha (16 bytes a pixel) and the rasterizer's final T and stop index (8), no depth (4).
        long before = GC.GetAllocatedBytesForCurrentThread();
        RenderResult r = renderer.Render(g, large, new RenderOptions());
        double perPixel = (double)(GC.GetAllocatedBytesForCurrentThread() - before) / pixels;
        Assert.Empty(r.Depth);
        Assert.InRange(perPixel, 24, 25.5);

        before = GC.GetAllocatedBytesForCurrentThread();
        r = renderer.Render(g, large, new RenderOptions { ExpectedDepth = true });
        perPixel = (double)(GC.GetAllocatedBytesForCurrentThread() - before) / pixels;
        Assert.Equal(pixels, r.Depth.Length);
        Assert.Contains(r.Depth, d => d > 0);
        Assert.InRange(perPixel, 4, 4.5);

        // The depth plane is kept for the next render.
        var depthOptions = new RenderOptions { ExpectedDepth = true };
        long fewest = AllocationProbe.FewestOnThisThread(() => renderer.Render(g, large, depthOptions));
        Assert.True(fewest < 1024, $"{fewest} bytes allocated by a render after the depth plane was made (the fewest of three)");
    }

    [Fact]
    public void A_view_past_the_tile_intersection_limit_is_a_clear_error_and_the_next_view_renders()
    {
        (GaussianSet g, RenderCamera cam) = TestScenes.SmoothScene(6, seed: 2);
        var renderer = new Renderer();
        renderer.Render(g, cam, new RenderOptions());
        ProjectedSplat[] splats = renderer.Splats.ToArray();
        int[] ids = Enumerable.Range(0, splats.Length).ToArray();
        var rasterizer = new Rasterizer(KernelPool.Shared);
        int n = cam.Width * cam.Height;
        var color = new float[3 * n]; var alpha = new float[n];
        rasterizer.Forward(splats, ids, cam.Width, cam.Height, [1, 1, 1], color, alpha, null);
        int intersections = rasterizer.Binning.IntersectionCount;
        Assert.True(intersections > 10);

        rasterizer.Binning.MaxIntersections = intersections - 1;
        var e = Assert.Throws<RadiantException>(() => rasterizer.Forward(splats, ids, cam.Width, cam.Height, [1, 1, 1], color, alpha, null));
        Assert.Contains($"has {intersections:N0} tile intersections, more than the renderer's limit of {intersections - 1:N0}", e.Message);

        var again = new float[3 * n];
        rasterizer.Binning.MaxIntersections = intersections;
        rasterizer.Forward(splats, ids, cam.Width, cam.Height, [1, 1, 1], again, alpha, null);
        Assert.Equal(intersections, rasterizer.Binning.IntersectionCount);
        Assert.Equal(color, again);
    }
}
