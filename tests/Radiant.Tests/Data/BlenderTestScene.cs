using System.Globalization;
using System.Text;
using Radiant.Imaging;
using Radiant.Mathematics;

namespace Radiant.Tests.Data;

/// <summary>
/// A tiny synthetic NeRF-synthetic-like scene written by the tests: small PNGs (RGBA or RGB) made with
/// our encoder, and cameras on a sphere of radius 4 around the origin looking at it (OpenGL
/// camera-to-world, world up +z, as Blender renders).
/// </summary>
internal static class BlenderTestScene
{
    public const double AngleX = 0.6911112070083618; // NeRF-synthetic's camera_angle_x

    /// <summary>OpenGL camera-to-world (row-major 4×4) of a camera at <paramref name="pos"/> looking at the origin.</summary>
    public static double[] LookAt(Vec3 pos)
    {
        Vec3 back = pos.Normalized();               // OpenGL +z points away from what the camera sees
        Vec3 up = Math.Abs(back.Z) > 0.999 ? new Vec3(0, 1, 0) : new Vec3(0, 0, 1);
        Vec3 right = up.Cross(back).Normalized();
        Vec3 camUp = back.Cross(right);
        return
        [
            right.X, camUp.X, back.X, pos.X,
            right.Y, camUp.Y, back.Y, pos.Y,
            right.Z, camUp.Z, back.Z, pos.Z,
            0, 0, 0, 1,
        ];
    }

    /// <summary>Camera positions on the sphere of radius 4 (a spiral, never on the poles).</summary>
    public static Vec3 SpherePoint(int i, int n)
    {
        double t = (i + 0.5) / n;
        double elev = -0.6 + 1.2 * t, azim = 2.4 * i + 0.3;
        return new Vec3(4 * Math.Cos(elev) * Math.Cos(azim), 4 * Math.Cos(elev) * Math.Sin(azim), 4 * Math.Sin(elev));
    }

    public static string Matrix(double[] m, int rows = 4)
    {
        var sb = new StringBuilder("[");
        for (int r = 0; r < rows; r++)
        {
            if (r > 0) sb.Append(", ");
            sb.Append('[').Append(string.Join(", ", Enumerable.Range(0, 4).Select(c => m[r * 4 + c].ToString("R", CultureInfo.InvariantCulture)))).Append(']');
        }
        return sb.Append(']').ToString();
    }

    /// <summary>A deterministic image: a gradient per channel plus a seed; alpha 0 in the left column, 1 elsewhere except one half-transparent pixel.</summary>
    public static Image MakeImage(int w, int h, bool alpha, int seed = 0)
    {
        var img = new Image(w, h, alpha ? 4 : 3);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                img[0, x, y] = ((x * 16 + seed * 7) % 256) / 255f;
                img[1, x, y] = ((y * 20 + seed * 13) % 256) / 255f;
                img[2, x, y] = (((x + y) * 9 + seed) % 256) / 255f;
                if (alpha) img[3, x, y] = x == 0 ? 0f : (x == 1 && y == 0 ? 128 / 255f : 1f);
            }
        return img;
    }

    public static void WritePng(string path, Image img)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, Radiant.Imaging.Png.PngEncoder.Encode(img, 8));
    }

    /// <summary>
    /// Writes a Blender scene into <paramref name="dir"/>: transforms_{train,val,test}.json with
    /// camera_angle_x and frames "./{split}/r_{i}" (no extension), images {split}/r_{i}.png.
    /// Counts of zero leave that json out.
    /// </summary>
    public static void Create(string dir, int w = 16, int h = 12, int train = 3, int val = 1, int test = 2, bool alpha = true, string extra = "")
    {
        int n = train + val + test, k = 0;
        foreach (var (split, count) in new[] { ("train", train), ("val", val), ("test", test) })
        {
            if (count == 0) continue;
            var frames = new List<string>();
            for (int i = 0; i < count; i++, k++)
            {
                WritePng(Path.Combine(dir, split, $"r_{i}.png"), MakeImage(w, h, alpha, k));
                frames.Add($"{{\"file_path\": \"./{split}/r_{i}\", \"rotation\": 0.012566370614359171, \"transform_matrix\": {Matrix(LookAt(SpherePoint(k, n)))}}}");
            }
            File.WriteAllText(Path.Combine(dir, $"transforms_{split}.json"),
                $"{{\"camera_angle_x\": {AngleX.ToString("R", CultureInfo.InvariantCulture)},{extra} \"frames\": [\n{string.Join(",\n", frames)}\n]}}");
        }
    }

    /// <summary>Projects a world point with the OpenCV convention documented on <see cref="Radiant.Data.Camera"/>.</summary>
    public static (double U, double V, double Depth) Project(Radiant.Data.Camera c, Vec3 world)
    {
        Vec3 p = c.Rotation * world + c.Translation;
        return (c.Fx * p.X / p.Z + c.Cx, c.Fy * p.Y / p.Z + c.Cy, p.Z);
    }
}
