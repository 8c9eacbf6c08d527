using System.Buffers.Binary;
using System.IO.Compression;
using Radiant.Model;

namespace Radiant.Export.Compact;

/// <summary>
/// Niantic's <c>.spz</c>, gzip versions 2 and 3 (REFERENCE §7; nianticlabs/spz <c>load-spz.cc</c>).
/// The gzip stream holds a 16-byte little-endian header
/// <code>
/// u32 magic 0x5053474E ("NGSP")   u32 version (2 or 3)   u32 count
/// u8 SH degree   u8 fractional bits   u8 flags (1 = antialiased, 2 = extensions)   u8 0
/// </code>
/// then attribute blocks, each for all Gaussians in turn:
/// positions (3 × 24-bit two's-complement fixed point, x·2^fractionalBits), alphas
/// (u8 round(255·sigmoid)), colours (u8 round(f_dc·0.15·255 + 127.5)), scales
/// (u8 round((log s + 10)·16)), rotations and SH. Rotations: version 2 stores x, y, z of the unit
/// quaternion with w ≥ 0 as round(127.5·v + 127.5); version 3 stores "smallest three" in 32 bits
/// (bits 30–31 the index of the largest |component| in (x, y, z, w) order, then for each other
/// component from x to w a sign bit and a 9-bit magnitude |v|/√½·511, the first in the highest
/// bits). SH: (degree+1)²−1 coefficients a channel, coefficient-major with the channel inner
/// (unlike the .ply's channel-major f_rest), u8 round(128·v) + 128 snapped to buckets of 8
/// (5 bits) for degree 1 and 16 (4 bits) above. Coordinates are written as stored (no axis flip).
/// This writer writes version 3 by default (version 2 on request); extensions and the zstd
/// version 4 are not supported.
/// </summary>
public static class SpzFile
{
    public const uint Magic = 0x5053474E;
    private const int HeaderBytes = 16;
    private const float ColourScale = 0.15f;
    private const float SqrtHalf = 0.70710678118654752f;

    /// <summary>Bytes per Gaussian after decompression for a version and SH degree.</summary>
    public static int BytesPerGaussian(int version, int shDegree) =>
        9 + 1 + 3 + 3 + (version >= 3 ? 4 : 3) + 3 * ((shDegree + 1) * (shDegree + 1) - 1);

    /// <summary>Writes an .spz; <paramref name="antialiased"/> sets flag 1 (the model is meant to be drawn with a 2D Mip filter).</summary>
    public static void Write(string path, GaussianSet g, int version = 3, bool antialiased = false)
    {
        byte[] raw = Pack(g, version, path);
        if (antialiased) raw[14] |= 1;
        AtomicFile.Write(path, stream =>
        {
            using var gz = new GZipStream(stream, CompressionLevel.SmallestSize, leaveOpen: true);
            gz.Write(raw);
        });
    }

    /// <summary>The uncompressed header and attribute blocks.</summary>
    public static byte[] Pack(GaussianSet g, int version, string path)
    {
        if (version is not (2 or 3)) throw new ArgumentOutOfRangeException(nameof(version), "spz version must be 2 or 3");
        int n = g.Count, degree = g.ShDegree, k = g.ShCoefficients, rest = k - 1;
        int fractionalBits = FractionalBits(g.Means, path);
        var raw = new byte[HeaderBytes + (long)n * BytesPerGaussian(version, degree)];
        Span<byte> h = raw;
        BinaryPrimitives.WriteUInt32LittleEndian(h, Magic);
        BinaryPrimitives.WriteUInt32LittleEndian(h[4..], (uint)version);
        BinaryPrimitives.WriteUInt32LittleEndian(h[8..], (uint)n);
        h[12] = (byte)degree; h[13] = (byte)fractionalBits;

        int pos = HeaderBytes, alpha = pos + 9 * n, colour = alpha + n, scale = colour + 3 * n, rot = scale + 3 * n;
        int rotBytes = version >= 3 ? 4 : 3, sh = rot + rotBytes * n;
        float fixedScale = 1 << fractionalBits;
        for (int i = 0; i < n; i++)
        {
            for (int a = 0; a < 3; a++)
            {
                int f = (int)MathF.Round(g.Means[3 * i + a] * fixedScale);
                int o = pos + 9 * i + 3 * a;
                raw[o] = (byte)f; raw[o + 1] = (byte)(f >> 8); raw[o + 2] = (byte)(f >> 16);
                raw[colour + 3 * i + a] = Quantize.Byte(g.Sh[i * k * 3 + a] * (ColourScale * 255) + 127.5f);
                raw[scale + 3 * i + a] = Quantize.Byte((g.LogScales[3 * i + a] + 10) * 16);
            }
            raw[alpha + i] = Quantize.Byte(GaussianSet.Sigmoid(g.OpacityLogits[i]) * 255);
            var (w, x, y, z) = Quantize.UnitQuaternion(g.Rotations.AsSpan(4 * i, 4));
            Span<float> xyzw = [x, y, z, w];
            if (version >= 3) BinaryPrimitives.WriteUInt32LittleEndian(raw.AsSpan(rot + 4 * i), PackSmallestThree(xyzw));
            else
            {
                float sign = w < 0 ? -127.5f : 127.5f;
                for (int a = 0; a < 3; a++) raw[rot + 3 * i + a] = Quantize.Byte(xyzw[a] * sign + 127.5f);
            }
            for (int j = 0; j < rest; j++)
            {
                int bucket = j < 3 ? 8 : 16;
                for (int c = 0; c < 3; c++)
                {
                    int q = (int)MathF.Round(g.Sh[(i * k + 1 + j) * 3 + c] * 128) + 128;
                    q = (q + bucket / 2) / bucket * bucket;
                    raw[sh + (i * rest + j) * 3 + c] = (byte)Math.Clamp(q, 0, 255);
                }
            }
        }
        return raw;
    }

