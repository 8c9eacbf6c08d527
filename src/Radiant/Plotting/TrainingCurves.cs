using Radiant.Imaging;
using Radiant.Logging;

namespace Radiant.Plotting;

/// <summary>How <see cref="TrainingCurves"/> draws.</summary>
public sealed record TrainingCurvesOptions
{
    public int Width { get; init; } = 1000;
    public int Height { get; init; } = 760;
    /// <summary>Weight of the exponential moving average drawn over the raw values (TensorBoard's "smoothing"); 0 draws only the raw curve.</summary>
    public double Smoothing { get; init; } = 0.9;
    public bool LogLoss { get; init; } = true;
    public string Title { get; init; } = "";
}

/// <summary>
/// The loss and PSNR curves of a training run as an image: two panels sharing the iteration axis,
/// the raw logged values faint and their smoothed curve on top, test PSNR as dots where it was evaluated.
/// </summary>
public static class TrainingCurves
{
    // Colours of the usual plotting palette (blue, orange, green).
    private static readonly Rgb Blue = Rgb.FromBytes(0x1f, 0x77, 0xb4), Orange = Rgb.FromBytes(0xff, 0x7f, 0x0e), Green = Rgb.FromBytes(0x2c, 0xa0, 0x2c);
    private static readonly Rgb Ink = new(0.15f, 0.15f, 0.17f);

    public static Image Render(IReadOnlyList<MetricsRecord> records, TrainingCurvesOptions options)
    {
        var canvas = new Canvas(options.Width, options.Height, Rgb.White);
        int scale = options.Width >= 640 && options.Height >= 420 ? 2 : 1;
        double[] it = records.Select(r => (double)r.Iteration).ToArray();
        double w = options.Smoothing;

        var loss = new PlotPanel { Title = options.LogLoss ? "training loss (log scale)" : "training loss", YLabel = "loss", LogY = options.LogLoss };
        AddRawAndSmoothed(loss, it, records.Select(r => r.Loss).ToArray(), Blue, "loss", w);

        var psnr = new PlotPanel { Title = "PSNR", YLabel = "PSNR (dB)", XLabel = "iteration", Legend = LegendCorner.BottomRight };
        AddRawAndSmoothed(psnr, it, records.Select(r => r.TrainPsnr).ToArray(), Orange, "train", w);
        var tested = records.Where(r => r.TestPsnr is { } p && double.IsFinite(p)).ToList();
        if (tested.Count > 0)
            psnr.Series.Add(new Series("test", tested.Select(r => (double)r.Iteration).ToArray(), tested.Select(r => r.TestPsnr!.Value).ToArray(), Green, LineWidth: 1.5, DotRadius: 2.5 * scale));

        AxisTicks x = NiceTicks.Linear(0, Math.Max(1, it.Length > 0 ? it.Max() : 1), 8);
        int top = 0;
        if (options.Title.Length > 0)
        {
            top = Canvas.TextHeight(scale) + 6 * scale;
            canvas.Text((options.Width - Canvas.TextWidth(options.Title, scale)) / 2, 3 * scale, options.Title, scale, Ink);
        }
        int middle = top + (options.Height - top) * 9 / 20;
        int labelWidth = Math.Max(loss.TickLabelWidth(scale), psnr.TickLabelWidth(scale));
        loss.Draw(canvas, new PixelRect(0, top, options.Width, middle), x, scale, labelWidth);
        psnr.Draw(canvas, new PixelRect(0, middle, options.Width, options.Height), x, scale, labelWidth);
        return canvas.Image;
    }

    /// <summary>The raw values (faint, unnamed when smoothed) and their exponential moving average.</summary>
    private static void AddRawAndSmoothed(PlotPanel panel, double[] x, double[] y, Rgb color, string name, double weight)
    {
        if (weight <= 0) { panel.Series.Add(new Series(name, x, y, color, LineWidth: 1.5)); return; }
        panel.Series.Add(new Series(name, x, y, color, LineWidth: 1, Alpha: 0.3f));
        panel.Series.Add(new Series($"{name}, smoothed", x, Smooth(y, weight), color, LineWidth: 2));
    }

    /// <summary>
    /// Exponential moving average with TensorBoard's bias correction: m_i = w·m_(i−1) + (1−w)·y_i,
    /// reported as m_i / (1 − w^n) after n finite values, so the start is not pulled towards 0.
    /// Non-finite values are skipped (their output is NaN).
    /// </summary>
    public static double[] Smooth(double[] y, double weight)
    {
        var result = new double[y.Length];
        double m = 0, debias = 1;
        for (int i = 0; i < y.Length; i++)
        {
            if (!double.IsFinite(y[i])) { result[i] = double.NaN; continue; }
            m = weight * m + (1 - weight) * y[i];
            debias *= weight;
            result[i] = m / (1 - debias);
        }
        return result;
    }
}
