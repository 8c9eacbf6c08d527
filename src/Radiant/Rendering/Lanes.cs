using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Radiant.Rendering;

/// <summary>
/// Helpers for the kernels that process 8 Gaussians at once (one per <see cref="Vector256{T}"/>
/// lane): index vectors of a batch (a tail shorter than 8 is padded with its last Gaussian, so
/// every lane reads real data and no lane reads past an array), gathers from the structure-of-arrays
/// parameters, and exp of all lanes at once.
/// </summary>
internal static class Lanes
{
    public const int Count = 8;

    /// <summary>Indices first, first+1, …, first+count−1, then first+count−1 repeated (1 ≤ count ≤ 8).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Range(int first, int count) =>
        Vector256.Min(Vector256.Create(first) + Vector256<int>.Indices, Vector256.Create(first + count - 1));

    /// <summary>The ids, then the last of them repeated (1 ≤ ids.Length ≤ 8).</summary>
    public static Vector256<int> Ids(ReadOnlySpan<int> ids)
    {
        Vector256<int> result = Vector256.Create(ids[^1]);
        ref int r = ref Unsafe.As<Vector256<int>, int>(ref result);
        for (int k = 0; k < ids.Length - 1; k++) Unsafe.Add(ref r, k) = ids[k];
        return result;
    }

    /// <summary>source[index[k]] for each lane; every index must lie inside <paramref name="source"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe Vector256<float> Gather(ReadOnlySpan<float> source, Vector256<int> index)
    {
        fixed (float* p = source)
        {
            if (Avx2.IsSupported) return Avx2.GatherVector256(p, index, 4);
            return Vector256.Create(p[index[0]], p[index[1]], p[index[2]], p[index[3]],
                                    p[index[4]], p[index[5]], p[index[6]], p[index[7]]);
        }
    }

    /// <summary>
    /// Reads rows of 8 consecutive floats, row k starting at source[start_k], into 8 columns:
    /// columns[m] lane k = source[start_k + m]. With AVX, 8 row loads and an 8×8 transpose (the SH
    /// coefficients of a batch: 4.3 ms less forward at 100k Gaussians than a gather per column on
    /// this EPYC). Every row must lie inside <paramref name="source"/>.
    /// </summary>
    public static void LoadRows(ReadOnlySpan<float> source, Vector256<int> start, Span<Vector256<float>> columns)
    {
        if (!Vector256.LessThanOrEqualAll(start, Vector256.Create(source.Length - Count)) || !Vector256.GreaterThanOrEqualAll(start, Vector256<int>.Zero)
            || columns.Length != Count)
            throw new ArgumentOutOfRangeException(nameof(start));
        ref float s = ref MemoryMarshal.GetReference(source);
        Transpose(Vector256.LoadUnsafe(ref s, (nuint)start.GetElement(0)), Vector256.LoadUnsafe(ref s, (nuint)start.GetElement(1)),
                  Vector256.LoadUnsafe(ref s, (nuint)start.GetElement(2)), Vector256.LoadUnsafe(ref s, (nuint)start.GetElement(3)),
                  Vector256.LoadUnsafe(ref s, (nuint)start.GetElement(4)), Vector256.LoadUnsafe(ref s, (nuint)start.GetElement(5)),
                  Vector256.LoadUnsafe(ref s, (nuint)start.GetElement(6)), Vector256.LoadUnsafe(ref s, (nuint)start.GetElement(7)),
                  out columns[0], out columns[1], out columns[2], out columns[3], out columns[4], out columns[5], out columns[6], out columns[7]);
    }

