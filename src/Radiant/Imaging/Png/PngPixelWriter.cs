namespace Radiant.Imaging.Png;

/// <summary>
/// Turns unfiltered scanlines into the planar float <see cref="Image"/>: grey is expanded to RGB,
/// palette indices are looked up, and the tRNS colour key becomes an alpha plane. A sample becomes
/// value / (2^depth − 1) (PNG spec §13.12, the exact scaling), computed as a double product
/// rounded once to float. That equals the correctly rounded float quotient: 2^depth − 1 is odd, so
/// the quotient is never a dyadic fraction and lies far further from a float rounding boundary
/// than the double product's error.
/// </summary>
internal sealed class PngPixelWriter
{
    private readonly PngHeader _header;
    private readonly PngPalette? _palette;
    private readonly PngColorKey? _key;
    private readonly float[] _data;
    private readonly int _planeSize;
    private readonly double _scale;

    public Image Image { get; }

    public PngPixelWriter(PngHeader header, PngPalette? palette, PngColorKey? key)
    {
        _header = header;
        _palette = palette;
        _key = key;
        Image = new Image(header.Width, header.Height, OutputChannels(header, palette, key));
        _data = Image.Data;
        _planeSize = Image.PixelCount;
        _scale = 1.0 / header.MaxSample;
    }

    /// <summary>RGBA when the file has alpha or transparency, otherwise RGB.</summary>
    public static int OutputChannels(PngHeader header, PngPalette? palette, PngColorKey? key) => header.ColorType switch
    {
        PngColorType.GreyscaleAlpha or PngColorType.TruecolorAlpha => 4,
        PngColorType.IndexedColor => palette is { HasAlpha: true } ? 4 : 3,
        _ => key is null ? 3 : 4,
    };

    /// <summary>
    /// Writes one unfiltered scanline of <paramref name="count"/> pixels to image row <paramref name="y"/>,
    /// pixel i going to column <paramref name="x0"/> + i·<paramref name="dx"/>.
    /// </summary>
    public void WriteRow(ReadOnlySpan<byte> row, int count, int y, int x0, int dx)
    {
        int start = y * _header.Width + x0;
        switch (_header.BitDepth)
        {
            case 1: WriteRow<Samples1>(row, count, start, dx); break;
            case 2: WriteRow<Samples2>(row, count, start, dx); break;
            case 4: WriteRow<Samples4>(row, count, start, dx); break;
            case 8: WriteRow<Samples8>(row, count, start, dx); break;
            default: WriteRow<Samples16>(row, count, start, dx); break;
        }
    }

    private void WriteRow<TS>(ReadOnlySpan<byte> row, int count, int start, int dx) where TS : struct, IPngSampleReader
    {
        int n = _planeSize;
        Span<float> r = _data.AsSpan(0, n), g = _data.AsSpan(n, n), b = _data.AsSpan(2 * n, n);
        Span<float> a = Image.Channels == 4 ? _data.AsSpan(3 * n, n) : default;
        double scale = _scale;
        switch (_header.ColorType)
        {
            case PngColorType.Greyscale:
                if (_key is { } gk)
                {
                    for (int i = 0, d = start; i < count; i++, d += dx)
                    {
                        int v = TS.Read(row, i);
                        r[d] = g[d] = b[d] = (float)(v * scale);
                        a[d] = v == gk.R ? 0f : 1f;
                    }
                }
                else
                {
                    for (int i = 0, d = start; i < count; i++, d += dx)
                        r[d] = g[d] = b[d] = (float)(TS.Read(row, i) * scale);
                }
                break;

            case PngColorType.GreyscaleAlpha:
                for (int i = 0, d = start; i < count; i++, d += dx)
                {
                    r[d] = g[d] = b[d] = (float)(TS.Read(row, 2 * i) * scale);
                    a[d] = (float)(TS.Read(row, 2 * i + 1) * scale);
                }
                break;

            case PngColorType.Truecolor:
                if (_key is { } k)
                {
                    for (int i = 0, d = start; i < count; i++, d += dx)
                    {
                        int vr = TS.Read(row, 3 * i), vg = TS.Read(row, 3 * i + 1), vb = TS.Read(row, 3 * i + 2);
                        r[d] = (float)(vr * scale);
                        g[d] = (float)(vg * scale);
                        b[d] = (float)(vb * scale);
                        a[d] = vr == k.R && vg == k.G && vb == k.B ? 0f : 1f;
                    }
                }
                else
                {
                    for (int i = 0, d = start; i < count; i++, d += dx)
                    {
                        r[d] = (float)(TS.Read(row, 3 * i) * scale);
                        g[d] = (float)(TS.Read(row, 3 * i + 1) * scale);
                        b[d] = (float)(TS.Read(row, 3 * i + 2) * scale);
                    }
                }
                break;

            case PngColorType.TruecolorAlpha:
                for (int i = 0, d = start; i < count; i++, d += dx)
                {
                    r[d] = (float)(TS.Read(row, 4 * i) * scale);
                    g[d] = (float)(TS.Read(row, 4 * i + 1) * scale);
                    b[d] = (float)(TS.Read(row, 4 * i + 2) * scale);
                    a[d] = (float)(TS.Read(row, 4 * i + 3) * scale);
                }
                break;

            case PngColorType.IndexedColor:
                WritePaletteRow<TS>(row, count, start, dx, r, g, b, a);
                break;
        }
    }

    private void WritePaletteRow<TS>(ReadOnlySpan<byte> row, int count, int start, int dx,
        Span<float> r, Span<float> g, Span<float> b, Span<float> a) where TS : struct, IPngSampleReader
    {
        PngPalette p = _palette!;
        float[] pr = p.R, pg = p.G, pb = p.B, pa = p.A;
        uint entries = (uint)p.Count;
        bool alpha = !a.IsEmpty;
        for (int i = 0, d = start; i < count; i++, d += dx)
        {
            int index = TS.Read(row, i);
            // §11.2.3: an index beyond the palette is an error.
            if ((uint)index >= entries)
                throw new InvalidDataException($"PNG palette index {index} is out of range (the palette has {entries} entries)");
            r[d] = pr[index];
            g[d] = pg[index];
            b[d] = pb[index];
            if (alpha) a[d] = pa[index];
        }
    }
}
