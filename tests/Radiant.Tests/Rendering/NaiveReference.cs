using Radiant.Model;
using Radiant.Rendering;

namespace Radiant.Tests.Rendering;

/// <summary>
/// A deliberately simple double-precision renderer written from the rules, for checking the engine:
/// every Gaussian projected on its own, one global (stable) depth sort, and per pixel a loop over
/// all visible Gaussians front to back. No tiles, no SIMD, no shared code with the engine.
/// </summary>
internal static class NaiveReference
{
    internal sealed record Splat(int Id, double X, double Y, double A, double B, double C, double Opacity,
                                 double R, double G, double Bl, double Depth, int Radius);

    internal sealed record Frame(double[] Color, double[] Alpha, double[] Depth, int[] Radii, bool[] Ambiguous);

    private const double C0 = 0.28209479177387814, C1 = 0.4886025119029199;
    private static readonly double[] C2 = [1.0925484305920792, -1.0925484305920792, 0.31539156525252005, -1.0925484305920792, 0.5462742152960396];
    private static readonly double[] C3 = [-0.5900435899266435, 2.890611442640554, -0.4570457994644658, 0.3731763325901154, -0.4570457994644658, 1.445305721320277, -0.5900435899266435];

    public static double[] ShBasis(double x, double y, double z, int degree)
    {
        var b = new double[(degree + 1) * (degree + 1)];
        b[0] = C0;
        if (degree >= 1) { b[1] = -C1 * y; b[2] = C1 * z; b[3] = -C1 * x; }
        if (degree >= 2)
        {
            b[4] = C2[0] * x * y; b[5] = C2[1] * y * z; b[6] = C2[2] * (2 * z * z - x * x - y * y);
            b[7] = C2[3] * x * z; b[8] = C2[4] * (x * x - y * y);
        }
        if (degree >= 3)
        {
            b[9] = C3[0] * y * (3 * x * x - y * y); b[10] = C3[1] * x * y * z;
            b[11] = C3[2] * y * (4 * z * z - x * x - y * y); b[12] = C3[3] * z * (2 * z * z - 3 * x * x - 3 * y * y);
            b[13] = C3[4] * x * (4 * z * z - x * x - y * y); b[14] = C3[5] * z * (x * x - y * y);
            b[15] = C3[6] * x * (x * x - 3 * y * y);
        }
        return b;
    }

    public static Splat? Project(GaussianSet g, int i, RenderCamera cam, RenderOptions o)
    {
        float[] m = cam.WorldToCamera;
        double mx = g.Means[3 * i], my = g.Means[3 * i + 1], mz = g.Means[3 * i + 2];
        double tx = m[0] * mx + m[1] * my + m[2] * mz + m[3];
        double ty = m[4] * mx + m[5] * my + m[6] * mz + m[7];
        double tz = m[8] * mx + m[9] * my + m[10] * mz + m[11];
        if (tz < o.NearPlane) return null;

        double qw = g.Rotations[4 * i], qx = g.Rotations[4 * i + 1], qy = g.Rotations[4 * i + 2], qz = g.Rotations[4 * i + 3];
        double qn = Math.Sqrt(qw * qw + qx * qx + qy * qy + qz * qz);
        qw /= qn; qx /= qn; qy /= qn; qz /= qn;
        double[,] rot =
        {
            { 1 - 2 * (qy * qy + qz * qz), 2 * (qx * qy - qw * qz), 2 * (qx * qz + qw * qy) },
            { 2 * (qx * qy + qw * qz), 1 - 2 * (qx * qx + qz * qz), 2 * (qy * qz - qw * qx) },
            { 2 * (qx * qz - qw * qy), 2 * (qy * qz + qw * qx), 1 - 2 * (qx * qx + qy * qy) },
        };
        double[] s = [Math.Exp(g.LogScales[3 * i]), Math.Exp(g.LogScales[3 * i + 1]), Math.Exp(g.LogScales[3 * i + 2])];
        var sigma = new double[3, 3];
        for (int r = 0; r < 3; r++)
            for (int c = 0; c < 3; c++)
                for (int k = 0; k < 3; k++) sigma[r, c] += rot[r, k] * s[k] * s[k] * rot[c, k];
        // Mip-Splatting's 3D smoothing filter: Σ + v·I, opacity × sqrt(det Σ / det(Σ + v·I)).
        double v3 = g.SmoothingVariance?[i] ?? 0, smoothing = 1;
        if (v3 > 0)
        {
            double[,] sv = (double[,])sigma.Clone();
            for (int k = 0; k < 3; k++) sv[k, k] += v3;
            smoothing = Math.Sqrt(Det3(sigma) / Det3(sv));
            sigma = sv;
        }

        double limX = 1.3 * 0.5 * cam.Width / cam.Fx, limY = 1.3 * 0.5 * cam.Height / cam.Fy;
        double u = Math.Clamp(tx / tz, -limX, limX), v = Math.Clamp(ty / tz, -limY, limY);
        double[,] j = { { cam.Fx / tz, 0, -cam.Fx * u / tz }, { 0, cam.Fy / tz, -cam.Fy * v / tz } };
        var t = new double[2, 3];
        for (int r = 0; r < 2; r++)
            for (int c = 0; c < 3; c++)
                for (int k = 0; k < 3; k++) t[r, c] += j[r, k] * m[4 * k + c];
        var cov = new double[2, 2];
        for (int r = 0; r < 2; r++)
            for (int c = 0; c < 2; c++)
                for (int k = 0; k < 3; k++)
                    for (int l = 0; l < 3; l++) cov[r, c] += t[r, k] * sigma[k, l] * t[c, l];
        double a = cov[0, 0] + o.Dilation, b = cov[0, 1], cc = cov[1, 1] + o.Dilation;
        double det = a * cc - b * b;
        // The 2D Mip filter keeps the energy: opacity × sqrt(det Σ2d / det(Σ2d + s·I)).
        double mip = o.MipFilter ? Math.Sqrt(Math.Max(0, cov[0, 0] * cov[1, 1] - cov[0, 1] * cov[1, 0]) / det) : 1;
        if (det <= 0) return null;
        double mid = 0.5 * (a + cc);
        int radius = (int)Math.Ceiling(3 * Math.Sqrt(mid + Math.Sqrt(Math.Max(0.1, mid * mid - det))));
        double x2 = cam.Fx * tx / tz + cam.Cx, y2 = cam.Fy * ty / tz + cam.Cy;
        if (!(x2 + radius > 0 && x2 - radius < cam.Width && y2 + radius > 0 && y2 - radius < cam.Height)) return null;

        var (px, py, pz) = cam.Position;
        double dx = mx - px, dy = my - py, dz = mz - pz, dl = Math.Sqrt(dx * dx + dy * dy + dz * dz);
        int degree = Math.Min(o.ShDegree, g.ShDegree), stored = g.ShCoefficients;
        double[] basis = ShBasis(dx / dl, dy / dl, dz / dl, degree);
        var col = new double[3];
        for (int c = 0; c < 3; c++)
        {
            double sum = 0.5;
            for (int k = 0; k < basis.Length; k++) sum += basis[k] * g.Sh[(i * stored + k) * 3 + c];
            col[c] = Math.Max(sum, 0);
        }
        double opacity = smoothing * mip / (1 + Math.Exp(-g.OpacityLogits[i]));
        return new Splat(i, x2, y2, cc / det, -b / det, a / det, opacity, col[0], col[1], col[2], tz, radius);
    }

