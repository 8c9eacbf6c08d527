namespace Radiant.Rendering;

/// <summary>
/// A <see cref="RenderCamera"/> unpacked for the per-Gaussian kernels: world-to-camera rotation W
/// (row-major) and translation, intrinsics, the camera centre (for SH directions) and the limits
/// of the tangent-plane coordinates used by the EWA Jacobian (reference 3DGS: ±1.3·tan(fov/2)).
/// </summary>
internal readonly struct ProjectionCamera
{
    public readonly float W00, W01, W02, W10, W11, W12, W20, W21, W22;
    public readonly float Tx, Ty, Tz;
    public readonly float Fx, Fy, Cx, Cy;
    public readonly int Width, Height;
    public readonly float LimitX, LimitY;
    public readonly float PositionX, PositionY, PositionZ;

    /// <summary>The camera, its image <paramref name="samples"/> times larger on each side (k×k samples per pixel; intrinsics scaled alike).</summary>
    public ProjectionCamera(RenderCamera camera, int samples = 1)
    {
        float[] m = camera.WorldToCamera;
        if (m.Length != 12) throw new ArgumentException("WorldToCamera must be a 3×4 row-major matrix (12 floats)");
        W00 = m[0]; W01 = m[1]; W02 = m[2]; Tx = m[3];
        W10 = m[4]; W11 = m[5]; W12 = m[6]; Ty = m[7];
        W20 = m[8]; W21 = m[9]; W22 = m[10]; Tz = m[11];
        Fx = samples * camera.Fx; Fy = samples * camera.Fy; Cx = samples * camera.Cx; Cy = samples * camera.Cy;
        Width = samples * camera.Width; Height = samples * camera.Height;
        LimitX = 1.3f * (0.5f * Width / Fx);
        LimitY = 1.3f * (0.5f * Height / Fy);
        (PositionX, PositionY, PositionZ) = camera.Position;
    }
}
