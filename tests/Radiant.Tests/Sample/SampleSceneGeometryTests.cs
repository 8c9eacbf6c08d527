using System.Text.Json;
using Radiant.Data;
using Radiant.Imaging;
using Radiant.Mathematics;
using Radiant.Sample;

namespace Radiant.Tests.Sample;

/// <summary>The written images agree with the written cameras and the scene's geometry under our camera convention.</summary>
public sealed class SampleSceneGeometryTests(SmallSampleScene scene) : IClassFixture<SmallSampleScene>
{
    private static readonly SampleSceneOptions Options = SmallSampleScene.Options;

    [Theory]
    [InlineData("train")]
    [InlineData("test")]
    public void Origin_projects_to_the_image_centre(string split)
    {
        foreach (Camera camera in CamerasFromJson(split))
        {
            Vec3 inCamera = camera.Rotation * Vec3.Zero + camera.Translation;
            Assert.True(inCamera.Z > 0, "the origin is in front of the camera");
            Assert.Equal(Options.CameraDistance, inCamera.Z, 1e-9);
            Assert.Equal(Options.Width / 2.0, camera.Fx * inCamera.X / inCamera.Z + camera.Cx, 1e-9);
            Assert.Equal(Options.Height / 2.0, camera.Fy * inCamera.Y / inCamera.Z + camera.Cy, 1e-9);
            // World up (+z) points up in the image (−v): the image is not upside down.
            Vec3 up = camera.Rotation * new Vec3(0, 0, 1);
            Assert.True(up.Y < 0);
        }
    }

    [Fact]
    public void Cameras_api_matches_the_transforms_files()
    {
        IReadOnlyList<Camera> fromJson = CamerasFromJson("test");
        IReadOnlyList<Camera> fromApi = SampleScene.Cameras(Options, "test");
        for (int i = 0; i < fromJson.Count; i++)
        {
            Assert.Equal(fromJson[i].Fx, fromApi[i].Fx, 1e-9);
            Assert.True((fromJson[i].Center - fromApi[i].Center).Length < 1e-9);
            Assert.True((fromJson[i].Translation - fromApi[i].Translation).Length < 1e-9);
            Assert.Equal($"test/r_{i}.png", fromApi[i].ImagePath);
        }
    }

    [Fact]
    public void Alpha_footprint_is_where_the_geometry_is()
    {
        int checkedEmpty = 0, checkedFull = 0, checkedOutside = 0;
        foreach ((Camera camera, string file) in CamerasFromJson("train").Select((c, i) => (c, $"train/r_{i}.png"))
                     .Concat(CamerasFromJson("test").Select((c, i) => (c, $"test/r_{i}.png"))))
        {
            Image image = ImageIO.Load(Path.Combine(scene.Root, file));
            int n = Options.SamplesPerAxis;
            Vec3 eye = camera.Center;
            // Angular radius of a pixel's footprint, for a conservative test against the bounding sphere.
            double margin = (eye.Length + SampleScene.BoundingRadius) * 0.75 / camera.Fx;
            for (int y = 0; y < camera.Height; y++)
            {
                for (int x = 0; x < camera.Width; x++)
                {
                    byte alpha = Image.Quantize8(image[3, x, y]);

                    // Independent of the renderer: a pixel whose rays all pass outside the bounding sphere is empty.
                    Vec3 centreRay = SmallSampleScene.RayDirection(camera, x + 0.5, y + 0.5);
                    double along = -eye.Dot(centreRay);
                    double missBy = Math.Sqrt(Math.Max(0, eye.Dot(eye) - along * along));
                    if (missBy > SampleScene.BoundingRadius + margin) { Assert.Equal(0, alpha); checkedOutside++; }

                    // Against the scene's own ray queries: all of a pixel's sample rays hit opaque surfaces → opaque; all miss → empty.
                    int opaque = 0, empty = 0;
                    for (int sy = 0; sy < n; sy++)
                        for (int sx = 0; sx < n; sx++)
                        {
                            Vec3 dir = SmallSampleScene.RayDirection(camera, x + (sx + 0.5) / n, y + (sy + 0.5) / n);
                            if (!SceneLayout.Nearest(eye, dir, 0, double.PositiveInfinity, false, SceneLayout.AllPrimitives, out _)) empty++;
                            else if (SceneLayout.Nearest(eye, dir, 0, double.PositiveInfinity, true, SceneLayout.AllPrimitives, out SurfaceHit hit)
                                     && FirstHitIsOpaque(eye, dir, hit)) opaque++;
                        }
                    if (empty == n * n) { Assert.Equal(0, alpha); checkedEmpty++; }
                    if (opaque == n * n) { Assert.Equal(255, alpha); checkedFull++; }
                }
            }
        }
        Assert.True(checkedOutside > 500, $"{checkedOutside} pixels outside the bounding sphere");
        Assert.True(checkedEmpty > 1000, $"{checkedEmpty} empty pixels");
        Assert.True(checkedFull > 1000, $"{checkedFull} opaque pixels");
    }

