using System.Text;
using Radiant.Imaging;
using Radiant.Tests.Support;

namespace Radiant.Tests.Imaging;

/// <summary>
/// Test images for the JPEG decoder: deterministic sources, encoders (ffmpeg, and cjpeg/jpegtran
/// from Debian's libjpeg-turbo-progs) and reference decoders (djpeg, ffmpeg).
/// </summary>
internal static class JpegTestSupport
{
    /// <summary>Interleaved RGB8: gradients, hashed texture, hard-edged saturated shapes and a checkerboard.</summary>
    public static byte[] MakeSource(int w, int h, int seed = 1)
    {
        var rgb = new byte[w * h * 3];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                uint hash = (uint)(x * 73856093) ^ (uint)(y * 19349663) ^ (uint)(seed * 83492791);
                hash ^= hash >> 13; hash *= 0x5bd1e995; hash ^= hash >> 15;
                int noise = (int)(hash % 41) - 20;
                int r = w > 1 ? x * 255 / (w - 1) : 128;
                int g = h > 1 ? y * 255 / (h - 1) : 64;
                int b = (x + 2 * y) * 5 % 256;
                if (((x / 6) + (y / 5)) % 2 == 1) r = 255 - r;                    // checkerboard
                if (x > w / 4 && x < w / 2 && y > h / 5 && y < h / 2) (r, g, b) = (250, 10, 30);   // red box
                if (Math.Abs(x - 2 * y) < 2) (r, g, b) = (20, 30, 240);           // blue diagonal line
                if (x > 2 * w / 3 && y > 2 * h / 3) (r, g, b) = (30, 220, 40);   // green corner
                int i = (y * w + x) * 3;
                rgb[i] = Clamp(r + noise);
                rgb[i + 1] = Clamp(g - noise / 2);
                rgb[i + 2] = Clamp(b + noise / 3);
            }
        return rgb;
    }

    private static byte Clamp(int v) => (byte)Math.Clamp(v, 0, 255);

    public static void WritePpm(string path, byte[] rgb, int w, int h)
    {
        byte[] header = Encoding.ASCII.GetBytes($"P6\n{w} {h}\n255\n");
        File.WriteAllBytes(path, [.. header, .. rgb]);
    }

    /// <summary>The variants the reference tests encode. Each produces a JPEG from a PPM source.</summary>
    public static readonly string[] Variants =
    [
        "ffmpeg-444", "ffmpeg-422", "ffmpeg-420",
        "cjpeg-grey", "cjpeg-440", "cjpeg-411", "cjpeg-rgb", "cjpeg-420-mixed", "cjpeg-odd-sampling",
        "prog-444", "prog-420", "prog-grey", "restart-420", "restart-blocks-422", "prog-restart-420", "optimized-420",
    ];

    /// <summary>Encodes <paramref name="ppm"/> as the given variant; returns the JPEG path.</summary>
    public static string Encode(TempDir dir, string ppm, string variant)
    {
        string outPath = dir.File($"{variant}.jpg");
        switch (variant)
        {
            case "ffmpeg-444": FfmpegJpeg(ppm, outPath, "yuvj444p"); break;
            case "ffmpeg-422": FfmpegJpeg(ppm, outPath, "yuvj422p"); break;
            case "ffmpeg-420": FfmpegJpeg(ppm, outPath, "yuvj420p"); break;
            case "cjpeg-grey": Cjpeg(ppm, outPath, "-grayscale"); break;
            case "cjpeg-440": Cjpeg(ppm, outPath, "-sample", "1x2"); break;
            case "cjpeg-411": Cjpeg(ppm, outPath, "-sample", "4x1"); break;
            case "cjpeg-rgb": Cjpeg(ppm, outPath, "-rgb"); break;
            case "cjpeg-420-mixed": Cjpeg(ppm, outPath, "-sample", "2x2,1x1,2x1"); break;
            case "cjpeg-odd-sampling": Cjpeg(ppm, outPath, "-sample", "4x1,1x2,1x1"); break;   // luma 1×2, Cb 4×1, Cr 4×2 upsampling
            case "prog-444": Jpegtran(Intermediate(dir, ppm, "yuvj444p"), outPath, "-progressive"); break;
            case "prog-420": Jpegtran(Intermediate(dir, ppm, "yuvj420p"), outPath, "-progressive"); break;
            case "prog-grey": Cjpeg(ppm, outPath, "-grayscale", "-progressive"); break;
            case "restart-420": Jpegtran(Intermediate(dir, ppm, "yuvj420p"), outPath, "-restart", "1"); break;
            case "restart-blocks-422": Jpegtran(Intermediate(dir, ppm, "yuvj422p"), outPath, "-restart", "3B"); break;
            case "prog-restart-420": Jpegtran(Intermediate(dir, ppm, "yuvj420p"), outPath, "-progressive", "-restart", "2B"); break;
            case "optimized-420": Jpegtran(Intermediate(dir, ppm, "yuvj420p"), outPath, "-optimize"); break;
            default: throw new ArgumentException(variant);
        }
        return outPath;
    }

    private static string Intermediate(TempDir dir, string ppm, string pixFmt)
    {
        string path = dir.File($"base-{pixFmt}.jpg");
        if (!File.Exists(path)) FfmpegJpeg(ppm, path, pixFmt);
        return path;
    }

    public static void FfmpegJpeg(string src, string dst, string pixFmt, string quality = "2") =>
        ExternalTool.Ffmpeg("-i", src, "-frames:v", "1", "-c:v", "mjpeg", "-pix_fmt", pixFmt, "-q:v", quality, dst);

    public static void Cjpeg(string src, string dst, params string[] options) =>
        RunTool("cjpeg", [.. options, "-quality", "92", "-outfile", dst, src]);

    public static void Jpegtran(string src, string dst, params string[] options) =>
        RunTool("jpegtran", [.. options, "-copy", "none", "-outfile", dst, src]);

    private static void RunTool(string tool, string[] args)
    {
        var (code, _, stderr) = ExternalTool.Run(tool, args);
        if (code != 0) throw new InvalidOperationException($"{tool} {string.Join(' ', args)} failed ({code}): {stderr} (CI must install libjpeg-turbo-progs)");
    }

    /// <summary>Reference decode with libjpeg-turbo's djpeg (accurate integer IDCT, fancy upsampling): interleaved RGB8.</summary>
    public static byte[] DjpegRgb(string jpeg, out int w, out int h)
    {
        var (code, stdout, stderr) = ExternalTool.Run("djpeg", ["-pnm", jpeg]);
        if (code != 0) throw new InvalidOperationException($"djpeg {jpeg} failed ({code}): {stderr} (CI must install libjpeg-turbo-progs)");
        return ParsePnm(stdout, out w, out h);
    }

    /// <summary>Binary PGM (P5) or PPM (P6) with maxval 255, as interleaved RGB8.</summary>
    public static byte[] ParsePnm(byte[] pnm, out int w, out int h)
    {
        int pos = 0;
        string Token()
        {
            while (char.IsWhiteSpace((char)pnm[pos])) pos++;
            int start = pos;
            while (!char.IsWhiteSpace((char)pnm[pos])) pos++;
            return Encoding.ASCII.GetString(pnm, start, pos - start);
        }
        string magic = Token();
        w = int.Parse(Token());
        h = int.Parse(Token());
        if (Token() != "255") throw new InvalidDataException("PNM maxval is not 255");
        pos++;
        int n = w * h;
        if (magic == "P6") return pnm.AsSpan(pos, n * 3).ToArray();
        if (magic != "P5") throw new InvalidDataException($"unexpected PNM type {magic}");
        var rgb = new byte[n * 3];
        for (int i = 0; i < n; i++) rgb[3 * i] = rgb[3 * i + 1] = rgb[3 * i + 2] = pnm[pos + i];
        return rgb;
    }

    public readonly record struct Agreement(int Samples, double WithinTwo, int MaxError, double MeanError)
    {
        /// <summary>The criterion: ±2 levels on at least 99% of samples, and no wild outliers.</summary>
        public bool Passes(int maxErrorBound) => Samples > 0 && WithinTwo >= 0.99 && MaxError <= maxErrorBound;
        public override string ToString() => $"{Samples} samples, {WithinTwo:P3} within ±2, max error {MaxError}, mean {MeanError:F3}";
    }

    public static Agreement Compare(ReadOnlySpan<byte> actual, ReadOnlySpan<byte> reference)
    {
        if (actual.Length != reference.Length) throw new ArgumentException($"sizes differ: {actual.Length} vs {reference.Length}");
        int within = 0, max = 0;
        long sum = 0;
        for (int i = 0; i < actual.Length; i++)
        {
            int d = Math.Abs(actual[i] - reference[i]);
            if (d <= 2) within++;
            max = Math.Max(max, d);
            sum += d;
        }
        return new Agreement(actual.Length, actual.Length == 0 ? 0 : within / (double)actual.Length, max, actual.Length == 0 ? 0 : sum / (double)actual.Length);
    }

    /// <summary>Byte offsets of the marker segments before the first scan: (marker, offset of 0xFF, total length including marker).</summary>
    public static List<(byte Marker, int Offset, int Length)> Segments(byte[] jpeg)
    {
        var list = new List<(byte, int, int)>();
        int pos = 2;
        while (pos + 4 <= jpeg.Length && jpeg[pos] == 0xFF)
        {
            byte m = jpeg[pos + 1];
            int len = jpeg[pos + 2] << 8 | jpeg[pos + 3];
            list.Add((m, pos, len + 2));
            if (m == 0xDA) break;
            pos += len + 2;
        }
        return list;
    }

    public static (byte Marker, int Offset, int Length) Segment(byte[] jpeg, byte marker) => Segments(jpeg).First(s => s.Marker == marker);
}
