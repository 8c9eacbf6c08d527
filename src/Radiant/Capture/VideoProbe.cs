using System.Globalization;
using Radiant.Video;

namespace Radiant.Capture;

/// <summary>
/// A video's first video stream as ffprobe describes it: the displayed frame size (width and
/// height swapped when the stream carries a ±90° rotation, which ffmpeg applies when decoding, as
/// phones record portrait video), frame rate and an estimated frame count.
/// </summary>
public sealed record VideoProbe(int Width, int Height, double Fps, int FrameCount)
{
    public static VideoProbe Read(string video, string program = "ffprobe")
    {
        var run = ExternalProgram.Run(ExternalProgram.StartInfo(program, [
                "-v", "error", "-select_streams", "v:0", "-show_entries",
                "stream=width,height,avg_frame_rate,r_frame_rate,nb_frames,duration:stream_side_data=rotation:stream_tags=rotate:format=duration",
                "-of", "default=noprint_wrappers=1", video]),
            "reading a video needs ffmpeg's ffprobe", FfmpegEncoder.InstallHint);
        if (run.ExitCode != 0) throw new RadiantException(video, $"ffprobe cannot read it: {run.Error.Trim().Split('\n').LastOrDefault()}");
        return Parse(video, run.Output);
    }

    /// <summary>Parses ffprobe's <c>key=value</c> lines (the first value of each key wins).</summary>
    internal static VideoProbe Parse(string video, string output)
    {
        var fields = new Dictionary<string, string>();
        foreach (string line in output.Split('\n'))
        {
            int eq = line.IndexOf('=');
            // The stream's fields come before the container's; "N/A" (a Matroska stream's duration) gives way to the next.
            if (eq > 0 && line[(eq + 1)..].Trim() is var value && value != "N/A") fields.TryAdd(line[..eq].Trim(), value);
        }
        if (!fields.TryGetValue("width", out string? w) || !int.TryParse(w, out int width) || width <= 0
            || !fields.TryGetValue("height", out string? h) || !int.TryParse(h, out int height) || height <= 0)
            throw new RadiantException(video, "has no video stream ffprobe can read");
        double fps = Rate(fields.GetValueOrDefault("avg_frame_rate")) ?? Rate(fields.GetValueOrDefault("r_frame_rate")) ?? 30;
        double rotation = Number(fields.GetValueOrDefault("rotation")) ?? Number(fields.GetValueOrDefault("TAG:rotate")) ?? 0;
        if (Math.Abs(Math.Abs(rotation) % 180 - 90) < 1) (width, height) = (height, width);
        int frames = int.TryParse(fields.GetValueOrDefault("nb_frames"), out int n) && n > 0 ? n
            : (int)Math.Round((Number(fields.GetValueOrDefault("duration")) ?? 0) * fps);
        return new VideoProbe(width, height, fps, frames);
    }

    private static double? Number(string? s) =>
        double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v) ? v : null;

    private static double? Rate(string? s)
    {
        if (s is null) return null;
        string[] parts = s.Split('/');
        double? num = Number(parts[0]), den = parts.Length > 1 ? Number(parts[1]) : 1;
        return num > 0 && den > 0 ? num / den : null;
    }
}
