using System.Diagnostics;

namespace Radiant.Tests.Support;

/// <summary>
/// Runs an external program (ffmpeg, ffprobe, colmap, heif-enc) as the reference for tests. A missing tool is
/// a failure, not a skip: <c>.ci/run</c> installs them.
/// </summary>
public static class ExternalTool
{
    public static (int ExitCode, byte[] Stdout, string Stderr) Run(string program, IEnumerable<string> args, byte[]? stdin = null, int timeoutMs = 120_000)
    {
        var psi = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
        };
        foreach (string a in args) psi.ArgumentList.Add(a);
        Process p;
        try { p = Process.Start(psi)!; }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"'{program}' is not installed (run .ci/run or scripts/setup): {e.Message}", e);
        }
        using (p)
        {
            var stdout = new MemoryStream();
            Task copyOut = p.StandardOutput.BaseStream.CopyToAsync(stdout);
            Task<string> err = p.StandardError.ReadToEndAsync();
            if (stdin is not null)
            {
                p.StandardInput.BaseStream.Write(stdin);
                p.StandardInput.Close();
            }
            if (!p.WaitForExit(timeoutMs)) { p.Kill(true); throw new TimeoutException($"{program} timed out"); }
            copyOut.Wait();
            return (p.ExitCode, stdout.ToArray(), err.Result);
        }
    }

    /// <summary>Runs ffmpeg quietly with the given arguments and fails with its log if it fails.</summary>
    public static byte[] Ffmpeg(params string[] args)
    {
        var (code, stdout, stderr) = Run("ffmpeg", ["-hide_banner", "-loglevel", "error", "-y", .. args]);
        if (code != 0) throw new InvalidOperationException($"ffmpeg {string.Join(' ', args)} failed ({code}): {stderr}");
        return stdout;
    }

    /// <summary>Encodes <paramref name="image"/> (PNG or JPEG; a JPEG's EXIF block is kept) as HEIC at <paramref name="quality"/> with libheif's heif-enc (x265), failing with its log if it fails.</summary>
    public static void HeifEnc(string image, string heic, int quality)
    {
        var (code, _, stderr) = Run("heif-enc", ["-q", quality.ToString(System.Globalization.CultureInfo.InvariantCulture), image, "-o", heic]);
        if (code != 0) throw new InvalidOperationException($"heif-enc {image} failed ({code}): {stderr}");
    }

    /// <summary>Decodes an image file with ffmpeg into raw interleaved samples of <paramref name="pixFmt"/> (e.g. rgb24, rgba, rgb48be).</summary>
    public static byte[] FfmpegDecodeRaw(string imagePath, string pixFmt) =>
        Ffmpeg("-i", imagePath, "-f", "rawvideo", "-pix_fmt", pixFmt, "-");
}
