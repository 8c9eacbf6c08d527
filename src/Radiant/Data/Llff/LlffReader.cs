using Radiant.Imaging;
using Radiant.Mathematics;

namespace Radiant.Data.Llff;

/// <summary>
/// LLFF layout (Local Light Field Fusion; NeRF's real forward-facing scenes): <c>poses_bounds.npy</c>
/// with <c>images/</c> beside it. The array is N × 17, one row per image in sorted file-name order:
/// the first 15 values are a 3 × 5 matrix in row-major order, [R | t | hwf], where R's columns are the
/// camera's [down, right, backwards] axes in world coordinates, t is the camera centre, and
/// hwf = (height, width, focal) of the full-resolution images; the last two are the near and far depth bounds.
/// </summary>
public static class LlffReader
{
    /// <summary>Reads the dataset at <paramref name="path"/> with full-resolution cameras; the loader applies downscaling.</summary>
    public static Dataset Read(string path, DatasetOptions options)
    {
        string root = Path.GetFullPath(path);
        string posesFile = Path.Combine(root, "poses_bounds.npy");
        if (!File.Exists(posesFile)) throw new RadiantException(posesFile, "file not found");
        NpyArray poses = NpyReader.Read(posesFile);
        if (poses.Shape.Length != 2 || poses.Shape[1] != 17 || poses.Shape[0] == 0)
            throw new RadiantException(posesFile, $"expected an array of shape (N, 17) (a 3x5 pose and near, far per image), got ({string.Join(", ", poses.Shape)})");
        int n = poses.Shape[0];

        string imagesDir = Path.Combine(root, "images");
        if (!Directory.Exists(imagesDir)) throw new RadiantException(imagesDir, "images folder not found (LLFF images live in images/ beside poses_bounds.npy)");
        List<string> imageFiles = Directory.EnumerateFiles(imagesDir)
            .Where(Capture.CaptureInput.IsImageFile)   // hidden files (macOS "._" copies) are not images
            .OrderBy(f => Path.GetFileName(f), StringComparer.Ordinal)
            .ToList();
        if (imageFiles.Count != n)
            throw new RadiantException(imagesDir, $"has {imageFiles.Count} image(s) (png/jpg/jpeg) but poses_bounds.npy has {n} pose(s); they must match one to one in sorted name order");

        var cameras = new List<Camera>(n);
        for (int i = 0; i < n; i++)
            cameras.Add(ToCamera(poses, i, imageFiles[i], posesFile));

        var (train, test) = Dataset.SplitEveryNth(cameras, options.TestEvery);
        return new Dataset
        {
            Format = "llff",
            Root = root,
            Train = train,
            Test = test,
            Options = options,
        };
    }

    private static Camera ToCamera(NpyArray poses, int i, string imagePath, string posesFile)
    {
        string source = $"{posesFile} row {i} ({Path.GetFileName(imagePath)})";
        // Row i as the 3 × 5 matrix P (row-major) followed by near, far.
        double P(int r, int c) => poses[i, r * 5 + c];
        for (int k = 0; k < 17; k++)
            if (!double.IsFinite(poses[i, k])) throw new RadiantException(source, "pose or bounds have NaN or infinite values");

        Vec3 down = new(P(0, 0), P(1, 0), P(2, 0));
        Vec3 right = new(P(0, 1), P(1, 1), P(2, 1));
        Vec3 backwards = new(P(0, 2), P(1, 2), P(2, 2));
        Vec3 position = new(P(0, 3), P(1, 3), P(2, 3));
        double hwfHeight = P(0, 4), hwfWidth = P(1, 4), hwfFocal = P(2, 4);
        double near = poses[i, 15], far = poses[i, 16];
        if (hwfHeight <= 0 || hwfWidth <= 0 || hwfFocal <= 0)
            throw new RadiantException(source, $"height, width, focal ({hwfHeight}, {hwfWidth}, {hwfFocal}) must be positive");

        // OpenGL camera-to-world columns [right, up, backwards] = [c1, −c0, c2] of LLFF's [down, right, backwards].
        Mat3 c2wOpenGL = Mat3.FromColumns(right, -down, backwards);
        var (rotation, translation) = Camera.PoseFromOpenGLCameraToWorld(c2wOpenGL, position, source);

        // Images smaller than hwf (a reduced copy of the capture): the focal length scales with the width.
        // The poses come from COLMAP, which ignores EXIF rotation: the stored pixel grid is read.
        var (width, height) = ImageIO.ReadSize(imagePath, applyOrientation: false);
        double scale = width / hwfWidth;
        if (Math.Abs(height - hwfHeight * scale) > 1 + 0.01 * hwfHeight * scale)
            throw new RadiantException(imagePath, $"image is {width}x{height}, which is not the {hwfWidth}x{hwfHeight} (width x height) of poses_bounds.npy row {i} scaled uniformly");
        double focal = hwfFocal * scale;

        return new Camera
        {
            Name = Path.GetFileName(imagePath),
            Width = width,
            Height = height,
            Fx = focal,
            Fy = focal,
            Cx = width / 2.0,
            Cy = height / 2.0,
            Rotation = rotation,
            Translation = translation,
            ImagePath = imagePath,
            Near = near,
            Far = far,
            StoredOrientation = true,
        };
    }
}
