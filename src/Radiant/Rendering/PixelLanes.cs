using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using V8 = System.Runtime.Intrinsics.Vector256<float>;
using V16 = System.Runtime.Intrinsics.Vector512<float>;

namespace Radiant.Rendering;

/// <summary>
/// The operations the rasterizer needs on one SIMD register <typeparamref name="V"/> of pixels of a
/// tile row: 8 lanes (Vector256, AVX2: two groups per 16-pixel tile row) or 16 lanes (Vector512,
/// AVX-512: one group per row). The kernels are written once, generic over (L, V), and the JIT
/// compiles each width to plain vector code. They work on the BCL vectors themselves through these
/// one-line static methods rather than on a wrapper struct with operators: the JIT inlines methods
/// this small beyond its per-method inlining budget, while a wrapper's operators count against it,
/// and a tile loop has hundreds of them (the budget ran out and left calls in the loop). Masks are
/// all-ones lanes in the same register; integer lanes (stop indices) live in the float register's
/// bits. Every lane computes exactly the same float operations at both widths, so the forward image
/// is bit-identical between them.
/// </summary>
internal unsafe interface IPixelLanes<V> where V : unmanaged
{
    static abstract int Count { get; }
    /// <summary><see cref="MoveMask"/> of a mask with every lane set.</summary>
    static abstract uint AllLanes { get; }
    /// <summary>Pixel-centre offsets 0.5, 1.5, …, Count − 0.5.</summary>
    static abstract V PixelCentres { get; }

    static abstract V Create(float value);
    /// <summary>*<paramref name="source"/> in every lane (one broadcast load; a float argument would first be loaded into a register).</summary>
    static abstract V Broadcast(float* source);
    static abstract V CreateInt(int value);
    static abstract V Load(float* source);
    static abstract V LoadInt(int* source);
    static abstract void Store(V value, float* destination);
    static abstract void StoreInt(V value, int* destination);

    static abstract V Add(V a, V b);
    static abstract V Subtract(V a, V b);
    static abstract V Multiply(V a, V b);
    static abstract V And(V a, V b);
    static abstract V Or(V a, V b);
    static abstract V Not(V a);
    /// <summary>a·b + c, fused.</summary>
    static abstract V FusedMultiplyAdd(V a, V b, V c);
    /// <summary>c − a·b, fused.</summary>
    static abstract V MultiplyAddNegated(V a, V b, V c);
    /// <summary>min(a, b), one instruction (minps with b first: a NaN in a is returned, as the IEEE minimum would).</summary>
    static abstract V Min(V a, V b);
    /// <summary>max(a, b), one instruction (maxps with b first: a NaN in a is returned).</summary>
    static abstract V Max(V a, V b);
    static abstract V Abs(V a);
    static abstract V Sqrt(V a);
    /// <summary>1/d for d in (0.01, 1]: the hardware estimate refined by one Newton step, x(2 − d·x).</summary>
    static abstract V Reciprocal(V d);

    static abstract V GreaterThanOrEqual(V a, V b);
    static abstract V LessThanOrEqual(V a, V b);
    static abstract V LessThan(V a, V b);
    /// <summary>Integer lanes: a &gt; b.</summary>
    static abstract V GreaterThanInt(V a, V b);
    /// <summary>Integer lanes: min(a, b).</summary>
    static abstract V MinInt(V a, V b);
    /// <summary>Lanes first + lane &lt; limit (integer lane index).</summary>
    static abstract V LanesBelow(int first, int limit);
    /// <summary>All-ones where the sign bit is set, else zero.</summary>
    static abstract V SignMask(V a);
    /// <summary>mask ? a : b per lane (full-lane masks).</summary>
    static abstract V Select(V mask, V a, V b);
    /// <summary>mask ? a : +0 per lane (AVX-512: a zero-masking move on the compare's mask register).</summary>
    static abstract V Keep(V mask, V a);
    /// <summary>Lanes of a where the integer lanes x &gt; y, else +0 (AVX-512: compare and zero-masking move in the integer domain).</summary>
    static abstract V KeepWhereGreaterInt(V x, V y, V a);
    /// <summary>
    /// The lanes (bit k: lane k) that stop at this compositing step: not taken (<paramref name="take"/>
    /// clear) although still active (<paramref name="t"/> positive). Equivalently, T·(1 − α) =
    /// <paramref name="tNext"/> fell into (0, 1e-4): an active lane has T ≥ 1e-4 and α ≤ 0.99, so
    /// its T·(1 − α) is positive, and a lane that stopped before holds a negative T. With AVX-512
    /// that is one unsigned compare of the bits (positive floats order like their bits, negative
    /// ones have the top bit set).
    /// </summary>
    static abstract uint Stopping(V tNext, V take, V t);
    /// <summary>The sign bits of the lanes (bit k: lane k).</summary>
    static abstract uint MoveMask(V a);
    /// <summary>⌊x⌋.</summary>
    static abstract V Floor(V x);
    /// <summary>
    /// p·2ⁿ for integral n (AVX-512: one vscalefps); elsewhere n added to p's exponent bits, which
    /// is the same value whenever the result is a normal float.
    /// </summary>
    static abstract V ScaleByPowerOfTwo(V p, V n);
    /// <summary>The register's 8-lane halves added (itself at 8 lanes), for horizontal sums.</summary>
    static abstract Vector256<float> Fold(V a);
}