    /// <summary>The most fractional bits (≤ 12, the reference's choice) that keep every coordinate inside 24-bit fixed point.</summary>
    private static int FractionalBits(float[] means, string path)
    {
        float max = 0;
        foreach (float m in means) max = Math.Max(max, MathF.Abs(m));
        for (int bits = 12; bits >= 0; bits--)
            if (max * (1 << bits) < (1 << 23) - 1) return bits;
        throw new RadiantException(path, $"a position coordinate of {max} does not fit .spz's 24-bit fixed point (|x| < 8388607)");
    }

    /// <summary>Smallest-three packing of a unit quaternion in (x, y, z, w) order (version 3).</summary>
    internal static uint PackSmallestThree(ReadOnlySpan<float> xyzw)
    {
        int largest = 0;
        for (int a = 1; a < 4; a++) if (MathF.Abs(xyzw[a]) > MathF.Abs(xyzw[largest])) largest = a;
        bool negate = xyzw[largest] < 0;
        uint comp = (uint)largest;
        for (int a = 0; a < 4; a++)
        {
            if (a == largest) continue;
            uint negBit = (xyzw[a] < 0) ^ negate ? 1u : 0u;
            uint mag = Math.Min(511u, (uint)(511f * (MathF.Abs(xyzw[a]) / SqrtHalf) + 0.5f));
            comp = (comp << 10) | (negBit << 9) | mag;
        }
        return comp;
    }

    /// <summary>Inverse of <see cref="PackSmallestThree"/>: the unit quaternion in (x, y, z, w) order.</summary>
    internal static void UnpackSmallestThree(uint comp, Span<float> xyzw)
    {
        int largest = (int)(comp >> 30);
        float sumSquares = 0;
        for (int a = 3; a >= 0; a--)
        {
            if (a == largest) continue;
            uint mag = comp & 511u, negBit = (comp >> 9) & 1u;
            comp >>= 10;
            float v = SqrtHalf * mag / 511f;
            xyzw[a] = negBit == 1 ? -v : v;
            sumSquares += v * v;
        }
        xyzw[largest] = MathF.Sqrt(MathF.Max(0, 1 - sumSquares));
    }

    public static GaussianSet Read(string path) => Read(path, out _);

    /// <summary>Reads an .spz; <paramref name="antialiased"/> is its flag 1.</summary>
    public static GaussianSet Read(string path, out bool antialiased)
    {
        (GaussianSet g, int flags) = ReadWithFlags(path);
        antialiased = (flags & 1) != 0;
        return g;
    }

