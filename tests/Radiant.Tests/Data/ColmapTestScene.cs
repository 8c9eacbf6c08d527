using System.Globalization;
using System.Text;
using Radiant.Data;
using Radiant.Imaging;
using Radiant.Mathematics;

namespace Radiant.Tests.Data;

internal sealed record ColmapTestCamera(uint Id, string Model, int ModelId, int Width, int Height, double[] Params);

internal sealed record ColmapTestImage(uint Id, double[] Qvec, double[] Tvec, uint CameraId, string Name,
    List<(double X, double Y, long Point3DId)> Points2D, Vec3 Center);

internal sealed record ColmapTestPoint(ulong Id, Vec3 Position, byte R, byte G, byte B, double Error, List<(uint ImageId, uint Point2DIdx)> Track);

/// <summary>
/// Test-side COLMAP model writer, written from COLMAP's documented output format independently of the
/// reader: a synthetic scene of cameras on a circle looking at the origin, with known intrinsics of each
/// supported model and a few coloured points, written as binary (cameras/images/points3D.bin) or text.
/// </summary>
internal sealed class ColmapTestScene
{
    public List<ColmapTestCamera> Cameras { get; } = [];
    public List<ColmapTestImage> Images { get; } = [];
    public List<ColmapTestPoint> Points { get; } = [];

    public static readonly Vec3 WorldUp = new(0, 0, 1);

    /// <summary>
    /// <paramref name="count"/> images named img_00.png … on a circle of radius 4 at height 1 around the
    /// origin, all looking at it; the images are listed with descending ids and names in shuffled order so
    /// that readers must sort. Cameras cycle through SIMPLE_PINHOLE, PINHOLE, SIMPLE_RADIAL, RADIAL, OPENCV.
    /// </summary>
    public static ColmapTestScene Circle(int count = 6)
    {
        var scene = new ColmapTestScene();
        scene.Cameras.Add(new(1, "SIMPLE_PINHOLE", 0, 40, 30, [45, 20, 15]));
        scene.Cameras.Add(new(2, "PINHOLE", 1, 40, 30, [50, 52, 20.5, 14.25]));
        scene.Cameras.Add(new(3, "SIMPLE_RADIAL", 2, 32, 24, [30, 16, 12, -0.05]));
        scene.Cameras.Add(new(7, "RADIAL", 3, 36, 28, [33, 18.5, 13.5, -0.04, 0.01]));
        scene.Cameras.Add(new(9, "OPENCV", 4, 36, 28, [34, 35, 18, 14, -0.03, 0.005, 0.001, -0.002]));

        // Points near the origin, colours distinct.
        Vec3[] positions = [new(0, 0, 0), new(0.5, 0, 0), new(0, 0.5, 0), new(0, 0, 0.5), new(-0.3, 0.2, 0.1), new(0.25, -0.4, -0.2)];
        for (int p = 0; p < positions.Length; p++)
            scene.Points.Add(new ColmapTestPoint((ulong)(100 + 7 * p), positions[p], (byte)(40 * p), (byte)(255 - 30 * p), (byte)(17 * p + 3), 0.25 + p, []));

        int[] order = Enumerable.Range(0, count).OrderBy(i => (i * 5 + 2) % count).ToArray(); // a fixed shuffle
        foreach (int i in order)
        {
            double angle = 2 * Math.PI * i / count;
            var center = new Vec3(4 * Math.Cos(angle), 4 * Math.Sin(angle), 1);
            Mat3 r = LookAt(center, Vec3.Zero);
            Vec3 t = -(r * center);
            var (w, x, y, z) = r.ToQuaternion();
            ColmapTestCamera cam = scene.Cameras[i % scene.Cameras.Count];
            uint imageId = (uint)(count - i + 10);
            // Observations: every point, projected with the pinhole part, then one without a 3D point
            // (id −1). The first image listed has none, so its text points line is empty.
            var points2D = new List<(double, double, long)>();
            if (scene.Images.Count > 0)
            {
                bool oneFocal = cam.Model is "SIMPLE_PINHOLE" or "SIMPLE_RADIAL" or "RADIAL";
                double fx = cam.Params[0], fy = oneFocal ? fx : cam.Params[1];
                double cx = cam.Params[oneFocal ? 1 : 2], cy = cam.Params[oneFocal ? 2 : 3];
                for (int p = 0; p < positions.Length; p++)
                {
                    Vec3 pc = r * positions[p] + t;
                    points2D.Add((fx * pc.X / pc.Z + cx, fy * pc.Y / pc.Z + cy, (long)scene.Points[p].Id));
                    scene.Points[p].Track.Add((imageId, (uint)p));
                }
                points2D.Add((1.5, 2.5, -1));
            }
            scene.Images.Add(new ColmapTestImage(imageId, [w, x, y, z], [t.X, t.Y, t.Z], cam.Id, $"img_{i:00}.png", points2D, center));
        }
        return scene;
    }

