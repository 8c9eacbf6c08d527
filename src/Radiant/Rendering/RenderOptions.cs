namespace Radiant.Rendering;

/// <summary>Per-call rendering settings.</summary>
public sealed record RenderOptions
{
    /// <summary>Background colour (r, g, b) composited behind the Gaussians: C += T_final · background.</summary>
    public float[] Background { get; init; } = [0, 0, 0];
    /// <summary>Active SH degree, clamped to the model's stored degree.</summary>
    public int ShDegree { get; init; } = 3;
    /// <summary>Screen-space low-pass added to the 2D covariance diagonal, in px² (reference 3DGS: 0.3).</summary>
    public float Dilation { get; init; } = 0.3f;
    /// <summary>Gaussians whose view-space depth is below this are culled.</summary>
    public float NearPlane { get; init; } = 0.2f;
}
