namespace Radiant.Data;

/// <summary>
/// OpenCV-style lens distortion of normalised image coordinates (x, y) = (X/Z, Y/Z):
/// r² = x² + y², radial = (1 + k1 r² + k2 r⁴ + k3 r⁶) / (1 + k4 r² + k5 r⁴ + k6 r⁶),
/// x_d = x·radial + 2 p1 x y + p2 (r² + 2x²), y_d = y·radial + p1 (r² + 2y²) + 2 p2 x y.
/// COLMAP's SIMPLE_RADIAL and RADIAL are this model with only k1 (and k2) set.
/// </summary>
public sealed record LensDistortion(double K1, double K2 = 0, double P1 = 0, double P2 = 0,
    double K3 = 0, double K4 = 0, double K5 = 0, double K6 = 0)
{
    public bool IsZero => K1 == 0 && K2 == 0 && P1 == 0 && P2 == 0 && K3 == 0 && K4 == 0 && K5 == 0 && K6 == 0;

    /// <summary>Maps undistorted normalised coordinates to distorted ones.</summary>
    public (double X, double Y) Distort(double x, double y)
    {
        double r2 = x * x + y * y;
        double radial = (1 + r2 * (K1 + r2 * (K2 + r2 * K3))) / (1 + r2 * (K4 + r2 * (K5 + r2 * K6)));
        return (x * radial + 2 * P1 * x * y + P2 * (r2 + 2 * x * x),
                y * radial + P1 * (r2 + 2 * y * y) + 2 * P2 * x * y);
    }
}
