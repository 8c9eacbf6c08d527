namespace Radiant.Imaging.Png;

/// <summary>PNG scanline filters (PNG spec §9): None, Sub, Up, Average, Paeth.</summary>
public static class PngFilters
{
    /// <summary>Paeth predictor of left a, above b, upper-left c.</summary>
    public static int Paeth(int a, int b, int c)
    {
        int p = a + b - c;
        int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        if (pa <= pb && pa <= pc) return a;
        return pb <= pc ? b : c;
    }

    /// <summary>Reverses filter <paramref name="type"/> on one scanline in place, given the previous (already unfiltered) line.</summary>
    public static void Unfilter(int type, Span<byte> line, ReadOnlySpan<byte> prior, int bytesPerPixel)
    {
        switch (type)
        {
            case 0: break;
            case 1:
                for (int i = bytesPerPixel; i < line.Length; i++) line[i] += line[i - bytesPerPixel];
                break;
            case 2:
                for (int i = 0; i < line.Length; i++) line[i] += prior[i];
                break;
            case 3:
                for (int i = 0; i < line.Length; i++)
                    line[i] += (byte)(((i >= bytesPerPixel ? line[i - bytesPerPixel] : 0) + prior[i]) >> 1);
                break;
            case 4:
                for (int i = 0; i < line.Length; i++)
                {
                    int a = i >= bytesPerPixel ? line[i - bytesPerPixel] : 0;
                    int c = i >= bytesPerPixel ? prior[i - bytesPerPixel] : 0;
                    line[i] += (byte)Paeth(a, prior[i], c);
                }
                break;
            default:
                throw new InvalidDataException($"unknown PNG filter type {type}");
        }
    }
}
