using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Radiant.Imaging.Png;

/// <summary>
/// The encoder's filtering of one scanline (PNG spec §9, §12.8): every one of the five filters is
/// tried and the one whose residuals have the smallest sum of absolute values (as signed bytes) is
/// kept, ties going to the lower filter type, the usual heuristic. Encoding filters the raw samples,
/// so a residual depends on no other residual: the filters run on 32 bytes at a time, Paeth in
/// 16-bit lanes; the first pixel (no left neighbour) and the row's tail go one byte at a time.
/// </summary>
internal static class PngFilterChoice
{
    private const int Filters = 5;

    /// <summary>
    /// Writes the filter type and the filtered bytes of <paramref name="row"/> into
    /// <paramref name="output"/> (row length + 1), given the raw previous row (zeros for the first)
    /// and the §9.2 byte distance <paramref name="bytesPerPixel"/>. <paramref name="scratch"/> (at least
    /// 5 × row length bytes) is left holding each filter's residuals, filter type f at f × row length.
    /// Returns the chosen filter type.
    /// </summary>
    public static int Filter(ReadOnlySpan<byte> row, ReadOnlySpan<byte> prior, int bytesPerPixel, Span<byte> output, Span<byte> scratch)
    {
        int n = row.Length;
        if (prior.Length != n || output.Length != n + 1 || scratch.Length < Filters * n || bytesPerPixel < 1)
            throw new ArgumentException("scanline buffers differ in length");
        Span<long> score = stackalloc long[Filters];
        int first = Math.Min(bytesPerPixel, n);
        for (int i = 0; i < first; i++) Residuals(row[i], 0, prior[i], 0, scratch, n, i, score);
        int next = Vector256.IsHardwareAccelerated ? FilterVectors(row, prior, bytesPerPixel, scratch, score) : first;
        for (int i = Math.Max(next, first); i < n; i++)
            Residuals(row[i], row[i - bytesPerPixel], prior[i], prior[i - bytesPerPixel], scratch, n, i, score);

        int best = 0;
        for (int f = 1; f < Filters; f++) if (score[f] < score[best]) best = f;
        output[0] = (byte)best;
        scratch.Slice(best * n, n).CopyTo(output[1..]);
        return best;
    }

    /// <summary>One byte x with left a, above b, upper left c: its residual under each filter, and their scores.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Residuals(int x, int a, int b, int c, Span<byte> scratch, int n, int i, Span<long> score)
    {
        Span<int> predicted = [0, a, b, (a + b) >> 1, PngFilters.Paeth(a, b, c)];
        for (int f = 0; f < Filters; f++)
        {
            byte residual = (byte)(x - predicted[f]);
            scratch[f * n + i] = residual;
            score[f] += Math.Abs((int)(sbyte)residual);
        }
    }

