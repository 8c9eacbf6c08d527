using Radiant.Data;
using Radiant.Imaging;
using Radiant.Mathematics;
using Xunit.Abstractions;

namespace Radiant.Tests.Data;

public class UndistortionTests(ITestOutputHelper output)
{
    private const int Width = 120, Height = 90;

    private static Camera MakeCamera(LensDistortion? distortion) => new()
    {
        Name = "cam",
        Width = Width,
        Height = Height,
        Fx = 95,
        Fy = 97,
        Cx = 60.3,   // off-centre, so a half-pixel or centre mix-up shows
        Cy = 44.6,
        Rotation = Mat3.Identity,
        Translation = Vec3.Zero,
        ImagePath = "unused.png",
        Distortion = distortion,
    };

    public static TheoryData<string, LensDistortion> Lenses => new()
    {
        { "OPENCV barrel", new LensDistortion(K1: -0.12, K2: 0.03, P1: 0.002, P2: -0.003) },
        { "SIMPLE_RADIAL pincushion", new LensDistortion(K1: 0.08) },
        { "RADIAL", new LensDistortion(K1: -0.2, K2: 0.05) },
        { "OPENCV_FISHEYE", LensDistortion.FisheyeLens(0.05, -0.01, 0.002, -0.0005) },
        { "FULL_OPENCV", FullOpenCv },
        { "FOV", LensDistortion.FieldOfViewLens(0.9) },
        { "THIN_PRISM_FISHEYE", ThinPrismFisheye },
        { "RAD_TAN_THIN_PRISM_FISHEYE", Fisheye624 },
    };

    // The lenses of the known-value tests below (COLMAP's parameter order in the comments).
    // fx, fy, cx, cy, k1, k2, p1, p2, k3, k4, k5, k6
    private static readonly LensDistortion FullOpenCv = new(K1: -0.1, K2: 0.02, P1: 0.001, P2: -0.002, K3: 0.003, K4: 0.05, K5: -0.01, K6: 0.004);
    // fx, fy, cx, cy, k1, k2, p1, p2, k3, k4, sx1, sy1
    private static readonly LensDistortion ThinPrismFisheye =
        LensDistortion.FisheyeLens(0.05, -0.01, 0.002, -0.0005) with { P1 = 0.001, P2 = -0.002, S1 = 0.003, S3 = -0.004 };
    // fx, fy, cx, cy, k0..k5, p0, p1, s0..s3 (p0 is P2, p1 is P1)
    private static readonly LensDistortion Fisheye624 =
        new(K1: 0.04, K2: -0.01, K3: 0.003, K4: -0.001, K5: 0.0004, K6: -0.0001, P1: -0.001, P2: 0.002)
        { Model = LensModel.Fisheye624, S1 = 0.003, S2 = -0.002, S3 = 0.001, S4 = 0.0015 };

    // ---- how far a lens moves a point (from-photos keeps the photos below a threshold) ----

    [Fact]
    public void Largest_shift_of_a_radial_lens_is_its_formula_at_the_farthest_corner()
    {
        Camera c = MakeCamera(null);
        Assert.Equal(0, Undistortion.LargestShift(null, c.Fx, c.Fy, c.Cx, c.Cy, Width, Height));
        Assert.Equal(0, Undistortion.LargestShift(new LensDistortion(0), c.Fx, c.Fy, c.Cx, c.Cy, Width, Height));

        // x_d = x (1 + k1 r²): a pixel moves by k1 r² · (fx x, fy y), largest at the corner pixel centre farthest from (cx, cy).
        const double k1 = 0.08;
        double expected = 0;
        foreach (double u in new[] { 0.5, Width - 0.5 })
            foreach (double v in new[] { 0.5, Height - 0.5 })
            {
                double x = (u - c.Cx) / c.Fx, y = (v - c.Cy) / c.Fy, r2 = x * x + y * y;
                expected = Math.Max(expected, k1 * r2 * Math.Sqrt(c.Fx * x * c.Fx * x + c.Fy * y * c.Fy * y));
            }
        Assert.Equal(expected, Undistortion.LargestShift(new LensDistortion(K1: k1), c.Fx, c.Fy, c.Cx, c.Cy, Width, Height), 12);
        Assert.InRange(expected, 2, 4);   // about 3 px: the corner (−60, −45) px from the centre, r² ≈ 0.6
    }