    private static (GaussianSet Gaussians, int Flags) ReadWithFlags(string path) => CompactInput.Open(path, fs =>
    {
        Span<byte> gzipMagic = stackalloc byte[2];
        if (fs.ReadAtLeast(gzipMagic, 2, throwOnEndOfStream: false) < 2 || gzipMagic[0] != 0x1F || gzipMagic[1] != 0x8B)
        {
            if (gzipMagic[0] == (byte)'N' && gzipMagic[1] == (byte)'G')
                throw new RadiantException(path, "this is an .spz version 4 (zstd) file; Radiant reads the gzip versions 2 and 3 (convert with splat-transform --spz-version 3)");
            throw new RadiantException(path, "not an .spz file: it does not start with the gzip signature 1F 8B");
        }
        fs.Position = 0;
        using GZipStream gz = CompactInput.Gunzip(fs);
        Span<byte> h = stackalloc byte[HeaderBytes];
        CompactInput.ReadHeader(gz, h, path, ".spz");
        uint magic = BinaryPrimitives.ReadUInt32LittleEndian(h), version = BinaryPrimitives.ReadUInt32LittleEndian(h[4..]);
        uint count = BinaryPrimitives.ReadUInt32LittleEndian(h[8..]);
        int degree = h[12], fractionalBits = h[13], flags = h[14];
        if (magic != Magic) throw new RadiantException(path, $"not an .spz file: magic 0x{magic:X8} instead of 0x{Magic:X8} (\"NGSP\")");
        if (version is not (2 or 3))
            throw new RadiantException(path, $".spz version {version} is not supported (Radiant reads versions 2 and 3)");
        if (degree > 3) throw new RadiantException(path, $"SH degree {degree}; Radiant holds degrees 0 to 3");
        if (fractionalBits > 23) throw new RadiantException(path, $"{fractionalBits} fractional bits in a 24-bit position");
        if ((flags & 2) != 0) throw new RadiantException(path, ".spz extensions (flag 2) are not supported");
        long expected = (long)count * BytesPerGaussian((int)version, degree);
        // Refuse counts the compressed file cannot back before allocating anything.
        if (expected > fs.Length * CompactInput.MaxDeflateRatio + 1024)
            throw new RadiantException(path, $"the header declares {count} Gaussians ({expected} bytes), more than a {fs.Length}-byte gzip file can hold (corrupt header or truncated file)");
        byte[] body = CompactInput.ReadExactly(gz, expected, path, $"the {count} Gaussians the header declares");
        return (Unpack(body, (int)count, (int)version, degree, fractionalBits), flags);
    });

    private static GaussianSet Unpack(byte[] raw, int n, int version, int degree, int fractionalBits)
    {
        var g = new GaussianSet(n, degree);
        int k = g.ShCoefficients, rest = k - 1;
        int pos = 0, alpha = 9 * n, colour = alpha + n, scale = colour + 3 * n, rot = scale + 3 * n;
        int sh = rot + (version >= 3 ? 4 : 3) * n;
        float inv = 1f / (1 << fractionalBits);
        Span<float> xyzw = stackalloc float[4];
        for (int i = 0; i < n; i++)
        {
            for (int a = 0; a < 3; a++)
            {
                int o = pos + 9 * i + 3 * a;
                int f = raw[o] | raw[o + 1] << 8 | raw[o + 2] << 16;
                if ((f & 0x800000) != 0) f |= unchecked((int)0xFF000000);
                g.Means[3 * i + a] = f * inv;
                g.Sh[i * k * 3 + a] = (raw[colour + 3 * i + a] / 255f - 0.5f) / ColourScale;
                g.LogScales[3 * i + a] = raw[scale + 3 * i + a] / 16f - 10;
            }
            g.OpacityLogits[i] = Quantize.Logit(raw[alpha + i] / 255f);
            if (version >= 3) UnpackSmallestThree(BinaryPrimitives.ReadUInt32LittleEndian(raw.AsSpan(rot + 4 * i)), xyzw);
            else
            {
                float s = 0;
                for (int a = 0; a < 3; a++) { xyzw[a] = raw[rot + 3 * i + a] / 127.5f - 1; s += xyzw[a] * xyzw[a]; }
                xyzw[3] = MathF.Sqrt(MathF.Max(0, 1 - s));
            }
            g.Rotations[4 * i] = xyzw[3]; g.Rotations[4 * i + 1] = xyzw[0]; g.Rotations[4 * i + 2] = xyzw[1]; g.Rotations[4 * i + 3] = xyzw[2];
            for (int j = 0; j < rest; j++)
                for (int c = 0; c < 3; c++)
                    g.Sh[(i * k + 1 + j) * 3 + c] = (raw[sh + (i * rest + j) * 3 + c] - 128) / 128f;
        }
        return g;
    }
}
