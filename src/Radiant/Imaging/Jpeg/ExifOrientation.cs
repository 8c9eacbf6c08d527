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
    public static int Parse(ReadOnlySpan<byte> app1)
    {
        if (app1.Length < 14 || !app1[..6].SequenceEqual("Exif\0\0"u8)) return 0;
        ReadOnlySpan<byte> tiff = app1[6..];
        bool little;
        if (tiff[0] == 'I' && tiff[1] == 'I') little = true;
        else if (tiff[0] == 'M' && tiff[1] == 'M') little = false;
        else return 0;
        if (U16(tiff, 2, little) != 42) return 0;
        uint ifd0 = U32(tiff, 4, little);
        if (ifd0 > (uint)tiff.Length - 2) return 0;
        int entries = U16(tiff, (int)ifd0, little);
        for (int i = 0; i < entries; i++)
        {
            long e = ifd0 + 2 + 12L * i;
            if (e + 12 > tiff.Length) return 0;
            int at = (int)e;
            if (U16(tiff, at, little) != 0x0112) continue;
            int type = U16(tiff, at + 2, little);
            // SHORT (3) as it should be; tolerate LONG (4). The value sits in the first bytes of the value field.
            uint value = type switch { 3 => (uint)U16(tiff, at + 8, little), 4 => U32(tiff, at + 8, little), _ => 0 };
            return value is >= 1 and <= 8 ? (int)value : 0;
        }
        return 0;
    }

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

    private static int U16(ReadOnlySpan<byte> s, int i, bool little) =>
        little ? s[i] | s[i + 1] << 8 : s[i] << 8 | s[i + 1];

    private static uint U32(ReadOnlySpan<byte> s, int i, bool little) =>
        little ? (uint)(s[i] | s[i + 1] << 8 | s[i + 2] << 16 | s[i + 3] << 24) : (uint)(s[i] << 24 | s[i + 1] << 16 | s[i + 2] << 8 | s[i + 3]);
}