    [Fact]
    public void All_geometry_lies_within_the_bounding_radius()
    {
        double farthest = 0;
        foreach (Primitive p in SceneLayout.Primitives)
        {
            Mat3 toWorld = p.WorldToLocal.Transposed();
            double d = p.Kind switch
            {
                PrimitiveKind.Sphere => p.Center.Length + p.Size.X,
                PrimitiveKind.Torus => p.Center.Length + p.Size.X + p.Size.Y,
                PrimitiveKind.Box => Corners(p.Size).Max(c => (p.Center + toWorld * c).Length),
                _ => Enumerable.Range(0, 3600).SelectMany(k =>
                {
                    double a = k * Math.PI / 1800;
                    return new[] { 1, -1 }.Select(s => (p.Center + toWorld * new Vec3(p.Size.X * Math.Cos(a), p.Size.X * Math.Sin(a), s * p.Size.Z)).Length);
                }).Max() + 1e-6,
            };
            farthest = Math.Max(farthest, d);
        }
        Assert.True(farthest <= SampleScene.BoundingRadius, $"geometry reaches {farthest}");
        Assert.True(farthest > 1.1, "the scene fills its bounding sphere");
    }

    [Fact]
    public void Render_follows_the_pixel_centre_convention_at_any_resolution()
    {
        // 2×2 samples a pixel sit at the centres of the pixels of an image twice the size, so the
        // large image averaged over 2×2 blocks must equal the small one.
        Camera small = SampleScene.Cameras(Options with { Width = 26, Height = 20 }, "train")[2];
        Image low = SampleScene.Render(small, 2);
        Image high = SampleScene.Render(small.ResizedTo(52, 40), 1);
        int visible = 0;
        for (int y = 0; y < low.Height; y++)
            for (int x = 0; x < low.Width; x++)
            {
                double a = 0, r = 0, g = 0, b = 0;
                for (int k = 0; k < 4; k++)
                {
                    int hx = 2 * x + (k & 1), hy = 2 * y + (k >> 1);
                    double ak = high[3, hx, hy];
                    a += ak; r += ak * high[0, hx, hy]; g += ak * high[1, hx, hy]; b += ak * high[2, hx, hy];
                }
                Assert.Equal(low[3, x, y], a / 4, 1e-6);
                if (a > 1e-3)
                {
                    visible++;
                    Assert.Equal(low[0, x, y], r / a, 1e-5);
                    Assert.Equal(low[1, x, y], g / a, 1e-5);
                    Assert.Equal(low[2, x, y], b / a, 1e-5);
                }
            }
        Assert.True(visible > 50);
    }

    private static bool FirstHitIsOpaque(Vec3 eye, Vec3 dir, SurfaceHit opaqueHit) =>
        // The nearest surface of all (translucent included) is the nearest opaque one: nothing translucent in front.
        SceneLayout.Nearest(eye, dir, 0, double.PositiveInfinity, false, SceneLayout.AllPrimitives, out SurfaceHit any) && any.Primitive == opaqueHit.Primitive;

    private static IEnumerable<Vec3> Corners(Vec3 h)
    {
        for (int i = 0; i < 8; i++) yield return new Vec3((i & 1) != 0 ? h.X : -h.X, (i & 2) != 0 ? h.Y : -h.Y, (i & 4) != 0 ? h.Z : -h.Z);
    }

    private List<Camera> CamerasFromJson(string split)
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(scene.Root, $"transforms_{split}.json")));
        double angle = doc.RootElement.GetProperty("camera_angle_x").GetDouble();
        return [.. doc.RootElement.GetProperty("frames").EnumerateArray().Select(f => SmallSampleScene.CameraFromFrame(f, angle, Options.Width, Options.Height))];
    }
}