    private static double Det3(double[,] m) =>
        m[0, 0] * (m[1, 1] * m[2, 2] - m[1, 2] * m[2, 1]) - m[0, 1] * (m[1, 0] * m[2, 2] - m[1, 2] * m[2, 0]) + m[0, 2] * (m[1, 0] * m[2, 1] - m[1, 1] * m[2, 0]);

    public static Frame Render(GaussianSet g, RenderCamera cam, RenderOptions o)
    {
        var radii = new int[g.Count];
        var splats = new List<Splat>();
        for (int i = 0; i < g.Count; i++)
        {
            Splat? s = Project(g, i, cam, o);
            if (s is null) continue;
            radii[i] = s.Radius;
            splats.Add(s);
        }
        Frame f = Composite(splats.OrderBy(s => (float)s.Depth).ToList(), cam.Width, cam.Height, o.Background);
        return f with { Radii = radii };
    }

    /// <summary>Per-pixel front-to-back compositing of splats already in depth order.</summary>
    public static Frame Composite(IReadOnlyList<Splat> ordered, int width, int height, float[] background)
    {
        int n = width * height;
        var color = new double[3 * n];
        var alphaOut = new double[n];
        var depthOut = new double[n];
        var ambiguous = new bool[n];
        for (int py = 0; py < height; py++)
        {
            for (int px = 0; px < width; px++)
            {
                int p = py * width + px;
                double t = 1, r = 0, gr = 0, bl = 0, d = 0;
                foreach (Splat s in ordered)
                {
                    double dx = px + 0.5 - s.X, dy = py + 0.5 - s.Y;
                    double power = -0.5 * (s.A * dx * dx + s.C * dy * dy) - s.B * dx * dy;
                    if (power > 0) continue;
                    double alpha = Math.Min(0.99, s.Opacity * Math.Exp(power));
                    if (Math.Abs(alpha * 255 - 1) < 1e-4) ambiguous[p] = true;
                    if (alpha < 1.0 / 255) continue;
                    double next = t * (1 - alpha);
                    if (Math.Abs(next / 1e-4 - 1) < 1e-4) ambiguous[p] = true;
                    if (next < 1e-4) break;
                    r += s.R * alpha * t; gr += s.G * alpha * t; bl += s.Bl * alpha * t; d += s.Depth * alpha * t;
                    t = next;
                }
                color[p] = r + t * background[0];
                color[n + p] = gr + t * background[1];
                color[2 * n + p] = bl + t * background[2];
                alphaOut[p] = 1 - t;
                depthOut[p] = d;
            }
        }
        return new Frame(color, alphaOut, depthOut, [], ambiguous);
    }
}
