using Radiant.Data;
using Radiant.Imaging;
using Radiant.Mathematics;

namespace Radiant.Sample;

/// <summary>
/// The ray tracer proper: camera rays through stratified sub-pixel positions, layered through
/// translucent surfaces, averaged into straight-alpha RGBA. Each pixel depends only on its own rays,
/// so the result is the same bytes whatever the thread count or scheduling.
/// </summary>
internal static class SceneRenderer
{
    /// <summary>At most this many surfaces along one ray (translucent ones let the ray continue).</summary>
    private const int MaxLayers = 4;
    private const double ContinueOffset = 1e-6;
    /// <summary>Side of the square pixel tiles that share one list of candidate primitives.</summary>
    private const int TileSize = 8;

    /// <summary>Renders <paramref name="camera"/> with <paramref name="samplesPerAxis"/>² stratified samples a pixel (box filter over the pixel).</summary>
    public static Image Render(Camera camera, int samplesPerAxis) => Render(camera, samplesPerAxis, maxThreads: -1);

    /// <summary>
    /// As above on at most <paramref name="maxThreads"/> threads (−1: as many as the runtime likes); the
    /// pixels do not depend on it. With <paramref name="surroundings"/> the still life stands in
    /// <see cref="Surroundings"/> (every pixel opaque) instead of in front of a transparent background.
    /// </summary>
    public static Image Render(Camera camera, int samplesPerAxis, int maxThreads, bool surroundings = false)
    {
        ArgumentNullException.ThrowIfNull(camera);
        ArgumentOutOfRangeException.ThrowIfLessThan(samplesPerAxis, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(samplesPerAxis, 64);
        int width = camera.Width, height = camera.Height;
        var image = new Image(width, height, 4);
        float[] data = image.Data;
        int plane = width * height;
        Mat3 camToWorld = camera.Rotation.Transposed();
        Vec3 eye = camera.Center;
        double fx = camera.Fx, fy = camera.Fy, cx = camera.Cx, cy = camera.Cy;
        int n = samplesPerAxis;
        double inv = 1.0 / n, invCount = 1.0 / (n * n);

        // Work in square tiles: for each tile, only the primitives whose bounding spheres meet the cone
        // of the tile's rays are tested by camera rays (a conservative cull, so the pixels are the
        // same as testing every primitive). Parallel over rows of tiles.
        int tilesX = (width + TileSize - 1) / TileSize, tileRows = (height + TileSize - 1) / TileSize;
        Parallel.For(0, tileRows, new ParallelOptions { MaxDegreeOfParallelism = maxThreads }, tileRow =>
        {
            int y0 = tileRow * TileSize, y1 = Math.Min(height, y0 + TileSize);
            for (int tileX = 0; tileX < tilesX; tileX++)
            {
                int x0 = tileX * TileSize, x1 = Math.Min(width, x0 + TileSize);
                uint candidates = TileCandidates(camera, camToWorld, eye, x0, y0, x1, y1);
                for (int y = y0; y < y1; y++)
                {
                    for (int x = x0; x < x1; x++)
                    {
                        Vec3 sum = Vec3.Zero;
                        double alphaSum = 0;
                        for (int sy = 0; sy < n; sy++)
                        {
                            double v = y + (sy + 0.5) * inv;
                            for (int sx = 0; sx < n; sx++)
                            {
                                double u = x + (sx + 0.5) * inv;
                                Vec3 dir = (camToWorld * new Vec3((u - cx) / fx, (v - cy) / fy, 1)).Normalized();
                                (Vec3 premultiplied, double alpha) = TraceCamera(eye, dir, candidates, surroundings);
                                sum += premultiplied;
                                alphaSum += alpha;
                            }
                        }
                        int i = y * width + x;
                        // Straight (unpremultiplied) colour, as PNG stores it.
                        Vec3 rgb = alphaSum > 0 ? sum / alphaSum : Vec3.Zero;
                        data[i] = (float)rgb.X;
                        data[plane + i] = (float)rgb.Y;
                        data[2 * plane + i] = (float)rgb.Z;
                        data[3 * plane + i] = (float)(alphaSum * invCount);
                    }
                }
            }
        });
        return image;
    }

    /// <summary>
    /// Primitives a camera ray through pixel rectangle [x0, x1) × [y0, y1) may hit. The rays through a
    /// rectangle of the image plane lie within the cone around its centre ray that holds its four
    /// corner rays; a bounding sphere is kept if it meets that cone (with a small safety margin).
    /// </summary>
    private static uint TileCandidates(Camera camera, Mat3 camToWorld, Vec3 eye, int x0, int y0, int x1, int y1)
    {
        Vec3 Ray(double u, double v) => (camToWorld * new Vec3((u - camera.Cx) / camera.Fx, (v - camera.Cy) / camera.Fy, 1)).Normalized();
        Vec3 axis = Ray(0.5 * (x0 + x1), 0.5 * (y0 + y1));
        double minCos = Math.Min(Math.Min(axis.Dot(Ray(x0, y0)), axis.Dot(Ray(x1, y0))), Math.Min(axis.Dot(Ray(x0, y1)), axis.Dot(Ray(x1, y1))));
        double halfAngle = Math.Acos(Math.Clamp(minCos, -1, 1)) + 1e-4;
        uint mask = 0;
        Primitive[] prims = SceneLayout.Primitives;
        for (int i = 0; i < prims.Length; i++)
        {
            Vec3 toCenter = prims[i].Center - eye;
            double dist = toCenter.Length, r = prims[i].BoundRadius * 1.0001 + 1e-9;
            if (dist <= r) { mask |= 1u << i; continue; }
            double angle = Math.Acos(Math.Clamp(axis.Dot(toCenter) / dist, -1, 1));
            if (angle <= halfAngle + Math.Asin(r / dist)) mask |= 1u << i;
        }
        return mask;
    }

    /// <summary>Premultiplied colour and alpha seen along a camera ray (unit <paramref name="dir"/>); the background is transparent.</summary>
    public static (Vec3 Premultiplied, double Alpha) TraceCamera(Vec3 origin, Vec3 dir) => TraceCamera(origin, dir, SceneLayout.AllPrimitives, surroundings: false);

    /// <summary>
    /// As above, testing only the primitives in <paramref name="candidates"/> (which must include every
    /// one the ray can hit); with <paramref name="surroundings"/>, the light that passes the still life
    /// comes from <see cref="Surroundings"/> and the ray is opaque.
    /// </summary>
    private static (Vec3 Premultiplied, double Alpha) TraceCamera(Vec3 origin, Vec3 dir, uint candidates, bool surroundings)
    {
        double transmittance = 1;
        Vec3 color = Vec3.Zero;
        if (candidates != 0 && HitsBoundingSphere(origin, dir)) transmittance = Layers(origin, dir, depth: 0, candidates, out color);
        if (!surroundings) return (color, 1 - transmittance);
        if (transmittance > 0) color += transmittance * Surroundings.Trace(origin, dir, out _);
        return (color, 1);
    }

    /// <summary>Colour seen along a reflected ray: the scene (shaded without further reflections) in front of the sky.</summary>
    public static Vec3 TraceReflected(Vec3 origin, Vec3 dir)
    {
        if (!HitsBoundingSphere(origin, dir)) return SceneMaterials.Sky(dir);
        double transmittance = Layers(origin, dir, depth: 1, SceneLayout.AllPrimitives, out Vec3 color);
        return transmittance > 0 ? color + transmittance * SceneMaterials.Sky(dir) : color;
    }

    /// <summary>Composites the surfaces along the ray front to back; returns the light still passing through (0 once an opaque surface is hit).</summary>
    private static double Layers(Vec3 origin, Vec3 dir, int depth, uint candidates, out Vec3 color)
    {
        color = Vec3.Zero;
        double transmittance = 1, tMin = 0;
        for (int layer = 0; layer < MaxLayers; layer++)
        {
            if (!SceneLayout.Nearest(origin, dir, tMin, double.PositiveInfinity, opaqueOnly: false, candidates, out SurfaceHit hit)) break;
            ref readonly Primitive prim = ref SceneLayout.Primitives[hit.Primitive];
            Vec3 pos = origin + hit.T * dir;
            Vec3 normal = prim.NormalToWorld(hit.LocalNormal);
            Vec3 toEye = -dir;
            Vec3 c = SceneMaterials.Shade(in hit, pos, normal, toEye, depth);
            double a = SceneMaterials.Opacity(prim.Material, normal, toEye);
            color += transmittance * a * c;
            transmittance *= 1 - a;
            if (a >= 1) return 0;
            // Translucent shapes are thin spheres: the ray continues from where it leaves them.
            double exit = prim.Kind == PrimitiveKind.Sphere ? prim.SphereExit(origin, dir) : hit.T;
            tMin = Math.Max(hit.T, exit) + ContinueOffset;
        }
        return transmittance;
    }

    private static bool HitsBoundingSphere(Vec3 origin, Vec3 dir)
    {
        double b = origin.Dot(dir);
        double c = origin.Dot(origin) - SceneLayout.BoundingRadius * SceneLayout.BoundingRadius;
        double disc = b * b - c;
        return disc >= 0 && -b + Math.Sqrt(disc) > 0;
    }
}
