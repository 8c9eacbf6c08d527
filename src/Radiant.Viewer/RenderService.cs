using System.Diagnostics;
using Radiant.Imaging.Png;
using Radiant.Rendering;

namespace Radiant.Viewer;

/// <summary>
/// Radiant's own render of a run camera as PNG, for the page's "Radiant render" panel (and the
/// end-to-end test's reference picture). One render at a time; the same camera asked again within
/// <c>minInterval</c> gets the previous picture, so a page (or a client hammering the endpoint)
/// cannot make Radiant render more often than that. The render and the PNG encoding run on one
/// thread of the lowest priority (<see cref="BackgroundLane"/>) with a single-threaded renderer,
/// so a live preview takes from training only what the scheduler gives an idle-priority thread.
/// </summary>
public sealed class RenderService(IViewerSource source, TimeSpan minInterval) : IDisposable
{
    private readonly SemaphoreSlim _one = new(1, 1);
    private readonly Renderer _renderer = new(workers: 1);
    private readonly BackgroundLane _lane = new("radiant-viewer-render");
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private (int Camera, TimeSpan At, byte[] Png, int Iteration)? _last;

    /// <summary>The PNG and the training iteration it shows; null when the camera id is unknown or no model exists yet.</summary>
    public async Task<(byte[] Png, int Iteration)?> RenderAsync(int cameraId, CancellationToken cancel)
    {
        ViewerCamera? camera = source.Cameras.FirstOrDefault(c => c.Id == cameraId);
        if (camera is null) return null;
        await _one.WaitAsync(cancel);
        try
        {
            if (_last is { } last && last.Camera == cameraId && _clock.Elapsed - last.At < minInterval) return (last.Png, last.Iteration);
            ServedModel? state = await source.RenderStateAsync(cancel);
            if (state is null) return null;
            byte[] png = await _lane.Run(() => PngEncoder.Encode(_renderer.Render(state.Gaussians, camera.Camera, state.Options).Color));
            _last = (cameraId, _clock.Elapsed, png, state.Iteration);
            return (png, state.Iteration);
        }
        finally { _one.Release(); }
    }

    public void Dispose() => _lane.Dispose();
}
