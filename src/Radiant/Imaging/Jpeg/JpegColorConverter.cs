using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Radiant.Imaging.Jpeg;

/// <summary>
/// Turns the component planes into the RGB float image: upsampling (<see cref="ChromaUpsampler"/>),
/// colour conversion, and the EXIF orientation, one stored row at a time. YCbCr → RGB follows JFIF
/// (ITU-T T.871 §7): R = Y + 1.402 (Cr − 128), G = Y − 0.344136 (Cb − 128) − 0.714136 (Cr − 128),
/// B = Y + 1.772 (Cb − 128), clamped to [0, 255] and scaled to [0, 1].
/// </summary>
internal static class JpegColorConverter
{
    private const float Scale = 1f / 255f;

    /// <summary>The RGB image, in <paramref name="buffer"/> when it has exactly the image's length.</summary>
    public static Image ToImage(JpegFrame frame, JpegColorTransform transform, int orientation, float[]? buffer = null)
    {
        int w = frame.Width, h = frame.Height;
        if (orientation is < 1 or > 8) orientation = 1;
        bool swap = ExifOrientation.SwapsAxes(orientation);
        // Every sample is written below, so the array need not be zeroed first.
        int length = checked(w * h * 3);
        var image = new Image(swap ? h : w, swap ? w : h, 3, buffer?.Length == length ? buffer : GC.AllocateUninitializedArray<float>(length));
        var upsamplers = new ChromaUpsampler[frame.Components.Length];
        for (int i = 0; i < upsamplers.Length; i++) upsamplers[i] = new ChromaUpsampler(frame.Components[i], frame);

        // Orientations 1 and 4 keep rows contiguous and left to right: write straight into the planes.
        bool direct = orientation is 1 or 4;
        float[] tr = direct ? [] : new float[w], tg = direct ? [] : new float[w], tb = direct ? [] : new float[w];
        Span<float> planeR = image.Plane(0), planeG = image.Plane(1), planeB = image.Plane(2);

        for (int y = 0; y < h; y++)
        {
            (int start, int step) = ExifOrientation.RowMapping(orientation, w, h, y);
            Span<float> r = direct ? planeR.Slice(start, w) : tr;
            Span<float> g = direct ? planeG.Slice(start, w) : tg;
            Span<float> b = direct ? planeB.Slice(start, w) : tb;
            switch (transform)
            {
                case JpegColorTransform.Grey:
                    ScaleRow(upsamplers[0].Row(y), r);
                    r.CopyTo(g);
                    r.CopyTo(b);
                    break;
                case JpegColorTransform.Rgb:
                    ScaleRow(upsamplers[0].Row(y), r);
                    ScaleRow(upsamplers[1].Row(y), g);
                    ScaleRow(upsamplers[2].Row(y), b);
                    break;
                default:
                    YCbCrToRgb(upsamplers[0].Row(y), upsamplers[1].Row(y), upsamplers[2].Row(y), r, g, b);
                    break;
            }
            if (!direct)
            {
                Scatter(tr, planeR, start, step);
                Scatter(tg, planeG, start, step);
                Scatter(tb, planeB, start, step);
            }
        }
        return image;
    }

    private static void Scatter(ReadOnlySpan<float> row, Span<float> plane, int start, int step)
    {
        if (step == -1)
        {
            Span<float> dst = plane.Slice(start - row.Length + 1, row.Length);
            row.CopyTo(dst);
            dst.Reverse();
            return;
        }
        int at = start;
        for (int x = 0; x < row.Length; x++, at += step) plane[at] = row[x];
    }

    private static void ScaleRow(ReadOnlySpan<float> src, Span<float> dst)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref float s = ref MemoryMarshal.GetReference(src);
            ref float d = ref MemoryMarshal.GetReference(dst);
            var k = Vector256.Create(Scale);
            for (; i + 8 <= dst.Length; i += 8)
                (Vector256.LoadUnsafe(ref s, (nuint)i) * k).StoreUnsafe(ref d, (nuint)i);
        }
        for (; i < dst.Length; i++) dst[i] = src[i] * Scale;
    }

    private static void YCbCrToRgb(ReadOnlySpan<float> yRow, ReadOnlySpan<float> cbRow, ReadOnlySpan<float> crRow, Span<float> r, Span<float> g, Span<float> b)
    {
        const float crR = 1.402f * Scale, cbG = -0.344136f * Scale, crG = -0.714136f * Scale, cbB = 1.772f * Scale;
        int n = r.Length, i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref float py = ref MemoryMarshal.GetReference(yRow);
            ref float pcb = ref MemoryMarshal.GetReference(cbRow);
            ref float pcr = ref MemoryMarshal.GetReference(crRow);
            ref float pr = ref MemoryMarshal.GetReference(r);
            ref float pg = ref MemoryMarshal.GetReference(g);
            ref float pb = ref MemoryMarshal.GetReference(b);
            var half = Vector256.Create(128f);
            var zero = Vector256<float>.Zero;
            var one = Vector256<float>.One;
            var scale = Vector256.Create(Scale);
            for (; i + 8 <= n; i += 8)
            {
                Vector256<float> yy = Vector256.LoadUnsafe(ref py, (nuint)i) * scale;
                Vector256<float> cb = Vector256.LoadUnsafe(ref pcb, (nuint)i) - half;
                Vector256<float> cr = Vector256.LoadUnsafe(ref pcr, (nuint)i) - half;
                Vector256.Min(Vector256.Max(Vector256.MultiplyAddEstimate(cr, Vector256.Create(crR), yy), zero), one).StoreUnsafe(ref pr, (nuint)i);
                Vector256<float> gg = Vector256.MultiplyAddEstimate(cr, Vector256.Create(crG), Vector256.MultiplyAddEstimate(cb, Vector256.Create(cbG), yy));
                Vector256.Min(Vector256.Max(gg, zero), one).StoreUnsafe(ref pg, (nuint)i);
                Vector256.Min(Vector256.Max(Vector256.MultiplyAddEstimate(cb, Vector256.Create(cbB), yy), zero), one).StoreUnsafe(ref pb, (nuint)i);
            }
        }
        for (; i < n; i++)
        {
            float yy = yRow[i] * Scale, cb = cbRow[i] - 128f, cr = crRow[i] - 128f;
            r[i] = Math.Clamp(yy + crR * cr, 0f, 1f);
            g[i] = Math.Clamp(yy + cbG * cb + crG * cr, 0f, 1f);
            b[i] = Math.Clamp(yy + cbB * cb, 0f, 1f);
        }
    }
}