    /// <summary>World-to-camera rotation (rows: camera x right, y down, z forward) of a camera at <paramref name="eye"/> looking at <paramref name="target"/>, world up +z.</summary>
    public static Mat3 LookAt(Vec3 eye, Vec3 target)
    {
        Vec3 forward = (target - eye).Normalized();
        Vec3 right = forward.Cross(WorldUp).Normalized();
        Vec3 down = forward.Cross(right);
        return Mat3.FromRows(right, down, forward);
    }

    /// <summary>Pixel of a world point with <see cref="Camera"/>'s documented convention (pinhole, no distortion).</summary>
    public static (double U, double V, double Depth) Project(Camera c, Vec3 world)
    {
        Vec3 p = c.Rotation * world + c.Translation;
        return (c.Fx * p.X / p.Z + c.Cx, c.Fy * p.Y / p.Z + c.Cy, p.Z);
    }

    // ---- binary: little-endian records as documented for cameras.bin, images.bin, points3D.bin ----

    public void WriteBinary(string modelDir)
    {
        Directory.CreateDirectory(modelDir);
        File.WriteAllBytes(Path.Combine(modelDir, "cameras.bin"), CamerasBin());
        File.WriteAllBytes(Path.Combine(modelDir, "images.bin"), ImagesBin());
        File.WriteAllBytes(Path.Combine(modelDir, "points3D.bin"), PointsBin());
    }

    public byte[] CamerasBin()
    {
        using var ms = new MemoryStream();
        using var w = new BinaryWriter(ms);
        w.Write((ulong)Cameras.Count);
        foreach (var c in Cameras)
        {
            w.Write(c.Id);
            w.Write(c.ModelId);
            w.Write((ulong)c.Width);
            w.Write((ulong)c.Height);
            foreach (double p in c.Params) w.Write(p);
        }
        w.Flush();
        return ms.ToArray();
    }

    public byte[] ImagesBin()
    {
        using var ms = new MemoryStream();
        using var w = new BinaryWriter(ms);
        w.Write((ulong)Images.Count);
        foreach (var im in Images)
        {
            w.Write(im.Id);
            foreach (double q in im.Qvec) w.Write(q);
            foreach (double t in im.Tvec) w.Write(t);
            w.Write(im.CameraId);
            w.Write(Encoding.UTF8.GetBytes(im.Name));
            w.Write((byte)0);
            w.Write((ulong)im.Points2D.Count);
            foreach (var (x, y, id) in im.Points2D) { w.Write(x); w.Write(y); w.Write(id); }
        }
        w.Flush();
        return ms.ToArray();
    }

    public byte[] PointsBin()
    {
        using var ms = new MemoryStream();
        using var w = new BinaryWriter(ms);
        w.Write((ulong)Points.Count);
        foreach (var p in Points)
        {
            w.Write(p.Id);
            w.Write(p.Position.X); w.Write(p.Position.Y); w.Write(p.Position.Z);
            w.Write(p.R); w.Write(p.G); w.Write(p.B);
            w.Write(p.Error);
            w.Write((ulong)p.Track.Count);
            foreach (var (imageId, idx) in p.Track) { w.Write(imageId); w.Write(idx); }
        }
        w.Flush();
        return ms.ToArray();
    }

