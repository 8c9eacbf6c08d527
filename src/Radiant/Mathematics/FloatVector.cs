using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Radiant.Mathematics;

/// <summary>
/// A SIMD register of floats, abstracted so that one generic kernel source serves Vector512,
/// Vector256, Vector128 and a one-lane scalar (for loop tails). The JIT specialises generic
/// methods over these structs, so a kernel written as <c>Kernel&lt;F256&gt;</c> compiles to plain
/// AVX2 code. (The BCL's own <c>ISimdVector</c> is not public.)
/// </summary>
internal unsafe interface IFloatVector<TSelf> where TSelf : unmanaged, IFloatVector<TSelf>
{
    static abstract int Count { get; }
    static abstract TSelf Create(float value);
    static abstract TSelf Load(float* source);
    void Store(float* destination);

    static abstract TSelf operator +(TSelf a, TSelf b);
    static abstract TSelf operator -(TSelf a, TSelf b);
    static abstract TSelf operator *(TSelf a, TSelf b);
    static abstract TSelf operator /(TSelf a, TSelf b);

    /// <summary>a·b + c, fused where the hardware has FMA.</summary>
    static abstract TSelf MultiplyAdd(TSelf a, TSelf b, TSelf c);
    static abstract TSelf Abs(TSelf a);
    /// <summary>−1, 0 or +1 per lane (0 for ±0 and NaN), as torch.sign.</summary>
    static abstract TSelf Sign(TSelf a);
    static abstract TSelf Sqrt(TSelf a);
    static abstract TSelf Min(TSelf a, TSelf b);
    static abstract TSelf Max(TSelf a, TSelf b);
    /// <summary>Per lane, <paramref name="ifLess"/> where a &lt; b, else <paramref name="otherwise"/> (an argmin's index update).</summary>
    static abstract TSelf SelectWhereLess(TSelf a, TSelf b, TSelf ifLess, TSelf otherwise);
    /// <summary>Horizontal sum of the lanes.</summary>
    static abstract float Sum(TSelf a);
}

/// <summary>The widest vector the hardware accelerates, for dispatch.</summary>
internal enum SimdWidth { Scalar = 1, V128 = 4, V256 = 8, V512 = 16 }

internal static class FloatVector
{
    public static SimdWidth Best =>
        Vector512.IsHardwareAccelerated ? SimdWidth.V512 :
        Vector256.IsHardwareAccelerated ? SimdWidth.V256 :
        Vector128.IsHardwareAccelerated ? SimdWidth.V128 : SimdWidth.Scalar;
}

