namespace Radiant.Data.Colmap;

/// <summary>One entry of COLMAP's cameras.{bin,txt}: intrinsics shared by images.</summary>
/// <param name="Source">Where it was read ("cameras.txt line 4", "cameras.bin camera 2"), for messages.</param>
internal sealed record ColmapCameraEntry(uint CameraId, ColmapCameraModel Model, int Width, int Height, double[] Params, string Source);

/// <summary>One entry of COLMAP's images.{bin,txt}: the world-to-camera pose q, t of a registered image.</summary>
internal sealed record ColmapImageEntry(uint ImageId, double Qw, double Qx, double Qy, double Qz,
    double Tx, double Ty, double Tz, uint CameraId, string Name, string Source);

/// <summary>A COLMAP camera model: its id in the binary format, its name in the text format, and its parameter count.</summary>
internal sealed record ColmapCameraModel(int ModelId, string Name, int ParamCount, bool Supported)
{
    /// <summary>
    /// COLMAP's camera models (src/colmap/sensor/models.h) by id. Every model of a pinhole camera with a
    /// lens Radiant can undistort is read; the division models, EUCM and the panoramas are not.
    /// </summary>
    public static readonly IReadOnlyList<ColmapCameraModel> All =
    [
        new(0, "SIMPLE_PINHOLE", 3, true),               // f, cx, cy
        new(1, "PINHOLE", 4, true),                      // fx, fy, cx, cy
        new(2, "SIMPLE_RADIAL", 4, true),                // f, cx, cy, k
        new(3, "RADIAL", 5, true),                       // f, cx, cy, k1, k2
        new(4, "OPENCV", 8, true),                       // fx, fy, cx, cy, k1, k2, p1, p2
        new(5, "OPENCV_FISHEYE", 8, true),               // fx, fy, cx, cy, k1, k2, k3, k4
        new(6, "FULL_OPENCV", 12, true),                 // fx, fy, cx, cy, k1, k2, p1, p2, k3, k4, k5, k6
        new(7, "FOV", 5, true),                          // fx, fy, cx, cy, omega
        new(8, "SIMPLE_RADIAL_FISHEYE", 4, true),        // f, cx, cy, k
        new(9, "RADIAL_FISHEYE", 5, true),               // f, cx, cy, k1, k2
        new(10, "THIN_PRISM_FISHEYE", 12, true),         // fx, fy, cx, cy, k1, k2, p1, p2, k3, k4, sx1, sy1
        new(11, "RAD_TAN_THIN_PRISM_FISHEYE", 16, true), // fx, fy, cx, cy, k0..k5, p0, p1, s0..s3
        new(12, "SIMPLE_DIVISION", 4, false),
        new(13, "DIVISION", 5, false),
        new(14, "SIMPLE_FISHEYE", 3, true),              // f, cx, cy
        new(15, "FISHEYE", 4, true),                     // fx, fy, cx, cy
        new(16, "EUCM", 6, false),
        new(17, "EQUIRECTANGULAR", 2, false),
    ];

    public static ColmapCameraModel? ById(int modelId) => All.FirstOrDefault(m => m.ModelId == modelId);
    public static ColmapCameraModel? ByName(string name) => All.FirstOrDefault(m => m.Name == name);

    public static readonly string SupportedList = string.Join(", ", All.Where(m => m.Supported).Select(m => m.Name));

    /// <summary>The message for a model Radiant does not read, pointing at COLMAP's own undistorter.</summary>
    public static string UnsupportedMessage(uint cameraId, string modelDescription) =>
        $"camera {cameraId} uses the {modelDescription} camera model, which Radiant cannot read (it reads {SupportedList}); " +
        "undistort the images first with `colmap image_undistorter --image_path IMAGES --input_path SPARSE --output_path OUT` and train on OUT";

    /// <summary>
    /// Pinhole intrinsics and lens distortion of a supported model's parameters
    /// (COLMAP's principal point already uses pixel centres at half-integers, as <see cref="Camera"/> does).
    /// </summary>
    public (double Fx, double Fy, double Cx, double Cy, LensDistortion? Distortion) Intrinsics(double[] p)
    {
        (double fx, double fy, double cx, double cy, LensDistortion? d) = Name switch
        {
            "SIMPLE_PINHOLE" => (p[0], p[0], p[1], p[2], null),
            "PINHOLE" => (p[0], p[1], p[2], p[3], null),
            "SIMPLE_RADIAL" => (p[0], p[0], p[1], p[2], new LensDistortion(K1: p[3])),
            "RADIAL" => (p[0], p[0], p[1], p[2], new LensDistortion(K1: p[3], K2: p[4])),
            "OPENCV" => (p[0], p[1], p[2], p[3], new LensDistortion(K1: p[4], K2: p[5], P1: p[6], P2: p[7])),
            "FULL_OPENCV" => (p[0], p[1], p[2], p[3], new LensDistortion(K1: p[4], K2: p[5], P1: p[6], P2: p[7], K3: p[8], K4: p[9], K5: p[10], K6: p[11])),
            "FOV" => (p[0], p[1], p[2], p[3], LensDistortion.FieldOfViewLens(p[4])),
            "OPENCV_FISHEYE" => (p[0], p[1], p[2], p[3], LensDistortion.FisheyeLens(p[4], p[5], p[6], p[7])),
            "SIMPLE_RADIAL_FISHEYE" => (p[0], p[0], p[1], p[2], LensDistortion.FisheyeLens(p[3], 0, 0, 0)),
            "RADIAL_FISHEYE" => (p[0], p[0], p[1], p[2], LensDistortion.FisheyeLens(p[3], p[4], 0, 0)),
            "SIMPLE_FISHEYE" => (p[0], p[0], p[1], p[2], LensDistortion.FisheyeLens(0, 0, 0, 0)),
            "FISHEYE" => (p[0], p[1], p[2], p[3], LensDistortion.FisheyeLens(0, 0, 0, 0)),
            "THIN_PRISM_FISHEYE" => (p[0], p[1], p[2], p[3],
                LensDistortion.FisheyeLens(p[4], p[5], p[8], p[9]) with { P1 = p[6], P2 = p[7], S1 = p[10], S3 = p[11] }),
            "RAD_TAN_THIN_PRISM_FISHEYE" => (p[0], p[1], p[2], p[3],
                new LensDistortion(K1: p[4], K2: p[5], K3: p[6], K4: p[7], K5: p[8], K6: p[9], P1: p[11], P2: p[10])
                { Model = LensModel.Fisheye624, S1 = p[12], S2 = p[13], S3 = p[14], S4 = p[15] }),
            _ => throw new InvalidOperationException($"camera model {Name} is not supported"),
        };
        return (fx, fy, cx, cy, d is { IsZero: true } ? null : d);
    }
}
