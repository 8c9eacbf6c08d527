namespace Radiant.Plotting;

/// <summary>Where a panel's legend goes.</summary>
public enum LegendCorner { TopRight, BottomRight }

/// <summary>
/// One chart: a frame with grid lines at "nice" ticks (<see cref="NiceTicks"/>), tick labels, a title,
/// a y-axis label, curves clipped to the frame and a legend. Data map to pixels linearly, or by
/// log10 on a log-scale y axis (non-positive values are then left out).
/// </summary>
public sealed class PlotPanel
{
    public required string Title { get; init; }
    public string YLabel { get; init; } = "";
    public string XLabel { get; init; } = "";
    public bool LogY { get; init; }
    public LegendCorner Legend { get; init; } = LegendCorner.TopRight;
    public List<Series> Series { get; } = [];

    private static readonly Rgb Ink = new(0.15f, 0.15f, 0.17f);
    private static readonly Rgb Grid = new(0.90f, 0.90f, 0.92f);
    private static readonly Rgb Frame = new(0.55f, 0.55f, 0.58f);

    /// <summary>Width in pixels of the widest y tick label.</summary>
    public int TickLabelWidth(int scale) => YTicks().Labels.Max(l => Canvas.TextWidth(l, scale));

    /// <summary>
    /// Draws into <paramref name="area"/> (the whole panel, labels included) with x ticks <paramref name="x"/>
    /// shared by the figure; <paramref name="labelWidth"/> (at least this panel's <see cref="TickLabelWidth"/>)
    /// lines up the frames of stacked panels.
    /// </summary>
    public void Draw(Canvas canvas, PixelRect area, AxisTicks x, int scale, int labelWidth = 0)
    {
        AxisTicks y = YTicks();
        int textH = Canvas.TextHeight(scale), gap = 3 * scale;
        labelWidth = Math.Max(labelWidth, TickLabelWidth(scale));
        // Room on the right for half the last x label, which is centred on the frame's right edge.
        int right = Math.Max(2 * gap, Canvas.TextWidth(x.Labels[^1], scale) / 2 + gap);
        var frame = new PixelRect(area.Left + textH + 2 * gap + labelWidth + gap, area.Top + 2 * textH + 2 * gap,
                                  area.Right - right, area.Bottom - (XLabel.Length > 0 ? 2 * textH + 3 * gap : textH + 2 * gap));
        if (frame.Width < 10 || frame.Height < 10) return;

        double Px(double v) => frame.Left + (v - x.Min) / (x.Max - x.Min) * frame.Width;
        double Py(double v) => LogY
            ? frame.Bottom - (Math.Log10(v) - Math.Log10(y.Min)) / (Math.Log10(y.Max) - Math.Log10(y.Min)) * frame.Height
            : frame.Bottom - (v - y.Min) / (y.Max - y.Min) * frame.Height;

        // Grid and tick labels.
        for (int i = 0; i < y.Values.Length; i++)
        {
            int py = Math.Clamp((int)Math.Floor(Py(y.Values[i])), frame.Top, frame.Bottom - 1);
            canvas.Fill(new PixelRect(frame.Left, py, frame.Right, py + 1), Grid);
            canvas.Text(frame.Left - gap - Canvas.TextWidth(y.Labels[i], scale), py - textH / 2, y.Labels[i], scale, Ink);
        }
        for (int i = 0; i < x.Values.Length; i++)
        {
            int px = Math.Clamp((int)Math.Floor(Px(x.Values[i])), frame.Left, frame.Right - 1);
            canvas.Fill(new PixelRect(px, frame.Top, px + 1, frame.Bottom), Grid);
            canvas.Fill(new PixelRect(px, frame.Bottom, px + 1, frame.Bottom + gap), Frame);
            int w = Canvas.TextWidth(x.Labels[i], scale);
            canvas.Text(px - w / 2, frame.Bottom + gap + scale, x.Labels[i], scale, Ink);
        }
        canvas.Outline(new PixelRect(frame.Left - 1, frame.Top - 1, frame.Right + 1, frame.Bottom + 1), Frame);

        // Titles.
        canvas.Text(frame.Left, area.Top + gap + textH / 2, Title, scale, Ink);
        if (YLabel.Length > 0)
            canvas.Text(area.Left + gap, (frame.Top + frame.Bottom + Canvas.TextWidth(YLabel, scale)) / 2, YLabel, scale, Ink, vertical: true);
        if (XLabel.Length > 0)
            canvas.Text((frame.Left + frame.Right - Canvas.TextWidth(XLabel, scale)) / 2, frame.Bottom + 2 * gap + textH + scale, XLabel, scale, Ink);

        // Curves.
        foreach (Series s in Series)
        {
            var points = new (double, double)[s.X.Length];
            for (int i = 0; i < points.Length; i++)
                points[i] = double.IsFinite(s.Y[i]) && (!LogY || s.Y[i] > 0) ? (Px(s.X[i]), Py(s.Y[i])) : (double.NaN, double.NaN);
            if (s.LineWidth > 0) canvas.Polyline(points, s.Color, s.LineWidth, frame, s.Alpha);
            if (s.DotRadius > 0)
            {
                // A dot on the frame's edge (the last evaluation, at the last iteration) is drawn whole, over the frame line.
                int r = (int)Math.Ceiling(s.DotRadius) + 1;
                var around = new PixelRect(frame.Left - r, frame.Top - r, frame.Right + r, frame.Bottom + r);
                canvas.Dots(points, s.Color, s.DotRadius, around);
            }
        }
        DrawLegend(canvas, frame, scale);
    }

    private AxisTicks YTicks()
    {
        IEnumerable<double> values = Series.SelectMany(s => s.Y).Where(v => double.IsFinite(v) && (!LogY || v > 0));
        if (!values.Any()) return LogY ? NiceTicks.Logarithmic(0.01, 1) : NiceTicks.Linear(0, 1);
        double min = values.Min(), max = values.Max();
        return LogY ? NiceTicks.Logarithmic(min, max) : NiceTicks.Linear(min, max, 6);
    }

    private void DrawLegend(Canvas canvas, PixelRect frame, int scale)
    {
        List<Series> named = Series.Where(s => s.Name is not null).ToList();
        if (named.Count == 0) return;
        int textH = Canvas.TextHeight(scale), pad = 4 * scale, swatch = 10 * scale, rowH = textH + 3 * scale;
        int width = pad + swatch + pad + named.Max(s => Canvas.TextWidth(s.Name!, scale)) + pad;
        int height = pad + named.Count * rowH - 3 * scale + pad;
        int left = frame.Right - 8 - width;
        int top = Legend == LegendCorner.TopRight ? frame.Top + 8 : frame.Bottom - 8 - height;
        var box = new PixelRect(left, top, left + width, top + height);
        canvas.Fill(box, Rgb.White, 0.9f);
        canvas.Outline(box, Grid.Lerp(Frame, 0.5f));
        for (int i = 0; i < named.Count; i++)
        {
            Series s = named[i];
            int y = top + pad + i * rowH;
            double cy = y + textH / 2.0;
            ReadOnlySpan<(double, double)> sample = [(left + pad, cy), (left + pad + swatch, cy)];
            if (s.LineWidth > 0) canvas.Polyline(sample, s.Color, Math.Max(2, s.LineWidth), box, Math.Max(s.Alpha, 0.6f));
            if (s.DotRadius > 0) canvas.Dots([(left + pad + swatch / 2.0, cy)], s.Color, s.DotRadius, box);
            canvas.Text(left + pad + swatch + pad, y, s.Name!, scale, Ink);
        }
    }
}
