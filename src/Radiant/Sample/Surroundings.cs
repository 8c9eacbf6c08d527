using Radiant.Mathematics;

namespace Radiant.Sample;

/// <summary>
/// What lies around the still life in the unbounded variant of the sample scene (the layout of a
/// Mip-NeRF 360 capture, where every pixel shows something): an endless paved ground at the
/// pedestal's foot, a ring of banded standing stones 7–11 units out (parallax at mid distance), and
/// the sky of <see cref="SceneMaterials.Sky"/> above the horizon. The ground is lit as the scene is
/// (the still life casts its shadow on it) and fades into haze with distance, as outdoor photos do.
/// </summary>
internal static class Surroundings
{
    /// <summary>Height of the ground plane (the pedestal's foot).</summary>
    public const double GroundZ = -0.9;

    private const double TileSize = 0.6, MortarWidth = 0.035;
    private const double HazeDistance = 40;
    private static readonly Vec3 Haze = new(0.80, 0.82, 0.86);

    private static readonly Primitive[] Stones = BuildStones();

    private static Primitive[] BuildStones()
    {
        var stones = new Primitive[10];
        for (int i = 0; i < stones.Length; i++)
        {
            double angle = 2 * Math.PI * (i + 0.3 * Hash(i, 1)) / stones.Length;
            double distance = 7 + 4 * Hash(i, 2), radius = 0.3 + 0.3 * Hash(i, 3), height = 1 + 2 * Hash(i, 4);
            var albedo = new Vec3(0.45 + 0.2 * Hash(i, 5), 0.42 + 0.15 * Hash(i, 6), 0.38 + 0.1 * Hash(i, 7));
            stones[i] = Primitive.Column(distance * Math.Cos(angle), distance * Math.Sin(angle), GroundZ, GroundZ + height, radius,
                new Material(SurfaceKind.Matte, albedo));
        }
        return stones;
    }

    /// <summary>
    /// Colour seen along a ray that left the still life (unit <paramref name="dir"/>), and the surface
    /// point it met (null for the sky).
    /// </summary>
    public static Vec3 Trace(Vec3 origin, Vec3 dir, out Vec3? surface)
    {
        double nearest = dir.Z < 0 ? (GroundZ - origin.Z) / dir.Z : double.PositiveInfinity;
        SurfaceHit hit = default, best = default;
        int stone = -1;
        for (int i = 0; i < Stones.Length; i++)
        {
            if (!Stones[i].MayHit(origin, dir, 0, nearest) || !Stones[i].Intersect(origin, dir, 0, nearest, ref hit)) continue;
            nearest = hit.T;
            best = hit;
            stone = i;
        }
        if (double.IsPositiveInfinity(nearest))
        {
            surface = null;
            return SceneMaterials.Sky(dir);
        }
        Vec3 pos = origin + nearest * dir;
        surface = pos;
        Vec3 color = stone >= 0 ? Stone(Stones[stone], best, pos) : Ground(pos);
        return SceneMaterials.Lerp(color, Haze, 1 - Math.Exp(-nearest / HazeDistance));
    }

    /// <summary>Paving stones: a tile colour of its own per tile, fine grain inside it, darker mortar between; lit from above, shadowed by the still life.</summary>
    private static Vec3 Ground(Vec3 pos)
    {
        double u = pos.X / TileSize, v = pos.Y / TileSize;
        int tu = (int)Math.Floor(u), tv = (int)Math.Floor(v);
        double fu = u - tu, fv = v - tv, mortar = MortarWidth / TileSize;
        Vec3 albedo;
        if (fu < mortar || fv < mortar) albedo = new Vec3(0.30, 0.29, 0.27);
        else
        {
            double tone = 0.55 + 0.3 * Hash(tu * 7919 + tv, 11);
            double grain = 0.85 + 0.3 * Hash((int)Math.Floor(pos.X * 40) * 104_729 + (int)Math.Floor(pos.Y * 40), 12);
            albedo = new Vec3(0.78 * tone, 0.70 * tone, 0.58 * tone) * grain;
        }
        double keyShadow = SceneLayout.Transmittance(pos + new Vec3(0, 0, 1e-6), SceneMaterials.KeyDir, 0, double.PositiveInfinity);
        return SceneMaterials.Mul(albedo, SceneMaterials.Diffuse(new Vec3(0, 0, 1), keyShadow));
    }

    /// <summary>A standing stone: horizontal bands of its colour, lit by the scene's lights (the still life is too far to shadow it).</summary>
    private static Vec3 Stone(in Primitive stone, in SurfaceHit hit, Vec3 pos)
    {
        Vec3 normal = stone.NormalToWorld(hit.LocalNormal);
        double band = ((int)Math.Floor((pos.Z - GroundZ) / 0.25) & 1) == 0 ? 1 : 0.7;
        return band * SceneMaterials.Mul(stone.Material.Albedo, SceneMaterials.Diffuse(normal, keyShadow: 1));
    }

    /// <summary>A value in [0, 1) from two integers (a fixed integer hash, the same on every machine).</summary>
    private static double Hash(int a, int b)
    {
        uint h = (uint)a * 0x9E3779B1u ^ (uint)b * 0x85EBCA77u;
        h ^= h >> 15; h *= 0x2C1B3C6Du; h ^= h >> 12; h *= 0x297A2D39u; h ^= h >> 15;
        return h / 4294967296.0;
    }
}
