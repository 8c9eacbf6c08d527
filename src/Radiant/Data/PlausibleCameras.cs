using Radiant.Mathematics;

namespace Radiant.Data;

/// <summary>
/// The checks a loaded dataset passes before training or rendering, beyond each reader's own (finite,
/// positive values): cameras that no camera can be, as a corrupt value or a far-off coordinate frame
/// makes them, are one error naming the camera; points out of reach are left out of the cloud.
/// </summary>
public static class PlausibleCameras
{
    /// <summary>
    /// How far from the origin a camera, a depth bound or a dataset point may lie. The renderer and
    /// the model work in single precision (24-bit mantissa), which resolves about one unit at 10⁷,
    /// so a scene out there (or a pose with a wild value, such as 1e300 in a corrupt file) cannot be
    /// trained or drawn: such cameras are refused here with one error instead of failing later, and
    /// such points (an outlier of a point cloud) are left out of it.
    /// </summary>
    public const double MaxCoordinate = 1e7;

    /// <summary>
    /// What the readers' checks (finite, positive) let through but no camera can be: a pose or far
    /// bound beyond <see cref="MaxCoordinate"/>, a near bound below 10⁻⁷ of the far one (a depth range
    /// single precision cannot span), a principal point more than 10 image sizes from the image's centre,
    /// a focal length below 1/1000 of the image's size (a field of view of nearly 180°). Returns the dataset with its cloud's points beyond reach left out.
    /// </summary>
    public static Dataset Check(Dataset ds, string path)
    {
        const string Advice = "Radiant computes in single precision, which needs the scene within 1e7 units of the origin on every axis (re-centre the poses)";
        foreach (Camera c in ds.AllCameras)
        {
            Vec3 centre = c.Center;
            if (!(Math.Max(Math.Abs(centre.X), Math.Max(Math.Abs(centre.Y), Math.Abs(centre.Z))) <= MaxCoordinate))
                throw new RadiantException(path, $"camera {c.Name} stands at ({centre.X:g3}, {centre.Y:g3}, {centre.Z:g3}): {Advice}");
            if (c.Far is double far && !(far <= MaxCoordinate))
                throw new RadiantException(path, $"camera {c.Name}'s far bound is {far:g3}: {Advice}");
            if (c.Near is double near && c.Far is double f && !(near >= f * 1e-7))
                throw new RadiantException(path, $"camera {c.Name}'s depth bounds {near:g3} to {f:g3} span more than single precision resolves (the near bound must be at least 1e-7 of the far one)");
            if (!(Math.Abs(c.Cx - c.Width / 2.0) <= 10 * c.Width && Math.Abs(c.Cy - c.Height / 2.0) <= 10 * c.Height))
                throw new RadiantException(path, $"camera {c.Name}'s principal point ({c.Cx:g3}, {c.Cy:g3}) lies more than 10 image sizes from the centre of its {c.Width}×{c.Height} image");
            double minFocal = 1e-3 * Math.Max(c.Width, c.Height);
            if (!(c.Fx >= minFocal && c.Fy >= minFocal))
                throw new RadiantException(path, $"camera {c.Name}'s focal length ({c.Fx:g3}, {c.Fy:g3} px) is below 1/1000 of its {c.Width}×{c.Height} image, a field of view of nearly 180° that no pinhole camera has");
        }
        return ds.Points is { } points && WithinReach(points) is var kept && kept != points ? DatasetLoader.Rebuild(ds, c => c, ds.Options, kept) : ds;
    }

    /// <summary>The cloud without its points beyond <see cref="MaxCoordinate"/> (itself when there are none).</summary>
    private static PointCloud WithinReach(PointCloud cloud)
    {
        float[] p = cloud.Positions;
        bool Near(int i) => Math.Abs(p[3 * i]) <= MaxCoordinate && Math.Abs(p[3 * i + 1]) <= MaxCoordinate && Math.Abs(p[3 * i + 2]) <= MaxCoordinate;
        int kept = 0;
        for (int i = 0; i < cloud.Count; i++) if (Near(i)) kept++;
        if (kept == cloud.Count) return cloud;
        var positions = new float[3 * kept];
        var colors = new byte[3 * kept];
        for (int i = 0, k = 0; i < cloud.Count; i++)
        {
            if (!Near(i)) continue;
            Array.Copy(p, 3 * i, positions, 3 * k, 3);
            Array.Copy(cloud.Colors, 3 * i, colors, 3 * k, 3);
            k++;
        }
        return new PointCloud(positions, colors);
    }
}
