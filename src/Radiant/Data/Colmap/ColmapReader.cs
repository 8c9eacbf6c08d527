using Radiant.Imaging;
using Radiant.Mathematics;

namespace Radiant.Data.Colmap;

/// <summary>
/// COLMAP sparse model (binary or text) with images/ beside it. COLMAP's poses are world-to-camera
/// in OpenCV axes (x right, y down, z forward) with pixel centres at half-integers, exactly
/// <see cref="Camera"/>'s convention, so they are taken as they are:
/// R = rotation of the unit quaternion qvec (w, x, y, z), t = tvec.
/// </summary>
public static class ColmapReader
{
    /// <summary>A point of points3D with its colour.</summary>
    internal readonly record struct Point3D(ulong Id, double X, double Y, double Z, byte R, byte G, byte B);

    /// <summary>
    /// The folder holding cameras/images/points3D (.bin or .txt) for a dataset folder: <c>sparse/0</c>,
    /// <c>sparse</c>, or the folder itself; null if there is none.
    /// </summary>
    public static string? FindModel(string datasetDir)
    {
        foreach (string candidate in new[] { Path.Combine(datasetDir, "sparse", "0"), Path.Combine(datasetDir, "sparse"), datasetDir })
            if (File.Exists(Path.Combine(candidate, "cameras.bin")) || File.Exists(Path.Combine(candidate, "cameras.txt")))
                return candidate;
        return null;
    }

    /// <summary>
    /// Reads the dataset at <paramref name="path"/> with full-resolution cameras; the loader applies downscaling.
    /// Images are <c>ROOT/images/NAME</c>, ROOT being the folder that contains <c>sparse</c> (or the
    /// model folder itself when it is not inside a <c>sparse</c> folder). For each of the three files the
    /// .bin is read when it exists, else the .txt. A missing points3D gives a dataset without points.
    /// Cameras are split into train and test by <see cref="Dataset.SplitEveryNth"/> with <see cref="DatasetOptions.TestEvery"/>.
    /// </summary>
    public static Dataset Read(string path, DatasetOptions options)
    {
        string datasetDir = Path.GetFullPath(path);
        string model = FindModel(datasetDir)
            ?? throw new RadiantException(path, "no COLMAP model here (looked for cameras.bin or cameras.txt in sparse/0, sparse and the folder itself)");
        string root = DatasetRoot(datasetDir, model);

        string camerasFile = ModelFile(model, "cameras", required: true)!;
        string imagesFile = ModelFile(model, "images", required: true)!;
        string? pointsFile = ModelFile(model, "points3D", required: false);

        List<ColmapCameraEntry> cameraEntries = IsBinary(camerasFile) ? ColmapBinary.ReadCameras(camerasFile) : ColmapText.ReadCameras(camerasFile);
        List<ColmapImageEntry> imageEntries = IsBinary(imagesFile) ? ColmapBinary.ReadImages(imagesFile) : ColmapText.ReadImages(imagesFile);

        var camerasById = new Dictionary<uint, ColmapCameraEntry>();
        foreach (ColmapCameraEntry c in cameraEntries)
        {
            if (!camerasById.TryAdd(c.CameraId, c))
                throw new RadiantException(camerasFile, $"{c.Source}: camera id {c.CameraId} appears twice");
            CheckIntrinsics(camerasFile, c);
        }

        var cameras = new List<Camera>(imageEntries.Count);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (ColmapImageEntry img in imageEntries)
        {
            if (!camerasById.TryGetValue(img.CameraId, out ColmapCameraEntry? cam))
                throw new RadiantException(imagesFile, $"{img.Source} refers to camera id {img.CameraId}, which {Path.GetFileName(camerasFile)} does not define");
            if (!names.Add(img.Name))
                throw new RadiantException(imagesFile, $"{img.Source}: image name '{img.Name}' appears twice");
            cameras.Add(ToCamera(img, cam, imagesFile, root));
        }
        if (cameras.Count == 0) throw new RadiantException(imagesFile, "the model has no registered images");
        ResizedImages.Fit(cameras, i => imageEntries[i].CameraId);   // photos resized after COLMAP ran

        PointCloud? points = null;
        if (pointsFile is not null)
        {
            List<Point3D> list = IsBinary(pointsFile) ? ColmapBinary.ReadPoints(pointsFile) : ColmapText.ReadPoints(pointsFile);
            points = ToPointCloud(list);
        }

        var (train, test) = Dataset.SplitEveryNth(cameras, options.TestEvery);
        return new Dataset
        {
            Format = "colmap",
            Root = root,
            Train = train,
            Test = test,
            Points = points,
            Options = options,
        };
    }

