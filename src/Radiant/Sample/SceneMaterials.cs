using Radiant.Imaging;
using Radiant.Mathematics;

namespace Radiant.Sample;

/// <summary>How a surface is textured and shaded.</summary>
internal enum SurfaceKind : byte
{
    /// <summary>Plain Lambertian colour.</summary>
    Matte,
    /// <summary>Pedestal: checker and ring on top, dot-matrix text and a bar code around the side.</summary>
    Pedestal,
    /// <summary>Cube faces: diagonal stripes with two letters each, a target on top.</summary>
    LetterBox,
    /// <summary>Glossy dielectric: diffuse base under a clear coat (Fresnel reflection of the scene and sky, Blinn–Phong highlights).</summary>
    Lacquer,
    /// <summary>Metal: reflection tinted by the albedo.</summary>
    Metal,
    /// <summary>Tinted glass seen as a thin translucent shell (no refraction); opacity rises towards grazing angles.</summary>
    Glass,
    /// <summary>Helical stripes (a candy-cane rod).</summary>
    Candy,
}

/// <summary>A surface's appearance: kind, base colour in [0, 1] and opacity (1 = opaque).</summary>
internal readonly record struct Material(SurfaceKind Kind, Vec3 Albedo, double Opacity = 1);

/// <summary>
/// Textures and shading of the sample scene: procedural textures in each primitive's frame, two
/// directional lights (a warm key light that casts shadows and a cool fill) over a hemispherical
/// ambient term, and a procedural sky that glossy surfaces reflect. Colours are clamped to [0, 1].
/// </summary>
internal static class SceneMaterials
{
    /// <summary>Direction towards the key light, and its colour.</summary>
    public static readonly Vec3 KeyDir = new Vec3(0.45, -0.55, 0.70).Normalized();
    private static readonly Vec3 KeyColor = new(0.86, 0.82, 0.74);
    private static readonly Vec3 FillDir = new Vec3(-0.75, 0.50, 0.35).Normalized();
    private static readonly Vec3 FillColor = new(0.24, 0.28, 0.36);
    private static readonly Vec3 AmbientColor = new(0.20, 0.21, 0.24);

    /// <summary>Offset along the normal for secondary rays, so they do not hit the surface they leave.</summary>
    private const double RayOffset = 1e-6;

    private const string PedestalText = "RADIANT 3DGS ";
    private const int PedestalTextRepeats = 3;
    private const int BarcodeModules = 359;
    private static readonly string[] CubeFaceText = ["3D", "RA", "GS", "DI"]; // +x, −x, +y, −y: corners read "3DGS", "GSRA", "RADI", "DI3D"

    /// <summary>Colour of the surface at <paramref name="pos"/> with outward normal <paramref name="normal"/>, seen from direction <paramref name="toEye"/> (unit, from the surface). <paramref name="depth"/> 0 for camera rays, 1 inside a reflection.</summary>
    public static Vec3 Shade(in SurfaceHit hit, Vec3 pos, Vec3 normal, Vec3 toEye, int depth)
    {
        ref readonly Primitive prim = ref SceneLayout.Primitives[hit.Primitive];
        Material m = prim.Material;
        // Closed shapes are seen from outside; guard anyway so lighting never uses a back-facing normal.
        if (normal.Dot(toEye) < 0) normal = -normal;
        double keyShadow = KeyVisibility(pos, normal);

        Vec3 color;
        switch (m.Kind)
        {
            case SurfaceKind.Lacquer:
            {
                double cos = Math.Clamp(normal.Dot(toEye), 0, 1);
                double reflectance = 0.10 + 0.90 * Schlick(0.04, cos);
                Vec3 reflected = Reflection(pos, normal, toEye, depth);
                color = (1 - reflectance) * Mul(m.Albedo, Diffuse(normal, keyShadow))
                    + reflectance * reflected + Specular(normal, toEye, keyShadow, 120, 0.9);
                break;
            }
            case SurfaceKind.Metal:
            {
                Vec3 reflected = Reflection(pos, normal, toEye, depth);
                color = Mul(m.Albedo, 0.25 * Diffuse(normal, keyShadow) + 0.75 * reflected + Specular(normal, toEye, keyShadow, 60, 0.7));
                break;
            }
            case SurfaceKind.Glass:
                // The tint stands for light passing through the glass, so it shows on the unlit side too.
                color = 0.85 * Mul(m.Albedo, 0.4 * new Vec3(1, 1, 1) + 0.6 * Diffuse(normal, keyShadow))
                    + 0.15 * Sky(Reflect(toEye, normal)) + Specular(normal, toEye, keyShadow, 200, 1.0);
                break;
            default:
                color = Mul(Albedo(in hit, in prim), Diffuse(normal, keyShadow));
                break;
        }
        return Clamp01(color);
    }