    [Theory]
    [MemberData(nameof(Lenses))]
    public void Largest_shift_finds_the_largest_over_every_pixel(string name, LensDistortion lens)
    {
        Camera c = MakeCamera(lens);
        double everyPixel = 0;
        for (int v = 0; v < Height; v++)
            for (int u = 0; u < Width; u++)
            {
                double x = (u + 0.5 - c.Cx) / c.Fx, y = (v + 0.5 - c.Cy) / c.Fy;
                var (xd, yd) = lens.Distort(x, y);
                everyPixel = Math.Max(everyPixel, Math.Sqrt(Math.Pow(c.Fx * (xd - x), 2) + Math.Pow(c.Fy * (yd - y), 2)));
            }
        double sampled = Undistortion.LargestShift(lens, c.Fx, c.Fy, c.Cx, c.Cy, Width, Height);
        output.WriteLine($"{name}: {sampled:0.000} px (every pixel {everyPixel:0.000} px)");
        Assert.InRange(sampled, everyPixel * 0.999, everyPixel + 1e-9);
        Assert.True(sampled > 0.5, $"{name} moves points by {sampled} px");
    }

    // ---- which pixels see the photo (a mask for the corners a pincushion lens leaves uncovered) ----

    [Theory]
    [MemberData(nameof(Lenses))]
    public void Coverage_is_zero_exactly_where_the_pixel_centre_lands_outside_the_photo(string name, LensDistortion lens)
    {
        Camera cam = MakeCamera(lens);
        float[]? coverage = Undistortion.Coverage(cam);
        int outside = 0;
        for (int v = 0; v < Height; v++)
            for (int u = 0; u < Width; u++)
            {
                var (xd, yd) = lens.Distort((u + 0.5 - cam.Cx) / cam.Fx, (v + 0.5 - cam.Cy) / cam.Fy);
                double px = cam.Fx * xd + cam.Cx, py = cam.Fy * yd + cam.Cy;
                bool inside = px >= 0 && px <= Width && py >= 0 && py <= Height;
                if (!inside) outside++;
                if (coverage is not null) Assert.Equal(inside ? 1f : 0f, coverage[v * Width + u]);
            }
        output.WriteLine($"{name}: {outside} of {Width * Height} pixels outside");
        Assert.Equal(outside == 0, coverage is null);
        // The pincushion lens (k1 > 0) points past the frame at its corners, and so does FOV with ω = 0.9
        // (r_d = atan(2 r tan(ω/2)) / ω ≈ 1.07 r near the centre); the barrels and fisheyes stay inside.
        Assert.Equal(name is "SIMPLE_RADIAL pincushion" or "FOV", coverage is not null);
    }

    [Fact]
    public void Coverage_of_a_radial_pincushion_lens_follows_its_formula_and_is_null_without_a_lens()
    {
        Assert.Null(Undistortion.Coverage(MakeCamera(null)));
        Assert.Null(Undistortion.Coverage(MakeCamera(new LensDistortion(0))));
        Assert.Null(Undistortion.Coverage(MakeCamera(new LensDistortion(K1: -0.08))));   // barrel: the corners look inward
        // x_d = x (1 + k1 r²): the pixel centre (u + ½, v + ½) lands at c + (p − c)(1 + k1 r²), r² = x² + y².
        const double k1 = 0.08;
        Camera cam = MakeCamera(new LensDistortion(K1: k1));
        float[] coverage = Undistortion.Coverage(cam)!;
        for (int v = 0; v < Height; v++)
            for (int u = 0; u < Width; u++)
            {
                double x = (u + 0.5 - cam.Cx) / cam.Fx, y = (v + 0.5 - cam.Cy) / cam.Fy, scale = 1 + k1 * (x * x + y * y);
                double px = cam.Cx + (u + 0.5 - cam.Cx) * scale, py = cam.Cy + (v + 0.5 - cam.Cy) * scale;
                Assert.Equal(px >= 0 && px <= Width && py >= 0 && py <= Height ? 1f : 0f, coverage[v * Width + u]);
            }
        Assert.Equal(0f, coverage[0]);                                  // corners
        Assert.Equal(0f, coverage[Width * Height - 1]);
        Assert.Equal(1f, coverage[(Height / 2) * Width + Width / 2]);   // centre
        int uncovered = coverage.Count(c => c == 0);
        output.WriteLine($"{uncovered} of {Width * Height} pixels uncovered");
        Assert.InRange(uncovered, 20, Width * Height / 10);   // 651 (6 %): the four corners
    }

