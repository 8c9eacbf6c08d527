using Radiant.Imaging;

namespace Radiant.Rendering;

/// <summary>
/// What <see cref="Renderer.Render"/> produces. The arrays belong to the renderer and are reused:
/// a result stays valid until the next <c>Render</c> call on the same renderer (copy what you keep).
/// </summary>
public sealed class RenderResult
{
    /// <summary>Composited colour, 3 planar channels: Σ cᵢ αᵢ Tᵢ + T_final · background.</summary>
    public Image Color { get; internal set; } = null!;
    /// <summary>Accumulated opacity 1 − T_final per pixel (row-major, W·H).</summary>
    public float[] Alpha { get; internal set; } = [];
    /// <summary>
    /// Expected view-space depth Σ zᵢ αᵢ Tᵢ per pixel, <b>not normalised</b> (background contributes 0);
    /// divide by <see cref="Alpha"/> for the normalised depth. Empty unless the render asked for it
    /// (<see cref="RenderOptions.ExpectedDepth"/>).
    /// </summary>
    public float[] Depth { get; internal set; } = [];
    /// <summary>
    /// Samples per pixel side (k): <see cref="RenderOptions.Supersample"/>, times 2^j for a view of
    /// pyramid level j with <see cref="RenderOptions.SupersampleLevels"/>; the image was rasterised k
    /// times larger and averaged. The radii, and the screen-space gradient of the backward pass, are
    /// in that larger image's pixels.
    /// </summary>
    public int Samples { get; internal set; } = 1;
    /// <summary>Screen radius in pixels (of the rasterised image, see <see cref="Samples"/>) per Gaussian, ceil(3·sqrt(λmax(Σ2d))); 0 = culled (not visible).</summary>
    public int[] Radii { get; internal set; } = [];
    /// <summary>Number of Gaussians with a non-zero radius.</summary>
    public int VisibleCount { get; internal set; }
    /// <summary>Number of (Gaussian, 16×16 tile) pairs rasterised.</summary>
    public int TileIntersections { get; internal set; }
}