    /// <summary>Opacity of a translucent surface seen at the given angle (Fresnel-like rise towards grazing), or 1 for opaque ones.</summary>
    public static double Opacity(in Material m, Vec3 normal, Vec3 toEye)
    {
        if (m.Opacity >= 1) return 1;
        double cos = Math.Abs(normal.Dot(toEye));
        double grazing = 1 - cos;
        return m.Opacity + (1 - m.Opacity) * 0.6 * grazing * grazing;
    }

    /// <summary>
    /// The environment that glossy surfaces reflect (never seen directly; the background is
    /// transparent): a sky gradient with two bright rectangular "windows" above a darker ground.
    /// </summary>
    public static Vec3 Sky(Vec3 dir)
    {
        double z = dir.Z;
        if (z < 0)
        {
            double g = Math.Sqrt(-z);
            return Lerp(new Vec3(0.46, 0.41, 0.35), new Vec3(0.16, 0.14, 0.12), g);
        }
        Vec3 sky = Lerp(new Vec3(0.92, 0.88, 0.80), new Vec3(0.28, 0.48, 0.88), Math.Pow(z, 0.6));
        double azimuth = Math.Atan2(dir.Y, dir.X);
        double elevation = Math.Asin(Math.Min(z, 1));
        if (azimuth > -1.2 && azimuth < -0.6 && elevation > 0.35 && elevation < 0.80) return new Vec3(1, 1, 1);
        if (azimuth > 2.3 && azimuth < 2.8 && elevation > 0.10 && elevation < 0.45) return new Vec3(0.62, 0.82, 1.0);
        return sky;
    }

    /// <summary>Ambient plus both lights (the key one scaled by its shadow term), before multiplying by albedo.</summary>
    internal static Vec3 Diffuse(Vec3 n, double keyShadow)
    {
        Vec3 light = (0.75 + 0.25 * n.Z) * AmbientColor;
        light += Math.Max(0, n.Dot(KeyDir)) * keyShadow * KeyColor;
        light += Math.Max(0, n.Dot(FillDir)) * FillColor;
        return light;
    }

    /// <summary>Blinn–Phong highlights of both lights.</summary>
    private static Vec3 Specular(Vec3 n, Vec3 toEye, double keyShadow, double shininess, double strength)
    {
        Vec3 hKey = (KeyDir + toEye).Normalized(), hFill = (FillDir + toEye).Normalized();
        double key = n.Dot(KeyDir) > 0 ? Math.Pow(Math.Max(0, n.Dot(hKey)), shininess) * keyShadow : 0;
        double fill = n.Dot(FillDir) > 0 ? Math.Pow(Math.Max(0, n.Dot(hFill)), shininess) : 0;
        return strength * (key * new Vec3(1, 0.97, 0.9) + fill * new Vec3(0.55, 0.65, 0.8));
    }

    /// <summary>How much key light reaches the point (0 in shadow, partial behind glass).</summary>
    private static double KeyVisibility(Vec3 pos, Vec3 n) =>
        n.Dot(KeyDir) <= 0 ? 0 : SceneLayout.Transmittance(pos + RayOffset * n, KeyDir, 0, 10);

    /// <summary>What a mirror at the point reflects: the scene (one bounce) for camera rays, only the sky inside a reflection.</summary>
    private static Vec3 Reflection(Vec3 pos, Vec3 n, Vec3 toEye, int depth)
    {
        Vec3 r = Reflect(toEye, n);
        return depth == 0 ? SceneRenderer.TraceReflected(pos + RayOffset * n, r) : Sky(r);
    }

    private static Vec3 Reflect(Vec3 toEye, Vec3 n) => 2 * n.Dot(toEye) * n - toEye;

    private static double Schlick(double f0, double cos)
    {
        double x = 1 - cos, x2 = x * x;
        return f0 + (1 - f0) * x2 * x2 * x;
    }

    /// <summary>Textured base colour of the diffuse kinds.</summary>
    private static Vec3 Albedo(in SurfaceHit hit, in Primitive prim)
    {
        Material m = prim.Material;
        return m.Kind switch
        {
            SurfaceKind.Pedestal => PedestalAlbedo(in hit, prim.Size),
            SurfaceKind.LetterBox => CubeAlbedo(in hit, prim.Size.X),
            SurfaceKind.Candy => CandyAlbedo(hit.Local, m.Albedo),
            _ => m.Albedo,
        };
    }

