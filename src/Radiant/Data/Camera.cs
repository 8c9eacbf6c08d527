using Radiant.Mathematics;

namespace Radiant.Data;

/// <summary>
/// One posed pinhole camera and its image.
/// <para>Convention (the one COLMAP and OpenCV use): camera axes x right, y down, z forward;
/// the pose is world-to-camera, <c>X_cam = Rotation · X_world + Translation</c>; pixel (u, v) =
/// (fx·X/Z + cx, fy·Y/Z + cy) with pixel centres at half-integers (the top-left pixel spans [0,1]²).</para>
/// </summary>
public sealed record Camera
{
    public required string Name { get; init; }
    public required int Width { get; init; }
    public required int Height { get; init; }
    public required double Fx { get; init; }
    public required double Fy { get; init; }
    public required double Cx { get; init; }
    public required double Cy { get; init; }
    /// <summary>World-to-camera rotation.</summary>
    public required Mat3 Rotation { get; init; }
    /// <summary>World-to-camera translation.</summary>
    public required Vec3 Translation { get; init; }
    /// <summary>The image file this camera saw.</summary>
    public required string ImagePath { get; init; }
    /// <summary>Optional mask image (white = keep); null if none.</summary>
    public string? MaskPath { get; init; }
    /// <summary>Lens distortion of the image file; the loader removes it, so the camera above is an ideal pinhole.</summary>
    public LensDistortion? Distortion { get; init; }
    /// <summary>Factor by which the image file must be area-reduced to match Width × Height (1 = use as is).</summary>
    public int ImageDownscale { get; init; } = 1;
    /// <summary>
    /// The photo is read as stored, without turning it by its EXIF orientation: COLMAP ignores the
    /// tag, so its poses and sizes are of the stored pixel grid (as the reference trainer reads them).
    /// </summary>
    public bool StoredOrientation { get; init; }
    /// <summary>Multiscale level (0 = full resolution) and loss weight, from mip-NeRF's metadata.json.</summary>
    public int ScaleLevel { get; init; }
    public double LossMult { get; init; } = 1;
    /// <summary>Near and far bounds, where the dataset gives them (LLFF, multiscale Blender).</summary>
    public double? Near { get; init; }
    public double? Far { get; init; }

    /// <summary>Camera centre in world coordinates: C = −Rᵀ t.</summary>
    public Vec3 Center => -(Rotation.Transposed() * Translation);

    /// <summary>Horizontal field of view in radians.</summary>
    public double FovX => 2 * Math.Atan(Width / (2 * Fx));
    public double FovY => 2 * Math.Atan(Height / (2 * Fy));

    /// <summary>
    /// Builds the world-to-camera pose from an OpenGL camera-to-world matrix (Blender, nerfstudio,
    /// LLFF after axis reordering): camera looks down −z with y up. Flipping the y and z axes gives
    /// OpenCV's convention. Throws if the rotation part is not rigid.
    /// </summary>
    public static (Mat3 Rotation, Vec3 Translation) PoseFromOpenGLCameraToWorld(Mat3 c2wRotation, Vec3 position, string source)
    {
        if (!c2wRotation.IsFinite || !position.IsFinite) throw new RadiantException(source, "camera pose has NaN or infinite values");
        double err = c2wRotation.RotationError();
        if (err > 1e-2) throw new RadiantException(source, $"camera pose is not rigid (rotation part is off by {err:0.###} from orthonormal)");
        Mat3 c2wCv = Mat3.FromColumns(c2wRotation.Column(0), -c2wRotation.Column(1), -c2wRotation.Column(2)).Orthonormalized();
        Mat3 w2c = c2wCv.Transposed();
        return (w2c, -(w2c * position));
    }

    /// <summary>Intrinsics scaled for an image resized to <paramref name="width"/> × <paramref name="height"/>.</summary>
    public Camera ResizedTo(int width, int height)
    {
        double sx = (double)width / Width, sy = (double)height / Height;
        return this with { Width = width, Height = height, Fx = Fx * sx, Fy = Fy * sy, Cx = Cx * sx, Cy = Cy * sy };
    }
}
