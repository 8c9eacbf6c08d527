using System.Globalization;
using System.Text;
using Radiant.Mathematics;

namespace Radiant.Capture;

/// <summary>
/// Applies a <see cref="SimilarityTransform"/> to a COLMAP text model (cameras.txt, images.txt,
/// points3D.txt), keeping every other field — keypoints, tracks, colours, errors — byte for byte.
/// images.txt alternates a pose line <c>IMAGE_ID QW QX QY QZ TX TY TZ CAMERA_ID NAME</c> and a
/// keypoint line; points3D.txt lines are <c>POINT3D_ID X Y Z R G B ERROR TRACK…</c>.
/// </summary>
public static class ColmapTextTransform
{
    public static void Apply(string inputDir, string outputDir, SimilarityTransform transform)
    {
        Directory.CreateDirectory(outputDir);
        AtomicFile.WriteAllText(Path.Combine(outputDir, "cameras.txt"), File.ReadAllText(Path.Combine(inputDir, "cameras.txt")));
        AtomicFile.WriteAllText(Path.Combine(outputDir, "images.txt"), Rewrite(Path.Combine(inputDir, "images.txt"), (line, index) => index % 2 == 0 ? Pose(line, transform) : line));
        AtomicFile.WriteAllText(Path.Combine(outputDir, "points3D.txt"), Rewrite(Path.Combine(inputDir, "points3D.txt"), (line, _) => Point(line, transform)));
    }

    /// <summary>Copies comments and applies <paramref name="map"/> to the data lines, numbered from 0 (blank keypoint lines count).</summary>
    private static string Rewrite(string path, Func<string, int, string> map)
    {
        var sb = new StringBuilder();
        int index = 0;
        foreach (string line in File.ReadLines(path))
        {
            sb.Append(line.StartsWith('#') ? line : map(line, index++)).Append('\n');
        }
        return sb.ToString();
    }

    private static string Pose(string line, SimilarityTransform transform)
    {
        string[] f = line.Split(' ', 9);
        if (f.Length < 9) throw new RadiantException($"images.txt: malformed pose line '{line}'");
        double[] v = f[1..8].Select(Parse).ToArray();
        Mat3 r = Mat3.FromQuaternion(v[0], v[1], v[2], v[3]);
        var (r2, t2) = transform.ApplyToPose(r, new Vec3(v[4], v[5], v[6]));
        var (w, x, y, z) = r2.ToQuaternion();
        return string.Join(' ', f[0], Num(w), Num(x), Num(y), Num(z), Num(t2.X), Num(t2.Y), Num(t2.Z), f[8]);
    }

    private static string Point(string line, SimilarityTransform transform)
    {
        string[] f = line.Split(' ', 5);
        if (f.Length < 5) return line;
        Vec3 p = transform.Apply(new Vec3(Parse(f[1]), Parse(f[2]), Parse(f[3])));
        return string.Join(' ', f[0], Num(p.X), Num(p.Y), Num(p.Z), f[4]);
    }

    private static double Parse(string s) => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);
    private static string Num(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
