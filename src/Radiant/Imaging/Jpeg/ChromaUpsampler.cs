using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace Radiant.Imaging.Jpeg;

/// <summary>
/// Produces full-resolution rows (float sample values 0..255) of one component from its sample
/// plane. T.81 leaves upsampling to the application; this uses the "fancy" triangular filter of
/// the IJG libjpeg family for factors of 2 (each output sample weighs its nearer input ¾ and the
/// next one ¼, which centres the chroma samples as JFIF sites them) when neither axis has a larger
/// factor, replication for other integer factors, and nearest sampling for the rare non-integer ones. Edges replicate the last real
/// sample (xi, yi), never the block padding. Computed in float without intermediate rounding.
/// </summary>
internal sealed class ChromaUpsampler
{
    private enum Mode { Same, Triangle, Replicate, Nearest }

    private readonly byte[] _samples;
    private readonly int _stride, _width, _height;     // plane stride and xi, yi
    private readonly int _outWidth;
    private readonly int _h, _v, _hmax, _vmax;
    private readonly Mode _hMode, _vMode;
    private readonly float[] _column;                    // one vertically resampled row, xi wide
    private readonly float[] _row;                       // the output row, X wide

    public ChromaUpsampler(JpegComponent c, JpegFrame frame)
    {
        _samples = c.Samples;
        _stride = c.Stride;
        _width = c.Width;
        _height = c.Height;
        _outWidth = frame.Width;
        _h = c.H; _v = c.V; _hmax = frame.Hmax; _vmax = frame.Vmax;
        // Like libjpeg, the triangle filter is used only for factors of 1 or 2 on both axes and
        // when the component is more than 2 samples wide; otherwise both axes replicate.
        bool triangle = c.Width > 2 && frame.Hmax / c.H <= 2 && frame.Vmax / c.V <= 2
            && frame.Hmax % c.H == 0 && frame.Vmax % c.V == 0;
        _hMode = ModeFor(c.H, frame.Hmax, triangle);
        _vMode = ModeFor(c.V, frame.Vmax, triangle);
        _column = new float[_width + Vector256<float>.Count];
        _row = _hMode == Mode.Same ? _column : new float[_outWidth];
    }

    private static Mode ModeFor(int factor, int max, bool triangle) =>
        factor == max ? Mode.Same
        : max == 2 * factor && triangle ? Mode.Triangle
        : max % factor == 0 ? Mode.Replicate
        : Mode.Nearest;

    /// <summary>Output row <paramref name="y"/> (0 ≤ y &lt; Y), X samples.</summary>
    public ReadOnlySpan<float> Row(int y)
    {
        int last = _height - 1;
        Span<float> column = _column.AsSpan(0, _width);
        switch (_vMode)
        {
            case Mode.Same:
                Widen(PlaneRow(Math.Min(y, last)), column);
                break;
            case Mode.Triangle:
            {
                // Output rows 2j and 2j+1 both come from input row j, blended with row j−1 or j+1.
                int near = Math.Min(y >> 1, last);
                int far = Math.Clamp((y & 1) == 0 ? near - 1 : near + 1, 0, last);
                Blend(PlaneRow(near), PlaneRow(far), column);
                break;
            }
            case Mode.Replicate:
                Widen(PlaneRow(Math.Min(y / (_vmax / _v), last)), column);
                break;
            default:
                Widen(PlaneRow(Math.Min((int)((long)y * _v / _vmax), last)), column);
                break;
        }

        Span<float> row = _row.AsSpan(0, _outWidth);
        switch (_hMode)
        {
            case Mode.Same:
                break;
            case Mode.Triangle:
                Triangle(column, row);
                break;
            case Mode.Replicate:
            {
                int f = _hmax / _h;
                for (int x = 0; x < row.Length; x++) row[x] = column[Math.Min(x / f, _width - 1)];
                break;
            }
            default:
                for (int x = 0; x < row.Length; x++) row[x] = column[Math.Min((int)((long)x * _h / _hmax), _width - 1)];
                break;
        }
        return row;
    }

    private ReadOnlySpan<byte> PlaneRow(int j) => _samples.AsSpan(j * _stride, _width);

    /// <summary>Bytes to floats.</summary>
    private static void Widen(ReadOnlySpan<byte> src, Span<float> dst)
    {
        int i = 0;
        if (Vector128.IsHardwareAccelerated)
        {
            ref byte s = ref MemoryMarshal.GetReference(src);
            ref float d = ref MemoryMarshal.GetReference(dst);
            for (; i + 16 <= src.Length; i += 16)
            {
                Vector128<byte> b = Vector128.LoadUnsafe(ref s, (nuint)i);
                (Vector128<ushort> lo, Vector128<ushort> hi) = Vector128.Widen(b);
                (Vector128<uint> a0, Vector128<uint> a1) = Vector128.Widen(lo);
                (Vector128<uint> a2, Vector128<uint> a3) = Vector128.Widen(hi);
                Vector128.ConvertToSingle(a0).StoreUnsafe(ref d, (nuint)i);
                Vector128.ConvertToSingle(a1).StoreUnsafe(ref d, (nuint)(i + 4));
                Vector128.ConvertToSingle(a2).StoreUnsafe(ref d, (nuint)(i + 8));
                Vector128.ConvertToSingle(a3).StoreUnsafe(ref d, (nuint)(i + 12));
            }
        }
        for (; i < src.Length; i++) dst[i] = src[i];
    }

