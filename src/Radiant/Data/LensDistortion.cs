namespace Radiant.Data;

/// <summary>The family of a <see cref="LensDistortion"/>, which fixes what its coefficients mean.</summary>
public enum LensModel
{
    /// <summary>
    /// OpenCV's perspective model: r² = x² + y², radial = (1 + k1 r² + k2 r⁴ + k3 r⁶) / (1 + k4 r² + k5 r⁴ + k6 r⁶),
    /// x_d = x·radial + 2 p1 x y + p2 (r² + 2x²), y_d = y·radial + p1 (r² + 2y²) + 2 p2 x y.
    /// COLMAP's SIMPLE_RADIAL, RADIAL, OPENCV and FULL_OPENCV are this model with the first k1, k1–k2,
    /// k1–k2 p1–p2 or all of its coefficients. The numerator may also have an r⁸ term
    /// (<see cref="LensDistortion.R8"/>): nerfstudio's OPENCV and Metashape's Brown model call it k4.
    /// </summary>
    Perspective,

    /// <summary>
    /// The fisheye models (Kannala–Brandt, equidistant): the point is first moved to the equidistant
    /// point (u, v) = (θ / r)·(x, y), θ = atan(r), so that its radius is the ray's angle θ; then
    /// x_d = u·(1 + k1 θ² + … + k6 θ¹²) + 2 p1 u v + p2 (θ² + 2u²) + s1 θ² + s2 θ⁴, and likewise
    /// y_d = v·(…) + p1 (θ² + 2v²) + 2 p2 u v + s3 θ² + s4 θ⁴. OpenCV's fisheye and COLMAP's
    /// OPENCV_FISHEYE use k1–k4, SIMPLE_RADIAL_FISHEYE k1, RADIAL_FISHEYE k1–k2, SIMPLE_FISHEYE and
    /// FISHEYE none; THIN_PRISM_FISHEYE adds p1, p2 and the thin prism s1 (its sx1) and s3 (its sy1).
    /// </summary>
    Fisheye,

    /// <summary>
    /// Project Aria's Fisheye624 (COLMAP's RAD_TAN_THIN_PRISM_FISHEYE): the equidistant point (u, v)
    /// scaled radially first, (x_r, y_r) = (u, v)·(1 + k1 θ² + … + k6 θ¹²), then the tangential and
    /// thin-prism terms of <see cref="Fisheye"/> taken on (x_r, y_r) and its r² = x_r² + y_r²
    /// (its p0 is <c>P2</c> here and its p1 is <c>P1</c>, which gives OpenCV's form of the tangential terms).
    /// </summary>
    Fisheye624,

    /// <summary>
    /// The field-of-view model of Devernay and Faugeras (COLMAP's FOV): (x_d, y_d) = (x, y)·atan(2 r tan(ω/2)) / (ω r),
    /// ω (<c>Omega</c>) the field of view in radians; ω = 0 is the pinhole.
    /// </summary>
    FieldOfView,
}

/// <summary>
/// Lens distortion of normalised image coordinates (x, y) = (X/Z, Y/Z): <see cref="Distort"/> maps the
/// ideal pinhole's point to where the lens puts it. <see cref="Model"/> fixes what the coefficients
/// mean (see <see cref="LensModel"/>); the default is OpenCV's perspective model.
/// </summary>
public sealed record LensDistortion(double K1, double K2 = 0, double P1 = 0, double P2 = 0,
    double K3 = 0, double K4 = 0, double K5 = 0, double K6 = 0)
{
    public LensModel Model { get; init; }

    /// <summary>Thin-prism coefficients of the fisheye models: s1 r² + s2 r⁴ added to x, s3 r² + s4 r⁴ to y.</summary>
    public double S1 { get; init; }
    public double S2 { get; init; }
    public double S3 { get; init; }
    public double S4 { get; init; }

    /// <summary>
    /// The r⁸ coefficient of <see cref="LensModel.Perspective"/>'s radial numerator, 1 + k1 r² + k2 r⁴ + k3 r⁶ + R8·r⁸
    /// (nerfstudio's and Metashape's k4; OpenCV's k4 is instead the denominator's r² coefficient, <see cref="K4"/>).
    /// </summary>
    public double R8 { get; init; }

    /// <summary>Field of view ω in radians of <see cref="LensModel.FieldOfView"/>.</summary>
    public double Omega { get; init; }

    /// <summary>True when the lens is an ideal pinhole. A fisheye never is, even with all coefficients zero (θ_d = θ ≠ tan θ).</summary>
    public bool IsZero => Model switch
    {
        LensModel.Perspective => K1 == 0 && K2 == 0 && P1 == 0 && P2 == 0 && K3 == 0 && K4 == 0 && K5 == 0 && K6 == 0 && R8 == 0,
        LensModel.FieldOfView => Omega == 0,
        _ => false,
    };

    /// <summary>An OpenCV fisheye lens with coefficients k1..k4.</summary>
    public static LensDistortion FisheyeLens(double k1, double k2, double k3, double k4) => new(K1: k1, K2: k2, K3: k3, K4: k4) { Model = LensModel.Fisheye };

    /// <summary>A field-of-view lens (COLMAP's FOV) of ω = <paramref name="omega"/> radians.</summary>
    public static LensDistortion FieldOfViewLens(double omega) => new(0) { Model = LensModel.FieldOfView, Omega = omega };

    /// <summary>Maps undistorted normalised coordinates to distorted ones.</summary>
    public (double X, double Y) Distort(double x, double y)
    {
        double r2 = x * x + y * y;
        switch (Model)
        {
            case LensModel.Perspective:
            {
                double radial = (1 + r2 * (K1 + r2 * (K2 + r2 * (K3 + r2 * R8)))) / (1 + r2 * (K4 + r2 * (K5 + r2 * K6)));
                return (x * radial + 2 * P1 * x * y + P2 * (r2 + 2 * x * x),
                        y * radial + P1 * (r2 + 2 * y * y) + 2 * P2 * x * y);
            }
            case LensModel.FieldOfView:
            {
                if (Omega == 0) return (x, y);
                // atan(c r) / (ω r) with c = 2 tan(ω/2), written (c / ω)·atan(c r)/(c r) so that the axis is exact.
                double c = 2 * Math.Tan(Omega / 2);
                double factor = c / Omega * AtanOverR(c * Math.Sqrt(r2));
                return (x * factor, y * factor);
            }
            default:
            {
                double r = Math.Sqrt(r2);
                double s = AtanOverR(r);
                double u = x * s, v = y * s, theta2 = r2 * s * s;
                double radial = 1 + theta2 * (K1 + theta2 * (K2 + theta2 * (K3 + theta2 * (K4 + theta2 * (K5 + theta2 * K6)))));
                double xr = u * radial, yr = v * radial;
                // Tangential and thin-prism terms: on the equidistant point (THIN_PRISM_FISHEYE) or on the radially scaled one (Fisheye624).
                (double a, double b, double q2) = Model == LensModel.Fisheye624 ? (xr, yr, xr * xr + yr * yr) : (u, v, theta2);
                return (xr + 2 * P1 * a * b + P2 * (q2 + 2 * a * a) + q2 * (S1 + S2 * q2),
                        yr + P1 * (q2 + 2 * b * b) + 2 * P2 * a * b + q2 * (S3 + S4 * q2));
            }
        }
    }

    /// <summary>atan(r) / r, 1 on the axis.</summary>
    private static double AtanOverR(double r) => r < 1e-12 ? 1 : Math.Atan(r) / r;
}
