namespace Radiant.Imaging;

/// <summary>
/// The viridis colour map (van der Walt and Smith, matplotlib 2.0's default): perceptually uniform,
/// readable in greyscale and by colour-blind viewers; dark blue-violet at 0, yellow at 1. Stored as
/// every 8th entry of matplotlib's 256-entry table (plus the last), linearly interpolated: the
/// largest difference from the full table is 0.0065 (1.7/255), measured over all 256 entries.
/// </summary>
public static class Viridis
{
    private const int Step = 8;

    // sRGB in [0, 1] at table indices 0, 8, …, 248, 255.
    private static readonly float[] Table =
    [
        0.267004f, 0.004874f, 0.329415f, // 0
        0.277018f, 0.050344f, 0.375715f, // 8
        0.282327f, 0.094955f, 0.417331f, // 16
        0.282884f, 0.135920f, 0.453427f, // 24
        0.278826f, 0.175490f, 0.483397f, // 32
        0.270595f, 0.214069f, 0.507052f, // 40
        0.258965f, 0.251537f, 0.524736f, // 48
        0.244972f, 0.287675f, 0.537260f, // 56
        0.229739f, 0.322361f, 0.545706f, // 64
        0.214298f, 0.355619f, 0.551184f, // 72
        0.199430f, 0.387607f, 0.554642f, // 80
        0.185556f, 0.418570f, 0.556753f, // 88
        0.172719f, 0.448791f, 0.557885f, // 96
        0.160665f, 0.478540f, 0.558115f, // 104
        0.149039f, 0.508051f, 0.557250f, // 112
        0.137770f, 0.537492f, 0.554906f, // 120
        0.127568f, 0.566949f, 0.550556f, // 128
        0.120565f, 0.596422f, 0.543611f, // 136
        0.120638f, 0.625828f, 0.533488f, // 144
        0.132268f, 0.655014f, 0.519661f, // 152
        0.157851f, 0.683765f, 0.501686f, // 160
        0.196571f, 0.711827f, 0.479221f, // 168
        0.246070f, 0.738910f, 0.452024f, // 176
        0.304148f, 0.764704f, 0.419943f, // 184
        0.369214f, 0.788888f, 0.382914f, // 192
        0.440137f, 0.811138f, 0.340967f, // 200
        0.515992f, 0.831158f, 0.294279f, // 208
        0.595839f, 0.848717f, 0.243329f, // 216
        0.678489f, 0.863742f, 0.189503f, // 224
        0.762373f, 0.876424f, 0.137064f, // 232
        0.845561f, 0.887322f, 0.099702f, // 240
        0.926106f, 0.897330f, 0.104071f, // 248
        0.993248f, 0.906157f, 0.143936f, // 255
    ];

    /// <summary>The colour at <paramref name="t"/> (clamped to [0, 1]; NaN gives the colour at 0).</summary>
    public static (float R, float G, float B) At(float t)
    {
        float index = (float.IsNaN(t) ? 0 : Math.Clamp(t, 0f, 1f)) * 255f;
        int k = Math.Min((int)(index / Step), Table.Length / 3 - 2);
        float lo = k * Step, hi = Math.Min(lo + Step, 255f);
        float w = (index - lo) / (hi - lo);
        int a = 3 * k, b = a + 3;
        return (Table[a] + (Table[b] - Table[a]) * w,
                Table[a + 1] + (Table[b + 1] - Table[a + 1]) * w,
                Table[a + 2] + (Table[b + 2] - Table[a + 2]) * w);
    }
}
