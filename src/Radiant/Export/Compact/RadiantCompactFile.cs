using System.Buffers.Binary;
using System.IO.Compression;
using Radiant.Compression;
using Radiant.Model;

namespace Radiant.Export.Compact;

/// <summary>How <see cref="RadiantCompactFile"/> entropy-codes its payload.</summary>
public enum CompactCodec : byte { Stored = 0, Deflate = 1, Brotli = 2 }

/// <summary>Settings of a <see cref="RadiantCompactFile"/> write.</summary>
public sealed record CompactOptions
{
    /// <summary>k-means codebook entries for the higher SH coefficients (0: store them per Gaussian as half floats).</summary>
    public int ShCodebookEntries { get; init; } = 4096;
    /// <summary>The codebook has at most one entry per this many Gaussians (a small model would otherwise spend more on the codebook than it saves).</summary>
    public int MinGaussiansPerEntry { get; init; } = 8;
    public int KMeansIterations { get; init; } = 10;
    public CompactCodec Codec { get; init; } = CompactCodec.Brotli;
    public ulong Seed { get; init; } = 1;
    /// <summary>The model renders with the 2D Mip filter (header byte 7, bit 7).</summary>
    public bool MipFilter2D { get; init; }
}

/// <summary>
/// Radiant's own compact model file, <c>.rgc</c> (version 1). All numbers little-endian.
/// <para>Header, 40 bytes:</para>
/// <code>
///  0  4  magic "RGCF"
///  4  2  version (1)
///  6  1  codec: 0 stored, 1 Deflate (raw RFC 1951), 2 Brotli
///  7  1  SH degree (0..3) in bits 0–6; bit 7 set: the model renders with the 2D Mip filter
///  8  4  Gaussian count n
/// 12  4  SH codebook entries C (0 = higher SH stored per Gaussian)
/// 16  8  payload length in the file (compressed)
/// 24  8  payload length decompressed (must equal the length the layout below implies)
/// 32  4  CRC-32C of the decompressed payload
/// 36  4  CRC-32C of header bytes 0..35
/// </code>
/// <para>Payload (decompressed), Gaussians in Morton order, every multi-byte stream split into
/// byte planes (all low bytes, then the next byte, …) so that the entropy coder sees slowly
/// varying bytes together:</para>
/// <code>
/// f32×8            position min x,y,z, max x,y,z; log-scale min, max
/// u16×n ×3 axes    position unorm16 over [min, max] per axis
/// u8×n  ×3 axes    log scale unorm8 over [log-scale min, max]
/// u32×n            rotation, smallest three 2+10+10+10 as compressed.ply's packed_rotation
/// u8×n             opacity unorm8 of sigmoid(logit)
/// f16×n ×3         SH DC coefficient (f_dc) per channel
/// if degree > 0 and C > 0:  f16×C×3(K−1) codebook rows (row-major, [k·3 + c] order as GaussianSet.Sh),
///                           then the entry of each Gaussian as u8×n (C ≤ 256) or u16×n
/// if degree > 0 and C = 0:  f16×n×3(K−1) higher coefficients per Gaussian
/// </code>
/// Quantisation bounds: position ≤ (max−min)/131070 per axis, log scale ≤ (max−min)/510,
/// opacity ≤ 1/510, rotation components ≤ √½/1023, DC and codebook rows half precision
/// (relative 2⁻¹¹), higher SH the codebook's k-means error.
/// </summary>
public static class RadiantCompactFile
{
    public static ReadOnlySpan<byte> Magic => "RGCF"u8;
    public const ushort Version = 1;
    public const int HeaderBytes = 40;

    /// <param name="progress">The slow steps as (step, done, total): the SH codebook's k-means and the entropy coding.</param>
    public static void Write(string path, GaussianSet g, CompactOptions options, Action<string, int, int>? progress = null) =>
        AtomicFile.WriteAllBytes(path, Encode(g, options, progress));

