using System.Globalization;
using System.Text;
using Radiant.Tests.Support;
using Radiant.Video;

namespace Radiant.Tests.Video;

public class FfmpegEncoderTests
{
    /// <summary>A moving gradient, different in every frame, width·height·3 bytes.</summary>
    private static byte[] Frame(int w, int h, int f)
    {
        var rgb = new byte[w * h * 3];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                int i = 3 * (y * w + x);
                rgb[i] = (byte)(x * 7 + f * 20); rgb[i + 1] = (byte)(y * 11); rgb[i + 2] = (byte)(f * 25);
            }
        return rgb;
    }

    /// <summary>Frame count (decoded, not the container's claim) and size that ffprobe reports.</summary>
    internal static (int Frames, int Width, int Height) Probe(string video)
    {
        var (code, stdout, stderr) = ExternalTool.Run("ffprobe",
            ["-v", "error", "-count_frames", "-select_streams", "v:0", "-show_entries", "stream=nb_read_frames,width,height", "-of", "csv=p=0", video]);
        Assert.True(code == 0, stderr);
        string[] f = Encoding.ASCII.GetString(stdout).Trim().Split(',');
        return (int.Parse(f[2], CultureInfo.InvariantCulture), int.Parse(f[0], CultureInfo.InvariantCulture), int.Parse(f[1], CultureInfo.InvariantCulture));
    }

    private static string Encode(TempDir dir, VideoFormat format, int w, int h, int frames)
    {
        string output = dir.File("clip." + format.ToString().ToLowerInvariant());
        using (var encoder = FfmpegEncoder.Start(output, format, w, h, 12, output + ".log"))
        {
            for (int f = 0; f < frames; f++) encoder.WriteFrame(Frame(w, h, f));
            encoder.Finish();
            Assert.Equal(frames, encoder.FramesWritten);
        }
        return output;
    }

    [Fact]
    public void Mp4_has_every_frame_and_an_even_size()
    {
        using var dir = new TempDir("video");
        string mp4 = Encode(dir, VideoFormat.Mp4, 33, 21, 10);
        Assert.Equal((10, 32, 20), Probe(mp4));    // odd 33x21 cropped to even for yuv420p
        var (_, codec, _) = ExternalTool.Run("ffprobe", ["-v", "error", "-select_streams", "v:0", "-show_entries", "stream=codec_name,pix_fmt", "-of", "csv=p=0", mp4]);
        Assert.Equal("h264,yuv420p", Encoding.ASCII.GetString(codec).Trim());
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp"));
    }

    [Fact]
    public void Gif_has_every_frame_at_full_size()
    {
        using var dir = new TempDir("video");
        string gif = Encode(dir, VideoFormat.Gif, 33, 21, 6);
        Assert.Equal((6, 33, 21), Probe(gif));
        Assert.Equal("GIF89a", Encoding.ASCII.GetString(File.ReadAllBytes(gif), 0, 6));
    }

    [Fact]
    public void Missing_ffmpeg_is_one_line_saying_how_to_install_it()
    {
        var e = Assert.Throws<RadiantException>(() => FfmpegEncoder.EnsureAvailable("/nonexistent/ffmpeg"));
        Assert.Contains("apt-get install ffmpeg", e.Problem);
        Assert.DoesNotContain("\n", e.Message);
    }

    /// <summary>A program that fails the way a broken ffmpeg would (sh rejects ffmpeg's options): the error names the video and quotes the log's tail; no partial file stays.</summary>
    [Fact]
    public void Encoder_failure_shows_the_log_tail_and_leaves_no_video()
    {
        using var dir = new TempDir("video");
        string output = dir.File("broken.mp4"), log = dir.File("broken.log");
        using var encoder = FfmpegEncoder.Start(output, VideoFormat.Mp4, 8, 8, 10, log, program: "/bin/sh");
        for (int f = 0; f < 3; f++) encoder.WriteFrame(Frame(8, 8, f));
        var e = Assert.Throws<RadiantException>(encoder.Finish);
        Assert.Equal(output, e.Path);
        Assert.Contains("ffmpeg failed", e.Problem);
        Assert.Contains(log, e.Problem);
        Assert.Contains("illegal option", e.Problem, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("\n", e.Message);
        Assert.False(File.Exists(output));
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp"));
    }
}
