using Radiant.Data;

namespace Radiant.Rendering;

/// <summary>
/// A camera in the single-precision form the kernels use: intrinsics in pixels and the
/// world-to-camera transform (OpenCV axes: x right, y down, z forward, as <see cref="Camera"/>)
/// as a row-major 3×4 matrix [R | t]. Pixel centres are at half-integers: the centre of pixel
/// (px, py) is (px + 0.5, py + 0.5) in the same coordinates as (cx, cy).
/// </summary>
public sealed record RenderCamera(int Width, int Height, float Fx, float Fy, float Cx, float Cy, float[] WorldToCamera)
{
    /// <summary>
    /// The level j of mip-NeRF's image pyramid this view belongs to (<see cref="Camera.ScaleLevel"/>;
    /// 0 for any other view): its photo is the full image averaged over 2^j × 2^j blocks, which
    /// <see cref="RenderOptions.SupersampleLevels"/> renders alike.
    /// </summary>
    public int ScaleLevel { get; init; }

    /// <summary>Camera centre in world coordinates: −Rᵀ t.</summary>
    public (float X, float Y, float Z) Position
    {
        get
        {
            float[] m = WorldToCamera;
            return (-(m[0] * m[3] + m[4] * m[7] + m[8] * m[11]),
                    -(m[1] * m[3] + m[5] * m[7] + m[9] * m[11]),
                    -(m[2] * m[3] + m[6] * m[7] + m[10] * m[11]));
        }
    }

    public static RenderCamera From(Camera c)
    {
        var r = c.Rotation;
        var t = c.Translation;
        float[] m =
        [
            (float)r.M00, (float)r.M01, (float)r.M02, (float)t.X,
            (float)r.M10, (float)r.M11, (float)r.M12, (float)t.Y,
            (float)r.M20, (float)r.M21, (float)r.M22, (float)t.Z,
        ];
        return new RenderCamera(c.Width, c.Height, (float)c.Fx, (float)c.Fy, (float)c.Cx, (float)c.Cy, m) { ScaleLevel = c.ScaleLevel };
    }
}
