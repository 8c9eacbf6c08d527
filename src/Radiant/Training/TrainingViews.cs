using Radiant.Data;
using Radiant.Imaging;
using Radiant.Rendering;

namespace Radiant.Training;

/// <summary>A training view held in memory: the camera, its RGB target (composited over the background) and optional mask.</summary>
public sealed record TrainingView(Camera Camera, RenderCamera RenderCamera, Image Target, float[]? Mask);

/// <summary>Loads every view of a split once, in parallel, so the training loop never touches the disk.</summary>
public static class TrainingViews
{
    public static TrainingView[] Load(Dataset ds, IReadOnlyList<Camera> cameras, IProgress<(int Done, int Total)>? progress = null)
    {
        var views = new TrainingView[cameras.Count];
        int done = 0;
        Parallel.For(0, cameras.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            Camera cam = cameras[i];
            views[i] = new TrainingView(cam, RenderCamera.From(cam), ds.LoadImage(cam).WithoutAlpha(), ds.LoadMask(cam));
            progress?.Report((Interlocked.Increment(ref done), cameras.Count));
        });
        return views;
    }
}
