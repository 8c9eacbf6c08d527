using System.Buffers.Binary;
using Radiant.Model;

namespace Radiant.Export.Compact;

/// <summary>
/// The antimatter15 <c>.splat</c> layout (REFERENCE §7; <c>convert.py</c> of antimatter15/splat):
/// no header, 32 bytes a Gaussian, little-endian —
/// <code>
///  0  f32×3  position x, y, z
/// 12  f32×3  linear scale exp(s₀), exp(s₁), exp(s₂)
/// 24  u8×4   r, g, b = round(255·(0.5 + C0·f_dc)), a = round(255·sigmoid(opacity))
/// 28  u8×4   rotation round(128·q/|q| + 128) for (w, x, y, z), clamped to 0..255
/// </code>
/// sorted by descending exp(s₀+s₁+s₂)·sigmoid(opacity) (the volume·alpha of the viewer's order).
/// No higher SH: a model read back has degree 0. (convert.py truncates the bytes; this writer
/// rounds, halving the error, which readers cannot tell apart.)
/// </summary>
public static class SplatFile
{
    public const int RecordBytes = 32;

    /// <summary>Writes <paramref name="g"/> as a .splat (atomic). Higher SH bands are dropped.</summary>
    public static void Write(string path, GaussianSet g)
    {
        byte[] bytes = Encode(g);
        AtomicFile.WriteAllBytes(path, bytes);
    }

    /// <summary>The file's bytes for <paramref name="g"/>.</summary>
    public static byte[] Encode(GaussianSet g)
    {
        int n = g.Count;
        int[] order = SortOrder(g);
        var bytes = new byte[(long)n * RecordBytes];
        int k3 = g.ShCoefficients * 3;
        for (int r = 0; r < n; r++)
        {
            int i = order[r];
            Span<byte> rec = bytes.AsSpan(r * RecordBytes, RecordBytes);
            for (int a = 0; a < 3; a++)
            {
                BinaryPrimitives.WriteSingleLittleEndian(rec[(4 * a)..], g.Means[3 * i + a]);
                BinaryPrimitives.WriteSingleLittleEndian(rec[(12 + 4 * a)..], MathF.Exp(g.LogScales[3 * i + a]));
                rec[24 + a] = Quantize.Byte(255 * (0.5f + GaussianSet.ShC0 * g.Sh[i * k3 + a]));
            }
            rec[27] = Quantize.Byte(255 * GaussianSet.Sigmoid(g.OpacityLogits[i]));
            var (w, x, y, z) = Quantize.UnitQuaternion(g.Rotations.AsSpan(4 * i, 4));
            rec[28] = Quantize.Byte(128 * w + 128);
            rec[29] = Quantize.Byte(128 * x + 128);
            rec[30] = Quantize.Byte(128 * y + 128);
            rec[31] = Quantize.Byte(128 * z + 128);
        }
        return bytes;
    }

    /// <summary>Gaussian indices by descending exp(Σ log-scales)·sigmoid(opacity); ties keep the model's order.</summary>
    public static int[] SortOrder(GaussianSet g)
    {
        int n = g.Count;
        var key = new double[n];
        var order = new int[n];
        for (int i = 0; i < n; i++)
        {
            order[i] = i;
            double logVolume = (double)g.LogScales[3 * i] + g.LogScales[3 * i + 1] + g.LogScales[3 * i + 2];
            key[i] = -(Math.Exp(logVolume) * GaussianSet.Sigmoid(g.OpacityLogits[i]));
        }
        Array.Sort(key, order); // introsort is unstable: break ties by index below
        for (int a = 0; a < n;)
        {
            int b = a + 1;
            while (b < n && key[b] == key[a]) b++;
            if (b - a > 1) Array.Sort(order, a, b - a);
            a = b;
        }
        return order;
    }

    /// <summary>Reads a .splat: the size must be a whole number of records.</summary>
    public static GaussianSet Read(string path) => CompactInput.Open(path, fs =>
    {
        long length = fs.Length;
        if (length == 0) throw new RadiantException(path, "empty .splat file (no Gaussians)");
        if (length % RecordBytes != 0)
            throw new RadiantException(path, $"size {length} bytes is not a multiple of the {RecordBytes}-byte .splat record (truncated or not a .splat file)");
        if (length / RecordBytes > Array.MaxLength / 3)
            throw new RadiantException(path, $"{length / RecordBytes} Gaussians are more than Radiant can hold in memory");
        int n = (int)(length / RecordBytes);
        var g = new GaussianSet(n, 0);
        var chunk = new byte[RecordBytes * 4096];
        for (int first = 0; first < n; first += 4096)
        {
            int m = Math.Min(4096, n - first);
            fs.ReadExactly(chunk, 0, m * RecordBytes);
            for (int r = 0; r < m; r++) Decode(chunk.AsSpan(r * RecordBytes, RecordBytes), g, first + r, path);
        }
        return g;
    });

    private static void Decode(ReadOnlySpan<byte> rec, GaussianSet g, int i, string path)
    {
        for (int a = 0; a < 3; a++)
        {
            float p = BinaryPrimitives.ReadSingleLittleEndian(rec[(4 * a)..]);
            float s = BinaryPrimitives.ReadSingleLittleEndian(rec[(12 + 4 * a)..]);
            if (!float.IsFinite(p)) throw new RadiantException(path, $"Gaussian {i} has a non-finite position ({p})");
            if (!(s > 0) || !float.IsFinite(s)) throw new RadiantException(path, $"Gaussian {i} has scale {s}; a .splat scale must be positive and finite");
            g.Means[3 * i + a] = p;
            g.LogScales[3 * i + a] = MathF.Log(s);
            g.Sh[3 * i + a] = (rec[24 + a] / 255f - 0.5f) / GaussianSet.ShC0;
        }
        g.OpacityLogits[i] = Quantize.Logit(rec[27] / 255f);
        Span<float> q = [(rec[28] - 128) / 128f, (rec[29] - 128) / 128f, (rec[30] - 128) / 128f, (rec[31] - 128) / 128f];
        var (w, x, y, z) = Quantize.UnitQuaternion(q);
        g.Rotations[4 * i] = w; g.Rotations[4 * i + 1] = x; g.Rotations[4 * i + 2] = y; g.Rotations[4 * i + 3] = z;
    }
}
