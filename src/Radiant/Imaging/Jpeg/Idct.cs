using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Radiant.Imaging.Jpeg;

/// <summary>
/// The 8×8 inverse DCT of T.81 A.3.3, computed exactly in single precision as two separable
/// passes (a matrix product with the cosine basis), followed by the level shift (+128, A.3.1),
/// rounding and clamping to 0..255.
/// <para>
/// Syx = Σu Σv ¼·C(u)·C(v)·Svu·cos((2x+1)uπ/16)·cos((2y+1)vπ/16), with C(0) = 1/√2, else 1.
/// Writing B[y,v] = ½·C(v)·cos((2y+1)vπ/16), that is S = B · F · Bᵀ. The first pass
/// (T = B · F) mixes whole rows of F, so a row of 8 coefficients is one vector; all-zero rows
/// (most of them, after quantization) are skipped. The second pass (S = T · Bᵀ) takes each output
/// row as Σu T[y,u] · (row u of Bᵀ), again whole vectors, up to the last non-zero column.
/// </para>
/// </summary>
internal static class Idct
{
    /// <summary>B[y,v] at index y·8 + v.</summary>
    private static readonly float[] Basis = BuildBasis(transpose: false);
    /// <summary>Bᵀ: B[x,u] at index u·8 + x.</summary>
    private static readonly float[] BasisT = BuildBasis(transpose: true);

    private static float[] BuildBasis(bool transpose)
    {
        var b = new float[64];
        for (int y = 0; y < 8; y++)
            for (int v = 0; v < 8; v++)
            {
                double c = v == 0 ? Math.Sqrt(0.5) : 1.0;
                float value = (float)(0.5 * c * Math.Cos((2 * y + 1) * v * Math.PI / 16));
                b[transpose ? v * 8 + y : y * 8 + v] = value;
            }
        return b;
    }

    /// <summary>
    /// Transforms one block of dequantized coefficients (natural order) into 8×8 samples at
    /// <paramref name="dst"/>[0], <paramref name="stride"/> bytes per row. <paramref name="rowMask"/> has
    /// bit v set when row v holds a non-zero coefficient; <paramref name="maxColumn"/> is the last
    /// column holding one. The coefficients are left untouched; <paramref name="scratch"/> holds 64 floats.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Transform(ReadOnlySpan<float> block, int rowMask, int maxColumn, Span<float> scratch, Span<byte> dst, int stride)
    {
        if (block.Length < 64 || scratch.Length < 64 || dst.Length < 7 * stride + 8) throw new ArgumentException("IDCT buffers are too small");
        if (rowMask <= 1 && maxColumn == 0)
            FillDc(block[0], dst, stride);
        else if (Vector256.IsHardwareAccelerated)
            TransformVector(ref MemoryMarshal.GetReference(block), rowMask, maxColumn, ref MemoryMarshal.GetReference(scratch), ref MemoryMarshal.GetReference(dst), stride);
        else
            TransformScalar(block, rowMask, maxColumn, scratch, dst, stride);
    }

