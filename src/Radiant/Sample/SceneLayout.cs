using System.Numerics;
using Radiant.Mathematics;

namespace Radiant.Sample;

/// <summary>
/// What is in the sample scene and where (world z up, like Blender; everything within
/// <see cref="BoundingRadius"/> of the origin), plus the two ray queries the renderer needs.
/// Each object is there to stress one thing a reconstruction can get wrong:
/// <list type="bullet">
/// <item>a round pedestal with a fine checker on top and dot-matrix text and a bar code around its side (fine, high-contrast texture);</item>
/// <item>a lacquered red sphere on a matte orange plinth (view-dependent colour: highlights and reflections of the scene and a sky);</item>
/// <item>a cube with lettered, striped faces and a target on top (sharp edges, text);</item>
/// <item>five thin upright rods, one candy-striped, a thinner leaning rod and a gold wire ring (thin structures, ~1–3 px wide at 200 px);</item>
/// <item>a translucent cyan glass ball (fractional alpha inside the silhouette).</item>
/// </list>
/// </summary>
internal static class SceneLayout
{
    /// <summary>All geometry lies inside this sphere about the origin (rays missing it see background).</summary>
    public const double BoundingRadius = 1.21;

    /// <summary>Height of the pedestal's top face, which the objects stand on.</summary>
    public const double TableZ = -0.6;

    public static readonly Vec3 GlossyCenter = new(0.28, -0.18, -0.08);
    public const double GlossyRadius = 0.34;
    public static readonly Vec3 GlassCenter = new(-0.33, -0.40, TableZ + 0.19);
    public const double GlassRadius = 0.19;

    public static readonly Primitive[] Primitives = Build();

    private static Primitive[] Build()
    {
        var list = new List<Primitive>
        {
            // Pedestal: radius 0.8, 0.3 tall; its rim is the farthest point from the origin (1.204).
            Primitive.Column(0, 0, -0.9, TableZ, 0.8, new Material(SurfaceKind.Pedestal, new Vec3(0.92, 0.88, 0.78))),
            // Plinth and the glossy sphere resting on it.
            Primitive.Column(GlossyCenter.X, GlossyCenter.Y, TableZ, GlossyCenter.Z - GlossyRadius + 0.02, 0.17,
                new Material(SurfaceKind.Matte, new Vec3(0.88, 0.46, 0.16))),
            Primitive.Sphere(GlossyCenter, GlossyRadius, new Material(SurfaceKind.Lacquer, new Vec3(0.72, 0.06, 0.08))),
            // Lettered cube standing on the table, turned 30° about z.
            Primitive.Box(new Vec3(-0.30, 0.18, TableZ + 0.2), new Vec3(0.2, 0.2, 0.2), RotationZ(30),
                new Material(SurfaceKind.LetterBox, new Vec3(0.95, 0.93, 0.88))),
            // Translucent glass ball.
            Primitive.Sphere(GlassCenter, GlassRadius, new Material(SurfaceKind.Glass, new Vec3(0.30, 0.78, 0.92), Opacity: 0.45)),
            // Gold wire ring, tilted, around the upper part of the scene.
            Primitive.Torus(new Vec3(0, 0, 0.2), new Vec3(0.15, -0.40, 0.90), 0.78, 0.02,
                new Material(SurfaceKind.Metal, new Vec3(1.0, 0.78, 0.34))),
            // A thinner rod leaning across the front.
            Primitive.Rod(new Vec3(0.62, -0.40, TableZ), new Vec3(-0.58, -0.02, 0.42), 0.011,
                new Material(SurfaceKind.Matte, new Vec3(0.10, 0.10, 0.12))),
        };
        // Five thin upright rods on an arc at the back right, of increasing height.
        Vec3[] rodColors = [new(0.95, 0.95, 0.95), new(0.95, 0.82, 0.10), new(0.85, 0.15, 0.65), new(0.20, 0.70, 0.25), new(0.15, 0.30, 0.90)];
        for (int i = 0; i < rodColors.Length; i++)
        {
            double angle = (20 + 22.5 * i) * Math.PI / 180;
            var kind = i == 2 ? SurfaceKind.Candy : SurfaceKind.Matte;
            list.Add(Primitive.Column(0.68 * Math.Cos(angle), 0.68 * Math.Sin(angle), TableZ, 0.15 + 0.075 * i, 0.018,
                new Material(kind, rodColors[i])));
        }
        if (list.Count > 32) throw new InvalidOperationException("the sample scene's primitive masks hold at most 32 primitives");
        return [.. list];
    }

    /// <summary>World-to-local rotation of a frame turned by <paramref name="degrees"/> about z.</summary>
    private static Mat3 RotationZ(double degrees)
    {
        double a = degrees * Math.PI / 180, c = Math.Cos(a), s = Math.Sin(a);
        return new Mat3(c, s, 0, -s, c, 0, 0, 0, 1);
    }

    /// <summary>Mask with a bit set for every primitive (there are at most 32).</summary>
    public static readonly uint AllPrimitives = Primitives.Length == 32 ? uint.MaxValue : (1u << Primitives.Length) - 1;

    /// <summary>
    /// Nearest surface along the ray within (tMin, tMax) among the primitives in <paramref name="candidates"/>
    /// (a bit mask; see <see cref="AllPrimitives"/>); with <paramref name="opaqueOnly"/> translucent shapes are ignored.
    /// Primitives are tried in index order, so ties resolve the same way every time.
    /// </summary>
    public static bool Nearest(Vec3 origin, Vec3 dir, double tMin, double tMax, bool opaqueOnly, uint candidates, out SurfaceHit hit)
    {
        hit = default;
        hit.Primitive = -1;
        double best = tMax;
        Primitive[] prims = Primitives;
        while (candidates != 0)
        {
            int i = BitOperations.TrailingZeroCount(candidates);
            candidates &= candidates - 1;
            ref readonly Primitive prim = ref prims[i];
            if (opaqueOnly && prim.Material.Opacity < 1) continue;
            if (!prim.MayHit(origin, dir, tMin, best)) continue;
            if (prim.Intersect(origin, dir, tMin, best, ref hit))
            {
                best = hit.T;
                hit.Primitive = i;
            }
        }
        return hit.Primitive >= 0;
    }

    /// <summary>Fraction of light that passes along the ray within (tMin, tMax): 0 behind anything opaque, reduced by each translucent shape crossed.</summary>
    public static double Transmittance(Vec3 origin, Vec3 dir, double tMin, double tMax)
    {
        double transmittance = 1;
        SurfaceHit scratch = default;
        Primitive[] prims = Primitives;
        for (int i = 0; i < prims.Length; i++)
        {
            ref readonly Primitive prim = ref prims[i];
            if (!prim.MayHit(origin, dir, tMin, tMax)) continue;
            if (!prim.Intersect(origin, dir, tMin, tMax, ref scratch)) continue;
            if (prim.Material.Opacity >= 1) return 0;
            transmittance *= 1 - prim.Material.Opacity;
        }
        return transmittance;
    }
}
