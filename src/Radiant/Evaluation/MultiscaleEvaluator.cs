using Radiant.Data;
using Radiant.Data.Multiscale;
using Radiant.Imaging;
using Radiant.Model;
using Radiant.Rendering;

namespace Radiant.Evaluation;

/// <summary>Mean quality of the views of one scale (s = 2^level: images 1/s the full size).</summary>
public sealed record ScaleMetrics(int Level, int Views, int Width, int Height, double Psnr, double Ssim)
{
    public int Scale => ScaleLevels.Scale(Level);
}

/// <summary>A multiscale evaluation: every view measured, the mean per scale, and the mean over scales (mip-NeRF's "avg").</summary>
public sealed record MultiscaleResult(List<ViewMetrics> Views, List<ScaleMetrics> Scales, bool FromLabels)
{
    /// <summary>Mean of the per-scale PSNRs (each scale counts once, whatever its number of views).</summary>
    public double Psnr => Scales.Average(s => s.Psnr);
    public double Ssim => Scales.Average(s => s.Ssim);
}

/// <summary>
/// mip-NeRF's multiscale evaluation (REFERENCE §5): PSNR and SSIM for each scale separately and
/// their mean. Two protocols, chosen by the dataset:
/// <list type="bullet">
/// <item>a multiscale dataset (mip-NeRF's metadata.json): each view's scale is its label and its
/// own <c>_d{j}</c> image is the ground truth; the views of the requested scales are measured;</item>
/// <item>a single-scale dataset (Blender, COLMAP, …): every view is measured at each requested
/// scale, its ground truth being the stored image taken through <see cref="MipPyramid"/> (2×2 box
/// averages of straight RGBA, truncated to 8 bits, as convert_blender_data.py) and then composited
/// over the background, and its camera <see cref="MipPyramid.CameraAt"/> (focal and principal point
/// divided by the scale). The figures equal those on the dataset converted by
/// <c>radiant data multiscale</c>, up to that dataset's principal point for odd sizes (it keeps
/// width/2 of each level).</item>
/// </list>
/// </summary>
public static class MultiscaleEvaluator
{
    /// <summary>True when the views carry multiscale labels (a mip-NeRF multiscale dataset).</summary>
    public static bool HasLabels(Dataset ds, IReadOnlyList<Camera> cameras) => ds.Format == "multiscale" || cameras.Any(c => c.ScaleLevel > 0);

    public static MultiscaleResult Evaluate(GaussianSet g, Dataset ds, IReadOnlyList<Camera> cameras, IReadOnlyList<int> levels, RenderOptions options,
        string split = "test", IProgress<(int Done, int Total)>? progress = null)
    {
        if (levels.Count == 0) throw new ArgumentException("no scales to evaluate");
        bool fromLabels = HasLabels(ds, cameras);
        List<ViewMetrics> views = fromLabels
            ? Evaluator.Evaluate(g, ds, ScaleLevels.Select(cameras, [.. levels], ds.Root, split), options, progress: progress)
            : Downsampled(g, ds, cameras, levels, options, progress);
        views = [.. views.OrderBy(v => v.ScaleLevel)]; // stable: by scale, then in split order
        return new MultiscaleResult(views, Summarise(views), fromLabels);
    }

    /// <summary>Every camera at every level: the pyramid of its stored image is built once per camera.</summary>
    private static List<ViewMetrics> Downsampled(GaussianSet g, Dataset ds, IReadOnlyList<Camera> cameras, IReadOnlyList<int> levels, RenderOptions options,
        IProgress<(int Done, int Total)>? progress)
    {
        var renderer = new Renderer();
        var ssim = new Ssim();
        int maxLevel = levels.Max(), done = 0, total = cameras.Count * levels.Count;
        var results = new List<ViewMetrics>(total);
        foreach (Camera cam in cameras)
        {
            Image[] targets = GroundTruths(ds, cam, maxLevel);
            foreach (int j in levels)
            {
                results.Add(Evaluator.Measure(renderer, ssim, g, MipPyramid.CameraAt(cam, j), targets[j], options));
                progress?.Report((++done, total));
            }
        }
        return results;
    }

    /// <summary>
    /// The ground truth of <paramref name="cam"/> at levels 0..<paramref name="maxLevel"/> of a
    /// single-scale dataset: the stored image (straight alpha) through <see cref="MipPyramid"/>, then,
    /// as mip-NeRF loads its levels, composited over the background (RGB).
    /// </summary>
    public static Image[] GroundTruths(Dataset ds, Camera cam, int maxLevel)
    {
        float[] bg = ds.Background;
        return [.. MipPyramid.Levels(ds.LoadStoredImage(cam), maxLevel, cam.ImagePath)
            .Select(level => level.HasAlpha ? level.CompositeOver(bg[0], bg[1], bg[2]) : level)];
    }

    /// <summary>Mean PSNR and SSIM of the views of each level, in increasing level order.</summary>
    public static List<ScaleMetrics> Summarise(IReadOnlyList<ViewMetrics> views) =>
        views.GroupBy(v => v.ScaleLevel).OrderBy(s => s.Key)
            .Select(s => new ScaleMetrics(s.Key, s.Count(), s.First().Width, s.First().Height, s.Average(v => v.Psnr), s.Average(v => v.Ssim)))
            .ToList();
}
