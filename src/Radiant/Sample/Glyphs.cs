namespace Radiant.Sample;

/// <summary>
/// A tiny 5×7 dot-matrix font for the text-like detail on the sample scene's textures (the letters of
/// "RADIANT 3DGS"). Small printed text is the classic test of whether a reconstruction keeps fine,
/// high-contrast, non-repeating detail.
/// </summary>
internal static class Glyphs
{
    public const int Columns = 5, Rows = 7;

    // Each glyph is 7 rows, top first; bit 4 of a row is the leftmost dot.
    private static readonly byte[] R = [0b11110, 0b10001, 0b10001, 0b11110, 0b10100, 0b10010, 0b10001];
    private static readonly byte[] A = [0b01110, 0b10001, 0b10001, 0b11111, 0b10001, 0b10001, 0b10001];
    private static readonly byte[] D = [0b11110, 0b10001, 0b10001, 0b10001, 0b10001, 0b10001, 0b11110];
    private static readonly byte[] I = [0b01110, 0b00100, 0b00100, 0b00100, 0b00100, 0b00100, 0b01110];
    private static readonly byte[] N = [0b10001, 0b11001, 0b10101, 0b10011, 0b10001, 0b10001, 0b10001];
    private static readonly byte[] T = [0b11111, 0b00100, 0b00100, 0b00100, 0b00100, 0b00100, 0b00100];
    private static readonly byte[] G = [0b01110, 0b10001, 0b10000, 0b10111, 0b10001, 0b10001, 0b01111];
    private static readonly byte[] S = [0b01111, 0b10000, 0b10000, 0b01110, 0b00001, 0b00001, 0b11110];
    private static readonly byte[] Three = [0b11110, 0b00001, 0b00001, 0b01110, 0b00001, 0b00001, 0b11110];

    private static byte[]? Glyph(char c) => c switch
    {
        'R' => R, 'A' => A, 'D' => D, 'I' => I, 'N' => N, 'T' => T, 'G' => G, 'S' => S, '3' => Three,
        _ => null,
    };

    /// <summary>True if the dot at (column, row) of character <paramref name="c"/> is ink; row 0 is the top. Outside the 5×7 grid is blank.</summary>
    public static bool Ink(char c, int column, int row)
    {
        if ((uint)column >= Columns || (uint)row >= Rows) return false;
        byte[]? g = Glyph(c);
        return g is not null && ((g[row] >> (Columns - 1 - column)) & 1) != 0;
    }

    /// <summary>
    /// Ink of a text line at continuous coordinates measured in dots: <paramref name="x"/> from the left
    /// edge of the first character, <paramref name="y"/> down from the top of the line. Each character
    /// occupies a 6-dot advance (5 dots plus a gap).
    /// </summary>
    public static bool TextInk(string text, double x, double y)
    {
        if (x < 0 || y < 0) return false;
        int cx = (int)Math.Floor(x), cy = (int)Math.Floor(y);
        int index = cx / (Columns + 1);
        if (index >= text.Length) return false;
        return Ink(text[index], cx % (Columns + 1), cy);
    }
}
