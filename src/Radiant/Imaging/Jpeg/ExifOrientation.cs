namespace Radiant.Imaging.Jpeg;

/// <summary>
/// The EXIF orientation tag (0x0112 in IFD0 of the TIFF structure inside an APP1 "Exif\0\0"
/// segment; Exif 2.3 §4.6.4, TIFF 6.0 §2) and the mapping from stored to displayed pixels.
/// <list type="table">
/// <item>1: as stored</item><item>2: mirrored horizontally</item><item>3: rotated 180°</item>
/// <item>4: mirrored vertically</item><item>5: transposed (mirror about the main diagonal)</item>
/// <item>6: rotated 90° clockwise</item><item>7: transverse (mirror about the anti-diagonal)</item>
/// <item>8: rotated 90° counter-clockwise</item>
/// </list>
/// </summary>
internal static class ExifOrientation
{
    /// <summary>Orientation 1..8 from an APP1 segment body, or 0 when it is not Exif or has no valid tag (a damaged Exif block never fails the decode).</summary>
    public static int Parse(ReadOnlySpan<byte> app1) => ExifTiff.TryOpenApp1(app1, out ExifTiff exif) ? exif.Orientation : 0;

    public static bool SwapsAxes(int orientation) => orientation >= 5;

    /// <summary>
    /// Where stored row <paramref name="y"/> of a <paramref name="width"/>×<paramref name="height"/>
    /// image lands in a displayed plane: stored pixel (x, y) goes to index Start + x · Step.
    /// </summary>
    public static (int Start, int Step) RowMapping(int orientation, int width, int height, int y) => orientation switch
    {
        2 => (y * width + width - 1, -1),                         // (w−1−x, y)
        3 => ((height - 1 - y) * width + width - 1, -1),          // (w−1−x, h−1−y)
        4 => ((height - 1 - y) * width, 1),                       // (x, h−1−y)
        5 => (y, height),                                         // (y, x), displayed width h
        6 => (height - 1 - y, height),                            // (h−1−y, x)
        7 => ((width - 1) * height + height - 1 - y, -height),    // (h−1−y, w−1−x)
        8 => ((width - 1) * height + y, -height),                 // (y, w−1−x)
        _ => (y * width, 1),                                      // (x, y)
    };
}
