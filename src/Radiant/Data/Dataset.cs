using Radiant.Imaging;
using Radiant.Mathematics;

namespace Radiant.Data;

/// <summary>A posed image collection, whatever layout it came from: cameras per split, an optional point cloud, and how to load each image.</summary>
public sealed class Dataset
{
    /// <summary>Layout name: "blender", "nerfstudio", "colmap", "llff", "multiscale".</summary>
    public required string Format { get; init; }
    /// <summary>The dataset folder.</summary>
    public required string Root { get; init; }
    public required IReadOnlyList<Camera> Train { get; init; }
    public required IReadOnlyList<Camera> Test { get; init; }
    /// <summary>Validation split where the layout has one (Blender); empty otherwise.</summary>
    public IReadOnlyList<Camera> Val { get; init; } = [];
    public PointCloud? Points { get; init; }
    public DatasetOptions Options { get; init; } = new();
    /// <summary>True when the images carry alpha (RGBA), composited over <see cref="Background"/> on load.</summary>
    public bool HasAlpha { get; init; }
    /// <summary>The background colour: the one asked for, else the automatic one (<see cref="DatasetOptions.AutoBackground"/>).</summary>
    public float[] Background => Options.Background ?? DatasetOptions.AutoBackground(HasAlpha);

    public IEnumerable<Camera> AllCameras => Train.Concat(Val).Concat(Test);

    public IReadOnlyList<Camera> Split(string name) => name.ToLowerInvariant() switch
    {
        "train" => Train,
        "test" => Test,
        "val" => Val,
        "all" => AllCameras.ToList(),
        _ => throw new RadiantException($"unknown split '{name}' (use train, test, val or all)"),
    };

    /// <summary>
    /// The camera's image, undistorted and resized to the camera's size, as RGB composited over the
    /// background, plus the alpha channel as a 4th channel when the image has one.
    /// </summary>
    public Image LoadImage(Camera camera) => DatasetImages.Load(camera, Options, Root, Background);

    /// <summary>The camera's image at the camera's size as stored: RGB(A), alpha straight, not composited.</summary>
    public Image LoadStoredImage(Camera camera) => DatasetImages.LoadStored(camera, Options, Root);

    /// <summary>The camera's mask (1 = keep, 0 = ignore) at the camera's size, or null if it has none.</summary>
    public float[]? LoadMask(Camera camera) => DatasetImages.LoadMask(camera, Options, Root);

    /// <summary>Axis-aligned bounds of the camera centres and (if any) the points.</summary>
    public (Vec3 Min, Vec3 Max) Bounds(bool includePoints = true)
    {
        double[] lo = [double.MaxValue, double.MaxValue, double.MaxValue];
        double[] hi = [double.MinValue, double.MinValue, double.MinValue];
        void Add(double x, double y, double z)
        {
            lo[0] = Math.Min(lo[0], x); lo[1] = Math.Min(lo[1], y); lo[2] = Math.Min(lo[2], z);
            hi[0] = Math.Max(hi[0], x); hi[1] = Math.Max(hi[1], y); hi[2] = Math.Max(hi[2], z);
        }
        foreach (Camera c in AllCameras) { Vec3 p = c.Center; Add(p.X, p.Y, p.Z); }
        if (includePoints && Points is { } pts)
            for (int i = 0; i < pts.Count; i++) Add(pts.Positions[3 * i], pts.Positions[3 * i + 1], pts.Positions[3 * i + 2]);
        return (new Vec3(lo[0], lo[1], lo[2]), new Vec3(hi[0], hi[1], hi[2]));
    }

    /// <summary>
    /// Centre and radius of the training cameras as the reference 3DGS computes "cameras_extent"
    /// (getNerfppNorm): the mean camera centre and 1.1 × the largest distance from it.
    /// </summary>
    public (Vec3 Center, double Radius) CameraExtent() => CameraExtent(Train.Count > 0 ? Train : AllCameras);

    /// <summary>The extent (<see cref="CameraExtent()"/>) of <paramref name="cameras"/>.</summary>
    public static (Vec3 Center, double Radius) CameraExtent(IEnumerable<Camera> cameras)
    {
        var centers = cameras.Select(c => c.Center).ToList();
        if (centers.Count == 0) return (Vec3.Zero, 1);
        Vec3 mean = centers.Aggregate(Vec3.Zero, (a, b) => a + b) / centers.Count;
        double radius = centers.Max(c => (c - mean).Length) * 1.1;
        return (mean, radius > 0 ? radius : 1);
    }

    /// <summary>Splits cameras sorted by name into train and test, every <paramref name="every"/>-th (starting at 0) going to test.</summary>
    public static (List<Camera> Train, List<Camera> Test) SplitEveryNth(IEnumerable<Camera> cameras, int every)
    {
        var sorted = cameras.OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
        if (every <= 0 || sorted.Count < 2) return (sorted, []);
        var train = new List<Camera>();
        var test = new List<Camera>();
        for (int i = 0; i < sorted.Count; i++) (i % every == 0 ? test : train).Add(sorted[i]);
        return (train, test);
    }
}
