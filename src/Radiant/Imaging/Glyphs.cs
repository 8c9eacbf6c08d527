namespace Radiant.Imaging;

/// <summary>
/// A tiny 5×7 dot-matrix font (printable ASCII, in the style of character-LCD fonts), shared by the
/// sample scene's textures (the letters of "RADIANT 3DGS": small printed text is the classic test of
/// whether a reconstruction keeps fine, high-contrast, non-repeating detail) and the labels of
/// <c>radiant plot</c>. Characters without a glyph are blank.
/// </summary>
internal static class Glyphs
{
    public const int Columns = 5, Rows = 7;
    /// <summary>Horizontal distance from one character to the next, in dots (5 dots plus a gap).</summary>
    public const int Advance = Columns + 1;
    private const char First = ' ', Last = '~';

    // Rows top first; bit 4 of a row is the leftmost dot. One flat table indexed by (char − ' ') · 7 + row.
    private static readonly byte[] Table = Build();

    private static byte[] Build()
    {
        var t = new byte[(Last - First + 1) * Rows];
        void Set(char c, params byte[] rows) => rows.CopyTo(t, (c - First) * Rows);
        Set('0', 0b01110, 0b10001, 0b10011, 0b10101, 0b11001, 0b10001, 0b01110);
        Set('1', 0b00100, 0b01100, 0b00100, 0b00100, 0b00100, 0b00100, 0b01110);
        Set('2', 0b01110, 0b10001, 0b00001, 0b00010, 0b00100, 0b01000, 0b11111);
        Set('3', 0b11110, 0b00001, 0b00001, 0b01110, 0b00001, 0b00001, 0b11110);
        Set('4', 0b00010, 0b00110, 0b01010, 0b10010, 0b11111, 0b00010, 0b00010);
        Set('5', 0b11111, 0b10000, 0b11110, 0b00001, 0b00001, 0b10001, 0b01110);
        Set('6', 0b00110, 0b01000, 0b10000, 0b11110, 0b10001, 0b10001, 0b01110);
        Set('7', 0b11111, 0b00001, 0b00010, 0b00100, 0b01000, 0b01000, 0b01000);
        Set('8', 0b01110, 0b10001, 0b10001, 0b01110, 0b10001, 0b10001, 0b01110);
        Set('9', 0b01110, 0b10001, 0b10001, 0b01111, 0b00001, 0b00010, 0b01100);

        Set('A', 0b01110, 0b10001, 0b10001, 0b11111, 0b10001, 0b10001, 0b10001);
        Set('B', 0b11110, 0b10001, 0b10001, 0b11110, 0b10001, 0b10001, 0b11110);
        Set('C', 0b01110, 0b10001, 0b10000, 0b10000, 0b10000, 0b10001, 0b01110);
        Set('D', 0b11110, 0b10001, 0b10001, 0b10001, 0b10001, 0b10001, 0b11110);
        Set('E', 0b11111, 0b10000, 0b10000, 0b11110, 0b10000, 0b10000, 0b11111);
        Set('F', 0b11111, 0b10000, 0b10000, 0b11110, 0b10000, 0b10000, 0b10000);
        Set('G', 0b01110, 0b10001, 0b10000, 0b10111, 0b10001, 0b10001, 0b01111);
        Set('H', 0b10001, 0b10001, 0b10001, 0b11111, 0b10001, 0b10001, 0b10001);
        Set('I', 0b01110, 0b00100, 0b00100, 0b00100, 0b00100, 0b00100, 0b01110);
        Set('J', 0b00111, 0b00010, 0b00010, 0b00010, 0b00010, 0b10010, 0b01100);
        Set('K', 0b10001, 0b10010, 0b10100, 0b11000, 0b10100, 0b10010, 0b10001);
        Set('L', 0b10000, 0b10000, 0b10000, 0b10000, 0b10000, 0b10000, 0b11111);
        Set('M', 0b10001, 0b11011, 0b10101, 0b10101, 0b10001, 0b10001, 0b10001);
        Set('N', 0b10001, 0b11001, 0b10101, 0b10011, 0b10001, 0b10001, 0b10001);
        Set('O', 0b01110, 0b10001, 0b10001, 0b10001, 0b10001, 0b10001, 0b01110);
        Set('P', 0b11110, 0b10001, 0b10001, 0b11110, 0b10000, 0b10000, 0b10000);
        Set('Q', 0b01110, 0b10001, 0b10001, 0b10001, 0b10101, 0b10010, 0b01101);
        Set('R', 0b11110, 0b10001, 0b10001, 0b11110, 0b10100, 0b10010, 0b10001);
        Set('S', 0b01111, 0b10000, 0b10000, 0b01110, 0b00001, 0b00001, 0b11110);
        Set('T', 0b11111, 0b00100, 0b00100, 0b00100, 0b00100, 0b00100, 0b00100);
        Set('U', 0b10001, 0b10001, 0b10001, 0b10001, 0b10001, 0b10001, 0b01110);
        Set('V', 0b10001, 0b10001, 0b10001, 0b10001, 0b10001, 0b01010, 0b00100);
        Set('W', 0b10001, 0b10001, 0b10001, 0b10101, 0b10101, 0b10101, 0b01010);
        Set('X', 0b10001, 0b10001, 0b01010, 0b00100, 0b01010, 0b10001, 0b10001);
        Set('Y', 0b10001, 0b10001, 0b01010, 0b00100, 0b00100, 0b00100, 0b00100);
        Set('Z', 0b11111, 0b00001, 0b00010, 0b00100, 0b01000, 0b10000, 0b11111);

        Set('a', 0b00000, 0b00000, 0b01110, 0b00001, 0b01111, 0b10001, 0b01111);
        Set('b', 0b10000, 0b10000, 0b10110, 0b11001, 0b10001, 0b10001, 0b11110);
        Set('c', 0b00000, 0b00000, 0b01110, 0b10000, 0b10000, 0b10001, 0b01110);
        Set('d', 0b00001, 0b00001, 0b01101, 0b10011, 0b10001, 0b10001, 0b01111);
        Set('e', 0b00000, 0b00000, 0b01110, 0b10001, 0b11111, 0b10000, 0b01110);
        Set('f', 0b00110, 0b01001, 0b01000, 0b11100, 0b01000, 0b01000, 0b01000);
        Set('g', 0b00000, 0b00000, 0b01111, 0b10001, 0b01111, 0b00001, 0b01110);
        Set('h', 0b10000, 0b10000, 0b10110, 0b11001, 0b10001, 0b10001, 0b10001);
        Set('i', 0b00100, 0b00000, 0b01100, 0b00100, 0b00100, 0b00100, 0b01110);
        Set('j', 0b00010, 0b00000, 0b00110, 0b00010, 0b00010, 0b10010, 0b01100);
        Set('k', 0b10000, 0b10000, 0b10010, 0b10100, 0b11000, 0b10100, 0b10010);
        Set('l', 0b01100, 0b00100, 0b00100, 0b00100, 0b00100, 0b00100, 0b01110);
        Set('m', 0b00000, 0b00000, 0b11010, 0b10101, 0b10101, 0b10001, 0b10001);
        Set('n', 0b00000, 0b00000, 0b10110, 0b11001, 0b10001, 0b10001, 0b10001);
        Set('o', 0b00000, 0b00000, 0b01110, 0b10001, 0b10001, 0b10001, 0b01110);
        Set('p', 0b00000, 0b00000, 0b11110, 0b10001, 0b11110, 0b10000, 0b10000);
        Set('q', 0b00000, 0b00000, 0b01101, 0b10011, 0b01111, 0b00001, 0b00001);
        Set('r', 0b00000, 0b00000, 0b10110, 0b11001, 0b10000, 0b10000, 0b10000);
        Set('s', 0b00000, 0b00000, 0b01110, 0b10000, 0b01110, 0b00001, 0b11110);
        Set('t', 0b01000, 0b01000, 0b11100, 0b01000, 0b01000, 0b01001, 0b00110);
        Set('u', 0b00000, 0b00000, 0b10001, 0b10001, 0b10001, 0b10011, 0b01101);
        Set('v', 0b00000, 0b00000, 0b10001, 0b10001, 0b10001, 0b01010, 0b00100);
        Set('w', 0b00000, 0b00000, 0b10001, 0b10001, 0b10101, 0b10101, 0b01010);
        Set('x', 0b00000, 0b00000, 0b10001, 0b01010, 0b00100, 0b01010, 0b10001);
        Set('y', 0b00000, 0b00000, 0b10001, 0b10001, 0b01111, 0b00001, 0b01110);
        Set('z', 0b00000, 0b00000, 0b11111, 0b00010, 0b00100, 0b01000, 0b11111);

        Set('.', 0b00000, 0b00000, 0b00000, 0b00000, 0b00000, 0b01100, 0b01100);
        Set(',', 0b00000, 0b00000, 0b00000, 0b00000, 0b01100, 0b00100, 0b01000);
        Set(':', 0b00000, 0b01100, 0b01100, 0b00000, 0b01100, 0b01100, 0b00000);
        Set('-', 0b00000, 0b00000, 0b00000, 0b11111, 0b00000, 0b00000, 0b00000);
        Set('+', 0b00000, 0b00100, 0b00100, 0b11111, 0b00100, 0b00100, 0b00000);
        Set('=', 0b00000, 0b00000, 0b11111, 0b00000, 0b11111, 0b00000, 0b00000);
        Set('/', 0b00000, 0b00001, 0b00010, 0b00100, 0b01000, 0b10000, 0b00000);
        Set('(', 0b00010, 0b00100, 0b01000, 0b01000, 0b01000, 0b00100, 0b00010);
        Set(')', 0b01000, 0b00100, 0b00010, 0b00010, 0b00010, 0b00100, 0b01000);
        Set('[', 0b01110, 0b01000, 0b01000, 0b01000, 0b01000, 0b01000, 0b01110);
        Set(']', 0b01110, 0b00010, 0b00010, 0b00010, 0b00010, 0b00010, 0b01110);
        Set('%', 0b11000, 0b11001, 0b00010, 0b00100, 0b01000, 0b10011, 0b00011);
        Set('_', 0b00000, 0b00000, 0b00000, 0b00000, 0b00000, 0b00000, 0b11111);
        Set('\'', 0b01100, 0b00100, 0b01000, 0b00000, 0b00000, 0b00000, 0b00000);
        Set('?', 0b01110, 0b10001, 0b00001, 0b00010, 0b00100, 0b00000, 0b00100);
        Set('!', 0b00100, 0b00100, 0b00100, 0b00100, 0b00100, 0b00000, 0b00100);
        Set('<', 0b00010, 0b00100, 0b01000, 0b10000, 0b01000, 0b00100, 0b00010);
        Set('>', 0b01000, 0b00100, 0b00010, 0b00001, 0b00010, 0b00100, 0b01000);
        Set('*', 0b00000, 0b00100, 0b10101, 0b01110, 0b10101, 0b00100, 0b00000);
        Set('#', 0b01010, 0b01010, 0b11111, 0b01010, 0b11111, 0b01010, 0b01010);
        return t;
    }

    /// <summary>True if the dot at (column, row) of character <paramref name="c"/> is ink; row 0 is the top. Outside the 5×7 grid is blank.</summary>
    public static bool Ink(char c, int column, int row)
    {
        if ((uint)column >= Columns || (uint)row >= Rows || c < First || c > Last) return false;
        return ((Table[(c - First) * Rows + row] >> (Columns - 1 - column)) & 1) != 0;
    }

    /// <summary>
    /// Ink of a text line at continuous coordinates measured in dots: <paramref name="x"/> from the left
    /// edge of the first character, <paramref name="y"/> down from the top of the line. Each character
    /// occupies a <see cref="Advance"/>-dot cell.
    /// </summary>
    public static bool TextInk(string text, double x, double y)
    {
        if (x < 0 || y < 0) return false;
        int cx = (int)Math.Floor(x), cy = (int)Math.Floor(y);
        int index = cx / Advance;
        if (index >= text.Length) return false;
        return Ink(text[index], cx % Advance, cy);
    }
}