    /// <summary>Vertical triangle filter: ¾ · near + ¼ · far.</summary>
    private static void Blend(ReadOnlySpan<byte> near, ReadOnlySpan<byte> far, Span<float> dst)
    {
        int i = 0;
        if (Vector128.IsHardwareAccelerated)
        {
            ref byte pn = ref MemoryMarshal.GetReference(near);
            ref byte pf = ref MemoryMarshal.GetReference(far);
            ref float d = ref MemoryMarshal.GetReference(dst);
            Vector128<float> three = Vector128.Create(3f), quarter = Vector128.Create(0.25f);
            for (; i + 16 <= dst.Length; i += 16)
            {
                // 3·near + far in 16-bit integers (exact), then × ¼ in float.
                (Vector128<ushort> n0, Vector128<ushort> n1) = Vector128.Widen(Vector128.LoadUnsafe(ref pn, (nuint)i));
                (Vector128<ushort> f0, Vector128<ushort> f1) = Vector128.Widen(Vector128.LoadUnsafe(ref pf, (nuint)i));
                Vector128<ushort> s0 = n0 * 3 + f0, s1 = n1 * 3 + f1;
                (Vector128<uint> a0, Vector128<uint> a1) = Vector128.Widen(s0);
                (Vector128<uint> a2, Vector128<uint> a3) = Vector128.Widen(s1);
                (Vector128.ConvertToSingle(a0) * quarter).StoreUnsafe(ref d, (nuint)i);
                (Vector128.ConvertToSingle(a1) * quarter).StoreUnsafe(ref d, (nuint)(i + 4));
                (Vector128.ConvertToSingle(a2) * quarter).StoreUnsafe(ref d, (nuint)(i + 8));
                (Vector128.ConvertToSingle(a3) * quarter).StoreUnsafe(ref d, (nuint)(i + 12));
            }
        }
        for (; i < dst.Length; i++) dst[i] = (3 * near[i] + far[i]) * 0.25f;
    }

    /// <summary>
    /// Horizontal triangle filter: output 2i is ¾ · in[i] + ¼ · in[i−1], output 2i+1 is
    /// ¾ · in[i] + ¼ · in[i+1]; the first and last outputs copy the edge sample.
    /// </summary>
    private static void Triangle(ReadOnlySpan<float> src, Span<float> dst)
    {
        int n = src.Length;
        int outWidth = dst.Length;   // 2n − 1 or 2n
        dst[0] = src[0];
        int i = 1;
        if (Sse.IsSupported || AdvSimd.Arm64.IsSupported)
        {
            ref float s = ref MemoryMarshal.GetReference(src);
            ref float d = ref MemoryMarshal.GetReference(dst);
            Vector128<float> q1 = Vector128.Create(0.25f), q3 = Vector128.Create(0.75f);
            // Four inputs pairs (in[i−1+j], in[i+j]) give outputs 2(i+j)−1 and 2(i+j), j = 0..3.
            for (; i + 4 <= n; i += 4)
            {
                Vector128<float> x = Vector128.LoadUnsafe(ref s, (nuint)(i - 1));
                Vector128<float> y = Vector128.LoadUnsafe(ref s, (nuint)i);
                Vector128<float> odd = q3 * x + q1 * y;
                Vector128<float> even = q1 * x + q3 * y;
                Vector128<float> lo, hi;
                if (Sse.IsSupported) { lo = Sse.UnpackLow(odd, even); hi = Sse.UnpackHigh(odd, even); }
                else { lo = AdvSimd.Arm64.ZipLow(odd, even); hi = AdvSimd.Arm64.ZipHigh(odd, even); }
                lo.StoreUnsafe(ref d, (nuint)(2 * i - 1));
                hi.StoreUnsafe(ref d, (nuint)(2 * i + 3));
            }
        }
        for (; i < n; i++)
        {
            float a = src[i - 1], b = src[i];
            dst[2 * i - 1] = 0.75f * a + 0.25f * b;
            if (2 * i < outWidth) dst[2 * i] = 0.75f * b + 0.25f * a;
        }
        if (2 * n - 1 < outWidth) dst[2 * n - 1] = src[n - 1];
    }
}
