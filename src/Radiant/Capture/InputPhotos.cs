using Radiant.Imaging;

namespace Radiant.Capture;

/// <summary>
/// The photos COLMAP is given when some of the input cannot be posed as it is: a capture's
/// <c>input/</c> folder, with the photos stored sideways (<see cref="UprightPhotos"/>) written upright
/// and HEIC/HEIF photos decoded (<see cref="HeifPhotos"/>), both as PNG (lossless; Radiant has no JPEG
/// encoder), and every other photo copied unchanged.
/// </summary>
public static class InputPhotos
{
    /// <summary>
    /// The written photos, in the input's order, and each input photo's EXIF focal length in 35 mm
    /// film terms (mm; null where it has none), which the PNGs no longer carry.
    /// </summary>
    public sealed record Result(List<string> Paths, int?[] FocalLength35mm);

    /// <summary>
    /// Writes every photo of <paramref name="images"/> into <paramref name="folder"/>: one of
    /// <paramref name="rotatedPhotos"/> or <paramref name="heifPhotos"/> as <c>STEM.png</c> (<c>NAME.png</c> if
    /// that name is taken), any other copied.
    /// </summary>
    public static Result Write(IReadOnlyList<string> images, IEnumerable<string> rotatedPhotos, IEnumerable<string> heifPhotos, string folder,
                               string heifConvert = HeifPhotos.DefaultProgram, IProgress<(int Done, int Total)>? progress = null, CancellationToken cancel = default)
    {
        Directory.CreateDirectory(folder);
        var rotated = new HashSet<string>(rotatedPhotos, StringComparer.Ordinal);
        var heif = new HashSet<string>(heifPhotos, StringComparer.Ordinal);
        bool Converted(string p) => rotated.Contains(p) || heif.Contains(p);
        var taken = new HashSet<string>(images.Where(p => !Converted(p)).Select(Path.GetFileName)!, StringComparer.OrdinalIgnoreCase);
        var targets = new string[images.Count];
        for (int i = 0; i < images.Count; i++)
        {
            string source = images[i], name = Path.GetFileName(source);
            if (!Converted(source)) { targets[i] = Path.Combine(folder, name); continue; }
            string png = Path.GetFileNameWithoutExtension(source) + ".png";
            if (!taken.Add(png)) { png = name + ".png"; taken.Add(png); }
            targets[i] = Path.Combine(folder, png);
        }
        var focal = new int?[images.Count];
        int done = 0;
        // One photo per task: decoding a 12-megapixel photo and writing its PNG take about a second.
        Parallel.For(0, images.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancel }, i =>
        {
            string source = images[i];
            if (heif.Contains(source)) focal[i] = HeifPhotos.Decode(source, targets[i], heifConvert);
            else
            {
                focal[i] = ImageIO.ReadFocalLength35mm(source);
                if (rotated.Contains(source)) ImageIO.SavePng(targets[i], ImageIO.LoadTransient(source));
                else File.Copy(source, targets[i], overwrite: true);
            }
            progress?.Report((Interlocked.Increment(ref done), images.Count));
        });
        return new Result([.. targets], focal);
    }
}
