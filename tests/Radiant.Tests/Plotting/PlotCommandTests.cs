using Radiant.Imaging;
using Radiant.Logging;
using Radiant.Plotting;
using Radiant.Tests.Support;

namespace Radiant.Tests.Plotting;

/// <summary><c>radiant plot</c> on a synthetic log: the image has the requested size and shows the curves.</summary>
public class PlotCommandTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly Rgb LossBlue = Rgb.FromBytes(0x1f, 0x77, 0xb4), TestGreen = Rgb.FromBytes(0x2c, 0xa0, 0x2c);

    private static void WriteLog(string dir, int lines)
    {
        Directory.CreateDirectory(dir);
        using var log = MetricsLog.Open(dir, resumeIteration: null);
        for (int i = 1; i <= lines; i++)
        {
            int it = i * 10;
            log.Append(new MetricsRecord
            {
                Iteration = it,
                Loss = 0.3 * Math.Exp(-it / 400.0) + 0.02 + 0.01 * Math.Sin(i),
                L1 = 0.1,
                TrainPsnr = 12 + 15 * (1 - Math.Exp(-it / 500.0)) + Math.Sin(i * 1.7),
                Gaussians = 1000 + it,
                LrMeans = 1e-4,
                ElapsedSeconds = it / 50.0,
                IterationsPerSecond = 50,
                TestPsnr = it % 200 == 0 ? 11 + 14 * (1 - Math.Exp(-it / 500.0)) : null,
                TestSsim = it % 200 == 0 ? 0.9 : null,
            });
        }
    }

    [Fact]
    public void Plot_writes_a_png_of_the_requested_size_showing_the_curves()
    {
        using var dir = new TempDir("plot");
        WriteLog(dir.File("run"), 150);
        string png = dir.File("curves.png");
        var (code, stdout, stderr) = CliRunner.Run("plot", dir.File("run"), "--out", png, "--width", "640", "--height", "480");
        Assert.True(code == 0, stderr);
        Assert.Contains("150 logged iterations", stdout);

        Image img = ImageIO.Load(png);
        Assert.Equal((640, 480), (img.Width, img.Height));
        int blue = Count(img, LossBlue), green = Count(img, TestGreen);
        output.WriteLine($"{blue} loss-blue pixels, {green} test-green pixels");
        // Measured: 608 pixels within 0.05 of the smoothed-loss blue and 772 of the test green (line and
        // dots); a plot without its curves has none (axes and text are grey, raw curves faint).
        Assert.True(blue > 300, $"{blue} pixels of the loss colour");
        Assert.True(green > 300, $"{green} pixels of the test-PSNR colour");
        // The loss curve is in the upper panel and the test points in the lower one.
        Assert.True(Count(img, LossBlue, 0, 240) > 0.9 * blue);
        Assert.True(Count(img, TestGreen, 240, 480) > 0.9 * green);
    }

    [Fact]
    public void Plot_reads_the_event_files_when_there_is_no_metrics_jsonl()
    {
        using var dir = new TempDir("plot");
        string run = dir.File("run");
        Directory.CreateDirectory(run);
        using (var w = EventFileWriter.Create(run))
            for (int it = 10; it <= 500; it += 10)
                w.Scalars(it, [(TrainingLog.LossTag, 0.2 * Math.Exp(-it / 200.0) + 0.03), (TrainingLog.TrainPsnrTag, 10 + it / 40.0)]);
        var (code, stdout, stderr) = CliRunner.Run("plot", run);
        Assert.True(code == 0, stderr);
        Assert.Contains("50 logged iterations", stdout);
        Assert.True(Count(ImageIO.Load(Path.Combine(run, "curves.png")), LossBlue) > 300);
    }

    [Fact]
    public void Plot_refuses_an_output_name_that_is_not_png()
    {
        using var dir = new TempDir("plot");
        WriteLog(dir.File("run"), 20);
        var (code, _, stderr) = CliRunner.Run("plot", dir.File("run"), "--out", dir.File("curves.jpg"));
        Assert.Equal(1, code);
        Assert.Equal($"error: {dir.File("curves.jpg")}: plot writes PNG images: give --out a name ending in .png", stderr.Trim());
        Assert.False(File.Exists(dir.File("curves.jpg")));
    }

    [Fact]
    public void Plot_of_a_folder_without_logs_is_one_error_line()
    {
        using var dir = new TempDir("plot");
        var (code, _, stderr) = CliRunner.Run("plot", dir.Path);
        Assert.Equal(1, code);
        Assert.StartsWith($"error: {dir.Path}: has no metrics.jsonl", stderr.Trim());
    }

    private static int Count(Image img, Rgb c, int top = 0, int bottom = int.MaxValue)
    {
        int n = 0;
        for (int y = top; y < Math.Min(bottom, img.Height); y++)
            for (int x = 0; x < img.Width; x++)
                if (Math.Abs(img[0, x, y] - c.R) < 0.05 && Math.Abs(img[1, x, y] - c.G) < 0.05 && Math.Abs(img[2, x, y] - c.B) < 0.05) n++;
        return n;
    }
}
