namespace Radiant.Data;

/// <summary>How a dataset is read: resolution, background for transparent images, where downscaled copies are cached.</summary>
public sealed record DatasetOptions
{
    /// <summary>Integer factor by which images are reduced (area averaging); 1 = full resolution.</summary>
    public int Downscale { get; init; } = 1;
    /// <summary>Colour that RGBA images are composited over (white by default, as NeRF-synthetic is evaluated).</summary>
    public float[] Background { get; init; } = [1f, 1f, 1f];
    /// <summary>Folder for downscaled copies; null = <c>.radiant-cache</c> inside the dataset (or the user cache if that is read-only).</summary>
    public string? CacheDir { get; init; }
    /// <summary>When a dataset has no split of its own, every N-th image is a test image (LLFF's llffhold = 8).</summary>
    public int TestEvery { get; init; } = 8;
}