    [Fact]
    public void A_pincushion_views_mask_is_its_mask_file_times_its_coverage()
    {
        using var dir = new Support.TempDir("coverage-mask");
        Camera cam = MakeCamera(new LensDistortion(K1: 0.08)) with { ImagePath = dir.File("a.png") };
        float[] coverage = Undistortion.Coverage(cam)!;
        // Without a mask file the view's mask is the coverage.
        Assert.Equal(coverage, DatasetImages.LoadMask(cam, new DatasetOptions(), dir.Path));
        // With one: a mask of 0.6 on the left half, 1 on the right, undistorted like the image and then multiplied.
        var file = new Image(Width, Height, 1);
        for (int v = 0; v < Height; v++)
            for (int u = 0; u < Width; u++) file[0, u, v] = u < Width / 2 ? 0.6f : 1f;
        ImageIO.SavePng(dir.File("mask.png"), file);
        float[] undistorted = Undistortion.Apply(ImageIO.Load(dir.File("mask.png")), cam).ReadPlane(0).ToArray();
        float[] mask = DatasetImages.LoadMask(cam with { MaskPath = dir.File("mask.png") }, new DatasetOptions(), dir.Path)!;
        for (int i = 0; i < mask.Length; i++) Assert.Equal(undistorted[i] * coverage[i], mask[i]);
        Assert.Contains(mask, m => m > 0.55f && m < 0.65f);
        Assert.Equal(0f, mask[Width * Height - 1]);   // a corner the mask file keeps but the photo does not cover
    }

    // ---- the analytic scene: a textured plane seen by the camera ----

    /// <summary>The plane n·X = d in camera coordinates, tilted away from the image plane, with in-plane axes e1, e2.</summary>
    private static readonly Vec3 PlaneNormal = new Vec3(0.25, -0.2, 1).Normalized();
    private const double PlaneDistance = 3;
    /// <summary>Checkerboard period on the plane: about 30 px in the image (fx ≈ 95 at distance ≈ 3).</summary>
    private const double CheckerPeriod = 1.0;
    private static readonly Vec3 PlaneE1 = new Vec3(1, 0, 0).Cross(PlaneNormal).Cross(PlaneNormal).Normalized();
    private static readonly Vec3 PlaneE2 = PlaneNormal.Cross(PlaneE1);

    /// <summary>
    /// Colour where the ray through normalised image point (x, y) meets the plane: the ray X = s·(x, y, 1)
    /// hits it at s = d / (n·(x, y, 1)); (a, b) = (e1·X, e2·X) are plane coordinates. Red is a checkerboard
    /// of period P (squares P/2 wide); <paramref name="smooth"/> gives its sinusoidal form 0.5 + 0.45·sin(2πa/P)·sin(2πb/P),
    /// otherwise hard squares of 0.1 and 0.9. Green and blue are slow waves along a and b.
    /// </summary>
    private static (float R, float G, float B) Shade(double x, double y, bool smooth, double period = CheckerPeriod)
    {
        var ray = new Vec3(x, y, 1);
        double s = PlaneDistance / PlaneNormal.Dot(ray);
        Vec3 hit = ray * s;
        double a = PlaneE1.Dot(hit), b = PlaneE2.Dot(hit);
        double wave = Math.Sin(2 * Math.PI * a / period) * Math.Sin(2 * Math.PI * b / period);
        double checker = smooth ? 0.5 + 0.45 * wave : (wave >= 0 ? 0.9 : 0.1);
        return ((float)checker, (float)(0.5 + 0.4 * Math.Cos(2 * Math.PI * a / 1.3)), (float)(0.5 + 0.4 * Math.Sin(2 * Math.PI * b / 1.7)));
    }

