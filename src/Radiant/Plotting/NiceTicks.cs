using System.Globalization;

namespace Radiant.Plotting;

/// <summary>Tick positions of an axis and the labels to print at them.</summary>
public sealed record AxisTicks(double Min, double Max, double[] Values, string[] Labels);

/// <summary>
/// "Nice numbers" for axis ticks (Heckbert, "Nice numbers for graph labels", Graphics Gems 1990):
/// tick steps of 1, 2 or 5 × 10^k, and an axis range widened to whole steps.
/// </summary>
public static class NiceTicks
{
    /// <summary>
    /// A 1, 2, 5 or 10 × 10^k near <paramref name="x"/> &gt; 0: the closest when <paramref name="round"/>
    /// (cut points 1.5, 3, 7), else the smallest not below it.
    /// </summary>
    public static double NiceNumber(double x, bool round)
    {
        double exponent = Math.Floor(Math.Log10(x));
        double power = Math.Pow(10, exponent);
        double f = x / power;
        double nice = round
            ? f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10
            : f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
        return nice * power;
    }

    /// <summary>Ticks covering [min, max] with about <paramref name="count"/> of them; the range is widened to whole steps.</summary>
    public static AxisTicks Linear(double min, double max, int count = 6)
    {
        if (!double.IsFinite(min) || !double.IsFinite(max)) (min, max) = (0, 1);
        if (max < min) (min, max) = (max, min);
        if (max - min < 1e-12 * Math.Max(1, Math.Abs(max)))
        {
            double pad = min == 0 ? 1 : Math.Abs(min) * 0.1;
            (min, max) = (min - pad, max + pad);
        }
        double step = NiceNumber((max - min) / Math.Max(1, count - 1), round: true);
        double first = Math.Floor(min / step + 1e-9) * step, last = Math.Ceiling(max / step - 1e-9) * step;
        int n = (int)Math.Round((last - first) / step) + 1;
        var values = new double[n];
        for (int i = 0; i < n; i++) values[i] = Clean(first + i * step, step);
        int decimals = Math.Max(0, -(int)Math.Floor(Math.Log10(step) + 1e-9));
        bool thousands = last >= 10_000 && step >= 1000 && step % 1000 == 0;
        string[] labels = values.Select(v => thousands && v != 0 ? Format(v / 1000, 0) + "k" : Format(v, decimals)).ToArray();
        return new AxisTicks(values[0], values[^1], values, labels);
    }

    /// <summary>
    /// Ticks of a log-scale axis covering [min, max] (both &gt; 0). Up to two decades the ticks are the
    /// 1, 2, 5 × 10^k sequence and the range is widened to its nearest members; beyond, the range is
    /// widened to powers of ten and only those are ticked.
    /// </summary>
    public static AxisTicks Logarithmic(double min, double max)
    {
        if (!(min > 0) || !double.IsFinite(max) || max < min) (min, max) = (1, 10);
        int lo = (int)Math.Floor(Math.Log10(min) + 1e-9), hi = (int)Math.Ceiling(Math.Log10(max) - 1e-9);
        if (hi <= lo) hi = lo + 1;
        double[] mantissas = hi - lo <= 2 ? [1, 2, 5] : [1];
        var sequence = new List<double>();
        for (int e = lo; e <= hi; e++)
            foreach (double m in mantissas) sequence.Add(Math.Round(m * Math.Pow(10, e), Math.Clamp(2 - e, 0, 15)));
        double first = sequence.Last(v => v <= min * (1 + 1e-9));
        double last = sequence.First(v => v >= max * (1 - 1e-9));
        if (last <= first) last = sequence.First(v => v > first);
        double[] values = sequence.Where(v => v >= first && v <= last).ToArray();
        string[] labels = values.Select(v => Format(v, Math.Max(0, -(int)Math.Floor(Math.Log10(v) + 1e-9)))).ToArray();
        return new AxisTicks(values[0], values[^1], values, labels);
    }

    /// <summary>Removes the rounding noise of first + i·step (0.30000000000000004 → 0.3).</summary>
    private static double Clean(double v, double step) => Math.Abs(v) < step * 1e-9 ? 0 : Math.Round(v, Math.Clamp(12 - (int)Math.Floor(Math.Log10(step)), 0, 15));

    private static string Format(double v, int decimals) => v.ToString("F" + decimals, CultureInfo.InvariantCulture);
}