    /// <summary>The folder that contains <c>sparse</c> (for <c>X/sparse/0</c> and <c>X/sparse</c>, X); otherwise the dataset folder.</summary>
    private static string DatasetRoot(string datasetDir, string model)
    {
        string full = Path.GetFullPath(model).TrimEnd(Path.DirectorySeparatorChar);
        string? parent = Path.GetDirectoryName(full);
        if (Path.GetFileName(full) == "sparse" && parent is not null) return parent;
        if (parent is not null && Path.GetFileName(parent) == "sparse" && Path.GetDirectoryName(parent) is { } grand) return grand;
        return datasetDir;
    }

    private static string? ModelFile(string model, string stem, bool required)
    {
        string bin = Path.Combine(model, stem + ".bin"), txt = Path.Combine(model, stem + ".txt");
        if (File.Exists(bin)) return bin;
        if (File.Exists(txt)) return txt;
        if (required) throw new RadiantException(model, $"COLMAP model has no {stem}.bin or {stem}.txt");
        return null;
    }

    private static bool IsBinary(string file) => file.EndsWith(".bin", StringComparison.Ordinal);

    internal static byte[] ReadFileBytes(string path)
    {
        try { return File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or OutOfMemoryException)
        {
            throw new RadiantException(path, $"cannot read: {e.Message}", e);
        }
    }

    internal static int CheckImageSize(string file, string source, ulong value, string what)
    {
        if (value == 0 || value > int.MaxValue)
            throw new RadiantException(file, $"{source}: {what} {value} is not a valid image size");
        return (int)value;
    }

    internal static Point3D CheckPoint(string file, string source, ulong id, double x, double y, double z, byte r, byte g, byte b)
    {
        if (!double.IsFinite(x) || !double.IsFinite(y) || !double.IsFinite(z))
            throw new RadiantException(file, $"{source}: position has NaN or infinite values");
        return new Point3D(id, x, y, z, r, g, b);
    }

    private static void CheckIntrinsics(string file, ColmapCameraEntry c)
    {
        foreach (double p in c.Params)
            if (!double.IsFinite(p)) throw new RadiantException(file, $"{c.Source}: camera {c.CameraId} has NaN or infinite parameters");
        var (fx, fy, _, _, _) = c.Model.Intrinsics(c.Params);
        if (fx <= 0 || fy <= 0)
            throw new RadiantException(file, $"{c.Source}: camera {c.CameraId} has a focal length that is not positive ({fx}, {fy})");
    }

    private static Camera ToCamera(ColmapImageEntry img, ColmapCameraEntry cam, string imagesFile, string root)
    {
        double[] q = [img.Qw, img.Qx, img.Qy, img.Qz];
        if (!q.All(double.IsFinite))
            throw new RadiantException(imagesFile, $"{img.Source}: rotation quaternion has NaN or infinite values");
        double qNorm = Math.Sqrt(q.Sum(v => v * v));
        if (qNorm < 1e-12)
            throw new RadiantException(imagesFile, $"{img.Source}: rotation quaternion is zero");
        var translation = new Vec3(img.Tx, img.Ty, img.Tz);
        if (!translation.IsFinite)
            throw new RadiantException(imagesFile, $"{img.Source}: translation has NaN or infinite values");

        // Names with backslashes come from Windows tools; they name the same subfolders.
        string imagePath = Path.Combine(root, "images", img.Name.Replace('\\', '/').Replace('/', Path.DirectorySeparatorChar));
        if (!File.Exists(imagePath))
            throw new RadiantException(imagePath, $"image file not found (named by {Path.GetFileName(imagesFile)} {img.Source}; COLMAP images are read from {Path.Combine(root, "images")})");

        var (fx, fy, cx, cy, distortion) = cam.Model.Intrinsics(cam.Params);
        return new Camera
        {
            Name = img.Name,
            Width = cam.Width,
            Height = cam.Height,
            Fx = fx,
            Fy = fy,
            Cx = cx,
            Cy = cy,
            Rotation = Mat3.FromQuaternion(img.Qw, img.Qx, img.Qy, img.Qz),
            Translation = translation,
            ImagePath = imagePath,
            Distortion = distortion,
            StoredOrientation = true,
        };
    }

    /// <summary>Points in ascending id order, so the binary and text forms of one model give the same cloud.</summary>
    private static PointCloud? ToPointCloud(List<Point3D> points)
    {
        if (points.Count == 0) return null;
        points.Sort((a, b) => a.Id.CompareTo(b.Id));
        var positions = new float[points.Count * 3];
        var colors = new byte[points.Count * 3];
        for (int i = 0; i < points.Count; i++)
        {
            Point3D p = points[i];
            positions[3 * i] = (float)p.X; positions[3 * i + 1] = (float)p.Y; positions[3 * i + 2] = (float)p.Z;
            colors[3 * i] = p.R; colors[3 * i + 1] = p.G; colors[3 * i + 2] = p.B;
        }
        return new PointCloud(positions, colors);
    }
}