    /// <summary>
    /// Inverts the lens: the undistorted (x, y) with Distort(x, y) = (xd, yd), by Newton's method with a
    /// numerical Jacobian (test-side, independent of the code under test which only distorts).
    /// </summary>
    private static (double X, double Y) Undistort(LensDistortion lens, double xd, double yd)
    {
        double x = xd, y = yd;
        const double h = 1e-7;
        for (int it = 0; it < 50; it++)
        {
            var (fx, fy) = lens.Distort(x, y);
            double rx = fx - xd, ry = fy - yd;
            if (Math.Abs(rx) + Math.Abs(ry) < 1e-14) break;
            var (ax, ay) = lens.Distort(x + h, y);
            var (bx, by) = lens.Distort(x, y + h);
            double j00 = (ax - fx) / h, j10 = (ay - fy) / h, j01 = (bx - fx) / h, j11 = (by - fy) / h;
            double det = j00 * j11 - j01 * j10;
            x -= (j11 * rx - j01 * ry) / det;
            y -= (-j10 * rx + j00 * ry) / det;
        }
        var (cx, cy) = lens.Distort(x, y);
        Assert.True(Math.Abs(cx - xd) + Math.Abs(cy - yd) < 1e-10, "test-side lens inversion did not converge");
        return (x, y);
    }

    /// <summary>
    /// Renders the plane at each pixel centre (u + ½, v + ½), averaged over <paramref name="supersample"/>² sub-pixel
    /// positions; with a lens, each image position is first undistorted to find the ray.
    /// </summary>
    private static Image Render(Camera cam, LensDistortion? lens, bool smooth, int supersample = 1, double period = CheckerPeriod)
    {
        var img = new Image(Width, Height, 3);
        for (int v = 0; v < Height; v++)
            for (int u = 0; u < Width; u++)
            {
                double r = 0, g = 0, b = 0;
                for (int sy = 0; sy < supersample; sy++)
                    for (int sx = 0; sx < supersample; sx++)
                    {
                        double px = u + (sx + 0.5) / supersample, py = v + (sy + 0.5) / supersample;
                        double x = (px - cam.Cx) / cam.Fx, y = (py - cam.Cy) / cam.Fy;
                        if (lens is not null) (x, y) = Undistort(lens, x, y);
                        var c = Shade(x, y, smooth, period);
                        r += c.R; g += c.G; b += c.B;
                    }
                int n = supersample * supersample;
                img[0, u, v] = (float)(r / n); img[1, u, v] = (float)(g / n); img[2, u, v] = (float)(b / n);
            }
        return img;
    }

    /// <summary>
    /// Pixels of the undistorted image whose source lies at least <paramref name="margin"/> samples inside the
    /// distorted image (elsewhere the edge clamp invents values) and at least <paramref name="margin"/> from the border.
    /// </summary>
    private static List<(int U, int V)> Interior(Camera cam, LensDistortion lens, int margin)
    {
        var list = new List<(int, int)>();
        for (int v = margin; v < Height - margin; v++)
            for (int u = margin; u < Width - margin; u++)
            {
                var (xd, yd) = lens.Distort((u + 0.5 - cam.Cx) / cam.Fx, (v + 0.5 - cam.Cy) / cam.Fy);
                double sx = cam.Fx * xd + cam.Cx - 0.5, sy = cam.Fy * yd + cam.Cy - 0.5;
                if (sx >= margin && sx <= Width - 1 - margin && sy >= margin && sy <= Height - 1 - margin) list.Add((u, v));
            }
        return list;
    }

