using Radiant.Data.Blender;
using Radiant.Data.Colmap;
using Radiant.Data.Llff;
using Radiant.Data.Multiscale;
using Radiant.Data.Nerfstudio;
using Radiant.Imaging;

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
        ds = PlausibleCameras.Check(ds, path);
        int factor = options.Downscale != DatasetOptions.Auto ? options.Downscale
                   : DatasetOptions.AutoDownscale(ds.AllCameras.Max(c => Math.Max(c.Width, c.Height)));
        ds = factor > 1 ? Downscale(ds, factor) : Rebuild(ds, c => c, ds.Options with { Downscale = 1 });
        // Auto background for opaque photos: a plain backdrop's colour when their borders show one.
        if (options.Background is null && !ds.HasAlpha && Backdrop.Find(ds) is float[] backdrop)
            ds = Rebuild(ds, c => c, ds.Options with { Background = backdrop });
        return ds;
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
    internal static Dataset Rebuild(Dataset ds, Func<Camera, Camera> camera, DatasetOptions options, PointCloud? points = null) => new()
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
