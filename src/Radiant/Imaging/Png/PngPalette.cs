namespace Radiant.Imaging.Png;

/// <summary>
/// A PLTE palette (PNG spec §11.2.3) as float lookup tables in [0, 1], with the per-entry alpha of
/// a tRNS chunk (§11.3.2.1); entries that tRNS does not cover are opaque.
/// </summary>
internal sealed class PngPalette
{
    public int Count { get; }
    public float[] R { get; } = new float[256];
    public float[] G { get; } = new float[256];
    public float[] B { get; } = new float[256];
    public float[] A { get; } = new float[256];

    /// <summary>True once a tRNS chunk has given the palette alpha.</summary>
    public bool HasAlpha { get; private set; }

    private PngPalette(int count) { Count = count; }

    public static PngPalette Parse(ReadOnlySpan<byte> plte)
    {
        // §11.2.3: 1 to 256 entries of 3 bytes each.
        if (plte.Length == 0 || plte.Length % 3 != 0 || plte.Length > 256 * 3)
            throw new InvalidDataException($"PNG PLTE chunk has length {plte.Length} (must be a multiple of 3, 3 to 768)");
        var p = new PngPalette(plte.Length / 3);
        for (int i = 0; i < p.Count; i++)
        {
            p.R[i] = plte[3 * i] / 255f;
            p.G[i] = plte[3 * i + 1] / 255f;
            p.B[i] = plte[3 * i + 2] / 255f;
            p.A[i] = 1f;
        }
        return p;
    }

    /// <summary>
    /// tRNS for colour type 3: one alpha byte per palette entry (§11.3.2.1: at most as many as the
    /// palette has; the entries past the palette, which some writers add, are ignored, as PIL does).
    /// </summary>
    public void ApplyTransparency(ReadOnlySpan<byte> trns)
    {
        if (trns.Length > Count) trns = trns[..Count];
        for (int i = 0; i < trns.Length; i++) A[i] = trns[i] / 255f;
        HasAlpha = true;
    }
}