    /// <summary>
    /// Pedestal: top = 0.1-unit checker (cream / teal) with a thin dark-red ring; side = gold trims
    /// framing a line of dot-matrix text above a bar code, both wrapping seamlessly; bottom = dark grey.
    /// </summary>
    private static Vec3 PedestalAlbedo(in SurfaceHit hit, Vec3 size)
    {
        Vec3 p = hit.Local;
        Vec3 cream = new(0.92, 0.88, 0.78), teal = new(0.10, 0.40, 0.44), ink = new(0.08, 0.08, 0.10), gold = new(0.85, 0.66, 0.22);
        switch (hit.Face)
        {
            case 1:
            {
                double rho = Math.Sqrt(p.X * p.X + p.Y * p.Y);
                if (Math.Abs(rho - 0.74) < 0.008) return new Vec3(0.55, 0.06, 0.06);
                long cell = (long)Math.Floor(p.X / 0.1) + (long)Math.Floor(p.Y / 0.1);
                return (cell & 1) == 0 ? cream : teal;
            }
            case 2:
                return new Vec3(0.25, 0.25, 0.27);
            default:
            {
                double h = size.Z, radius = size.X;
                double z = p.Z;
                if (z > h - 0.015 || z < -h + 0.015) return gold;
                // Unrolled side: u in [0, 1) once around.
                double u = (Math.Atan2(p.Y, p.X) + Math.PI) / (2 * Math.PI);
                if (u >= 1) u -= 1;
                const double textTop = 0.124, dot = 0.022;
                if (z <= textTop && z > textTop - Glyphs.Rows * dot)
                {
                    int columns = PedestalText.Length * PedestalTextRepeats * (Glyphs.Columns + 1);
                    double x = u * columns;
                    int charIndex = (int)Math.Floor(x) / (Glyphs.Columns + 1) % PedestalText.Length;
                    double xInChar = x - Math.Floor(x / (Glyphs.Columns + 1)) * (Glyphs.Columns + 1);
                    bool on = Glyphs.Ink(PedestalText[charIndex], (int)Math.Floor(xInChar), (int)Math.Floor((textTop - z) / dot));
                    return on ? ink : cream;
                }
                if (z < -0.045 && z > -h + 0.03)
                {
                    int module = (int)Math.Floor(u * BarcodeModules);
                    return (Hash((uint)module) & 3) < 2 ? ink : cream;
                }
                return cream;
            }
        }
    }

    /// <summary>Cube: side faces have diagonal stripes (a palette per face) under two dark letters; top a red/white target; bottom grey.</summary>
    private static Vec3 CubeAlbedo(in SurfaceHit hit, double half)
    {
        Vec3 p = hit.Local;
        int face = hit.Face;
        if (face == 4)
        {
            double rho = Math.Sqrt(p.X * p.X + p.Y * p.Y);
            return ((int)Math.Floor(rho / 0.035) & 1) == 0 ? new Vec3(0.95, 0.95, 0.92) : new Vec3(0.80, 0.12, 0.12);
        }
        if (face == 5) return new Vec3(0.4, 0.4, 0.4);
        // Horizontal coordinate across the face, increasing left to right as seen from outside.
        double u = face switch { 0 => p.Y, 1 => -p.Y, 2 => -p.X, _ => p.X };
        double v = p.Z;
        int side = face; // 0..3
        const double dot = 0.032;
        double textWidth = (2 * Glyphs.Columns + 1) * dot;
        double tx = (u + textWidth / 2) / dot;
        double ty = (half - 0.04 - v) / dot;
        if (Glyphs.TextInk(CubeFaceText[side], tx, ty)) return new Vec3(0.06, 0.07, 0.20);
        bool stripe = ((long)Math.Floor((u + (side % 2 == 0 ? v : -v)) / 0.045) & 1) == 0;
        return side switch
        {
            0 => stripe ? new Vec3(0.95, 0.85, 0.30) : new Vec3(0.95, 0.95, 0.90),
            1 => stripe ? new Vec3(0.35, 0.75, 0.45) : new Vec3(0.95, 0.95, 0.90),
            2 => stripe ? new Vec3(0.55, 0.55, 0.95) : new Vec3(0.95, 0.95, 0.90),
            _ => stripe ? new Vec3(0.95, 0.55, 0.70) : new Vec3(0.95, 0.95, 0.90),
        };
    }

    /// <summary>Candy rod: white and colour in a helix (8 turns a unit of height).</summary>
    private static Vec3 CandyAlbedo(Vec3 p, Vec3 albedo)
    {
        double turn = p.Z * 8 + Math.Atan2(p.Y, p.X) / (2 * Math.PI);
        return turn - Math.Floor(turn) < 0.5 ? albedo : new Vec3(0.95, 0.95, 0.95);
    }

    /// <summary>Integer hash (lowbias32) for the bar code pattern: fixed, no random state.</summary>
    private static uint Hash(uint x)
    {
        x ^= x >> 16; x *= 0x7feb352d;
        x ^= x >> 15; x *= 0x846ca68b;
        x ^= x >> 16;
        return x;
    }

    internal static Vec3 Mul(Vec3 a, Vec3 b) => new(a.X * b.X, a.Y * b.Y, a.Z * b.Z);
    internal static Vec3 Lerp(Vec3 a, Vec3 b, double t) => a + t * (b - a);
    private static Vec3 Clamp01(Vec3 c) => new(Math.Clamp(c.X, 0, 1), Math.Clamp(c.Y, 0, 1), Math.Clamp(c.Z, 0, 1));
}
