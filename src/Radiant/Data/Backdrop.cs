using Radiant.Imaging;

namespace Radiant.Data;

/// <summary>
/// A plain backdrop around opaque photos: renders of an object saved without transparency (NeRF-synthetic
/// composited over white and saved as JPEG, product shots on a seamless backdrop). Trained over the
/// default black background, a model has to paint such a backdrop with Gaussians, and since it lies in
/// every direction at no depth it becomes a fog in front of the object (the 200² sample composited
/// over white: 15.73 dB over black, 33.39 dB over white). With the backdrop's colour as the background,
/// those pixels are simply empty.
/// </summary>
public static class Backdrop
{
    /// <summary>How far (per channel, in [0, 1]) a border pixel may be from the backdrop's colour: about 10 levels of 8 bits, for JPEG noise.</summary>
    public const float Tolerance = 0.04f;
    /// <summary>The share of an image's border pixels that must be the backdrop's colour (an object may cross the frame's edge).</summary>
    public const double BorderShare = 0.9;
    /// <summary>The share of the images whose border must be the backdrop.</summary>
    public const double ImageShare = 0.75;

    /// <summary>
    /// The colour of a plain backdrop around the dataset's training photos, looked for in up to 8 of
    /// them spread over the split (a photo that cannot be read is skipped here: training reports it);
    /// null when there is none, or when it is black, the default for opaque photos anyway.
    /// </summary>
    public static float[]? Find(Dataset ds)
    {
        int count = Math.Min(8, ds.Train.Count);
        var images = new List<Image>(count);
        for (int k = 0; k < count; k++)
        {
            try { images.Add(ds.LoadImage(ds.Train[k * ds.Train.Count / count])); }
            catch (RadiantException) { }
        }
        float[]? colour = Detect(images);
        return colour is not null && colour.Any(c => c > Tolerance) ? colour : null;
    }

    /// <summary>
    /// The colour of the frame of pixels along every image's edge (a band 1/64 of the shorter side wide,
    /// at least 1 px) when it is one colour: each channel's median over the bands of all the images,
    /// provided that in at least <see cref="ImageShare"/> of the images at least <see cref="BorderShare"/>
    /// of the band's pixels are within <see cref="Tolerance"/> of it in every channel; else null.
    /// </summary>
    public static float[]? Detect(IReadOnlyList<Image> images)
    {
        if (images.Count == 0) return null;
        // Per-channel medians from 8-bit histograms of the bands.
        var histograms = new long[3, 256];
        long total = 0;
        foreach (Image image in images)
            ForEachBorderPixel(image, (r, g, b) =>
            {
                histograms[0, Level(r)]++; histograms[1, Level(g)]++; histograms[2, Level(b)]++;
                total++;
            });
        var colour = new float[3];
        for (int c = 0; c < 3; c++)
        {
            long seen = 0;
            int level = 0;
            while (level < 255 && (seen += histograms[c, level]) * 2 < total) level++;
            colour[c] = level / 255f;
        }

        int plain = 0;
        foreach (Image image in images)
        {
            long inBand = 0, matching = 0;
            ForEachBorderPixel(image, (r, g, b) =>
            {
                inBand++;
                if (Math.Abs(r - colour[0]) <= Tolerance && Math.Abs(g - colour[1]) <= Tolerance && Math.Abs(b - colour[2]) <= Tolerance) matching++;
            });
            if (matching >= BorderShare * inBand) plain++;
        }
        return plain >= ImageShare * images.Count ? colour : null;

        static int Level(float v) => (int)Math.Clamp(MathF.Round(v * 255), 0, 255);
    }

    private static void ForEachBorderPixel(Image image, Action<float, float, float> visit)
    {
        if (image.Channels < 3) throw new ArgumentException("backdrop detection needs RGB images");
        int w = image.Width, h = image.Height, band = Math.Max(1, Math.Min(w, h) / 64);
        ReadOnlySpan<float> red = image.ReadPlane(0), green = image.ReadPlane(1), blue = image.ReadPlane(2);
        for (int y = 0; y < h; y++)
        {
            bool edgeRow = y < band || y >= h - band;
            for (int x = 0; x < w; x++)
            {
                if (!edgeRow && x == band && w - band > band) x = w - band;   // skip the inside of the row
                int i = y * w + x;
                visit(red[i], green[i], blue[i]);
            }
        }
    }
}
