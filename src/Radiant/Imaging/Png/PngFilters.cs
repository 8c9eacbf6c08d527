namespace Radiant.Imaging.Png;

/// <summary>PNG scanline filters (PNG spec §9): None, Sub, Up, Average, Paeth.</summary>
public static class PngFilters
{
    /// <summary>Paeth predictor of left a, above b, upper-left c (§9.4).</summary>
    public static int Paeth(int a, int b, int c)
    {
        int p = a + b - c;
        int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        if (pa <= pb && pa <= pc) return a;
        return pb <= pc ? b : c;
    }

    /// <summary>
    /// Reverses filter <paramref name="type"/> on one scanline in place, given the previous (already
    /// unfiltered) line, all zeros for the first line of an image or pass. <paramref name="bytesPerPixel"/>
    /// is the §9.2 byte distance (at least 1). The first pixel, which has no left neighbour, is done
    /// apart so the main loops carry no bounds tests.
    /// </summary>
    public static void Unfilter(int type, Span<byte> line, ReadOnlySpan<byte> prior, int bytesPerPixel)
    {
        int n = line.Length, bpp = Math.Min(bytesPerPixel, n);
        prior = prior[..n];
        switch (type)
        {
            case 0: // None
                break;
            case 1: // Sub: Recon(x) = Filt(x) + Recon(a)
                for (int i = bpp; i < n; i++) line[i] += line[i - bpp];
                break;
            case 2: // Up: Recon(x) = Filt(x) + Recon(b)
                for (int i = 0; i < n; i++) line[i] += prior[i];
                break;
            case 3: // Average: Recon(x) = Filt(x) + floor((Recon(a) + Recon(b)) / 2)
                for (int i = 0; i < bpp; i++) line[i] += (byte)(prior[i] >> 1);
                for (int i = bpp; i < n; i++) line[i] += (byte)((line[i - bpp] + prior[i]) >> 1);
                break;
            case 4: // Paeth: Recon(x) = Filt(x) + PaethPredictor(Recon(a), Recon(b), Recon(c)); with a = c = 0 it is b
                for (int i = 0; i < bpp; i++) line[i] += prior[i];
                for (int i = bpp; i < n; i++) line[i] += (byte)Paeth(line[i - bpp], prior[i], prior[i - bpp]);
                break;
            default:
                throw new InvalidDataException($"unknown PNG filter type {type}");
        }
    }
}
