using Radiant.Imaging;

namespace Radiant.Capture;

/// <summary>
/// Phones store a portrait photo sideways and say so in its EXIF orientation tag (6 or 8). COLMAP 3.8
/// ignores the tag, so it would pose the sideways pixels: the capture comes out lying on its side
/// (the scene normalisation takes the image "up" of every camera for the world's up) and every
/// render is turned 90°. Before COLMAP sees them, such photos are therefore written upright, as
/// Radiant's decoder displays them (orientation applied), as PNG (lossless; Radiant has no JPEG
/// encoder) into the capture's <c>input/</c> folder, with the other photos copied beside them unchanged.
/// </summary>
public static class UprightPhotos
{
    /// <summary>The photos of <paramref name="images"/> (full paths) whose EXIF orientation is not 1.</summary>
    public static List<string> Rotated(IEnumerable<string> images) => images.Where(p => ImageIO.ReadOrientation(p) != 1).ToList();

    /// <summary>
    /// Writes every photo into <paramref name="folder"/>: one of <paramref name="rotatedPhotos"/> (found by
    /// <see cref="Rotated"/>) as <c>STEM.png</c> (upright; <c>NAME.png</c> if that name is taken), any other
    /// copied as it is. Returns the written paths in the input's order.
    /// </summary>
    public static List<string> Write(IReadOnlyList<string> images, IEnumerable<string> rotatedPhotos, string folder,
                                     IProgress<(int Done, int Total)>? progress = null, CancellationToken cancel = default)
    {
        Directory.CreateDirectory(folder);
        var rotated = new HashSet<string>(rotatedPhotos, StringComparer.Ordinal);
        var taken = new HashSet<string>(images.Where(p => !rotated.Contains(p)).Select(Path.GetFileName)!, StringComparer.OrdinalIgnoreCase);
        var written = new List<string>(images.Count);
        for (int i = 0; i < images.Count; i++)
        {
            cancel.ThrowIfCancellationRequested();
            string source = images[i], name = Path.GetFileName(source);
            string target;
            if (rotated.Contains(source))
            {
                string png = Path.GetFileNameWithoutExtension(source) + ".png";
                if (!taken.Add(png)) { png = name + ".png"; taken.Add(png); }
                target = Path.Combine(folder, png);
                ImageIO.SavePng(target, ImageIO.LoadTransient(source));
            }
            else
            {
                target = Path.Combine(folder, name);
                File.Copy(source, target, overwrite: true);
            }
            written.Add(target);
            progress?.Report((i + 1, images.Count));
        }
        return written;
    }
}
