using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Radiant.Rendering;

/// <summary>
/// Helpers for the kernels that process 8 Gaussians at once (one per <see cref="Vector256{T}"/>
/// lane): index vectors of a batch (a tail shorter than 8 is padded with its last Gaussian, so
/// every lane reads real data and no lane reads past an array), loads from the structure-of-arrays
/// parameters (vector loads for a run of consecutive ids, else gathers) and adds into their
/// gradients, and exp of all lanes at once.
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

    /// <summary>Whether the lanes hold 8 consecutive ids (id₀, id₀ + 1, …, id₀ + 7): a full batch of a contiguous run.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Consecutive(Vector256<int> ids) => Vector256.EqualsAll(ids, Vector256.Create(ids.ToScalar()) + Vector256<int>.Indices);

    /// <summary>
    /// source[id_k] for each lane: one load when the ids are <see cref="Consecutive"/> (the usual
    /// batch; a gather per vector cost more on this EPYC), else a gather.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Load(ReadOnlySpan<float> source, Vector256<int> ids)
    {
        int first = ids.ToScalar();
        if (Consecutive(ids) && first >= 0 && first <= source.Length - Count)
            return Vector256.LoadUnsafe(ref MemoryMarshal.GetReference(source), (nuint)first);
        return Gather(source, ids);
    }

    /// <summary>
    /// source[3·id_k + m] for m = 0, 1, 2 (a 3-vector per Gaussian: means, log-scales) into three
    /// columns. For <see cref="Consecutive"/> ids the 24 floats are three loads,
    /// v0 = x0 y0 z0 x1 y1 z1 x2 y2, v1 = z2 x3 y3 z3 x4 y4 z4 x5, v2 = y5 z5 x6 y6 z6 x7 y7 z7:
    /// each column's 8 values sit in lanes that differ between v0, v1 and v2, so two blends gather
    /// them into one register and a permute puts them in order; otherwise three gathers.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void LoadTriples(ReadOnlySpan<float> source, Vector256<int> ids, out Vector256<float> x, out Vector256<float> y, out Vector256<float> z)
    {
        int first = ids.ToScalar();
        if (Consecutive(ids) && first >= 0 && first <= source.Length / 3 - Count)
        {
            ref float s = ref MemoryMarshal.GetReference(source);
            nuint at = (nuint)(3 * first);
            Vector256<float> v0 = Vector256.LoadUnsafe(ref s, at), v1 = Vector256.LoadUnsafe(ref s, at + 8), v2 = Vector256.LoadUnsafe(ref s, at + 16);
            // Lane masks: x from v0 in lanes 0, 3, 6 and v1 in 1, 4, 7 (v2 elsewhere); y from v0 in 1, 4, 7 and
            // v1 in 2, 5; z from v0 in 2, 5 and v1 in 0, 3, 6.
            x = Vector256.Shuffle(Vector256.ConditionalSelect(TripleMask0, v0, Vector256.ConditionalSelect(TripleMask1, v1, v2)),
                                  Vector256.Create(0, 3, 6, 1, 4, 7, 2, 5));
            y = Vector256.Shuffle(Vector256.ConditionalSelect(TripleMask1, v0, Vector256.ConditionalSelect(TripleMask2, v1, v2)),
                                  Vector256.Create(1, 4, 7, 2, 5, 0, 3, 6));
            z = Vector256.Shuffle(Vector256.ConditionalSelect(TripleMask2, v0, Vector256.ConditionalSelect(TripleMask0, v1, v2)),
                                  Vector256.Create(2, 5, 0, 3, 6, 1, 4, 7));
            return;
        }
        Vector256<int> i3 = ids * 3;
        x = Gather(source, i3);
        y = Gather(source, i3 + Vector256.Create(1));
        z = Gather(source, i3 + Vector256.Create(2));
    }

    /// <summary>
    /// destination[3·id_k + m] += column m, lane k, for the first <paramref name="count"/> lanes
    /// (the inverse of <see cref="LoadTriples"/>: each Gaussian's row once per batch). For 8
    /// <see cref="Consecutive"/> ids with AVX: each column permuted so that its values sit in the
    /// lanes they take in the three 8-float blocks, blended into those blocks, and added with three
    /// vector loads and stores; otherwise lane by lane. Either way each float gets the same single add.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddTriples(Span<float> destination, Vector256<int> ids, int count, Vector256<float> x, Vector256<float> y, Vector256<float> z)
    {
        int first = ids.ToScalar();
        if (Avx.IsSupported && count == Count && Consecutive(ids) && first >= 0 && first <= destination.Length / 3 - Count)
        {
            Vector256<float> tx = Vector256.Shuffle(x, Vector256.Create(0, 3, 6, 1, 4, 7, 2, 5));
            Vector256<float> ty = Vector256.Shuffle(y, Vector256.Create(5, 0, 3, 6, 1, 4, 7, 2));
            Vector256<float> tz = Vector256.Shuffle(z, Vector256.Create(2, 5, 0, 3, 6, 1, 4, 7));
            ref float d = ref MemoryMarshal.GetReference(destination);
            nuint at = (nuint)(3 * first);
            AddAt(ref d, at, Vector256.ConditionalSelect(TripleMask0, tx, Vector256.ConditionalSelect(TripleMask1, ty, tz)));
            AddAt(ref d, at + 8, Vector256.ConditionalSelect(TripleMask1, tx, Vector256.ConditionalSelect(TripleMask2, ty, tz)));
            AddAt(ref d, at + 16, Vector256.ConditionalSelect(TripleMask2, tx, Vector256.ConditionalSelect(TripleMask0, ty, tz)));
            return;
        }
        AddLaneByLane(destination, ids, count, [x, y, z]);
    }

    /// <summary>destination[4·id_k + m] += column m, lane k (quaternions; vector adds for 8 consecutive ids, as <see cref="AddTriples"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddQuads(Span<float> destination, Vector256<int> ids, int count,
                                Vector256<float> c0, Vector256<float> c1, Vector256<float> c2, Vector256<float> c3)
    {
        int first = ids.ToScalar();
        if (Avx.IsSupported && count == Count && Consecutive(ids) && first >= 0 && first <= destination.Length / 4 - Count)
        {
            // Rows of two Gaussians per register (k and k + 1): interleave pairs of columns, then pairs of pairs, then halves.
            Vector256<float> t0 = Avx.UnpackLow(c0, c1), t1 = Avx.UnpackHigh(c0, c1), t2 = Avx.UnpackLow(c2, c3), t3 = Avx.UnpackHigh(c2, c3);
            Vector256<float> u0 = Avx.Shuffle(t0, t2, 0x44), u1 = Avx.Shuffle(t0, t2, 0xEE), u2 = Avx.Shuffle(t1, t3, 0x44), u3 = Avx.Shuffle(t1, t3, 0xEE);
            ref float d = ref MemoryMarshal.GetReference(destination);
            nuint at = (nuint)(4 * first);
            AddAt(ref d, at, Avx.Permute2x128(u0, u1, 0x20));
            AddAt(ref d, at + 8, Avx.Permute2x128(u2, u3, 0x20));
            AddAt(ref d, at + 16, Avx.Permute2x128(u0, u1, 0x31));
            AddAt(ref d, at + 24, Avx.Permute2x128(u2, u3, 0x31));
            return;
        }
        AddLaneByLane(destination, ids, count, [c0, c1, c2, c3]);
    }

    /// <summary>destination[2·id_k + m] += column m, lane k (screen-space means; vector adds for 8 consecutive ids, as <see cref="AddTriples"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddPairs(Span<float> destination, Vector256<int> ids, int count, Vector256<float> c0, Vector256<float> c1)
    {
        int first = ids.ToScalar();
        if (Avx.IsSupported && count == Count && Consecutive(ids) && first >= 0 && first <= destination.Length / 2 - Count)
        {
            Vector256<float> low = Avx.UnpackLow(c0, c1), high = Avx.UnpackHigh(c0, c1);
            ref float d = ref MemoryMarshal.GetReference(destination);
            nuint at = (nuint)(2 * first);
            AddAt(ref d, at, Avx.Permute2x128(low, high, 0x20));
            AddAt(ref d, at + 8, Avx.Permute2x128(low, high, 0x31));
            return;
        }
        AddLaneByLane(destination, ids, count, [c0, c1]);
    }

    /// <summary>destination[id_k] += lane k (one vector add for 8 consecutive ids).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Add(Span<float> destination, Vector256<int> ids, int count, Vector256<float> values)
    {
        int first = ids.ToScalar();
        if (count == Count && Consecutive(ids) && first >= 0 && first <= destination.Length - Count)
        {
            AddAt(ref MemoryMarshal.GetReference(destination), (nuint)first, values);
            return;
        }
        AddLaneByLane(destination, ids, count, [values]);
    }

    /// <summary>destination[w·id_k + m] += columns[m] lane k for the first <paramref name="count"/> lanes (w = the number of columns).</summary>
    private static void AddLaneByLane(Span<float> destination, Vector256<int> ids, int count, ReadOnlySpan<Vector256<float>> columns)
    {
        int width = columns.Length;
        for (int k = 0; k < count; k++)
        {
            int row = width * ids.GetElement(k);
            for (int m = 0; m < width; m++) destination[row + m] += At(columns[m], k);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddAt(ref float destination, nuint offset, Vector256<float> values) =>
        (Vector256.LoadUnsafe(ref destination, offset) + values).StoreUnsafe(ref destination, offset);

    // All-ones in the lanes ≡ m (mod 3), for m = 0, 1, 2.
    private static readonly Vector256<float> TripleMask0 = Vector256.Create(-1, 0, 0, -1, 0, 0, -1, 0).AsSingle();
    private static readonly Vector256<float> TripleMask1 = Vector256.Create(0, -1, 0, 0, -1, 0, 0, -1).AsSingle();
    private static readonly Vector256<float> TripleMask2 = Vector256.Create(0, 0, -1, 0, 0, -1, 0, 0).AsSingle();

    /// <summary>
    /// Reads rows of 8 consecutive floats, row k starting at source[start_k], into 8 columns:
    /// columns[m] lane k = source[start_k + m]. With AVX, 8 row loads and an 8×8 transpose (the SH
    /// coefficients of a batch: 4.3 ms less forward at 100k Gaussians than a gather per column on
    /// this EPYC). Every row must lie inside <paramref name="source"/>.
    /// </summary>
    public static void LoadRows(ReadOnlySpan<float> source, Vector256<int> start, Span<Vector256<float>> columns)
    {
        if (columns.Length != Count) throw new ArgumentOutOfRangeException(nameof(columns));
        LoadRows(source, start, out columns[0], out columns[1], out columns[2], out columns[3], out columns[4], out columns[5], out columns[6], out columns[7]);
    }

    /// <summary><see cref="LoadRows(ReadOnlySpan{float}, Vector256{int}, Span{Vector256{float}})"/> into eight locals.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void LoadRows(ReadOnlySpan<float> source, Vector256<int> start,
                                out Vector256<float> c0, out Vector256<float> c1, out Vector256<float> c2, out Vector256<float> c3,
                                out Vector256<float> c4, out Vector256<float> c5, out Vector256<float> c6, out Vector256<float> c7)
    {
        if (!Vector256.LessThanOrEqualAll(start, Vector256.Create(source.Length - Count)) || !Vector256.GreaterThanOrEqualAll(start, Vector256<int>.Zero))
            throw new ArgumentOutOfRangeException(nameof(start));
        ref float s = ref MemoryMarshal.GetReference(source);
        Transpose(Vector256.LoadUnsafe(ref s, (nuint)start.GetElement(0)), Vector256.LoadUnsafe(ref s, (nuint)start.GetElement(1)),
                  Vector256.LoadUnsafe(ref s, (nuint)start.GetElement(2)), Vector256.LoadUnsafe(ref s, (nuint)start.GetElement(3)),
                  Vector256.LoadUnsafe(ref s, (nuint)start.GetElement(4)), Vector256.LoadUnsafe(ref s, (nuint)start.GetElement(5)),
                  Vector256.LoadUnsafe(ref s, (nuint)start.GetElement(6)), Vector256.LoadUnsafe(ref s, (nuint)start.GetElement(7)),
                  out c0, out c1, out c2, out c3, out c4, out c5, out c6, out c7);
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