    private static (double Max, double Mean, double FractionOver) Compare(Image a, Image b, List<(int U, int V)> pixels, double threshold)
    {
        double max = 0, sum = 0; int over = 0;
        foreach (var (u, v) in pixels)
        {
            double worst = 0;
            for (int c = 0; c < 3; c++)
            {
                double d = Math.Abs(a[c, u, v] - b[c, u, v]);
                sum += d;
                worst = Math.Max(worst, d);
            }
            max = Math.Max(max, worst);
            if (worst > threshold) over++;
        }
        return (max, sum / (3 * pixels.Count), (double)over / pixels.Count);
    }

    [Fact]
    public void Fisheye_lens_is_the_equidistant_model_of_OpenCV()
    {
        // θ = atan(r), θ_d = θ (1 + k1 θ² + k2 θ⁴), (x_d, y_d) = (θ_d / r)(x, y); expected values from
        // Python's math for (0.3, 0.4), r = 0.5, k1 = 0.1, k2 = 0.02.
        var lens = LensDistortion.FisheyeLens(0.1, 0.02, 0, 0);
        var (xd, yd) = lens.Distort(0.3, 0.4);
        Assert.Equal(0.28442587152321236, xd, 14);
        Assert.Equal(0.37923449536428316, yd, 14);
        Assert.Equal((0.0, 0.0), lens.Distort(0, 0));
        // Zero coefficients are still a fisheye: atan(r)/r < 1 pulls every off-axis point in.
        var (x0, _) = LensDistortion.FisheyeLens(0, 0, 0, 0).Distort(0.3, 0.4);
        Assert.Equal(0.3 * Math.Atan(0.5) / 0.5, x0, 14);
    }

    [Fact]
    public void Every_lens_model_gives_the_known_values_of_its_formula()
    {
        // Expected values from Python's math, written from COLMAP's Distortion and ImgFromCam of each
        // model (src/colmap/sensor/models.h) for the lenses above.
        AssertDistorts(FullOpenCv, 0.3, 0.4, 0.2888139447841393, 0.3860019263788525);
        AssertDistorts(ThinPrismFisheye, 0.3, 0.4, 0.28116712103788255, 0.3739579619274041);
        AssertDistorts(Fisheye624, 0.3, 0.4, 0.28156169878091025, 0.3741578884718112);
        // FOV: (x, y)·atan(2 r tan(ω/2)) / (ω r); at r = 0.5 it is the identity (atan(tan(ω/2)) = ω/2).
        var fov = LensDistortion.FieldOfViewLens(0.9);
        AssertDistorts(fov, 0.6, 0.8, 0.5121085705026707, 0.6828114273368944);
        AssertDistorts(fov, 0.3, -0.2, 0.30988475430807605, -0.20658983620538407);
        AssertDistorts(fov, 0.3, 0.4, 0.3, 0.4);
        // On the axis it scales by its limit 2 tan(ω/2)/ω: the point stays put.
        Assert.Equal((0.0, 0.0), fov.Distort(0, 0));
        var (ax, _) = fov.Distort(1e-9, 0);
        Assert.Equal(2 * Math.Tan(0.45) / 0.9, ax / 1e-9, 14);
        Assert.True(LensDistortion.FieldOfViewLens(0).IsZero);
        Assert.False(fov.IsZero);
        // SIMPLE_RADIAL_FISHEYE (f, cx, cy, k) is OpenCV's fisheye with k1 = k alone.
        AssertDistorts(LensDistortion.FisheyeLens(0.1, 0, 0, 0), 0.3, 0.4, 0.28416876010226166, 0.3788916801363489);
        // Without tangential and prism terms the two fisheye forms agree.
        var plain = LensDistortion.FisheyeLens(0.05, -0.01, 0.002, -0.0005);
        var (px, py) = plain.Distort(0.3, 0.4);
        AssertDistorts(plain with { Model = LensModel.Fisheye624 }, 0.3, 0.4, px, py);

        static void AssertDistorts(LensDistortion lens, double x, double y, double expectedX, double expectedY)
        {
            var (xd, yd) = lens.Distort(x, y);
            Assert.Equal(expectedX, xd, 14);
            Assert.Equal(expectedY, yd, 14);
        }
    }

