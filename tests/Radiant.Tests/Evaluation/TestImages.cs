namespace Radiant.Tests.Evaluation;

/// <summary>Deterministic planar test images in [0, 1].</summary>
public static class TestImages
{
    public static float[] Random(int width, int height, int channels, int seed)
    {
        var rng = new Random(seed);
        var a = new float[width * height * channels];
        for (int i = 0; i < a.Length; i++) a[i] = rng.NextSingle();
        return a;
    }

    /// <summary>Flat areas, ramps, a checkerboard and a disc: large smooth regions where σ² is near 0.</summary>
    /// <summary>
    /// Straight RGBA as NeRF-synthetic stores it: a third of the pixels fully transparent with black
    /// colour, a third half-transparent at random alpha, a third opaque; random colours elsewhere.
    /// </summary>
    public static Radiant.Imaging.Image StraightRgba(int width, int height, int seed)
    {
        var rng = new System.Random(seed);
        var image = new Radiant.Imaging.Image(width, height, 4);
        int n = image.PixelCount;
        for (int i = 0; i < n; i++)
        {
            int kind = rng.Next(3);
            float alpha = kind == 0 ? 0 : kind == 1 ? rng.NextSingle() : 1;
            for (int c = 0; c < 3; c++) image.Data[c * n + i] = alpha == 0 ? 0 : rng.NextSingle();
            image.Data[3 * n + i] = alpha;
        }
        return image;
    }

    public static float[] Structured(int width, int height, int channels, int variant)
    {
        var a = new float[width * height * channels];
        for (int c = 0; c < channels; c++)
            for (int y = 0; y < height; y++)
                for (int x = 0; x < width; x++)
                {
                    float v;
                    if (x < width / 3) v = 0.2f + 0.1f * c + 0.05f * variant;                               // flat
                    else if (x < 2 * width / 3) v = (float)(y + variant) / (height + 3);                     // ramp
                    else v = ((x / 4 + y / 4 + variant) % 2 == 0) ? 0.9f : 0.1f + 0.02f * c;                 // checkerboard
                    float dx = x - width * 0.5f, dy = y - height * 0.5f;
                    if (dx * dx + dy * dy < height * height / 16f) v = 0.7f - 0.2f * variant + 0.05f * c;    // disc
                    a[(c * height + y) * width + x] = Math.Clamp(v, 0f, 1f);
                }
        return a;
    }

    /// <summary>y + noise of amplitude <paramref name="amplitude"/>, clamped to [0, 1].</summary>
    public static float[] Perturbed(float[] y, float amplitude, int seed)
    {
        var rng = new Random(seed);
        return Array.ConvertAll(y, v => Math.Clamp(v + amplitude * (2 * rng.NextSingle() - 1), 0f, 1f));
    }

    public static float[] Mask(int width, int height, int seed)
    {
        var rng = new Random(seed);
        var m = new float[width * height];
        for (int i = 0; i < m.Length; i++) m[i] = rng.NextDouble() < 0.25 ? 0f : rng.NextSingle();
        return m;
    }
}
