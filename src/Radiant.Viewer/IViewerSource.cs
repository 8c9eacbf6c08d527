namespace Radiant.Viewer;

/// <summary>Where the viewer's model comes from: a finished model on disk (<see cref="StaticModel"/>) or a run in progress (<see cref="LiveTraining"/>).</summary>
public interface IViewerSource
{
    /// <summary>Shown as the page title (the model or run folder).</summary>
    string Title { get; }
    /// <summary>The model the page loads, null until a running training has published its first one.</summary>
    ServedModel? Model { get; }
    /// <summary>The run's cameras (empty when the model has no cameras.json).</summary>
    IReadOnlyList<ViewerCamera> Cameras { get; }
    /// <summary>The state to render a camera from now: the model itself, or a fresh snapshot of a running training.</summary>
    Task<ServedModel?> RenderStateAsync(CancellationToken cancel);
}
