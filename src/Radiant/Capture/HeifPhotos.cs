using Radiant.Imaging.Jpeg;

namespace Radiant.Capture;

/// <summary>
/// HEIC/HEIF photos (what an iPhone's camera saves by default), which neither COLMAP 3.8 nor Radiant's
/// decoders read, are decoded by libheif's <c>heif-convert</c> (Debian package libheif-examples) into
/// lossless PNG. libheif applies the image's rotation and mirroring on decode, so the PNG is upright.
/// The PNG carries no EXIF: the photo's focal length in 35 mm terms is read from its EXIF block and
/// returned, for <see cref="PhotoCapture"/> to give COLMAP.
/// </summary>
public static class HeifPhotos
{
    public static readonly string[] Extensions = [".heic", ".heif"];
    public const string DefaultProgram = "heif-convert";
    public const string InstallHint = "install it with `apt-get install libheif-examples` (scripts/setup does)";
    private const string NeededFor = "HEIC/HEIF photos are decoded with libheif's heif-convert";

    public static bool IsHeif(string path) => Extensions.Contains(Path.GetExtension(path).ToLowerInvariant());

    /// <summary>Fails with the install hint when <paramref name="program"/> cannot be started.</summary>
    public static void EnsureAvailable(string program) =>
        ExternalProgram.Run(ExternalProgram.StartInfo(program, ["--help"]), NeededFor, InstallHint);

    /// <summary>
    /// Decodes <paramref name="source"/> into the PNG <paramref name="target"/> (its primary image; a file
    /// with several top-level images, which heif-convert writes as STEM-1.png, STEM-2.png, …, gives its
    /// first). Returns the photo's EXIF FocalLengthIn35mmFilm (mm), which the PNG does not keep, or null.
    /// </summary>
    public static int? Decode(string source, string target, string program = DefaultProgram)
    {
        // --with-exif writes the EXIF block beside the output as STEM.exif; --skip-exif-offset starts it at its TIFF header.
        var result = ExternalProgram.Run(ExternalProgram.StartInfo(program, ["--quiet", "--with-exif", "--skip-exif-offset", source, target]), NeededFor, InstallHint);
        string stem = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(target))!, Path.GetFileNameWithoutExtension(target));
        if (result.ExitCode == 0 && !File.Exists(target) && File.Exists(stem + "-1.png"))
        {
            File.Move(stem + "-1.png", target);
            for (int i = 2; File.Exists($"{stem}-{i}.png"); i++) File.Delete($"{stem}-{i}.png");
        }
        if (result.ExitCode != 0 || !File.Exists(target))
        {
            string why = (result.Error + "\n" + result.Output).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? $"exit code {result.ExitCode}";
            throw new RadiantException(source, $"could not be decoded as HEIC/HEIF by {program}: {why}");
        }
        int? focal = null;
        foreach (string exif in new[] { stem + ".exif", stem + "-1.exif" }.Where(File.Exists))
        {
            focal ??= FocalLength35mm(File.ReadAllBytes(exif));
            File.Delete(exif);
        }
        return focal;
    }

    /// <summary>FocalLengthIn35mmFilm from an EXIF block that starts at its TIFF header or with "Exif\0\0".</summary>
    internal static int? FocalLength35mm(ReadOnlySpan<byte> exif) =>
        ExifTiff.TryOpen(exif, out var tiff) || ExifTiff.TryOpenApp1(exif, out tiff) ? tiff.FocalLengthIn35mmFilm : null;
}
