using System.Buffers.Binary;
using Radiant.Capture;
using Radiant.Evaluation;
using Radiant.Imaging;
using Radiant.Tests.Support;

namespace Radiant.Tests.Capture;

/// <summary>
/// A phone records portrait video as landscape frames plus a rotation in the track header; ffmpeg
/// turns the frames upright when it decodes them, so the frame extractor must expect the swapped
/// size. The video here is a landscape H.264 clip whose MP4 track matrix is patched to a 90°
/// rotation (this ffmpeg, 5.1, cannot write one itself).
/// </summary>
public class PortraitVideoTests
{
    private const int Width = 96, Height = 64, Frames = 6;

    [Fact]
    public void A_rotated_video_gives_upright_portrait_frames()
    {
        using var dir = new TempDir("portrait-video");
        Image landscape = Pattern();
        Directory.CreateDirectory(dir.File("src"));
        for (int i = 1; i <= Frames; i++) ImageIO.SavePng(dir.File("src", $"{i:00}.png"), landscape);
        string plain = dir.File("plain.mp4"), portrait = dir.File("portrait.mp4");
        ExternalTool.Ffmpeg("-framerate", "10", "-i", dir.File("src", "%02d.png"), "-c:v", "libx264", "-crf", "8", "-pix_fmt", "yuv444p", plain);
        File.WriteAllBytes(portrait, WithTrackRotation(File.ReadAllBytes(plain)));

        VideoProbe probe = VideoProbe.Read(portrait);
        Assert.Equal((Height, Width), (probe.Width, probe.Height));

        List<string> frames = VideoFrameExtractor.Extract(portrait, dir.File("frames"), fps: null, frames: 3, "ffmpeg", null, _ => { });
        Assert.Equal(3, frames.Count);
        Image clockwise = RotateClockwise(landscape), anticlockwise = RotateClockwise(RotateClockwise(clockwise));
        foreach (string path in frames)
        {
            Image frame = ImageIO.Load(path);
            Assert.Equal((Height, Width), (frame.Width, frame.Height));
            double upright = ImageMetrics.Psnr(frame, clockwise), wrongWay = ImageMetrics.Psnr(frame, anticlockwise);
            Assert.True(upright > 30, $"{Path.GetFileName(path)} is {upright:0.0} dB from the upright frame");
            Assert.True(wrongWay < upright - 10, $"{Path.GetFileName(path)} is as close to the frame turned the other way ({wrongWay:0.0} dB)");
        }
    }

    /// <summary>Smooth gradients with a bright block in the top-left corner: no two rotations look alike.</summary>
    private static Image Pattern()
    {
        var img = new Image(Width, Height, 3);
        for (int y = 0; y < Height; y++)
        for (int x = 0; x < Width; x++)
        {
            bool corner = x < Width / 4 && y < Height / 3;
            img[0, x, y] = corner ? 1f : x / (float)Width;
            img[1, x, y] = corner ? 1f : y / (float)Height;
            img[2, x, y] = corner ? 0.9f : 0.2f;
        }
        return img;
    }

    /// <summary>Turned 90° clockwise, as a player shows a track with rotation −90 (ffprobe's sign).</summary>
    private static Image RotateClockwise(Image src)
    {
        var dst = new Image(src.Height, src.Width, src.Channels);
        for (int c = 0; c < src.Channels; c++)
        for (int y = 0; y < dst.Height; y++)
        for (int x = 0; x < dst.Width; x++)
            dst[c, x, y] = src[c, y, src.Height - 1 - x];
        return dst;
    }

    /// <summary>
    /// Sets the first track header's display matrix (ISO 14496-12 §8.3.2: a, b, u, c, d, v, x, y, w
    /// in 16.16 / 2.30 fixed point) to a 90° rotation, as phones write it.
    /// </summary>
    private static byte[] WithTrackRotation(byte[] mp4)
    {
        int type = mp4.AsSpan().IndexOf("tkhd"u8);
        Assert.True(type > 0, "no tkhd box in the encoded video");
        // version/flags, then times, track id, reserved and duration (32 or 64-bit), 8 reserved, layer, group, volume, 2 reserved.
        int matrix = type + 4 + (mp4[type + 4] == 1 ? 4 + 32 + 8 + 8 : 4 + 20 + 8 + 8);
        int[] rotation = [0, 0x10000, 0, -0x10000, 0, 0, 0, 0, 0x40000000];
        for (int i = 0; i < 9; i++) BinaryPrimitives.WriteInt32BigEndian(mp4.AsSpan(matrix + 4 * i), rotation[i]);
        return mp4;
    }
}