    [Theory]
    [MemberData(nameof(Lenses))]
    public void Undistorting_a_smooth_checkerboard_matches_the_ideal_pinhole_rendering(string name, LensDistortion lens)
    {
        Camera cam = MakeCamera(lens);
        Image distorted = Render(cam, lens, smooth: true);
        Image ideal = Render(cam, null, smooth: true);
        Image undistorted = Undistortion.Apply(distorted, cam);

        var interior = Interior(cam, lens, margin: 2);
        Assert.True(interior.Count > Width * Height / 2, $"{name}: interior too small ({interior.Count} px)");
        var (max, mean, _) = Compare(undistorted, ideal, interior, 0.02);
        var (maxRaw, meanRaw, _) = Compare(distorted, ideal, interior, 0.02);
        output.WriteLine($"{name}: undistorted vs ideal max {max:0.0000} mean {mean:0.00000}; distorted vs ideal max {maxRaw:0.000} mean {meanRaw:0.0000}; {interior.Count} px");
        // Tolerance, in the 0..1 range, over the interior (sources ≥ 2 px inside the distorted image):
        // max 0.01 and mean 0.0002. What remains is bicubic interpolation error of the ~30 px period
        // pattern (measured 0.0036–0.0064 max, 0.00002–0.00004 mean for these lenses; bilinear
        // interpolation gave 0.007–0.0135 and 0.0006–0.0009); a half-pixel misregistration alone would
        // add up to 0.45·2π/30·0.5 ≈ 0.047.
        Assert.True(max < 0.01, $"{name}: max error {max}");
        Assert.True(mean < 0.0002, $"{name}: mean error {mean}");
        // And the lens really moved things: without undistortion the images differ a lot.
        Assert.True(maxRaw > 0.2 && meanRaw > 20 * mean, $"{name}: distortion too weak to test ({meanRaw} vs {mean})");
    }

    [Theory]
    [MemberData(nameof(Lenses))]
    public void The_remaining_error_is_interpolation_error(string name, LensDistortion lens)
    {
        // Interpolation error grows at least as 1/P² with the pattern's period P (bilinear 1/P², the
        // bicubic's faster; measured ratios 4.1–6.5), a geometric error (a wrong source position) as 1/P:
        // halving the period must roughly quadruple the error or more, not double it.
        Camera cam = MakeCamera(lens);
        var interior = Interior(cam, lens, margin: 2);
        double MaxError(double period) =>
            Compare(Undistortion.Apply(Render(cam, lens, true, 1, period), cam), Render(cam, null, true, 1, period), interior, 0).Max;
        double coarse = MaxError(1.0), fine = MaxError(0.5);
        output.WriteLine($"{name}: max error P=1: {coarse:0.00000}, P=0.5: {fine:0.00000}, ratio {fine / coarse:0.00}");
        Assert.True(fine / coarse > 2.8, $"{name}: error ratio {fine / coarse} looks geometric, not interpolation");
    }

