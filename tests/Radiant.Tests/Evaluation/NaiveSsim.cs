namespace Radiant.Tests.Evaluation;

/// <summary>
/// An independent SSIM for the tests, in double precision and by direct 2D window sums: for every
/// pixel, the 11×11 Gaussian-weighted sums (σ = 1.5) over the pixels of the window that lie in the
/// image (zero padding), the SSIM formula, then the (weighted) mean over pixels and channels.
/// Also the photometric loss built on it, for finite differences.
/// </summary>
public static class NaiveSsim
{
    private static readonly double[] Window2D = MakeWindow();

    private static double[] MakeWindow()
    {
        var g = new double[11];
        for (int k = 0; k < 11; k++) g[k] = Math.Exp(-(k - 5) * (k - 5) / (2 * 1.5 * 1.5));
        double s = g.Sum();
        var w = new double[121];
        for (int i = 0; i < 11; i++)
            for (int j = 0; j < 11; j++) w[i * 11 + j] = g[i] / s * (g[j] / s);
        return w;
    }

    public static double Mean(double[] x, double[] y, int width, int height, int channels, double[]? weight = null)
    {
        const double c1 = 0.01 * 0.01, c2 = 0.03 * 0.03;
        double sum = 0, wsum = 0;
        for (int c = 0; c < channels; c++)
        {
            int o = c * width * height;
            for (int py = 0; py < height; py++)
                for (int px = 0; px < width; px++)
                {
                    double mx = 0, my = 0, exx = 0, eyy = 0, exy = 0;
                    for (int dy = -5; dy <= 5; dy++)
                    {
                        int qy = py + dy;
                        if (qy < 0 || qy >= height) continue;
                        for (int dx = -5; dx <= 5; dx++)
                        {
                            int qx = px + dx;
                            if (qx < 0 || qx >= width) continue;
                            double g = Window2D[(dy + 5) * 11 + dx + 5];
                            double a = x[o + qy * width + qx], b = y[o + qy * width + qx];
                            mx += g * a; my += g * b; exx += g * a * a; eyy += g * b * b; exy += g * a * b;
                        }
                    }
                    double vx = exx - mx * mx, vy = eyy - my * my, cxy = exy - mx * my;
                    double s = (2 * mx * my + c1) * (2 * cxy + c2) / ((mx * mx + my * my + c1) * (vx + vy + c2));
                    double w = weight is null ? 1 : weight[py * width + px];
                    sum += w * s;
                    if (c == 0) wsum += w;
                }
        }
        return sum / (channels * wsum);
    }

    public static double Mean(float[] x, float[] y, int width, int height, int channels, float[]? weight = null) =>
        Mean(ToDouble(x), ToDouble(y), width, height, channels, weight is null ? null : ToDouble(weight));

    /// <summary>s·[(1 − λ)·mean|x − y| + λ·(1 − SSIM)] with weighted means.</summary>
    public static double Loss(double[] x, double[] y, int width, int height, int channels, double lambda, double scale, double[]? weight = null)
    {
        double l1 = 0, wsum = 0;
        for (int c = 0; c < channels; c++)
            for (int p = 0; p < width * height; p++)
            {
                double w = weight is null ? 1 : weight[p];
                l1 += w * Math.Abs(x[c * width * height + p] - y[c * width * height + p]);
                wsum += w;
            }
        return scale * ((1 - lambda) * l1 / wsum + lambda * (1 - Mean(x, y, width, height, channels, weight)));
    }

    public static double[] ToDouble(float[] a) => Array.ConvertAll(a, v => (double)v);
}