    /// <summary>
    /// Reads 4 consecutive floats at source[start_k] for each lane into 4 columns: c_m lane k =
    /// source[start_k + m] (a quaternion per Gaussian). With AVX, 8 128-bit loads (Gaussians k and
    /// k+4 share a register) and a 4×4 transpose within each half, instead of 4 gathers.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void LoadQuads(ReadOnlySpan<float> source, Vector256<int> start,
                                 out Vector256<float> c0, out Vector256<float> c1, out Vector256<float> c2, out Vector256<float> c3)
    {
        if (!Vector256.LessThanOrEqualAll(start, Vector256.Create(source.Length - 4)) || !Vector256.GreaterThanOrEqualAll(start, Vector256<int>.Zero))
            throw new ArgumentOutOfRangeException(nameof(start));
        if (Avx.IsSupported)
        {
            ref float s = ref MemoryMarshal.GetReference(source);
            Vector256<float> r0 = Vector256.Create(Vector128.LoadUnsafe(ref s, (nuint)start.GetElement(0)), Vector128.LoadUnsafe(ref s, (nuint)start.GetElement(4)));
            Vector256<float> r1 = Vector256.Create(Vector128.LoadUnsafe(ref s, (nuint)start.GetElement(1)), Vector128.LoadUnsafe(ref s, (nuint)start.GetElement(5)));
            Vector256<float> r2 = Vector256.Create(Vector128.LoadUnsafe(ref s, (nuint)start.GetElement(2)), Vector128.LoadUnsafe(ref s, (nuint)start.GetElement(6)));
            Vector256<float> r3 = Vector256.Create(Vector128.LoadUnsafe(ref s, (nuint)start.GetElement(3)), Vector128.LoadUnsafe(ref s, (nuint)start.GetElement(7)));
            Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1), t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
            c0 = Avx.Shuffle(t0, t2, 0x44); c1 = Avx.Shuffle(t0, t2, 0xEE); c2 = Avx.Shuffle(t1, t3, 0x44); c3 = Avx.Shuffle(t1, t3, 0xEE);
            return;
        }
        c0 = Gather(source, start); c1 = Gather(source, start + Vector256.Create(1));
        c2 = Gather(source, start + Vector256.Create(2)); c3 = Gather(source, start + Vector256.Create(3));
    }

    /// <summary>
    /// 8×8 transpose: c_m lane k = r_k lane m (rows of 8 Gaussians' consecutive floats to one column
    /// per quantity, or lane vectors to per-Gaussian rows). With AVX: interleave pairs of rows, then
    /// pairs of pairs, then the 128-bit halves (24 shuffles).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Transpose(Vector256<float> r0, Vector256<float> r1, Vector256<float> r2, Vector256<float> r3,
                                 Vector256<float> r4, Vector256<float> r5, Vector256<float> r6, Vector256<float> r7,
                                 out Vector256<float> c0, out Vector256<float> c1, out Vector256<float> c2, out Vector256<float> c3,
                                 out Vector256<float> c4, out Vector256<float> c5, out Vector256<float> c6, out Vector256<float> c7)
    {
        if (Avx.IsSupported)
        {
            Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1), t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
            Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5), t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);
            Vector256<float> u0 = Avx.Shuffle(t0, t2, 0x44), u1 = Avx.Shuffle(t0, t2, 0xEE), u2 = Avx.Shuffle(t1, t3, 0x44), u3 = Avx.Shuffle(t1, t3, 0xEE);
            Vector256<float> u4 = Avx.Shuffle(t4, t6, 0x44), u5 = Avx.Shuffle(t4, t6, 0xEE), u6 = Avx.Shuffle(t5, t7, 0x44), u7 = Avx.Shuffle(t5, t7, 0xEE);
            c0 = Avx.Permute2x128(u0, u4, 0x20);
            c1 = Avx.Permute2x128(u1, u5, 0x20);
            c2 = Avx.Permute2x128(u2, u6, 0x20);
            c3 = Avx.Permute2x128(u3, u7, 0x20);
            c4 = Avx.Permute2x128(u0, u4, 0x31);
            c5 = Avx.Permute2x128(u1, u5, 0x31);
            c6 = Avx.Permute2x128(u2, u6, 0x31);
            c7 = Avx.Permute2x128(u3, u7, 0x31);
            return;
        }
        c0 = Column(0, r0, r1, r2, r3, r4, r5, r6, r7); c1 = Column(1, r0, r1, r2, r3, r4, r5, r6, r7);
        c2 = Column(2, r0, r1, r2, r3, r4, r5, r6, r7); c3 = Column(3, r0, r1, r2, r3, r4, r5, r6, r7);
        c4 = Column(4, r0, r1, r2, r3, r4, r5, r6, r7); c5 = Column(5, r0, r1, r2, r3, r4, r5, r6, r7);
        c6 = Column(6, r0, r1, r2, r3, r4, r5, r6, r7); c7 = Column(7, r0, r1, r2, r3, r4, r5, r6, r7);
    }

    private static Vector256<float> Column(int m, Vector256<float> r0, Vector256<float> r1, Vector256<float> r2, Vector256<float> r3,
                                           Vector256<float> r4, Vector256<float> r5, Vector256<float> r6, Vector256<float> r7) =>
        Vector256.Create(r0[m], r1[m], r2[m], r3[m], r4[m], r5[m], r6[m], r7[m]);

    /// <summary>
    /// exp of each lane (<see cref="SimdExp.Exp"/>, within a few ulp of MathF.Exp; calling libm's expf
    /// lane by lane cost 0.3–0.4 ms more per projection pass of 100k Gaussians).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Exp(Vector256<float> x) => SimdExp.Exp(x);

    /// <summary>sigmoid(x) = 1 / (1 + exp(−x)) per lane, as <see cref="Model.GaussianSet.Sigmoid"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Sigmoid(Vector256<float> x) => Vector256<float>.One / (Vector256<float>.One + Exp(-x));

    /// <summary>Lane <paramref name="k"/> of a vector held in a local.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float At(in Vector256<float> v, int k) => Unsafe.Add(ref Unsafe.As<Vector256<float>, float>(ref Unsafe.AsRef(in v)), k);

    /// <summary>A mask lane is all ones (true) or zero.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Select(Vector256<float> mask, Vector256<float> ifTrue, Vector256<float> ifFalse) =>
        Vector256.ConditionalSelect(mask, ifTrue, ifFalse);

    /// <summary>Broadcast of a scalar (for sums with a constant).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> All(float value) => Vector256.Create(value);

    /// <summary>Reinterprets a span of 8 structs of floats as floats (for gathers of their fields).</summary>
    public static ReadOnlySpan<float> Floats<T>(ReadOnlySpan<T> rows) where T : struct => MemoryMarshal.Cast<T, float>(rows);
}
