using Radiant.Data;
using Radiant.Imaging;
using Radiant.Mathematics;
using Radiant.Sample;

namespace Radiant.Tests.Sample;

/// <summary>The properties that make the sample scene a useful quality benchmark: anti-aliased silhouettes, translucency, view-dependent colour.</summary>
public sealed class SampleSceneAppearanceTests
{
    [Fact]
    public void Silhouettes_have_fractional_alpha()
    {
        var options = new SampleSceneOptions { Width = 64, Height = 64, SamplesPerAxis = 4 };
        foreach (int view in new[] { 0, 37, 81 })
        {
            Image image = SampleScene.Render(SampleScene.Cameras(options, "train")[view], options.SamplesPerAxis);
            int boundary = 0, fractionalBoundary = 0, fractional = 0;
            for (int y = 1; y < 63; y++)
                for (int x = 1; x < 63; x++)
                {
                    float a = image[3, x, y];
                    if (a > 0 && a < 1) fractional++;
                    bool nextToEmpty = image[3, x - 1, y] == 0 || image[3, x + 1, y] == 0 || image[3, x, y - 1] == 0 || image[3, x, y + 1] == 0;
                    if (a > 0 && nextToEmpty)
                    {
                        boundary++;
                        if (a < 1) fractionalBoundary++;
                    }
                }
            Assert.True(boundary > 40, $"view {view}: {boundary} silhouette pixels");
            // Supersampling: silhouette pixels are partly covered, so most are neither 0 nor 1.
            Assert.True(fractionalBoundary > 0.7 * boundary, $"view {view}: {fractionalBoundary} of {boundary} silhouette pixels are fractional");
            Assert.True(fractional > 60, $"view {view}: {fractional} fractional pixels");
        }
    }

    [Fact]
    public void Glass_ball_is_translucent_and_tinted()
    {
        // Look through the middle of the glass ball at empty space behind it.
        Vec3 outward = new Vec3(0.6, 0.7, -0.1).Normalized();
        Vec3 eye = SceneLayout.GlassCenter + 0.6 * outward;
        Vec3 dir = -outward;
        Assert.True(SceneLayout.Nearest(eye, dir, 0, double.PositiveInfinity, false, SceneLayout.AllPrimitives, out SurfaceHit hit));
        Assert.Equal(SurfaceKind.Glass, SceneLayout.Primitives[hit.Primitive].Material.Kind);
        Assert.False(SceneLayout.Nearest(eye, dir, 0, double.PositiveInfinity, true, SceneLayout.AllPrimitives, out _), "nothing opaque behind the ball");

        Rgba seen = CentrePixel(eye, SceneLayout.GlassCenter);
        Assert.InRange(seen.A, 0.3, 0.8);
        Assert.True(seen.B > seen.R + 0.2, $"glass is cyan, saw {seen}");
    }

    [Fact]
    public void Glossy_sphere_changes_colour_with_view_direction_and_matte_surfaces_do_not()
    {
        int glossy = Array.FindIndex(SceneLayout.Primitives, p => p.Material.Kind == SurfaceKind.Lacquer);
        int plinth = Array.FindIndex(SceneLayout.Primitives, p => p.Kind == PrimitiveKind.Cylinder && p.Material.Kind == SurfaceKind.Matte
            && Math.Abs(p.Center.X - SceneLayout.GlossyCenter.X) < 1e-9 && Math.Abs(p.Center.Y - SceneLayout.GlossyCenter.Y) < 1e-9);
        Assert.True(glossy >= 0 && plinth >= 0);

        // A point on the upper front of the glossy sphere, seen from three directions.
        Vec3 n = new Vec3(0.3, -0.6, 0.75).Normalized();
        Vec3 p = SceneLayout.GlossyCenter + SceneLayout.GlossyRadius * n;
        Rgba[] glossyViews = [.. ViewsAround(p, n, 0.8).Select(eye => SeenAt(eye, p, glossy))];
        double glossySpread = MaxDifference(glossyViews);
        Assert.True(glossySpread > 0.15, $"glossy colour varies by only {glossySpread:0.###}");

        // The same on the matte plinth's side (Lambertian: the colour of a point is the same from everywhere).
        Primitive pl = SceneLayout.Primitives[plinth];
        Vec3 m = new Vec3(0.2, -1, 0).Normalized();
        Vec3 q = pl.Center + pl.Size.X * m;
        Rgba[] matteViews = [.. ViewsAround(q, m, 0.5).Select(eye => SeenAt(eye, q, plinth))];
        double matteSpread = MaxDifference(matteViews);
        Assert.True(matteSpread < 2e-3, $"matte colour varies by {matteSpread:0.####}");
        Assert.True(matteViews[0].R > 0.1, "the matte point is lit");
    }

    private readonly record struct Rgba(double R, double G, double B, double A);

    /// <summary>Eyes 0.6 from the point, along the normal and tilted either way about it.</summary>
    private static IEnumerable<Vec3> ViewsAround(Vec3 point, Vec3 normal, double tilt)
    {
        Vec3 side = normal.Cross(new Vec3(0, 0, 1)).Normalized();
        yield return point + 0.6 * normal;
        yield return point + 0.6 * (normal + tilt * side).Normalized();
        yield return point + 0.6 * (normal - tilt * side).Normalized();
    }

    /// <summary>Colour of the surface point as seen from <paramref name="eye"/>, after checking nothing else is in the way.</summary>
    private static Rgba SeenAt(Vec3 eye, Vec3 point, int primitive)
    {
        Vec3 dir = (point - eye).Normalized();
        Assert.True(SceneLayout.Nearest(eye, dir, 0, double.PositiveInfinity, false, SceneLayout.AllPrimitives, out SurfaceHit hit));
        Assert.Equal(primitive, hit.Primitive);
        Assert.True((eye + hit.T * dir - point).Length < 1e-9);
        return CentrePixel(eye, point);
    }

    /// <summary>The centre pixel of a tiny, very narrow camera at <paramref name="eye"/> aimed at <paramref name="target"/> (its centre ray hits the target).</summary>
    private static Rgba CentrePixel(Vec3 eye, Vec3 target)
    {
        (Mat3 rotation, Vec3 position) = SampleCameras.LookAt(eye, target, new Vec3(0, 0, 1));
        Camera camera = SampleCameras.ToCamera(rotation, position, 5, 5, 1e-4, "probe", "");
        Image image = SampleScene.Render(camera, 1);
        return new Rgba(image[0, 2, 2], image[1, 2, 2], image[2, 2, 2], image[3, 2, 2]);
    }

    private static double MaxDifference(Rgba[] colours)
    {
        double max = 0;
        foreach (Rgba a in colours)
            foreach (Rgba b in colours)
                max = Math.Max(max, Math.Max(Math.Abs(a.R - b.R), Math.Max(Math.Abs(a.G - b.G), Math.Abs(a.B - b.B))));
        return max;
    }
}
