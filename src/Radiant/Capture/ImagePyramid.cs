using Radiant.Imaging;

namespace Radiant.Capture;

/// <summary>
/// Writes <c>images_N/</c> beside <c>images/</c> for each factor N: every photo area-averaged to
/// round(size / N) (<see cref="AreaResample"/>) and saved as PNG under its own stem
/// (<c>IMG_0001.jpg</c> → <c>images_2/IMG_0001.png</c>; Radiant has no JPEG encoder, and
/// <see cref="Data.DatasetLoader"/> finds a reduced copy by stem whatever its extension).
/// </summary>
public static class ImagePyramid
{
    public static void Write(string imagesDir, IReadOnlyList<int> factors, IProgress<(int Done, int Total)>? progress, CancellationToken cancel = default)
    {
        string parent = Path.GetDirectoryName(Path.GetFullPath(imagesDir).TrimEnd(Path.DirectorySeparatorChar))!;
        string folder = Path.GetFileName(Path.GetFullPath(imagesDir).TrimEnd(Path.DirectorySeparatorChar));
        List<string> images = CaptureInput.ListImages(imagesDir);
        foreach (int f in factors) Directory.CreateDirectory(Path.Combine(parent, $"{folder}_{f}"));
        int done = 0;
        // One photo per task: decoding and resampling a photo is independent of the others.
        Parallel.ForEach(images, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancel }, path =>
        {
            Image full = ImageIO.LoadTransient(path);
            foreach (int f in factors)
                ImageIO.SavePng(Path.Combine(parent, $"{folder}_{f}", Path.GetFileNameWithoutExtension(path) + ".png"), AreaResample.Downscale(full, f));
            progress?.Report((Interlocked.Increment(ref done), images.Count));
        });
    }
}
