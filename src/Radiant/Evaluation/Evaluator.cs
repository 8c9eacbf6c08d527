using Radiant.Data;
using Radiant.Imaging;
using Radiant.Model;
using Radiant.Rendering;

namespace Radiant.Evaluation;

/// <summary>Quality of one rendered view against its photo; <see cref="Alignment"/> when its pose was aligned first (<see cref="TestPoseAlignment"/>).</summary>
public sealed record ViewMetrics(string Name, int Width, int Height, int ScaleLevel, double Psnr, double Ssim, AlignedPose? Alignment = null);

/// <summary>Renders the views of a split and measures PSNR and SSIM against the photos (the reference's render.py + metrics.py).</summary>
public static class Evaluator
{
    /// <summary>
    /// Renders every camera, compares with its image (RGB composited over the background) and
    /// optionally hands each render to <paramref name="onRender"/> (to save it). With
    /// <paramref name="alignment"/>, each camera's pose is first aligned to its photo.
    /// </summary>
    public static List<ViewMetrics> Evaluate(GaussianSet g, Dataset ds, IReadOnlyList<Camera> cameras, RenderOptions options,
        Action<Camera, Image>? onRender = null, IProgress<(int Done, int Total)>? progress = null, TestPoseAlignment? alignment = null)
    {
        var renderer = new Renderer();
        var ssim = new Ssim();
        var results = new List<ViewMetrics>(cameras.Count);
        // The next view's photo is read and decoded on another thread while this one renders and is measured.
        Task<Image> Target(int i) => Task.Run(() => ds.LoadImage(cameras[i]).WithoutAlpha());
        Task<Image>? next = cameras.Count > 0 ? Target(0) : null;
        for (int i = 0; i < cameras.Count; i++)
        {
            Image target = next!.GetAwaiter().GetResult();
            next = i + 1 < cameras.Count ? Target(i + 1) : null;
            results.Add(Measure(renderer, ssim, g, cameras[i], target, options, onRender, alignment));
            progress?.Report((i + 1, cameras.Count));
        }
        return results;
    }

    /// <summary>
    /// Renders <paramref name="cam"/> and measures the render against <paramref name="target"/> (RGB at
    /// the camera's size) over the pixels its photo covers: all of them, except where the camera's
    /// lens points past the photo, whose undistorted target there only repeats the photo's edge
    /// (<see cref="Undistortion.Coverage"/>, the corners of a pincushion lens). With
    /// <paramref name="alignment"/>, from the pose aligned to the target over those pixels.
    /// </summary>
    internal static ViewMetrics Measure(Renderer renderer, Ssim ssim, GaussianSet g, Camera cam, Image target, RenderOptions options,
        Action<Camera, Image>? onRender = null, TestPoseAlignment? alignment = null)
    {
        float[]? coverage = Undistortion.Coverage(cam);
        RenderCamera camera = RenderCamera.From(cam);
        AlignedPose? aligned = alignment?.Align(renderer, g, camera, target, options, coverage);
        Image rendered = renderer.Render(g, aligned?.Camera ?? camera, options).Color;
        var q = ImageMetrics.Evaluate(rendered, target, ssim, coverage);
        onRender?.Invoke(cam, rendered);
        return new ViewMetrics(cam.Name, cam.Width, cam.Height, cam.ScaleLevel, q.Psnr, q.Ssim, aligned);
    }
}
