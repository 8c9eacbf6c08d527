namespace Radiant.Evaluation;

/// <summary>
/// A standard benchmark: its scenes and the published mean test figures over all of them, by
/// <paramref name="Method"/> (<paramref name="Source"/> says how they were made); <paramref name="ScalePsnr"/>,
/// for a multiscale benchmark, the mean PSNR at each scale (full, 1/2, 1/4, 1/8).
/// </summary>
public sealed record BenchmarkSuite(string Name, IReadOnlyList<string> Scenes, double MeanPsnr, double? MeanSsim,
                                    string Method, string Source, IReadOnlyList<double>? ScalePsnr = null);

/// <summary>
/// How one scene of a standard benchmark is trained and measured, and its own published test PSNR
/// when one is known (NeRF-synthetic's, by the reference 3DGS; null: only the suite's means are given).
/// <paramref name="Downscale"/> is the image reduction of the protocol (<see cref="Data.DatasetOptions.Auto"/>
/// for a scene of no known suite).
/// </summary>
public sealed record SceneProtocol(string Scene, BenchmarkSuite? Suite, int Downscale, double? ReferencePsnr);

/// <summary>
/// The published figures a trained scene is compared with (the reference 3DGS, Kerbl et al. 2023, at
/// <see cref="Iterations"/> iterations; <c>REFERENCE.md</c> §3) and the protocol each was measured under:
/// NeRF-synthetic at its full 800×800, white background, its own test split; Mip-NeRF 360 with every
/// 8th photo (by name) held out for testing, outdoor scenes from <c>images_4/</c> and indoor ones from
/// <c>images_2/</c> (the reference's <c>full_eval.py</c>); and mip-NeRF's figures for NeRF-synthetic in
/// its multiscale layout, trained on all scales and measured per scale. A scene is recognised by its
/// folder name and layout.
/// </summary>
public static class PublishedFigures
{
    /// <summary>The training length of the published figures.</summary>
    public const int Iterations = 30_000;

    private static readonly (string Scene, double Psnr)[] NerfSyntheticScenes =
    [
        ("chair", 35.83), ("drums", 26.15), ("ficus", 34.87), ("hotdog", 37.72),
        ("lego", 35.78), ("materials", 30.00), ("mic", 35.36), ("ship", 30.80),
    ];

    private static readonly string[] MipNerf360Outdoor = ["bicycle", "flowers", "garden", "stump", "treehill"];
    private static readonly string[] MipNerf360Indoor = ["room", "counter", "kitchen", "bonsai"];

    private static readonly string ReferenceSource = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"the reference 3DGS's figures, at {Iterations:N0} iterations");

    public static readonly BenchmarkSuite NerfSynthetic = new("NeRF-synthetic", [.. NerfSyntheticScenes.Select(s => s.Scene)], 33.32, null, "3DGS", ReferenceSource);
    public static readonly BenchmarkSuite MipNerf360 = new("Mip-NeRF 360", [.. MipNerf360Outdoor, .. MipNerf360Indoor], 27.21, 0.815, "3DGS", ReferenceSource);

    /// <summary>
    /// NeRF-synthetic in mip-NeRF's multiscale layout (<c>radiant data multiscale</c>), trained on all
    /// scales: mip-NeRF's mean PSNR per scale (REFERENCE.md §3), and their mean (each scale has as
    /// many test views, so it is also the mean over all of them).
    /// </summary>
    public static readonly BenchmarkSuite MultiscaleBlender = new("multiscale Blender", NerfSynthetic.Scenes, (32.63 + 34.34 + 35.47 + 35.60) / 4, null,
        "mip-NeRF", "mip-NeRF's figures, trained on all scales (only its means over the suite's scenes are given)", [32.63, 34.34, 35.47, 35.60]);

    /// <summary>
    /// The protocol of the scene in folder <paramref name="scene"/> (its name, any case) whose data has
    /// <paramref name="layout"/> (<see cref="Data.DatasetLoader.DetectLayout"/>): a NeRF-synthetic name
    /// in the Blender or the multiscale layout, a Mip-NeRF 360 name in the COLMAP layout, else no suite
    /// (trained at the automatic reduction, with nothing to compare to).
    /// </summary>
    public static SceneProtocol For(string scene, string layout)
    {
        string name = scene.ToLowerInvariant();
        if (layout == "blender")
            foreach (var (s, psnr) in NerfSyntheticScenes)
                if (s == name) return new SceneProtocol(scene, NerfSynthetic, 1, psnr);
        if (layout == "multiscale" && NerfSynthetic.Scenes.Contains(name)) return new SceneProtocol(scene, MultiscaleBlender, 1, null);
        if (layout == "colmap")
        {
            if (MipNerf360Outdoor.Contains(name)) return new SceneProtocol(scene, MipNerf360, 4, null);
            if (MipNerf360Indoor.Contains(name)) return new SceneProtocol(scene, MipNerf360, 2, null);
        }
        return new SceneProtocol(scene, null, Data.DatasetOptions.Auto, null);
    }

    /// <summary>
    /// The reference's mean PSNR over <paramref name="scenes"/> of <paramref name="suite"/>: its
    /// published mean when they are all of its scenes, the mean of their per-scene figures when every
    /// one has a figure, else null.
    /// </summary>
    public static double? MeanPsnr(BenchmarkSuite suite, IReadOnlyCollection<SceneProtocol> scenes)
    {
        var names = scenes.Select(s => s.Scene.ToLowerInvariant()).Distinct().ToList();
        if (names.Count == suite.Scenes.Count && suite.Scenes.All(names.Contains)) return suite.MeanPsnr;
        if (scenes.Count > 0 && scenes.All(s => s.ReferencePsnr is not null)) return scenes.Average(s => s.ReferencePsnr!.Value);
        return null;
    }
}
