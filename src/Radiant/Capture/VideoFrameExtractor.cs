using System.Diagnostics;
using Radiant.Imaging;
using Radiant.Video;

namespace Radiant.Capture;

/// <summary>
/// Picks sharp, evenly spaced frames from a video. ffmpeg decodes every frame to raw rgb24 through
/// a pipe; the frames are cut into consecutive windows of equal length (source fps / <c>--fps</c>,
/// or frame count / <c>--frames</c>), and of each window the frame with the largest
/// <see cref="Sharpness.LaplacianVariance"/> is written as PNG — motion blur, the usual defect of
/// a hand-held video, costs SIFT its features.
/// </summary>
public static class VideoFrameExtractor
{
    /// <summary>Writes <c>frame_00001.png …</c> to <paramref name="outputDir"/>; returns their paths.</summary>
    public static List<string> Extract(string video, string outputDir, double? fps, int? frames, string ffmpeg,
        IProgress<(int Done, int Total)>? progress, Action<string> note, CancellationToken cancel = default)
    {
        // ffprobe ships with ffmpeg: beside it when ffmpeg is given as a path, else on PATH.
        string ffprobe = Path.IsPathRooted(ffmpeg) ? Path.Combine(Path.GetDirectoryName(ffmpeg)!, "ffprobe") : "ffprobe";
        VideoProbe probe = VideoProbe.Read(video, ffprobe);
        int window = WindowLength(probe, fps, frames);
        note($"video {probe.Width}x{probe.Height} at {probe.Fps:0.##} fps, about {probe.FrameCount} frames: keeping the sharpest of every {window}");
        Directory.CreateDirectory(outputDir);

        Process process = ExternalProgram.Start(ExternalProgram.StartInfo(ffmpeg,
            ["-hide_banner", "-nostats", "-v", "error", "-i", video, "-map", "0:v:0", "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"]),
            "reading a video needs ffmpeg", FfmpegEncoder.InstallHint);

        var written = new List<string>();
        int expectedWindows = Math.Max(1, probe.FrameCount / window);
        using (process)
        {
            Task<string> errors = process.StandardError.ReadToEndAsync(cancel);
            Stream stdout = process.StandardOutput.BaseStream;
            int frameBytes = checked(probe.Width * probe.Height * 3);
            byte[] frame = new byte[frameBytes], best = new byte[frameBytes];
            float[] grey = new float[probe.Width * probe.Height];
            double bestScore = -1;
            int index = 0;
            void Flush()
            {
                if (bestScore < 0) return;
                string path = Path.Combine(outputDir, $"frame_{written.Count + 1:00000}.png");
                ImageIO.SavePng(path, Image.FromInterleaved8(best, probe.Width, probe.Height, 3));
                written.Add(path);
                bestScore = -1;
                progress?.Report((written.Count, Math.Max(expectedWindows, written.Count)));
            }
            while (ReadFrame(stdout, frame))
            {
                cancel.ThrowIfCancellationRequested();
                Sharpness.GreyFromRgb24(frame, grey);
                double score = Sharpness.LaplacianVariance(grey, probe.Width, probe.Height);
                if (score > bestScore) { bestScore = score; frame.CopyTo(best, 0); }
                if (++index % window == 0) Flush();
            }
            // A last partial window counts when it holds at least half a window of frames.
            if (index % window >= (window + 1) / 2) Flush();
            process.WaitForExit();
            if (process.ExitCode != 0 || index == 0)
                throw new RadiantException(video, $"ffmpeg could not decode it: {errors.Result.Trim().Split('\n').LastOrDefault() ?? $"exit code {process.ExitCode}"}");
        }
        if (written.Count < expectedWindows) progress?.Report((written.Count, written.Count));
        return written;
    }

    /// <summary>Frames a window: source fps / target fps, or frame count / target count; at least 1.</summary>
    public static int WindowLength(VideoProbe probe, double? fps, int? frames)
    {
        if (fps is { } f && !(f > 0)) throw new RadiantException($"--fps must be positive (got {f})");
        if (frames is { } n && n < CaptureInput.MinimumImages) throw new RadiantException($"--frames must be at least {CaptureInput.MinimumImages} (got {n})");
        double length = frames is { } count ? (double)probe.FrameCount / count : probe.Fps / (fps ?? 2);
        return Math.Max(1, (int)Math.Floor(length));
    }

    private static bool ReadFrame(Stream stream, byte[] buffer)
    {
        int read = 0;
        while (read < buffer.Length)
        {
            int n = stream.Read(buffer, read, buffer.Length - read);
            if (n == 0) return false;
            read += n;
        }
        return true;
    }
}