    [Theory]
    [MemberData(nameof(Lenses))]
    public void Undistorting_a_hard_checkerboard_puts_every_square_where_the_pinhole_sees_it(string name, LensDistortion lens)
    {
        // Box-filtered (4×4 supersampled) hard squares of 0.1 and 0.9 in red, about 8 px wide. Resampling
        // blurs each edge by up to a pixel, so two checks that a blur cannot fail but a
        // misplaced square does:
        // - pixels deep inside a square in the ideal image (their 5×5 neighbourhood all the same pure
        //   value) come out pure, within 0.01;
        // - no pixel that is (nearly) pure in the ideal image (≤ 0.2 or ≥ 0.8) is on the other side of
        //   0.5 ("in the wrong square"), which the distorted image has plenty of.
        Camera cam = MakeCamera(lens);
        Image distorted = Render(cam, lens, smooth: false, supersample: 4, period: 0.5);
        Image ideal = Render(cam, null, smooth: false, supersample: 4, period: 0.5);
        Image undistorted = Undistortion.Apply(distorted, cam);
        int deep = 0, deepOff = 0, nearlyPure = 0, wrongSquare = 0, wrongSquareRaw = 0;
        foreach (var (u, v) in Interior(cam, lens, margin: 3))
        {
            float value = ideal[0, u, v];
            if (value is <= 0.2f or >= 0.8f)
            {
                nearlyPure++;
                if (Math.Abs(undistorted[0, u, v] - value) > 0.5) wrongSquare++;
                if (Math.Abs(distorted[0, u, v] - value) > 0.5) wrongSquareRaw++;
            }
            if (value is not (0.1f or 0.9f)) continue;
            bool pure = true;
            for (int dv = -2; dv <= 2 && pure; dv++)
                for (int du = -2; du <= 2 && pure; du++) pure = ideal[0, u + du, v + dv] == value;
            if (!pure) continue;
            deep++;
            if (Math.Abs(undistorted[0, u, v] - value) > 0.01) deepOff++;
        }
        output.WriteLine($"{name}: {deep} deep-square pixels, {deepOff} off; {nearlyPure} nearly pure, {wrongSquare} in the wrong square (distorted image: {wrongSquareRaw})");
        Assert.True(deep > 500, $"{name}: too few deep-square pixels ({deep})");
        Assert.Equal(0, deepOff);
        Assert.Equal(0, wrongSquare);
        Assert.True(wrongSquareRaw > nearlyPure / 50, $"{name}: distortion too weak to test ({wrongSquareRaw} of {nearlyPure})");
    }

    [Theory]
    [InlineData(2)]   // no alpha: bicubic
    [InlineData(4)]   // opaque RGBA: bilinear
    public void A_linear_ramp_is_sampled_exactly_at_the_distorted_pixel_centre(int channels)
    {
        // Source value = sample index / size in the first two planes (an opaque alpha in the fourth).
        // Both interpolations reproduce a linear ramp exactly: the bilinear one everywhere, the bicubic
        // one where its 4×4 samples lie inside the image (past the border the edge samples repeat). So
        // the output equals the source position (fx·x_d + cx − ½, fy·y_d + cy − ½) computed here.
        var lens = new LensDistortion(K1: -0.1, K2: 0.02, P1: 0.003, P2: 0.001);
        Camera cam = MakeCamera(lens);
        var ramp = new Image(Width, Height, channels);
        for (int v = 0; v < Height; v++)
            for (int u = 0; u < Width; u++) { ramp[0, u, v] = u / (float)Width; ramp[1, u, v] = v / (float)Height; }
        if (channels == 4) ramp.Plane(3).Fill(1);
        Image result = Undistortion.Apply(ramp, cam);
        Assert.Equal(channels, result.Channels);
        int checkedPixels = 0;
        for (int v = 0; v < Height; v++)
            for (int u = 0; u < Width; u++)
            {
                double x = (u + 0.5 - cam.Cx) / cam.Fx, y = (v + 0.5 - cam.Cy) / cam.Fy;
                double r2 = x * x + y * y, radial = 1 + lens.K1 * r2 + lens.K2 * r2 * r2;
                double xd = x * radial + 2 * lens.P1 * x * y + lens.P2 * (r2 + 2 * x * x);
                double yd = y * radial + lens.P1 * (r2 + 2 * y * y) + 2 * lens.P2 * x * y;
                double sx = Math.Clamp(cam.Fx * xd + cam.Cx - 0.5, 0, Width - 1), sy = Math.Clamp(cam.Fy * yd + cam.Cy - 0.5, 0, Height - 1);
                if (channels == 2 && (sx < 1 || sx >= Width - 2 || sy < 1 || sy >= Height - 2)) continue;
                Assert.True(Math.Abs(result[0, u, v] - sx / Width) < 1e-5, $"({u},{v}) x: {result[0, u, v] * Width} vs {sx}");
                Assert.True(Math.Abs(result[1, u, v] - sy / Height) < 1e-5, $"({u},{v}) y: {result[1, u, v] * Height} vs {sy}");
                checkedPixels++;
            }
        Assert.True(checkedPixels > (channels == 4 ? Width * Height - 1 : Width * Height * 3 / 4), $"only {checkedPixels} pixels checked");
    }

