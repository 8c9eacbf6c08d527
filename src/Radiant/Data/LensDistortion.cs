namespace Radiant.Data;

/// <summary>
/// Lens distortion of normalised image coordinates (x, y) = (X/Z, Y/Z), in one of two models.
/// <para>OpenCV's (perspective) model: r² = x² + y², radial = (1 + k1 r² + k2 r⁴ + k3 r⁶) / (1 + k4 r² + k5 r⁴ + k6 r⁶),
/// x_d = x·radial + 2 p1 x y + p2 (r² + 2x²), y_d = y·radial + p1 (r² + 2y²) + 2 p2 x y.
/// COLMAP's SIMPLE_RADIAL and RADIAL are this model with only k1 (and k2) set.</para>
/// <para>With <see cref="Fisheye"/>, OpenCV's fisheye model (Kannala–Brandt, equidistant; COLMAP's and
/// nerfstudio's OPENCV_FISHEYE): θ = atan(r), θ_d = θ (1 + k1 θ² + k2 θ⁴ + k3 θ⁶ + k4 θ⁸),
/// (x_d, y_d) = (θ_d / r)·(x, y). There K3 and K4 are the θ⁶ and θ⁸ coefficients and P1, P2, K5, K6 are unused.</para>
/// </summary>
public sealed record LensDistortion(double K1, double K2 = 0, double P1 = 0, double P2 = 0,
    double K3 = 0, double K4 = 0, double K5 = 0, double K6 = 0)
{
    /// <summary>The fisheye (equidistant) model instead of the perspective one.</summary>
    public bool Fisheye { get; init; }

    /// <summary>True when the lens is an ideal pinhole. A fisheye never is, even with all coefficients zero (θ_d = θ ≠ tan θ).</summary>
    public bool IsZero => !Fisheye && K1 == 0 && K2 == 0 && P1 == 0 && P2 == 0 && K3 == 0 && K4 == 0 && K5 == 0 && K6 == 0;

    /// <summary>An OpenCV fisheye lens with coefficients k1..k4.</summary>
    public static LensDistortion FisheyeLens(double k1, double k2, double k3, double k4) => new(K1: k1, K2: k2, K3: k3, K4: k4) { Fisheye = true };

    /// <summary>Maps undistorted normalised coordinates to distorted ones.</summary>
    public (double X, double Y) Distort(double x, double y)
    {
        double r2 = x * x + y * y;
        if (Fisheye)
        {
            double r = Math.Sqrt(r2);
            if (r < 1e-12) return (x, y);   // θ_d / r → 1 on the axis
            double theta = Math.Atan(r), t2 = theta * theta;
            double thetaD = theta * (1 + t2 * (K1 + t2 * (K2 + t2 * (K3 + t2 * K4))));
            double s = thetaD / r;
            return (x * s, y * s);
        }
        double radial = (1 + r2 * (K1 + r2 * (K2 + r2 * K3))) / (1 + r2 * (K4 + r2 * (K5 + r2 * K6)));
        return (x * radial + 2 * P1 * x * y + P2 * (r2 + 2 * x * x),
                y * radial + P1 * (r2 + 2 * y * y) + 2 * P2 * x * y);
    }
}