/// <summary>One float (loop tails, and the reference for the vector paths).</summary>
internal readonly unsafe struct F1(float v) : IFloatVector<F1>
{
    private readonly float _v = v;
    public static int Count => 1;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static F1 Create(float value) => new(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static F1 Load(float* source) => new(*source);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public void Store(float* destination) => *destination = _v;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static F1 operator +(F1 a, F1 b) => new(a._v + b._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static F1 operator -(F1 a, F1 b) => new(a._v - b._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static F1 operator *(F1 a, F1 b) => new(a._v * b._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static F1 operator /(F1 a, F1 b) => new(a._v / b._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static F1 MultiplyAdd(F1 a, F1 b, F1 c) => new(float.MultiplyAddEstimate(a._v, b._v, c._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static F1 Abs(F1 a) => new(MathF.Abs(a._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static F1 Sign(F1 a) => new(a._v > 0 ? 1f : a._v < 0 ? -1f : 0f);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static F1 Sqrt(F1 a) => new(MathF.Sqrt(a._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static F1 Min(F1 a, F1 b) => new(MathF.Min(a._v, b._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static F1 Max(F1 a, F1 b) => new(MathF.Max(a._v, b._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static F1 SelectWhereLess(F1 a, F1 b, F1 ifLess, F1 otherwise) => a._v < b._v ? ifLess : otherwise;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Sum(F1 a) => a._v;
}

internal readonly unsafe struct F128(Vector128<float> v) : IFloatVector<F128>
{
    private readonly Vector128<float> _v = v;
    public static int Count => Vector128<float>.Count;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static F128 Create(float value) => new(Vector128.Create(value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static F128 Load(float* source) => new(Vector128.Load(source));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public void Store(float* destination) => _v.Store(destination);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static F128 operator +(F128 a, F128 b) => new(a._v + b._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static F128 operator -(F128 a, F128 b) => new(a._v - b._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static F128 operator *(F128 a, F128 b) => new(a._v * b._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static F128 operator /(F128 a, F128 b) => new(a._v / b._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static F128 MultiplyAdd(F128 a, F128 b, F128 c) => new(Vector128.MultiplyAddEstimate(a._v, b._v, c._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static F128 Abs(F128 a) => new(Vector128.Abs(a._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F128 Sign(F128 a)
    {
        Vector128<float> one = Vector128<float>.One;
        return new((Vector128.GreaterThan(a._v, Vector128<float>.Zero) & one) - (Vector128.LessThan(a._v, Vector128<float>.Zero) & one));
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static F128 Sqrt(F128 a) => new(Vector128.Sqrt(a._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static F128 Min(F128 a, F128 b) => new(Vector128.Min(a._v, b._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static F128 Max(F128 a, F128 b) => new(Vector128.Max(a._v, b._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F128 SelectWhereLess(F128 a, F128 b, F128 ifLess, F128 otherwise) =>
        new(Vector128.ConditionalSelect(Vector128.LessThan(a._v, b._v), ifLess._v, otherwise._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Sum(F128 a) => Vector128.Sum(a._v);
}

internal readonly unsafe struct F256(Vector256<float> v) : IFloatVector<F256>
{
    private readonly Vector256<float> _v = v;
    public static int Count => Vector256<float>.Count;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static F256 Create(float value) => new(Vector256.Create(value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static F256 Load(float* source) => new(Vector256.Load(source));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public void Store(float* destination) => _v.Store(destination);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static F256 operator +(F256 a, F256 b) => new(a._v + b._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static F256 operator -(F256 a, F256 b) => new(a._v - b._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static F256 operator *(F256 a, F256 b) => new(a._v * b._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static F256 operator /(F256 a, F256 b) => new(a._v / b._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static F256 MultiplyAdd(F256 a, F256 b, F256 c) => new(Vector256.MultiplyAddEstimate(a._v, b._v, c._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static F256 Abs(F256 a) => new(Vector256.Abs(a._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F256 Sign(F256 a)
    {
        Vector256<float> one = Vector256<float>.One;
        return new((Vector256.GreaterThan(a._v, Vector256<float>.Zero) & one) - (Vector256.LessThan(a._v, Vector256<float>.Zero) & one));
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static F256 Sqrt(F256 a) => new(Vector256.Sqrt(a._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static F256 Min(F256 a, F256 b) => new(Vector256.Min(a._v, b._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static F256 Max(F256 a, F256 b) => new(Vector256.Max(a._v, b._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F256 SelectWhereLess(F256 a, F256 b, F256 ifLess, F256 otherwise) =>
        new(Vector256.ConditionalSelect(Vector256.LessThan(a._v, b._v), ifLess._v, otherwise._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Sum(F256 a) => Vector256.Sum(a._v);
}

internal readonly unsafe struct F512(Vector512<float> v) : IFloatVector<F512>
{
    private readonly Vector512<float> _v = v;
    public static int Count => Vector512<float>.Count;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static F512 Create(float value) => new(Vector512.Create(value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static F512 Load(float* source) => new(Vector512.Load(source));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public void Store(float* destination) => _v.Store(destination);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static F512 operator +(F512 a, F512 b) => new(a._v + b._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static F512 operator -(F512 a, F512 b) => new(a._v - b._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static F512 operator *(F512 a, F512 b) => new(a._v * b._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static F512 operator /(F512 a, F512 b) => new(a._v / b._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static F512 MultiplyAdd(F512 a, F512 b, F512 c) => new(Vector512.MultiplyAddEstimate(a._v, b._v, c._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static F512 Abs(F512 a) => new(Vector512.Abs(a._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F512 Sign(F512 a)
    {
        Vector512<float> one = Vector512<float>.One;
        return new((Vector512.GreaterThan(a._v, Vector512<float>.Zero) & one) - (Vector512.LessThan(a._v, Vector512<float>.Zero) & one));
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static F512 Sqrt(F512 a) => new(Vector512.Sqrt(a._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static F512 Min(F512 a, F512 b) => new(Vector512.Min(a._v, b._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static F512 Max(F512 a, F512 b) => new(Vector512.Max(a._v, b._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F512 SelectWhereLess(F512 a, F512 b, F512 ifLess, F512 otherwise) =>
        new(Vector512.ConditionalSelect(Vector512.LessThan(a._v, b._v), ifLess._v, otherwise._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Sum(F512 a) => Vector512.Sum(a._v);
}
