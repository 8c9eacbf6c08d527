using Radiant.Data.Blender;
using Radiant.Data.Colmap;
using Radiant.Data.Llff;
using Radiant.Data.Multiscale;
using Radiant.Data.Nerfstudio;
using Radiant.Imaging;
using Radiant.Mathematics;

namespace Radiant.Data;

/// <summary>Detects a dataset's layout from its files, reads it, and applies the requested downscale.</summary>
public static class DatasetLoader
{
    public static Dataset Load(string path, DatasetOptions? options = null)
    {
        options ??= new DatasetOptions();
        if (options.Downscale < 0) throw new RadiantException($"--downscale must be 1 or more, or auto (got {options.Downscale})");
        if (options.Background is { Length: not 3 }) throw new RadiantException("background needs three components");
        string layout = DetectLayout(path, out string resolved);
        Dataset ds = layout switch
        {
            "multiscale" => MultiscaleReader.Read(resolved, options),
            "blender" => BlenderReader.Read(resolved, options),
            "nerfstudio" => NerfstudioReader.Read(resolved, options),
            "colmap" => ColmapReader.Read(resolved, options),
            "llff" => LlffReader.Read(resolved, options),
            _ => throw new InvalidOperationException(layout),
        };
        if (ds.Train.Count == 0) throw new RadiantException(path, "dataset has no training images");
        ds = CheckCameras(ds, path);
        int factor = options.Downscale != DatasetOptions.Auto ? options.Downscale
                   : DatasetOptions.AutoDownscale(ds.AllCameras.Max(c => Math.Max(c.Width, c.Height)));
        return factor > 1 ? Downscale(ds, factor) : Rebuild(ds, c => c, ds.Options with { Downscale = 1 });
    }

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
    /// single precision cannot span), a focal length below 1/1000 of the image's size (a field of view
    /// of nearly 180°). Returns the dataset with its cloud's points beyond reach left out.
    /// </summary>
    private static Dataset CheckCameras(Dataset ds, string path)
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
            double minFocal = 1e-3 * Math.Max(c.Width, c.Height);
            if (!(c.Fx >= minFocal && c.Fy >= minFocal))
                throw new RadiantException(path, $"camera {c.Name}'s focal length ({c.Fx:g3}, {c.Fy:g3} px) is below 1/1000 of its {c.Width}×{c.Height} image, a field of view of nearly 180° that no pinhole camera has");
        }
        return ds.Points is { } points && WithinReach(points) is var kept && kept != points ? Rebuild(ds, c => c, ds.Options, kept) : ds;
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

    /// <summary>
    /// Names the layout of <paramref name="path"/> (a folder, or a json file inside one) and the path its
    /// reader takes: the folder for Blender, COLMAP, LLFF and multiscale; the json file for nerfstudio.
    /// </summary>
    public static string DetectLayout(string path, out string resolved)
    {
        if (File.Exists(path))
        {
            string name = Path.GetFileName(path);
            string dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
            if (name == "metadata.json") { resolved = dir; return "multiscale"; }
            if (name.StartsWith("transforms_", StringComparison.Ordinal) && name.EndsWith(".json", StringComparison.Ordinal)) { resolved = dir; return "blender"; }
            if (name.EndsWith(".json", StringComparison.OrdinalIgnoreCase)) { resolved = Path.GetFullPath(path); return "nerfstudio"; }
            if (name == "poses_bounds.npy") { resolved = dir; return "llff"; }
            throw new RadiantException(path, "is a file, not a dataset folder (give the folder, or its transforms.json / metadata.json)");
        }
        if (!Directory.Exists(path)) throw new RadiantException(path, "dataset folder not found");
        resolved = Path.GetFullPath(path);
        if (File.Exists(Path.Combine(path, "metadata.json"))) return "multiscale";
        if (File.Exists(Path.Combine(path, "transforms_train.json"))) return "blender";
        if (File.Exists(Path.Combine(path, "transforms.json"))) { resolved = Path.GetFullPath(Path.Combine(path, "transforms.json")); return "nerfstudio"; }
        if (ColmapReader.FindModel(path) is not null) return "colmap";
        if (File.Exists(Path.Combine(path, "poses_bounds.npy"))) return "llff";
        if (Capture.CaptureInput.IsRawPhotoFolder(path))
            throw new RadiantException(path, "a folder of photos without camera poses: `radiant train` poses it with COLMAP first (or `radiant data from-photos DIR OUT` makes a dataset of it)");
        throw new RadiantException(path, "no known dataset layout here (looked for transforms_train.json, transforms.json, metadata.json, sparse/0/cameras.{bin,txt}, poses_bounds.npy)");
    }

    /// <summary>
    /// Reduces every camera by <paramref name="factor"/>. When the dataset ships reduced copies
    /// (<c>images_N/</c> beside <c>images/</c>, as COLMAP, LLFF and nerfstudio captures do, and
    /// <c>masks_N/</c> beside <c>masks/</c> for a camera with a mask) those are used; otherwise images
    /// and masks are area-averaged on load and cached.
    /// </summary>
    public static Dataset Downscale(Dataset ds, int factor)
    {
        Camera Reduce(Camera c)
        {
            if (c.ImageDownscale != 1) throw new InvalidOperationException("camera already downscaled");
            string? prebuilt = PrebuiltDownscale(c.ImagePath, factor);
            string? prebuiltMask = c.MaskPath is null ? null : PrebuiltDownscale(c.MaskPath, factor);
            if (prebuilt is not null && (c.MaskPath is null || prebuiltMask is not null) && c.Distortion is null or { IsZero: true })
            {
                var (w, h) = ImageIO.ReadSize(prebuilt, !c.StoredOrientation);
                var expected = AreaResample.DownscaledSize(c.Width, c.Height, factor);
                if (Math.Abs(w - expected.Width) <= 1 && Math.Abs(h - expected.Height) <= 1)
                    return c.ResizedTo(w, h) with { ImagePath = prebuilt, MaskPath = prebuiltMask };
            }
            var (dw, dh) = AreaResample.DownscaledSize(c.Width, c.Height, factor);
            return c.ResizedTo(dw, dh) with { ImageDownscale = factor };
        }

        return Rebuild(ds, Reduce, ds.Options with { Downscale = factor });
    }

    /// <summary><paramref name="ds"/> with every camera mapped and the given options (and <paramref name="points"/> when given).</summary>
    private static Dataset Rebuild(Dataset ds, Func<Camera, Camera> camera, DatasetOptions options, PointCloud? points = null) => new()
    {
        Format = ds.Format,
        Root = ds.Root,
        Train = ds.Train.Select(camera).ToList(),
        Val = ds.Val.Select(camera).ToList(),
        Test = ds.Test.Select(camera).ToList(),
        Points = points ?? ds.Points,
        Options = options,
        HasAlpha = ds.HasAlpha,
    };

    /// <summary><c>…/images/a.jpg</c> → <c>…/images_N/a.jpg</c> if that file exists (also for any other extension of the same name).</summary>
    private static string? PrebuiltDownscale(string imagePath, int factor)
    {
        string dir = Path.GetDirectoryName(imagePath) ?? "";
        string folder = Path.GetFileName(dir);
        string parent = Path.GetDirectoryName(dir) ?? "";
        string candidateDir = Path.Combine(parent, $"{folder}_{factor}");
        if (!Directory.Exists(candidateDir)) return null;
        string same = Path.Combine(candidateDir, Path.GetFileName(imagePath));
        if (File.Exists(same)) return same;
        string stem = Path.GetFileNameWithoutExtension(imagePath);
        foreach (string ext in new[] { ".png", ".jpg", ".jpeg", ".JPG", ".PNG", ".JPEG" })
        {
            string p = Path.Combine(candidateDir, stem + ext);
            if (File.Exists(p)) return p;
        }
        return null;
    }
}
