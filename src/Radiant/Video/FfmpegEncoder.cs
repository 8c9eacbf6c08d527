using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;

namespace Radiant.Video;

/// <summary>
/// Encodes frames with ffmpeg, fed as raw rgb24 through its standard input as they are rendered:
/// no PNG encode and decode round trip, no temporary frames on disk, and the encoder runs while the
/// next frame renders. ffmpeg's stderr goes to a log file; the video is written to a temporary name
/// and renamed when ffmpeg succeeds, so a failed encode never leaves a broken video.
/// </summary>
public sealed class FfmpegEncoder : IDisposable
{
    public const string DefaultProgram = "ffmpeg";
    public const string InstallHint = "install it with `apt-get install ffmpeg` (scripts/setup does)";

    private readonly Process _process;
    private readonly Stream _stdin;
    private readonly FileStream _log;
    private readonly Task _logCopy;
    private readonly string _tempPath;
    private readonly int _frameBytes;
    private bool _finished, _broken;

    public string OutputPath { get; }
    public string LogPath { get; }
    public int FramesWritten { get; private set; }

    private FfmpegEncoder(Process process, FileStream log, string outputPath, string tempPath, string logPath, int frameBytes)
    {
        _process = process;
        _stdin = process.StandardInput.BaseStream;
        _log = log;
        _logCopy = process.StandardError.BaseStream.CopyToAsync(log);
        OutputPath = outputPath;
        _tempPath = tempPath;
        LogPath = logPath;
        _frameBytes = frameBytes;
    }

    /// <summary>Fails with one clear line when ffmpeg cannot be run.</summary>
    public static void EnsureAvailable(string program = DefaultProgram)
    {
        var run = ExternalProgram.Run(ExternalProgram.StartInfo(program, ["-hide_banner", "-version"]), "video output needs ffmpeg", InstallHint);
        if (run.ExitCode != 0) throw new RadiantException(program, $"does not run (exit code {run.ExitCode}); {InstallHint}");
    }

    /// <summary>The ffmpeg arguments for raw rgb24 frames of the given size on stdin to <paramref name="output"/>.</summary>
    public static List<string> Arguments(VideoFormat format, int width, int height, double fps, string output)
    {
        var args = new List<string>
        {
            "-hide_banner", "-nostats", "-y",
            "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", $"{width}x{height}",
            "-framerate", fps.ToString("R", CultureInfo.InvariantCulture), "-i", "pipe:0",
        };
        switch (format)
        {
            case VideoFormat.Mp4:
                // yuv420p halves the chroma resolution, so H.264 needs even sizes: drop the last column/row
                // of an odd size (no resampling, no black bar).
                args.AddRange(["-vf", "crop=trunc(iw/2)*2:trunc(ih/2)*2", "-c:v", "libx264", "-preset", "medium", "-crf", "18",
                               "-pix_fmt", "yuv420p", "-movflags", "+faststart", "-f", "mp4"]);
                break;
            case VideoFormat.Gif:
                // One palette for the whole clip (stats over every frame), then dithered mapping to it.
                args.AddRange(["-filter_complex", "[0:v]split[a][b];[a]palettegen=stats_mode=full[p];[b][p]paletteuse=dither=sierra2_4a",
                               "-loop", "0", "-f", "gif"]);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(format));
        }
        args.Add(output);
        return args;
    }

    /// <summary>Starts ffmpeg writing <paramref name="outputPath"/>; its log goes to <paramref name="logPath"/>.</summary>
    public static FfmpegEncoder Start(string outputPath, VideoFormat format, int width, int height, double fps, string logPath, string program = DefaultProgram)
    {
        if (width <= 0 || height <= 0) throw new ArgumentOutOfRangeException(nameof(width), "frame size must be positive");
        if (format == VideoFormat.Mp4 && (width < 2 || height < 2)) throw new RadiantException(outputPath, $"an MP4 needs frames of at least 2x2 pixels (got {width}x{height})");
        string full = Path.GetFullPath(outputPath);
        string tempPath = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        var psi = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardError = true,
            RedirectStandardOutput = false,
            UseShellExecute = false,
        };
        foreach (string a in Arguments(format, width, height, fps, tempPath)) psi.ArgumentList.Add(a);
        var log = new FileStream(logPath, FileMode.Create, FileAccess.Write, FileShare.Read);
        try
        {
            Process process = Process.Start(psi)!;
            return new FfmpegEncoder(process, log, outputPath, tempPath, logPath, checked(width * height * 3));
        }
        catch (Win32Exception)
        {
            log.Dispose();
            throw new RadiantException(program, $"not found: video output needs ffmpeg; {InstallHint}");
        }
    }

    /// <summary>Sends one frame: interleaved 8-bit RGB, row-major from the top-left, width·height·3 bytes.</summary>
    public void WriteFrame(ReadOnlySpan<byte> rgb24)
    {
        if (rgb24.Length != _frameBytes) throw new ArgumentException($"frame has {rgb24.Length} bytes, expected {_frameBytes}");
        if (_finished) throw new InvalidOperationException("encoder already finished");
        if (_broken) return;   // ffmpeg has exited; Finish reports why
        try { _stdin.Write(rgb24); FramesWritten++; }
        catch (IOException) { _broken = true; }
    }

    /// <summary>Closes the input, waits for ffmpeg, and renames the video into place; a failure is one line with the log's last lines.</summary>
    public void Finish()
    {
        if (_finished) return;
        _finished = true;
        try { _stdin.Close(); } catch (IOException) { _broken = true; }
        _process.WaitForExit();
        _logCopy.Wait();
        _log.Dispose();
        int code = _process.ExitCode;
        if (code != 0 || _broken || !File.Exists(_tempPath))
        {
            TryDelete(_tempPath);
            throw new RadiantException(OutputPath, $"ffmpeg failed (exit code {code}); log {LogPath} ends: {LogTail(LogPath)}");
        }
        File.Move(_tempPath, OutputPath, overwrite: true);
    }

    /// <summary>Stops an unfinished encode (an error elsewhere) and removes its partial output.</summary>
    public void Dispose()
    {
        if (!_finished)
        {
            _finished = true;
            try { _stdin.Close(); } catch (IOException) { }
            try { if (!_process.HasExited) _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            _process.WaitForExit();
            try { _logCopy.Wait(); } catch (AggregateException) { }
            _log.Dispose();
            TryDelete(_tempPath);
        }
        _process.Dispose();
    }

    /// <summary>The last few non-empty lines of a log, joined into one line.</summary>
    public static string LogTail(string logPath, int lines = 3)
    {
        string[] all;
        try { all = File.ReadAllLines(logPath); }
        catch (IOException) { return "(log unreadable)"; }
        string tail = string.Join(" | ", all.Select(l => l.Trim()).Where(l => l.Length > 0).TakeLast(lines));
        return tail.Length == 0 ? "(empty)" : tail.Length > 400 ? "…" + tail[^400..] : tail;
    }

    private static void TryDelete(string p)
    {
        try { if (File.Exists(p)) File.Delete(p); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
