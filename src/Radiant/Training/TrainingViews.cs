using System.Globalization;
using Radiant.Data;
using Radiant.Imaging;
using Radiant.Rendering;

namespace Radiant.Training;

/// <summary>
/// A training view held in memory: the camera, its RGB target (composited over the background) and
/// optional mask (per-pixel loss weights in [0, 1]), both in 16 bits a sample (half the memory of
/// floats), and the weight of its loss (<see cref="TrainingViews.LossWeights"/>; 1 for single-scale data).
/// </summary>
public sealed record TrainingView(Camera Camera, RenderCamera RenderCamera, Unorm16Image Target, Unorm16Image? Mask)
{
    /// <summary>A view of the float image <paramref name="target"/> and mask plane (quantised to 16 bits a sample).</summary>
    public TrainingView(Camera camera, RenderCamera renderCamera, Image target, float[]? mask)
        : this(camera, renderCamera, Unorm16Image.From(target),
               mask is null ? null : Unorm16Image.From(new Image(target.Width, target.Height, 1, mask))) { }

    public float LossWeight { get; init; } = 1;
}

/// <summary>Loads every view of a split once, in parallel, so the training loop never touches the disk.</summary>
public static class TrainingViews
{
    public static TrainingView[] Load(Dataset ds, IReadOnlyList<Camera> cameras, IProgress<(int Done, int Total)>? progress = null)
    {
        EnsureFitInMemory(cameras, ds.Root, ds.Options.Downscale, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes);
        var views = new TrainingView[cameras.Count];
        float[] weights = LossWeights(cameras);
        int done = 0;
        Parallel.For(0, cameras.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            Camera cam = cameras[i];
            views[i] = new TrainingView(cam, RenderCamera.From(cam), ds.LoadImage(cam).WithoutAlpha(), ds.LoadMask(cam)) { LossWeight = weights[i] };
            progress?.Report((Interlocked.Increment(ref done), cameras.Count));
        });
        return views;
    }

    /// <summary>
    /// Decodes every image and mask of these views once and drops them: the test views are read
    /// again only when the run is evaluated, so a corrupt or mis-sized one would otherwise stop the
    /// run at its end instead of before its first iteration.
    /// </summary>
    public static void Check(Dataset ds, IReadOnlyList<Camera> cameras, IProgress<(int Done, int Total)>? progress = null)
    {
        int done = 0;
        Parallel.For(0, cameras.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            _ = ds.LoadImage(cameras[i]);
            _ = ds.LoadMask(cameras[i]);
            progress?.Report((Interlocked.Increment(ref done), cameras.Count));
        });
    }

    /// <summary>
    /// Bytes a view holds in memory per pixel: the RGB target and, if it has one, the mask, in 16 bits a
    /// sample (counted for every lens too: it has one where it leaves part of the image uncovered, see
    /// <see cref="Undistortion.Coverage"/>, which is not worked out before loading).
    /// </summary>
    private static int BytesPerPixel(Camera camera) => sizeof(ushort) * (camera.MaskPath is null && camera.Distortion is null or { IsZero: true } ? 3 : 4);

    /// <summary>
    /// Refuses, before any image is decoded, training views that would take more than half the
    /// memory available (the model, optimiser and renderer need the rest), naming the factor of
    /// <c>--downscale</c> that fits, instead of running out of memory partway through loading.
    /// </summary>
    internal static void EnsureFitInMemory(IReadOnlyList<Camera> cameras, string root, int downscale, long availableBytes)
    {
        double bytes = cameras.Sum(c => (double)c.Width * c.Height * BytesPerPixel(c));
        double budget = 0.5 * availableBytes;
        if (bytes <= budget || cameras.Count == 0) return;
        int more = 2;
        while (bytes / (more * more) > budget) more++;
        Camera first = cameras[0];
        throw new RadiantException(root, string.Create(CultureInfo.InvariantCulture,
            $"the {cameras.Count} training images ({first.Width}x{first.Height}) need {bytes / 1e9:0.0} GB in memory, more than half of the {availableBytes / 1e9:0.0} GB available; " +
            $"train at --downscale {Math.Max(1, downscale) * more} ({bytes / (more * more) / 1e9:0.0} GB)"));
    }

    /// <summary>
    /// The weight s_i of each view's loss, so that training one uniformly drawn view per iteration
    /// minimises mip-NeRF's multiscale objective. mip-NeRF draws a batch of rays uniformly from the
    /// pixels of all training images of all scales and takes Σ m·e / Σ m, each ray weighted by its
    /// image's lossmult m (4^j for level j). In expectation image i then contributes in proportion
    /// to m_i·N_i·ē_i (N_i pixels, ē_i its mean per-pixel error). Our loss of a view is already a
    /// mean over its pixels and each view is drawn with probability 1/V, so matching needs
    /// <c>s_i = m_i·N_i / mean_k(m_k·N_k)</c>.
    /// <para>For mip-NeRF's pyramid (m = 4^j, N = N_0/4^j) every s_i is 1: each image counts equally at
    /// every scale, which is what lossmult is for. Applying 4^j to the per-view mean instead would
    /// weigh a ⅛-scale view 64× a full one (and, through Adam's second moments and the densification
    /// statistics, slow the full-resolution views down). With lossmult 1 on every level (mip-NeRF's
    /// <c>disable_multiscale_loss</c>) small views count in proportion to their pixels.</para>
    /// <para>Single-scale data (every label 0, lossmult 1) keeps weight 1 for every view, as the
    /// reference 3DGS, whatever the image sizes.</para>
    /// </summary>
    public static float[] LossWeights(IReadOnlyList<Camera> cameras)
    {
        var weights = new float[cameras.Count];
        if (cameras.All(c => c.ScaleLevel == 0 && c.LossMult == 1))
        {
            Array.Fill(weights, 1f);
            return weights;
        }
        double mean = cameras.Average(c => c.LossMult * c.Width * c.Height);
        for (int i = 0; i < weights.Length; i++)
            weights[i] = mean > 0 ? (float)(cameras[i].LossMult * cameras[i].Width * cameras[i].Height / mean) : 0f;
        return weights;
    }
}
