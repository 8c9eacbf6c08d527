using Radiant.Mathematics;

namespace Radiant.CameraPaths;

/// <summary>Estimates a <see cref="SceneFrame"/> from the training cameras' poses.</summary>
public static class SceneFraming
{
    /// <summary>
    /// Below this determinant of (1/n) Σ (I − dᵢdᵢᵀ) the optical axes are too nearly parallel for
    /// their nearest point to be meaningful. The matrix's eigenvalues lie in [0, 1], so the smallest
    /// is at least the determinant: 1e-3 accepts axes spread by about 2° or more.
    /// </summary>
    public const double MinimumAxisSpread = 1e-3;

    /// <param name="center">The user's look-at centre (<c>--center</c>), instead of the estimate.</param>
    public static SceneFrame Estimate(IReadOnlyList<CameraPose> cameras, Vec3? center = null)
    {
        if (cameras.Count == 0) throw new ArgumentException("no cameras to frame");
        Vec3 up = cameras.Aggregate(Vec3.Zero, (s, c) => s + c.Up);
        // Cameras whose image-up vectors cancel out (a camera rig pointing every way) leave no average: take +z, Blender's up.
        up = up.Length > 1e-6 * cameras.Count ? up.Normalized() : new Vec3(0, 0, 1);

        Vec3 centroid = cameras.Aggregate(Vec3.Zero, (s, c) => s + c.Position) / cameras.Count;
        Vec3? fromAxes = center is null ? NearestPointToAxes(cameras.Select(c => (c.Position, c.Forward)).ToList()) : null;
        Vec3 c0 = center ?? fromAxes ?? centroid;

        double radius = 0, elevation = 0;
        foreach (CameraPose c in cameras)
        {
            Vec3 offset = c.Position - c0;
            double length = offset.Length;
            radius += length;
            if (length > 0) elevation += Math.Asin(Math.Clamp(offset.Dot(up) / length, -1, 1));
        }
        radius /= cameras.Count;
        elevation /= cameras.Count;
        if (!(radius > 0)) radius = 1;

        Vec3 first = cameras[0].Position - c0;
        Vec3 start = first - up * first.Dot(up);
        if (start.Length < 1e-9 * Math.Max(1, first.Length)) start = AnyPerpendicular(up);
        return new SceneFrame(c0, up, radius, elevation * 180 / Math.PI, start.Normalized(), fromAxes is not null);
    }

    /// <summary>
    /// The point x nearest to all lines oᵢ + s dᵢ in the least-squares sense: it minimises
    /// Σ |(I − dᵢdᵢᵀ)(x − oᵢ)|², so (Σ Pᵢ) x = Σ Pᵢ oᵢ with Pᵢ = I − dᵢdᵢᵀ (the projector orthogonal
    /// to axis i). Null when the axes are nearly parallel (<see cref="MinimumAxisSpread"/>) or when the
    /// point lies behind the cameras on average (they look away from each other).
    /// </summary>
    public static Vec3? NearestPointToAxes(IReadOnlyList<(Vec3 Origin, Vec3 Direction)> axes)
    {
        if (axes.Count < 2) return null;
        Mat3 a = new(0, 0, 0, 0, 0, 0, 0, 0, 0);
        Vec3 b = Vec3.Zero;
        foreach (var (o, direction) in axes)
        {
            Vec3 d = direction.Normalized();
            Mat3 p = Mat3.Identity - Mat3.Outer(d, d);
            a += p;
            b += p * o;
        }
        if (!((a * (1.0 / axes.Count)).Determinant >= MinimumAxisSpread)) return null;
        Vec3 x = a.Inverse() * b;
        double ahead = axes.Average(ax => (x - ax.Origin).Dot(ax.Direction.Normalized()));
        return ahead > 0 && x.IsFinite ? x : null;
    }

    private static Vec3 AnyPerpendicular(Vec3 v)
    {
        Vec3 axis = Math.Abs(v.X) < 0.9 ? new Vec3(1, 0, 0) : new Vec3(0, 1, 0);
        return v.Cross(axis).Normalized();
    }
}
