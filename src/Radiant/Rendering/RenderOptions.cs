namespace Radiant.Rendering;

/// <summary>Per-call rendering settings.</summary>
public sealed record RenderOptions
{
    /// <summary>Screen-space low-pass of the reference 3DGS, in px².</summary>
    public const float ReferenceDilation = 0.3f;
    /// <summary>Variance of Mip-Splatting's 2D Mip filter in px² (its <c>kernel_size</c>; a Gaussian approximating a one-pixel box).</summary>
    public const float MipFilterVariance = 0.1f;

    /// <summary>Background colour (r, g, b) composited behind the Gaussians: C += T_final · background.</summary>
    public float[] Background { get; init; } = [0, 0, 0];
    /// <summary>Active SH degree, clamped to the model's stored degree.</summary>
    public int ShDegree { get; init; } = 3;
    /// <summary>Screen-space low-pass added to the 2D covariance diagonal, in px² (reference 3DGS: 0.3).</summary>
    public float Dilation { get; init; } = ReferenceDilation;
    /// <summary>
    /// When set, <see cref="Dilation"/> is Mip-Splatting's 2D Mip filter (Yu et al. 2024, §4.2): the
    /// opacity is multiplied by sqrt(det Σ2d / det(Σ2d + Dilation·I)), so a Gaussian shrinking below
    /// a pixel keeps its energy instead of growing to the dilation's size.
    /// </summary>
    public bool MipFilter { get; init; }
    /// <summary>Gaussians whose view-space depth is below this are culled.</summary>
    public float NearPlane { get; init; } = 0.2f;
    /// <summary>
    /// Also composite the expected depth (<see cref="RenderResult.Depth"/>); off by default, since
    /// colour and alpha are what training, evaluation and viewing use.
    /// </summary>
    public bool ExpectedDepth { get; init; }
    /// <summary>
    /// A view of a reduced pyramid level j (<see cref="RenderCamera.ScaleLevel"/> &gt; 0) is rendered
    /// the way its photo was made: at 2^j times its size (the full image's resolution) and averaged
    /// over 2^j × 2^j blocks (<see cref="Supersampling"/>), instead of at its own size with the 2D
    /// filter standing in for the pixel's area. Sizes and radii of the projected splats are then in
    /// the full image's pixels, as for a view at level 0.
    /// </summary>
    public bool SupersampleLevels { get; init; }
    /// <summary>
    /// Samples per pixel side for every view (1: one sample, at the pixel's centre): the image is
    /// rasterised K times larger and averaged over K×K blocks, a box filter over each pixel
    /// (supersampling anti-aliasing, at K² the cost). Multiplies the 2^j of <see cref="SupersampleLevels"/>.
    /// </summary>
    public int Supersample { get; init; } = 1;

    /// <summary>The 2D filter a model was trained with: Mip-Splatting's (variance 0.1 px²) or the reference 0.3 px² dilation.</summary>
    public RenderOptions WithFilter2D(bool mip) => this with
    {
        Dilation = mip ? MipFilterVariance : ReferenceDilation,
        MipFilter = mip,
    };
}
