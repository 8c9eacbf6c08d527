namespace Radiant.Export.Compact;

/// <summary>
/// The small quantisers the compact formats share: unsigned normalised integers of a few bits
/// (q = floor(v·(2^b − 1) + ½), clamped), bytes rounded to nearest, min/max normalisation with
/// the PlayCanvas conventions, a clamped logit, and the unit-quaternion normalisation (a zero
/// quaternion becomes the identity).
/// </summary>
internal static class Quantize
{
    /// <summary>v ∈ [0, 1] to a <paramref name="bits"/>-bit integer, round to nearest (NaN → 0).</summary>
    public static uint Unorm(float v, int bits)
    {
        uint top = (1u << bits) - 1;
        float x = MathF.Floor(v * top + 0.5f);
        return x >= top ? top : x > 0 ? (uint)x : 0u;
    }

    /// <summary>The low <paramref name="bits"/> of q as a value in [0, 1].</summary>
    public static float FromUnorm(uint q, int bits)
    {
        uint top = (1u << bits) - 1;
        return (q & top) / (float)top;
    }

    /// <summary>x rounded to the nearest byte value, clamped to 0..255 (NaN → 0).</summary>
    public static byte Byte(float x)
    {
        float r = MathF.Round(x);
        return r >= 255 ? (byte)255 : r > 0 ? (byte)r : (byte)0;
    }

    /// <summary>(x − min)/(max − min) clamped to [0, 1]; 0 when the range is below 1e-5 (PlayCanvas' chunk normalisation).</summary>
    public static float Normalise(float x, float min, float max)
    {
        if (x <= min) return 0;
        if (x >= max) return 1;
        return max - min < 1e-5f ? 0 : (x - min) / (max - min);
    }

    /// <summary>Inverse sigmoid of an opacity read from a file, kept finite: α is clamped to [1e-6, 1 − 1e-6].</summary>
    public static float Logit(float alpha)
    {
        float a = Math.Clamp(alpha, 1e-6f, 1 - 1e-6f);
        return MathF.Log(a / (1 - a));
    }

    /// <summary>The Gaussian's rotation (w, x, y, z) divided by its norm; a zero or non-finite quaternion gives the identity.</summary>
    public static (float W, float X, float Y, float Z) UnitQuaternion(ReadOnlySpan<float> q)
    {
        float n = MathF.Sqrt(q[0] * q[0] + q[1] * q[1] + q[2] * q[2] + q[3] * q[3]);
        if (!(n > 0) || !float.IsFinite(n)) return (1, 0, 0, 0);
        return (q[0] / n, q[1] / n, q[2] / n, q[3] / n);
    }

    /// <summary>Minimum and maximum of every <paramref name="stride"/>-th value starting at <paramref name="offset"/>, over rows [first, first+count).</summary>
    public static (float Min, float Max) Range(ReadOnlySpan<float> values, int stride, int offset, int first, int count)
    {
        float min = float.PositiveInfinity, max = float.NegativeInfinity;
        for (int i = first; i < first + count; i++)
        {
            float v = values[i * stride + offset];
            if (v < min) min = v;
            if (v > max) max = v;
        }
        return (min, max);
    }
}
