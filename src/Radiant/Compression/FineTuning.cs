using Radiant.Imaging;
using Radiant.Mathematics;
using Radiant.Model;
using Radiant.Rendering;
using Radiant.Training;

namespace Radiant.Compression;

/// <summary>
/// Short optimisation runs that repair a model after a compression step: the <see cref="Trainer"/>
/// without densification, every SH band active from the start, and the position learning rate at
/// the end of the reference schedule (1.6e-6·extent), so a converged model is refined, not moved.
/// Targets are either the photos or a teacher model's renders (distillation, LightGaussian §3.2).
/// </summary>
public static class FineTuning
{
    public static void Run(GaussianSet g, IReadOnlyList<TrainingView> views, double sceneExtent, float[] background, int iterations,
                           bool mipFilter2D = false, bool supersampleLevels = false, ulong seed = 1, IProgress<(int Done, int Total)>? progress = null)
    {
        if (iterations <= 0 || g.Count == 0) return;
        var options = new TrainingOptions
        {
            Iterations = iterations,
            ShDegree = g.ShDegree,
            Seed = seed,
            Densify = false,
            AntiAlias = false,          // a 3D filter is already baked into the model
            MipFilter2D = mipFilter2D,  // the model's own 2D filter
            SupersampleLevels = supersampleLevels,   // and its rendering of reduced pyramid levels
            PositionLrInit = 1.6e-6,
            PositionLrFinal = 1.6e-6,
        };
        var trainer = new Trainer(g, views.ToArray(), sceneExtent, background, options);
        trainer.RestoreLoopState(0, g.ShDegree, new Rng(seed), [], 0);
        for (int it = 0; it < iterations; it++)
        {
            trainer.Step();
            progress?.Report((it + 1, iterations));
        }
    }

    /// <summary>The views with the teacher's renders (with <paramref name="options"/>) as targets (same cameras and masks).</summary>
    public static TrainingView[] TeacherViews(GaussianSet teacher, IReadOnlyList<TrainingView> views, RenderOptions options)
    {
        var renderer = new Renderer();
        var result = new TrainingView[views.Count];
        for (int v = 0; v < views.Count; v++)
        {
            Image target = renderer.Render(teacher, views[v].RenderCamera, options).Color.Clone();
            result[v] = views[v] with { Target = Unorm16Image.From(target) };
        }
        return result;
    }

    /// <summary>A copy of <paramref name="g"/> keeping SH bands up to <paramref name="degree"/>.</summary>
    public static GaussianSet ReduceShDegree(GaussianSet g, int degree)
    {
        if (degree >= g.ShDegree) return g.Clone();
        var r = new GaussianSet(g.Count, degree);
        g.Means.CopyTo(r.Means, 0); g.LogScales.CopyTo(r.LogScales, 0); g.Rotations.CopyTo(r.Rotations, 0);
        g.OpacityLogits.CopyTo(r.OpacityLogits, 0);
        int kFrom = g.ShCoefficients * 3, kTo = r.ShCoefficients * 3;
        for (int i = 0; i < g.Count; i++) Array.Copy(g.Sh, i * kFrom, r.Sh, i * kTo, kTo);
        return r;
    }
}
