namespace Radiant.Imaging.Png;

/// <summary>
/// One pass of a PNG image: the reduced image whose pixel (i, j) lands at
/// (<see cref="X0"/> + i·<see cref="Dx"/>, <see cref="Y0"/> + j·<see cref="Dy"/>) of the full image.
/// A non-interlaced image is a single pass with steps of 1.
/// </summary>
internal readonly record struct PngPass(int X0, int Y0, int Dx, int Dy)
{
    /// <summary>Width and height of this pass's reduced image; either may be 0, and an empty pass has no scanlines at all (§8.2).</summary>
    public (int Width, int Height) ReducedSize(int width, int height) =>
        (width > X0 ? (width - X0 + Dx - 1) / Dx : 0, height > Y0 ? (height - Y0 + Dy - 1) / Dy : 0);
}

/// <summary>Adam7 interlacing (PNG spec §8.2): seven passes over an 8×8 tiling of the image.</summary>
internal static class Adam7
{
    /// <summary>
    /// Pass starts and steps, from the §8.2 pattern
    /// <code>
    /// 1 6 4 6 2 6 4 6
    /// 7 7 7 7 7 7 7 7
    /// 5 6 5 6 5 6 5 6
    /// 7 7 7 7 7 7 7 7
    /// 3 6 4 6 3 6 4 6
    /// 7 7 7 7 7 7 7 7
    /// 5 6 5 6 5 6 5 6
    /// 7 7 7 7 7 7 7 7
    /// </code>
    /// </summary>
    public static readonly PngPass[] Passes =
    [
        new(0, 0, 8, 8),
        new(4, 0, 8, 8),
        new(0, 4, 4, 8),
        new(2, 0, 4, 4),
        new(0, 2, 2, 4),
        new(1, 0, 2, 2),
        new(0, 1, 1, 2),
    ];

    public static readonly PngPass[] NotInterlaced = [new(0, 0, 1, 1)];
}