    // ---- text: '#' comment headers, space-separated fields, two lines per image ----

    private static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    public void WriteText(string modelDir)
    {
        Directory.CreateDirectory(modelDir);
        File.WriteAllText(Path.Combine(modelDir, "cameras.txt"), CamerasTxt());
        File.WriteAllText(Path.Combine(modelDir, "images.txt"), ImagesTxt());
        File.WriteAllText(Path.Combine(modelDir, "points3D.txt"), PointsTxt());
    }

    public string CamerasTxt()
    {
        var sb = new StringBuilder();
        sb.Append("# Camera list with one line of data per camera:\n#   CAMERA_ID, MODEL, WIDTH, HEIGHT, PARAMS[]\n");
        sb.Append($"# Number of cameras: {Cameras.Count}\n");
        foreach (var c in Cameras)
            sb.Append($"{c.Id} {c.Model} {c.Width} {c.Height} {string.Join(' ', c.Params.Select(F))}\n");
        return sb.ToString();
    }

    public string ImagesTxt()
    {
        var sb = new StringBuilder();
        sb.Append("# Image list with two lines of data per image:\n");
        sb.Append("#   IMAGE_ID, QW, QX, QY, QZ, TX, TY, TZ, CAMERA_ID, NAME\n#   POINTS2D[] as (X, Y, POINT3D_ID)\n");
        sb.Append($"# Number of images: {Images.Count}\n");
        foreach (var im in Images)
        {
            sb.Append($"{im.Id} {string.Join(' ', im.Qvec.Select(F))} {string.Join(' ', im.Tvec.Select(F))} {im.CameraId} {im.Name}\n");
            // Empty for an image without observations, as COLMAP writes it.
            sb.Append(string.Join(' ', im.Points2D.Select(p => $"{F(p.X)} {F(p.Y)} {p.Point3DId}"))).Append('\n');
        }
        return sb.ToString();
    }

    public string PointsTxt()
    {
        var sb = new StringBuilder();
        sb.Append("# 3D point list with one line of data per point:\n#   POINT3D_ID, X, Y, Z, R, G, B, ERROR, TRACK[] as (IMAGE_ID, POINT2D_IDX)\n");
        foreach (var p in Points)
            sb.Append($"{p.Id} {F(p.Position.X)} {F(p.Position.Y)} {F(p.Position.Z)} {p.R} {p.G} {p.B} {F(p.Error)} {string.Join(' ', p.Track.Select(t => $"{t.ImageId} {t.Point2DIdx}"))}\n");
        return sb.ToString();
    }

    /// <summary>Writes a small PNG of each image's camera size into <paramref name="imagesDir"/>.</summary>
    public void WriteImages(string imagesDir)
    {
        Directory.CreateDirectory(imagesDir);
        foreach (var im in Images)
        {
            var cam = Cameras.SingleOrDefault(c => c.Id == im.CameraId); // none in tests of a dangling camera id
            int width = cam?.Width ?? 8, height = cam?.Height ?? 8;
            var img = new Image(width, height, 3);
            for (int y = 0; y < height; y++)
                for (int x = 0; x < width; x++)
                {
                    img[0, x, y] = (float)x / width;
                    img[1, x, y] = (float)y / height;
                    img[2, x, y] = im.Id % 2;
                }
            ImageIO.SavePng(Path.Combine(imagesDir, im.Name), img);
        }
    }

    /// <summary>A dataset folder: <c>images/</c> plus the model in <c>sparse/0</c> (binary or text).</summary>
    public string WriteDataset(string root, bool binary)
    {
        WriteImages(Path.Combine(root, "images"));
        string model = Path.Combine(root, "sparse", "0");
        if (binary) WriteBinary(model); else WriteText(model);
        return root;
    }
}
