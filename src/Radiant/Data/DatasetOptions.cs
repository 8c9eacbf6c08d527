namespace Radiant.Data;

/// <summary>How a dataset is read: resolution, background for transparent images, where downscaled copies are cached.</summary>
public sealed record DatasetOptions
{
    /// <summary>
    /// Integer factor by which images are reduced (area averaging); 1 = full resolution;
    /// <see cref="Auto"/>: the smallest factor that brings the longer side of the largest image to
    /// at most <see cref="AutoMaxSide"/> px. A loaded <see cref="Dataset"/>'s options hold the factor applied.
    /// </summary>
    public int Downscale { get; init; } = 1;
    /// <summary>Downscale value meaning "reduce only images too large to train on in reasonable time" (the CLI's default).</summary>
    public const int Auto = 0;
    /// <summary>The reference 3DGS rescales images wider than 1.6K to 1,600 px unless told a resolution; Radiant's auto downscale keeps the longer side within it.</summary>
    public const int AutoMaxSide = 1600;

    /// <summary>The factor <see cref="Auto"/> picks for images whose largest side is <paramref name="maxSide"/> px.</summary>
    public static int AutoDownscale(int maxSide) => Math.Max(1, (maxSide + AutoMaxSide - 1) / AutoMaxSide);
    /// <summary>
    /// Colour that RGBA images are composited over, which training and evaluation also render over;
    /// null (the default) = auto: <see cref="AutoBackground"/>. A loaded <see cref="Dataset"/> has it in <see cref="Dataset.Background"/>.
    /// </summary>
    public float[]? Background { get; init; }

    /// <summary>
    /// The reference's choice: white for images with transparency (NeRF-synthetic, trained and
    /// evaluated with <c>--white_background</c>), black for opaque photos (its default, used for
    /// COLMAP captures such as mip-NeRF 360 and Tanks and Temples).
    /// </summary>
    public static float[] AutoBackground(bool hasAlpha) => hasAlpha ? [1f, 1f, 1f] : [0f, 0f, 0f];
    /// <summary>Folder for downscaled copies; null = <c>.radiant-cache</c> inside the dataset (or the user cache if that is read-only).</summary>
    public string? CacheDir { get; init; }
    /// <summary>When a dataset has no split of its own, every N-th image is a test image (LLFF's llffhold = 8).</summary>
    public int TestEvery { get; init; } = 8;
}
