using Radiant.Data;
using Radiant.Mathematics;

namespace Radiant.Model;

/// <summary>
/// Initial Gaussians as the reference 3DGS creates them from a point cloud (REFERENCE §2):
/// one Gaussian a point, SH DC from the point colour ((rgb/255 − 0.5) / C0, higher SH 0), isotropic
/// log scale log(√(mean squared distance to the 3 nearest other points)) with the squared
/// distance clamped below at 1e-7 (as distCUDA2's caller does), identity rotation, opacity logit(0.1).
/// </summary>
public static class GaussianInit
{
    public const float InitialOpacity = 0.1f;
    public const float MinSquaredDistance = 1e-7f;
    public const int NeighborCount = 3;

    /// <summary>The reference NeRF-synthetic initialisation: 100k points uniform in [−1.3, 1.3]³.</summary>
    public const int NerfSyntheticPointCount = 100_000;
    public const double NerfSyntheticHalfExtent = 1.3;

    public static GaussianSet FromPointCloud(PointCloud cloud, int shDegree = 3)
    {
        ArgumentNullException.ThrowIfNull(cloud);
        int n = cloud.Count;
        var g = new GaussianSet(n, shDegree);
        cloud.Positions.CopyTo(g.Means, 0);

        int stride = g.ShCoefficients * 3;
        for (int i = 0; i < n; i++)
            for (int c = 0; c < 3; c++)
                g.Sh[i * stride + c] = (cloud.Colors[3 * i + c] / 255f - 0.5f) / GaussianSet.ShC0;

        float[] meanSq = NearestNeighbors.MeanSquaredDistances(cloud.Positions, NeighborCount);
        for (int i = 0; i < n; i++)
        {
            float logScale = 0.5f * MathF.Log(MathF.Max(meanSq[i], MinSquaredDistance)); // log √d²
            g.LogScales[3 * i] = logScale;
            g.LogScales[3 * i + 1] = logScale;
            g.LogScales[3 * i + 2] = logScale;
        }

        float opacity = GaussianSet.Logit(InitialOpacity);
        Array.Fill(g.OpacityLogits, opacity);
        // Rotations are (1, 0, 0, 0) from the GaussianSet constructor.
        return g;
    }

    /// <summary>
    /// The colour of a random start: the reference draws SH DC in [0, 1/255], i.e. RGB 0.5–0.501, and
    /// stores it in its points3d.ply as the byte 127, so every point starts mid-grey.
    /// </summary>
    public const byte RandomStartGrey = 127;

    /// <summary>
    /// <paramref name="count"/> mid-grey points spread evenly over the sphere of <paramref name="radius"/>
    /// about <paramref name="centre"/> (a Fibonacci lattice: point i at height z = 1 − 2(i + ½)/count and
    /// azimuth i·π(3 − √5)), for surroundings too far away for COLMAP to triangulate (sky, distant
    /// landscape): the start of <see cref="Training.TrainingOptions.FarShell"/>.
    /// </summary>
    public static PointCloud FarShell(int count, Vec3 centre, double radius)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (!centre.IsFinite || !(radius > 0) || !double.IsFinite(radius)) throw new ArgumentException($"invalid sphere {centre}, radius {radius}");
        var positions = new float[3 * count];
        double golden = Math.PI * (3 - Math.Sqrt(5));
        for (int i = 0; i < count; i++)
        {
            double z = 1 - 2 * (i + 0.5) / count, ring = Math.Sqrt(1 - z * z), azimuth = i * golden;
            positions[3 * i] = (float)(centre.X + radius * ring * Math.Cos(azimuth));
            positions[3 * i + 1] = (float)(centre.Y + radius * ring * Math.Sin(azimuth));
            positions[3 * i + 2] = (float)(centre.Z + radius * z);
        }
        var colors = new byte[3 * count];
        Array.Fill(colors, RandomStartGrey);
        return new PointCloud(positions, colors);
    }

    /// <summary><paramref name="count"/> points uniform in the box [min, max], mid-grey (<see cref="RandomStartGrey"/>); the same seed gives the same cloud.</summary>
    public static PointCloud RandomPointCloud(int count, Vec3 min, Vec3 max, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (!min.IsFinite || !max.IsFinite || max.X < min.X || max.Y < min.Y || max.Z < min.Z)
            throw new ArgumentException($"invalid box {min}..{max}");
        var rng = new Random(seed);
        var positions = new float[3 * count];
        var colors = new byte[3 * count];
        for (int i = 0; i < count; i++)
        {
            for (int a = 0; a < 3; a++)
            {
                float v = (float)(min[a] + (max[a] - min[a]) * rng.NextDouble());
                positions[3 * i + a] = Math.Clamp(v, (float)min[a], (float)max[a]);
            }
        }
        Array.Fill(colors, RandomStartGrey);
        return new PointCloud(positions, colors);
    }

    /// <summary>
    /// <paramref name="count"/> points the cameras see, mid-grey as <see cref="RandomPointCloud"/>'s: each from a random
    /// camera k, through a uniformly random point of its image, at a depth uniform in inverse depth
    /// (disparity) between <paramref name="bounds"/>[k] (near, far), as NeRF samples forward-facing
    /// scenes: dense near the cameras, sparse far away. The same seed gives the same cloud.
    /// </summary>
    public static PointCloud RandomInFrusta(int count, IReadOnlyList<Camera> cameras, IReadOnlyList<(double Near, double Far)> bounds, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (cameras.Count == 0 || bounds.Count != cameras.Count) throw new ArgumentException("need one (near, far) per camera, and at least one camera");
        foreach (var (near, far) in bounds)
            if (!(near > 0) || !(far >= near) || !double.IsFinite(far)) throw new ArgumentException($"invalid depth bounds {near}..{far}");
        var rng = new Random(seed);
        var positions = new float[3 * count];
        var colors = new byte[3 * count];
        for (int i = 0; i < count; i++)
        {
            int k = rng.Next(cameras.Count);
            Camera c = cameras[k];
            double u = c.Width * rng.NextDouble(), v = c.Height * rng.NextDouble();
            double inverseDepth = 1 / bounds[k].Near + (1 / bounds[k].Far - 1 / bounds[k].Near) * rng.NextDouble();
            double z = 1 / inverseDepth;
            // Camera space (x right, y down, z forward) to world: X_world = Rᵀ(X_cam − t).
            var cameraPoint = new Vec3((u - c.Cx) / c.Fx * z, (v - c.Cy) / c.Fy * z, z);
            Vec3 world = c.Rotation.Transposed() * (cameraPoint - c.Translation);
            for (int a = 0; a < 3; a++) positions[3 * i + a] = (float)world[a];
        }
        Array.Fill(colors, RandomStartGrey);
        return new PointCloud(positions, colors);
    }

    /// <summary>Gaussians initialised from <see cref="RandomPointCloud"/>.</summary>
    public static GaussianSet Random(int count, Vec3 min, Vec3 max, int seed, int shDegree = 3) =>
        FromPointCloud(RandomPointCloud(count, min, max, seed), shDegree);

    /// <summary>The reference NeRF-synthetic start: 100k random points in the cube [−1.3, 1.3]³.</summary>
    public static GaussianSet NerfSyntheticRandom(int seed, int shDegree = 3)
    {
        var h = new Vec3(NerfSyntheticHalfExtent, NerfSyntheticHalfExtent, NerfSyntheticHalfExtent);
        return Random(NerfSyntheticPointCount, -h, h, seed, shDegree);
    }
}
