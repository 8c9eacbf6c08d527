using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Radiant.Rendering;

/// <summary>
/// Helpers for the kernels that process 8 Gaussians at once (one per <see cref="Vector256{T}"/>
/// lane): index vectors of a batch (a tail shorter than 8 is padded with its last Gaussian, so
/// every lane reads real data and no lane reads past an array), gathers from the structure-of-arrays
/// parameters, and exp lane by lane (libm's, so each lane is the scalar result).
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

    /// <summary>MathF.Exp of each lane.</summary>
    public static Vector256<float> Exp(Vector256<float> x)
    {
        ref float f = ref Unsafe.As<Vector256<float>, float>(ref x);
        for (int k = 0; k < Count; k++) Unsafe.Add(ref f, k) = MathF.Exp(Unsafe.Add(ref f, k));
        return x;
    }

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