    [Fact]
    public void Channels_are_kept_and_alpha_is_resampled_like_colour()
    {
        var lens = new LensDistortion(K1: 0.1);
        Camera cam = MakeCamera(lens);
        float[]? gray = null;
        foreach (int channels in new[] { 1, 3, 4 })
        {
            var img = new Image(Width, Height, channels);
            for (int c = 0; c < channels; c++)
                for (int v = 0; v < Height; v++)
                    for (int u = 0; u < Width; u++) img[c, u, v] = ((u / 10 + v / 10) % 2 == 0) ? 1f : 0.25f;
            Image result = Undistortion.Apply(img, cam);
            Assert.Equal((Width, Height, channels), (result.Width, result.Height, result.Channels));
            gray ??= result.ReadPlane(0).ToArray();
            // Every plane of a gray image without alpha comes out as the one-channel image does.
            if (channels < 4)
                for (int c = 0; c < channels; c++) Assert.Equal(gray, result.ReadPlane(c).ToArray());
            else
            {
                // RGBA is resampled bilinearly (see the compositing test): its alpha plane comes out as the
                // colour of an opaque RGBA image with that pattern does; its colour planes alike.
                Image opaque = img.Clone();
                opaque.Plane(3).Fill(1);
                // (Within 1e-6: the opaque colour is divided by its resampled alpha, 1 to a rounding.)
                float[] bilinear = Undistortion.Apply(opaque, cam).ReadPlane(0).ToArray(), alpha = result.ReadPlane(3).ToArray();
                for (int i = 0; i < alpha.Length; i++) Assert.Equal(bilinear[i], alpha[i], 1e-6f);
                Assert.True(gray.Zip(bilinear).Max(p => Math.Abs(p.First - p.Second)) > 0.01, "bicubic and bilinear should differ on this pattern");
                Assert.Equal(result.ReadPlane(0).ToArray(), result.ReadPlane(2).ToArray());
            }
        }
    }

    [Fact]
    public void No_or_zero_distortion_returns_an_equal_copy()
    {
        var img = new Image(Width, Height, 3);
        for (int i = 0; i < img.Data.Length; i++) img.Data[i] = (i * 37 % 101) / 100f;
        foreach (LensDistortion? lens in new[] { null, new LensDistortion(0) })
        {
            Image result = Undistortion.Apply(img, MakeCamera(lens));
            Assert.NotSame(img, result);
            Assert.Equal(img.Data, result.Data);
        }
    }

    [Fact]
    public void A_size_mismatch_is_refused()
    {
        Assert.Throws<ArgumentException>(() => Undistortion.Apply(new Image(10, 10, 3), MakeCamera(new LensDistortion(0.1))));
    }

    [Fact]
    public void An_RGBA_image_is_resampled_so_that_compositing_commutes_with_undistortion()
    {
        // Straight RGBA with transparent pixels stored black, half-transparent and opaque ones: the
        // undistorted image composited over a background equals the composited image undistorted.
        // (The composited image is given an opaque alpha so that both go through the same, bilinear, interpolation.)
        Image rgba = Evaluation.TestImages.StraightRgba(Width, Height, 5);
        Camera camera = MakeCamera(new LensDistortion(K1: -0.12, K2: 0.03, P1: 0.002, P2: -0.003));
        Image undistorted = Undistortion.Apply(rgba, camera);
        foreach (var (r, g, b) in new[] { (1f, 1f, 1f), (0.2f, 0.5f, 0.9f) })
        {
            Image composited = rgba.CompositeOver(r, g, b), opaque = new(Width, Height, 4);
            composited.Data.CopyTo(opaque.Data, 0);
            opaque.Plane(3).Fill(1);
            Image expected = Undistortion.Apply(opaque, camera);
            Image got = undistorted.CompositeOver(r, g, b);
            for (int i = 0; i < got.Data.Length; i++) Assert.Equal(expected.Data[i], got.Data[i], 1e-5f);
        }
    }
}