/// <summary>8 pixels in a <see cref="Vector256{T}"/> (AVX2).</summary>
internal readonly unsafe struct PixelLanes8 : IPixelLanes<V8>
{
    private static readonly V8 Centres = Vector256.Create(0.5f, 1.5f, 2.5f, 3.5f, 4.5f, 5.5f, 6.5f, 7.5f);

    public static int Count => 8;
    public static uint AllLanes => 0xFF;
    public static V8 PixelCentres => Centres;

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V8 Create(float value) => Vector256.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V8 Broadcast(float* source) => Vector256.Create(*source);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V8 CreateInt(int value) => Vector256.Create(value).AsSingle();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V8 Load(float* source) => Vector256.Load(source);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V8 LoadInt(int* source) => Vector256.Load(source).AsSingle();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(V8 value, float* destination) => value.Store(destination);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void StoreInt(V8 value, int* destination) => value.AsInt32().Store(destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V8 Add(V8 a, V8 b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V8 Subtract(V8 a, V8 b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V8 Multiply(V8 a, V8 b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V8 And(V8 a, V8 b) => a & b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V8 Or(V8 a, V8 b) => a | b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V8 Not(V8 a) => ~a;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V8 FusedMultiplyAdd(V8 a, V8 b, V8 c) => Vector256.FusedMultiplyAdd(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V8 MultiplyAddNegated(V8 a, V8 b, V8 c) => Fma.IsSupported ? Fma.MultiplyAddNegated(a, b, c) : Vector256.FusedMultiplyAdd(-a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V8 Min(V8 a, V8 b) => Avx.IsSupported ? Avx.Min(b, a) : Vector256.Min(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V8 Max(V8 a, V8 b) => Avx.IsSupported ? Avx.Max(b, a) : Vector256.Max(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V8 Abs(V8 a) => Vector256.Abs(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V8 Sqrt(V8 a) => Vector256.Sqrt(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V8 Reciprocal(V8 d)
    {
        if (!Fma.IsSupported) return V8.One / d;
        V8 x = Avx.Reciprocal(d);
        return x * Fma.MultiplyAddNegated(d, x, Vector256.Create(2f));   // 2 − d·x, no negation of d
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V8 GreaterThanOrEqual(V8 a, V8 b) => Vector256.GreaterThanOrEqual(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V8 LessThanOrEqual(V8 a, V8 b) => Vector256.LessThanOrEqual(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V8 LessThan(V8 a, V8 b) => Vector256.LessThan(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V8 GreaterThanInt(V8 a, V8 b) => Vector256.GreaterThan(a.AsInt32(), b.AsInt32()).AsSingle();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V8 MinInt(V8 a, V8 b) => Vector256.Min(a.AsInt32(), b.AsInt32()).AsSingle();
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V8 LanesBelow(int first, int limit) => Vector256.LessThan(Vector256.Create(first) + Vector256<int>.Indices, Vector256.Create(limit)).AsSingle();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V8 SignMask(V8 a) => Vector256.ShiftRightArithmetic(a.AsInt32(), 31).AsSingle();
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V8 Select(V8 mask, V8 a, V8 b) => Avx.IsSupported ? Avx.BlendVariable(b, a, mask) : Vector256.ConditionalSelect(mask, a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V8 Keep(V8 mask, V8 a) => a & mask;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V8 KeepWhereGreaterInt(V8 x, V8 y, V8 a) => a & Vector256.GreaterThan(x.AsInt32(), y.AsInt32()).AsSingle();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static uint Stopping(V8 tNext, V8 take, V8 t) => ~(take | t).ExtractMostSignificantBits() & 0xFFu;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static uint MoveMask(V8 a) => a.ExtractMostSignificantBits();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V8 Floor(V8 x) => Vector256.Floor(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V8 ScaleByPowerOfTwo(V8 p, V8 n) => Avx512F.VL.IsSupported ? Avx512F.VL.Scale(p, n) : ScaleByPowerOfTwoPortable(p, n);
    /// <summary>The AVX2 form of <see cref="ScaleByPowerOfTwo"/> (tested against vscalefps).</summary>
    internal static V8 ScaleByPowerOfTwoPortable(V8 p, V8 n) => (p.AsInt32() + Vector256.ShiftLeft(Vector256.ConvertToInt32(n), 23)).AsSingle();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V8 Fold(V8 a) => a;
}

/// <summary>16 pixels (a whole tile row) in a <see cref="Vector512{T}"/> (AVX-512).</summary>
internal readonly unsafe struct PixelLanes16 : IPixelLanes<V16>
{
    private static readonly V16 Centres = Vector512.Create(0.5f, 1.5f, 2.5f, 3.5f, 4.5f, 5.5f, 6.5f, 7.5f,
                                                           8.5f, 9.5f, 10.5f, 11.5f, 12.5f, 13.5f, 14.5f, 15.5f);

    public static int Count => 16;
    public static uint AllLanes => 0xFFFF;
    public static V16 PixelCentres => Centres;

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V16 Create(float value) => Vector512.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V16 Broadcast(float* source) => Vector512.Create(*source);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V16 CreateInt(int value) => Vector512.Create(value).AsSingle();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V16 Load(float* source) => Vector512.Load(source);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V16 LoadInt(int* source) => Vector512.Load(source).AsSingle();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(V16 value, float* destination) => value.Store(destination);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void StoreInt(V16 value, int* destination) => value.AsInt32().Store(destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V16 Add(V16 a, V16 b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V16 Subtract(V16 a, V16 b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V16 Multiply(V16 a, V16 b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V16 And(V16 a, V16 b) => a & b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V16 Or(V16 a, V16 b) => a | b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V16 Not(V16 a) => ~a;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V16 FusedMultiplyAdd(V16 a, V16 b, V16 c) => Vector512.FusedMultiplyAdd(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V16 MultiplyAddNegated(V16 a, V16 b, V16 c) => Avx512F.IsSupported ? Avx512F.FusedMultiplyAddNegated(a, b, c) : Vector512.FusedMultiplyAdd(-a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V16 Min(V16 a, V16 b) => Avx512F.IsSupported ? Avx512F.Min(b, a) : Vector512.Min(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V16 Max(V16 a, V16 b) => Avx512F.IsSupported ? Avx512F.Max(b, a) : Vector512.Max(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V16 Abs(V16 a) => Vector512.Abs(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V16 Sqrt(V16 a) => Vector512.Sqrt(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V16 Reciprocal(V16 d)
    {
        if (!Avx512F.IsSupported) return V16.One / d;
        V16 x = Avx512F.Reciprocal14(d);
        return x * Avx512F.FusedMultiplyAddNegated(d, x, Vector512.Create(2f));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V16 GreaterThanOrEqual(V16 a, V16 b) => Vector512.GreaterThanOrEqual(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V16 LessThanOrEqual(V16 a, V16 b) => Vector512.LessThanOrEqual(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V16 LessThan(V16 a, V16 b) => Vector512.LessThan(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V16 GreaterThanInt(V16 a, V16 b) => Vector512.GreaterThan(a.AsInt32(), b.AsInt32()).AsSingle();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V16 MinInt(V16 a, V16 b) => Vector512.Min(a.AsInt32(), b.AsInt32()).AsSingle();
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V16 LanesBelow(int first, int limit) => Vector512.LessThan(Vector512.Create(first) + Vector512<int>.Indices, Vector512.Create(limit)).AsSingle();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V16 SignMask(V16 a) => Vector512.ShiftRightArithmetic(a.AsInt32(), 31).AsSingle();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V16 Select(V16 mask, V16 a, V16 b) => Vector512.ConditionalSelect(mask, a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V16 Keep(V16 mask, V16 a) => Vector512.ConditionalSelect(mask, a, V16.Zero);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V16 KeepWhereGreaterInt(V16 x, V16 y, V16 a) => Vector512.ConditionalSelect(Vector512.GreaterThan(x.AsInt32(), y.AsInt32()), a.AsInt32(), Vector512<int>.Zero).AsSingle();
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Stopping(V16 tNext, V16 take, V16 t) =>
        (uint)Vector512.LessThan(tNext.AsUInt32(), Vector512.Create(BitConverter.SingleToUInt32Bits(SplatFalloff.MinTransmittance))).ExtractMostSignificantBits();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static uint MoveMask(V16 a) => (uint)a.ExtractMostSignificantBits();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V16 Floor(V16 x) => Vector512.Floor(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V16 ScaleByPowerOfTwo(V16 p, V16 n) =>
        Avx512F.IsSupported ? Avx512F.Scale(p, n) : (p.AsInt32() + Vector512.ShiftLeft(Vector512.ConvertToInt32(n), 23)).AsSingle();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Fold(V16 a) => a.GetLower() + a.GetUpper();
}