    /// <summary>The file's bytes.</summary>
    public static byte[] Encode(GaussianSet model, CompactOptions options, Action<string, int, int>? progress = null)
    {
        GaussianSet g = GaussianReorder.Apply(model, MortonOrder.Of(model.Means, model.Count));
        int entries = CodebookEntries(g.Count, g.ShDegree, options);
        byte[] payload = EncodePayload(g, entries, options, progress);
        byte[] compressed = Compress(payload, options.Codec, progress);
        var file = new byte[HeaderBytes + compressed.Length];
        Span<byte> h = file;
        Magic.CopyTo(h);
        BinaryPrimitives.WriteUInt16LittleEndian(h[4..], Version);
        h[6] = (byte)options.Codec;
        h[7] = (byte)(g.ShDegree | (options.MipFilter2D ? MipFilterFlag : 0));
        BinaryPrimitives.WriteUInt32LittleEndian(h[8..], (uint)g.Count);
        BinaryPrimitives.WriteUInt32LittleEndian(h[12..], (uint)entries);
        BinaryPrimitives.WriteUInt64LittleEndian(h[16..], (ulong)compressed.Length);
        BinaryPrimitives.WriteUInt64LittleEndian(h[24..], (ulong)payload.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(h[32..], Crc32C.Compute(payload));
        BinaryPrimitives.WriteUInt32LittleEndian(h[36..], Crc32C.Compute(h[..36]));
        compressed.CopyTo(file, HeaderBytes);
        return file;
    }

    /// <summary>Codebook entries a write uses: 0 for degree 0 or no codebook, else min(asked, max(1, n / MinGaussiansPerEntry)).</summary>
    public static int CodebookEntries(int count, int degree, CompactOptions options) =>
        degree > 0 && options.ShCodebookEntries > 0
            ? Math.Min(options.ShCodebookEntries, Math.Max(1, count / Math.Max(1, options.MinGaussiansPerEntry)))
            : 0;

    /// <summary>Payload bytes for a count, degree and codebook size (the layout above).</summary>
    public static long PayloadLength(long n, int degree, long entries)
    {
        long rest = 3L * ((degree + 1) * (degree + 1) - 1);
        long sh = degree == 0 ? 0 : entries > 0 ? 2 * entries * rest + n * (entries <= 256 ? 1 : 2) : 2 * n * rest;
        return 32 + n * (6 + 3 + 4 + 1 + 6) + sh;
    }

    private static byte[] EncodePayload(GaussianSet g, int entries, CompactOptions options, Action<string, int, int>? progress)
    {
        int n = g.Count, k = g.ShCoefficients, rest = 3 * (k - 1);
        var payload = new byte[PayloadLength(n, g.ShDegree, entries)];
        var w = new PlaneWriter(payload);
        Span<float> r = stackalloc float[8];
        for (int a = 0; a < 3; a++) (r[a], r[3 + a]) = n > 0 ? Quantize.Range(g.Means, 3, a, 0, n) : (0, 0);
        (r[6], r[7]) = n > 0 ? Quantize.Range(g.LogScales, 1, 0, 0, 3 * n) : (0, 0);
        foreach (float v in r) w.Float(v);
        var u16 = new ushort[n];
        var u8 = new byte[n];
        for (int a = 0; a < 3; a++)
        {
            for (int i = 0; i < n; i++) u16[i] = (ushort)Quantize.Unorm(Quantize.Normalise(g.Means[3 * i + a], r[a], r[3 + a]), 16);
            w.Planes16(u16);
        }
        for (int a = 0; a < 3; a++)
        {
            for (int i = 0; i < n; i++) u8[i] = (byte)Quantize.Unorm(Quantize.Normalise(g.LogScales[3 * i + a], r[6], r[7]), 8);
            w.Bytes(u8);
        }
        var u32 = new uint[n];
        for (int i = 0; i < n; i++) u32[i] = CompressedPlyFile.PackRotation(g.Rotations.AsSpan(4 * i, 4));
        w.Planes32(u32);
        for (int i = 0; i < n; i++) u8[i] = (byte)Quantize.Unorm(GaussianSet.Sigmoid(g.OpacityLogits[i]), 8);
        w.Bytes(u8);
        for (int c = 0; c < 3; c++)
        {
            for (int i = 0; i < n; i++) u16[i] = BitConverter.HalfToUInt16Bits((Half)g.Sh[i * k * 3 + c]);
            w.Planes16(u16);
        }
        if (g.ShDegree == 0) return payload;

        float[] restRows = new float[n * rest];
        for (int i = 0; i < n; i++) Array.Copy(g.Sh, i * k * 3 + 3, restRows, i * rest, rest);
        if (entries == 0)
        {
            w.Halves(restRows);
            return payload;
        }
        string step = $"SH codebook of {entries} (k-means)";
        CodebookFit fit = VectorCodebook.Fit(restRows, rest, entries, options.KMeansIterations, options.Seed,
            progress is null ? null : new SyncProgress<(int Done, int Total)>(p => progress(step, p.Done, p.Total)));
        w.Halves(fit.Codebook);
        if (entries <= 256)
        {
            for (int i = 0; i < n; i++) u8[i] = (byte)fit.Assignment[i];
            w.Bytes(u8);
        }
        else
        {
            for (int i = 0; i < n; i++) u16[i] = (ushort)fit.Assignment[i];
            w.Planes16(u16);
        }
        return payload;
    }

    /// <summary>The payload entropy coded, written to the coder a MiB at a time so that progress can be told (the coder's output does not depend on how its input is split).</summary>
    private static byte[] Compress(byte[] payload, CompactCodec codec, Action<string, int, int>? progress)
    {
        if (codec == CompactCodec.Stored) return payload;
        const int chunk = 1 << 20;
        int chunks = Math.Max(1, (payload.Length + chunk - 1) / chunk);
        string step = $"entropy coding ({codec}, {payload.Length / 1048576.0:0.0} MiB)";
        progress?.Invoke(step, 0, chunks);
        var ms = new MemoryStream();
        using (Stream z = codec == CompactCodec.Brotli
            ? new BrotliStream(ms, CompressionLevel.SmallestSize, leaveOpen: true)
            : new DeflateStream(ms, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            for (int c = 0; c < chunks; c++)
            {
                int start = c * chunk;
                z.Write(payload, start, Math.Min(chunk, payload.Length - start));
                if (c + 1 < chunks) progress?.Invoke(step, c + 1, chunks);
            }
        }
        progress?.Invoke(step, chunks, chunks);
        return ms.ToArray();
    }

    private const int MipFilterFlag = 0x80;

    public static GaussianSet Read(string path) => Read(path, out _);

    /// <summary>Reads the model and whether it renders with the 2D Mip filter.</summary>
    public static GaussianSet Read(string path, out bool mipFilter2D)
    {
        (GaussianSet g, bool mip) = Decode(path);
        mipFilter2D = mip;
        return g;
    }

    private static (GaussianSet, bool MipFilter2D) Decode(string path) => CompactInput.Open(path, fs =>
    {
        Span<byte> h = stackalloc byte[HeaderBytes];
        int got = fs.ReadAtLeast(h, HeaderBytes, throwOnEndOfStream: false);
        if (got >= 4 && !h[..4].SequenceEqual(Magic)) throw new RadiantException(path, "not a Radiant compact file (magic is not \"RGCF\")");
        if (got < HeaderBytes) throw new RadiantException(path, $"truncated: the header needs {HeaderBytes} bytes, the file has {got}");
        if (BinaryPrimitives.ReadUInt32LittleEndian(h[36..]) != Crc32C.Compute(h[..36]))
            throw new RadiantException(path, "header checksum mismatch (corrupt file)");
        ushort version = BinaryPrimitives.ReadUInt16LittleEndian(h[4..]);
        if (version != Version) throw new RadiantException(path, $"Radiant compact version {version}; this Radiant reads version {Version}");
        var codec = (CompactCodec)h[6];
        int degree = h[7] & ~MipFilterFlag;
        bool mip = (h[7] & MipFilterFlag) != 0;
        long n = BinaryPrimitives.ReadUInt32LittleEndian(h[8..]), entries = BinaryPrimitives.ReadUInt32LittleEndian(h[12..]);
        ulong stored = BinaryPrimitives.ReadUInt64LittleEndian(h[16..]), length = BinaryPrimitives.ReadUInt64LittleEndian(h[24..]);
        uint crc = BinaryPrimitives.ReadUInt32LittleEndian(h[32..]);
        if (codec > CompactCodec.Brotli) throw new RadiantException(path, $"unknown codec {(byte)codec}");
        if (degree > 3) throw new RadiantException(path, $"SH degree {degree}; Radiant holds degrees 0 to 3");
        if (entries > n || entries > 65536) throw new RadiantException(path, $"{entries} codebook entries for {n} Gaussians (at most min(n, 65536))");
        long expected = PayloadLength(n, degree, entries);
        if (length != (ulong)expected) throw new RadiantException(path, $"the header's payload length {length} differs from the {expected} bytes {n} Gaussians of degree {degree} take");
        if (stored != (ulong)(fs.Length - HeaderBytes))
            throw new RadiantException(path, (ulong)(fs.Length - HeaderBytes) < stored
                ? $"truncated: the header declares {stored} payload bytes, the file has {fs.Length - HeaderBytes}"
                : $"{(ulong)(fs.Length - HeaderBytes) - stored} bytes of trailing data after the payload");
        if (codec == CompactCodec.Stored && stored != length) throw new RadiantException(path, "a stored payload's two lengths differ");
        if (codec == CompactCodec.Deflate && expected > (long)stored * CompactInput.MaxDeflateRatio + 1024)
            throw new RadiantException(path, $"the header declares {n} Gaussians ({expected} bytes), more than {stored} Deflate bytes can hold");
        using Stream z = codec switch
        {
            CompactCodec.Brotli => new BrotliStream(fs, CompressionMode.Decompress, leaveOpen: true),
            CompactCodec.Deflate => new DeflateStream(fs, CompressionMode.Decompress, leaveOpen: true),
            _ => fs,
        };
        byte[] payload = CompactInput.ReadExactly(z, expected, path, "the payload");
        if (Crc32C.Compute(payload) != crc) throw new RadiantException(path, "payload checksum mismatch (corrupt file)");
        return (DecodePayload(payload, (int)n, degree, (int)entries, path), mip);
    });

    private static GaussianSet DecodePayload(byte[] payload, int n, int degree, int entries, string path)
    {
        var g = new GaussianSet(n, degree);
        int k = g.ShCoefficients, rest = 3 * (k - 1);
        var rd = new PlaneReader(payload);
        Span<float> r = stackalloc float[8];
        for (int j = 0; j < 8; j++)
        {
            r[j] = rd.Float();
            if (!float.IsFinite(r[j])) throw new RadiantException(path, "non-finite range in the payload");
        }
        for (int a = 0; a < 3; a++)
            for (int i = 0; i < n; i++) g.Means[3 * i + a] = Lerp(r[a], r[3 + a], rd.Plane16(i, n) / 65535f);
        for (int a = 0; a < 3; a++)
        {
            for (int i = 0; i < n; i++) g.LogScales[3 * i + a] = Lerp(r[6], r[7], rd.Byte(i) / 255f);
            rd.Skip(n);
        }
        Span<float> q = stackalloc float[4];
        for (int i = 0; i < n; i++)
        {
            CompressedPlyFile.UnpackRotation(rd.Plane32(i, n), q);
            q.CopyTo(g.Rotations.AsSpan(4 * i, 4));
        }
        rd.Skip(4 * n);
        for (int i = 0; i < n; i++) g.OpacityLogits[i] = Quantize.Logit(rd.Byte(i) / 255f);
        rd.Skip(n);
        for (int c = 0; c < 3; c++)
            for (int i = 0; i < n; i++) g.Sh[i * k * 3 + c] = Half(rd.Plane16(i, n), path);
        if (degree == 0) return g;
        if (entries == 0)
        {
            for (int i = 0; i < n; i++)
                for (int j = 0; j < rest; j++) g.Sh[i * k * 3 + 3 + j] = Half(rd.Plane16(i * rest + j, n * rest), path);
            return g;
        }
        var codebook = new float[entries * rest];
        for (int e = 0; e < codebook.Length; e++) codebook[e] = Half(rd.Plane16(e, codebook.Length), path);
        for (int i = 0; i < n; i++)
        {
            int e = entries <= 256 ? rd.Byte(i) : rd.Plane16(i, n);
            if (e >= entries) throw new RadiantException(path, $"Gaussian {i} uses codebook entry {e} of {entries}");
            Array.Copy(codebook, e * rest, g.Sh, i * k * 3 + 3, rest);
        }
        return g;
    }

    private static float Half(ushort bits, string path)
    {
        float v = (float)BitConverter.UInt16BitsToHalf(bits);
        return float.IsFinite(v) ? v : throw new RadiantException(path, "non-finite half float in the payload");
    }

    private static float Lerp(float a, float b, float t) => a + (b - a) * t;

    /// <summary>Writes values as byte planes, advancing through the payload.</summary>
    private ref struct PlaneWriter(byte[] buffer)
    {
        private int _at;
        public void Float(float v) { BinaryPrimitives.WriteSingleLittleEndian(buffer.AsSpan(_at), v); _at += 4; }
        public void Bytes(ReadOnlySpan<byte> v) { v.CopyTo(buffer.AsSpan(_at)); _at += v.Length; }
        public void Planes16(ReadOnlySpan<ushort> v)
        {
            for (int i = 0; i < v.Length; i++) { buffer[_at + i] = (byte)v[i]; buffer[_at + v.Length + i] = (byte)(v[i] >> 8); }
            _at += 2 * v.Length;
        }
        public void Planes32(ReadOnlySpan<uint> v)
        {
            for (int b = 0; b < 4; b++)
                for (int i = 0; i < v.Length; i++) buffer[_at + b * v.Length + i] = (byte)(v[i] >> (8 * b));
            _at += 4 * v.Length;
        }
        public void Halves(ReadOnlySpan<float> v)
        {
            var bits = new ushort[v.Length];
            for (int i = 0; i < v.Length; i++) bits[i] = BitConverter.HalfToUInt16Bits((Half)v[i]);
            Planes16(bits);
        }
    }

    /// <summary>Reads byte planes; the 16-bit readers advance past their whole plane pair after its last value.</summary>
    private ref struct PlaneReader(byte[] buffer)
    {
        private int _at;
        public float Float() { float v = BinaryPrimitives.ReadSingleLittleEndian(buffer.AsSpan(_at)); _at += 4; return v; }
        public readonly byte Byte(int i) => buffer[_at + i];
        public void Skip(int bytes) => _at += bytes;
        public ushort Plane16(int i, int length)
        {
            ushort v = (ushort)(buffer[_at + i] | buffer[_at + length + i] << 8);
            if (i == length - 1) _at += 2 * length;
            return v;
        }
        public readonly uint Plane32(int i, int length) =>
            (uint)(buffer[_at + i] | buffer[_at + length + i] << 8 | buffer[_at + 2 * length + i] << 16 | buffer[_at + 3 * length + i] << 24);
    }
}
