using System.Diagnostics;
using Radiant.Imaging;
using Radiant.Imaging.Jpeg;
using Radiant.Tests.Support;
using Xunit.Abstractions;
using static Radiant.Tests.Imaging.JpegTestSupport;

namespace Radiant.Tests.Imaging;

/// <summary>Decode time of a 1920×1080 4:2:0 JPEG (reported; the bound only catches gross regressions on a shared machine).</summary>
public class JpegPerformanceTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("ffmpeg-420")]
    [InlineData("prog-420")]
    public void Decodes_1080p_quickly(string variant)
    {
        const int w = 1920, h = 1080;
        using var dir = new TempDir("jpeg");
        string ppm = dir.File("src.ppm");
        WritePpm(ppm, MakeSource(w, h), w, h);
        byte[] jpeg = File.ReadAllBytes(Encode(dir, ppm, variant));

        Image first = JpegDecoder.Decode(jpeg);   // warm-up (JIT)
        Assert.Equal((w, h), (first.Width, first.Height));
        var times = new List<double>();
        for (int i = 0; i < 7; i++)
        {
            var clock = Stopwatch.StartNew();
            JpegDecoder.Decode(jpeg);
            times.Add(clock.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        output.WriteLine($"{variant} {w}x{h} ({jpeg.Length / 1024} KiB): median {times[times.Count / 2]:F1} ms, best {times[0]:F1} ms");
        Assert.True(times[0] < 1000, $"decoding took {times[0]:F0} ms");
    }
}