    /// <summary>Only S00 is non-zero: every sample is S00 · B[y,0] · B[x,0] = S00 / 8.</summary>
    private static void FillDc(float dc, Span<byte> dst, int stride)
    {
        byte value = ToSample(dc * 0.125f);
        for (int y = 0; y < 8; y++) dst.Slice(y * stride, 8).Fill(value);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static byte ToSample(float v) => (byte)Math.Clamp(v + 128.5f, 0f, 255.75f);

    internal static void TransformVector(ref float block, int rowMask, int maxColumn, ref float scratch, ref byte dst, int stride)
    {
        ref float basis = ref MemoryMarshal.GetArrayDataReference(Basis);
        ref float basisT = ref MemoryMarshal.GetArrayDataReference(BasisT);

        // Pass 1: T[y] = Σv B[y,v] · F[v] over the non-zero rows v of F.
        Vector256<float> t0 = default, t1 = default, t2 = default, t3 = default, t4 = default, t5 = default, t6 = default, t7 = default;
        int mask = rowMask;
        while (mask != 0)
        {
            int v = BitOperations.TrailingZeroCount(mask);
            mask &= mask - 1;
            Vector256<float> f = Vector256.LoadUnsafe(ref block, (nuint)(v * 8));
            t0 = Vector256.MultiplyAddEstimate(f, Vector256.Create(Unsafe.Add(ref basis, 0 * 8 + v)), t0);
            t1 = Vector256.MultiplyAddEstimate(f, Vector256.Create(Unsafe.Add(ref basis, 1 * 8 + v)), t1);
            t2 = Vector256.MultiplyAddEstimate(f, Vector256.Create(Unsafe.Add(ref basis, 2 * 8 + v)), t2);
            t3 = Vector256.MultiplyAddEstimate(f, Vector256.Create(Unsafe.Add(ref basis, 3 * 8 + v)), t3);
            t4 = Vector256.MultiplyAddEstimate(f, Vector256.Create(Unsafe.Add(ref basis, 4 * 8 + v)), t4);
            t5 = Vector256.MultiplyAddEstimate(f, Vector256.Create(Unsafe.Add(ref basis, 5 * 8 + v)), t5);
            t6 = Vector256.MultiplyAddEstimate(f, Vector256.Create(Unsafe.Add(ref basis, 6 * 8 + v)), t6);
            t7 = Vector256.MultiplyAddEstimate(f, Vector256.Create(Unsafe.Add(ref basis, 7 * 8 + v)), t7);
        }
        t0.StoreUnsafe(ref scratch, 0);
        t1.StoreUnsafe(ref scratch, 8);
        t2.StoreUnsafe(ref scratch, 16);
        t3.StoreUnsafe(ref scratch, 24);
        t4.StoreUnsafe(ref scratch, 32);
        t5.StoreUnsafe(ref scratch, 40);
        t6.StoreUnsafe(ref scratch, 48);
        t7.StoreUnsafe(ref scratch, 56);

        // Pass 2: S[y] = Σu T[y,u] · Bᵀ[u] for u up to the last non-zero column; then level shift,
        // round (+0.5 and truncate), clamp, and pack two rows at a time into bytes.
        Vector256<float> bias = Vector256.Create(128.5f), lo = Vector256<float>.Zero, hi = Vector256.Create(255.75f);
        for (int y = 0; y < 8; y += 2)
        {
            ref float ta = ref Unsafe.Add(ref scratch, y * 8);
            ref float tb = ref Unsafe.Add(ref scratch, y * 8 + 8);
            Vector256<float> sa = bias, sb = bias;
            for (int u = 0; u <= maxColumn; u++)
            {
                Vector256<float> k = Vector256.LoadUnsafe(ref basisT, (nuint)(u * 8));
                sa = Vector256.MultiplyAddEstimate(Vector256.Create(Unsafe.Add(ref ta, u)), k, sa);
                sb = Vector256.MultiplyAddEstimate(Vector256.Create(Unsafe.Add(ref tb, u)), k, sb);
            }
            Vector256<uint> ia = Vector256.ConvertToInt32Native(Vector256.Min(Vector256.Max(sa, lo), hi)).AsUInt32();
            Vector256<uint> ib = Vector256.ConvertToInt32Native(Vector256.Min(Vector256.Max(sb, lo), hi)).AsUInt32();
            Vector256<ushort> w = Vector256.Narrow(ia, ib);
            Vector256<ulong> bytes = Vector256.Narrow(w, w).AsUInt64();
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref dst, y * stride), bytes.GetElement(0));
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref dst, (y + 1) * stride), bytes.GetElement(1));
        }
    }

    internal static void TransformScalar(ReadOnlySpan<float> block, int rowMask, int maxColumn, Span<float> scratch, Span<byte> dst, int stride)
    {
        for (int y = 0; y < 8; y++)
            for (int u = 0; u < 8; u++)
            {
                float t = 0;
                for (int v = 0; v < 8; v++)
                    if ((rowMask & 1 << v) != 0) t += Basis[y * 8 + v] * block[v * 8 + u];
                scratch[y * 8 + u] = t;
            }
        for (int y = 0; y < 8; y++)
            for (int x = 0; x < 8; x++)
            {
                float s = 0;
                for (int u = 0; u <= maxColumn; u++) s += scratch[y * 8 + u] * BasisT[u * 8 + x];
                dst[y * stride + x] = ToSample(s);
            }
    }
}