    /// <summary>
    /// The residuals of bytes bytesPerPixel … of the row, 32 at a time, as long as a whole vector
    /// fits; adds their scores. Returns the first byte it did not filter.
    /// </summary>
    private static unsafe int FilterVectors(ReadOnlySpan<byte> row, ReadOnlySpan<byte> prior, int bytesPerPixel, Span<byte> scratch, Span<long> score)
    {
        int n = row.Length, count = Vector256<byte>.Count;
        int i = bytesPerPixel;
        if (i + count > n) return i;
        // Score sums per filter in 16-bit lanes: each vector adds at most 2 · 128 to a lane, so they are
        // moved into the 64-bit totals every 128 vectors, before a lane can overflow.
        Vector256<ushort> none = default, sub = default, up = default, average = default, paeth = default;
        int pending = 0;
        fixed (byte* x = row, p = prior, s = scratch)
        {
            byte* sNone = s, sSub = s + n, sUp = s + 2 * n, sAverage = s + 3 * n, sPaeth = s + 4 * n;
            for (; i + count <= n; i += count)
            {
                Vector256<byte> vx = Vector256.Load(x + i), a = Vector256.Load(x + i - bytesPerPixel);
                Vector256<byte> b = Vector256.Load(p + i), c = Vector256.Load(p + i - bytesPerPixel);
                // ⌊(a + b)/2⌋ without leaving bytes: (a & b) + ((a ^ b) >> 1).
                Vector256<byte> mean = (a & b) + Vector256.ShiftRightLogical(a ^ b, 1);
                Vector256<byte> rSub = vx - a, rUp = vx - b, rAverage = vx - mean, rPaeth = vx - PaethPredictor(a, b, c);
                vx.Store(sNone + i);
                rSub.Store(sSub + i);
                rUp.Store(sUp + i);
                rAverage.Store(sAverage + i);
                rPaeth.Store(sPaeth + i);
                none += AbsoluteSum(vx);
                sub += AbsoluteSum(rSub);
                up += AbsoluteSum(rUp);
                average += AbsoluteSum(rAverage);
                paeth += AbsoluteSum(rPaeth);
                if (++pending == 128)
                {
                    Flush(ref none, ref sub, ref up, ref average, ref paeth, score);
                    pending = 0;
                }
            }
        }
        Flush(ref none, ref sub, ref up, ref average, ref paeth, score);
        return i;
    }

    /// <summary>|r| of each byte read as a signed byte (0 … 128), summed in pairs into 16-bit lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ushort> AbsoluteSum(Vector256<byte> residual)
    {
        // Abs of −128 is −128 as a signed byte, 128 as an unsigned one: right either way.
        Vector256<byte> magnitude = Vector256.Abs(residual.AsSByte()).AsByte();
        (Vector256<ushort> low, Vector256<ushort> high) = Vector256.Widen(magnitude);
        return low + high;
    }

    private static void Flush(ref Vector256<ushort> none, ref Vector256<ushort> sub, ref Vector256<ushort> up,
                              ref Vector256<ushort> average, ref Vector256<ushort> paeth, Span<long> score)
    {
        score[0] += Total(none); score[1] += Total(sub); score[2] += Total(up); score[3] += Total(average); score[4] += Total(paeth);
        none = sub = up = average = paeth = default;

        static long Total(Vector256<ushort> v)
        {
            (Vector256<uint> low, Vector256<uint> high) = Vector256.Widen(v);
            return Vector256.Sum(low + high);
        }
    }

    /// <summary>
    /// Paeth's predictor (§9.4) of 32 bytes, in 16-bit lanes: with p = a + b − c, |p − a| = |b − c|,
    /// |p − b| = |a − c| and |p − c| = |a + b − 2c|; a if |p − a| is the smallest, else b if |p − b|
    /// is no larger than |p − c|, else c.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<byte> PaethPredictor(Vector256<byte> a, Vector256<byte> b, Vector256<byte> c)
    {
        (Vector256<ushort> aLow, Vector256<ushort> aHigh) = Vector256.Widen(a);
        (Vector256<ushort> bLow, Vector256<ushort> bHigh) = Vector256.Widen(b);
        (Vector256<ushort> cLow, Vector256<ushort> cHigh) = Vector256.Widen(c);
        return Vector256.Narrow(Paeth16(aLow.AsInt16(), bLow.AsInt16(), cLow.AsInt16()), Paeth16(aHigh.AsInt16(), bHigh.AsInt16(), cHigh.AsInt16()));

        static Vector256<ushort> Paeth16(Vector256<short> a, Vector256<short> b, Vector256<short> c)
        {
            Vector256<short> pa = Vector256.Abs(b - c), pb = Vector256.Abs(a - c), pc = Vector256.Abs(a + b - c - c);
            Vector256<short> takeA = Vector256.LessThanOrEqual(pa, pb) & Vector256.LessThanOrEqual(pa, pc);
            Vector256<short> bOrC = Vector256.ConditionalSelect(Vector256.LessThanOrEqual(pb, pc), b, c);
            return Vector256.ConditionalSelect(takeA, a, bOrC).AsUInt16();
        }
    }
}
