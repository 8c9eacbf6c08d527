using Radiant.Data;
using Radiant.Imaging;
using Radiant.Mathematics;
using Radiant.Model;
using Radiant.Rendering;
using Radiant.Sample;
using Radiant.Training;

namespace Radiant.Tests.Training;

/// <summary>The far shell's start colours come from the photos (<see cref="FarShellColours"/>).</summary>
public class FarShellColoursTests
{
    private const int Width = 40, Height = 30;

    private static Camera CameraAt(Vec3 eye, Vec3 target, string name)
    {
        (Mat3 cameraToWorld, Vec3 position) = SampleCameras.LookAt(eye, target, new Vec3(0, 0, 1));
        return SampleCameras.ToCamera(cameraToWorld, position, Width, Height, 60 * Math.PI / 180, name, "");
    }

    private static TrainingView View(Camera camera, Func<int, int, (float R, float G, float B)> colour, float[]? mask = null)
    {
        var image = new Image(Width, Height, 3);
        for (int y = 0; y < Height; y++)
            for (int x = 0; x < Width; x++)
                (image[0, x, y], image[1, x, y], image[2, x, y]) = colour(x, y);
        return new TrainingView(camera, RenderCamera.From(camera), image, mask);
    }

    /// <summary>The world direction of pixel (x, y)'s centre ray.</summary>
    private static Vec3 RayDirection(Camera c, int x, int y)
    {
        var inCamera = new Vec3((x + 0.5 - c.Cx) / c.Fx, (y + 0.5 - c.Cy) / c.Fy, 1);
        return (c.Rotation.Transposed() * inCamera).Normalized();
    }

    private static (float R, float G, float B) SkyColour(Vec3 d) => ((float)(0.5 + 0.45 * d.X), (float)(0.5 + 0.3 * d.Y), (float)(0.5 + 0.45 * d.Z));

    [Fact]
    public void A_sky_seen_from_several_places_gives_each_shell_point_the_colour_of_its_direction()
    {
        // Six cameras a unit or so apart, looking every way; the photos show a sky whose colour is a
        // function of direction (different in each channel). The shell, 1,000 units out, sees no parallax
        // to speak of, so each point must get the sky colour of its direction, to within the colour
        // change across a pixel (1.5° a pixel here: under 0.012, 3 levels of 255).
        Vec3[] eyes = [new(0, 0, 0), new(1, 0, 0.2), new(-0.5, 0.8, 0), new(0, -1, 0.5), new(0.3, 0.3, -0.4), new(-0.7, -0.2, 0.1)];
        Vec3[] looks = [new(1, 0, 0), new(-1, 0, 0.3), new(0, 1, 0), new(0, -1, -0.2), new(0.2, 0.1, 1), new(0.3, 0.2, -1)];
        var views = eyes.Select((eye, i) =>
        {
            Camera c = CameraAt(eye, eye + looks[i], $"v{i}");
            return View(c, (x, y) => SkyColour(RayDirection(c, x, y)));
        }).ToList();
        var centre = new Vec3(0.1, -0.2, 0.3);
        PointCloud shell = GaussianInit.FarShell(4000, centre, 1000);

        int seen = FarShellColours.FromViews(shell, views);

        int coloured = 0;
        for (int i = 0; i < shell.Count; i++)
        {
            Vec3 d = (new Vec3(shell.Positions[3 * i], shell.Positions[3 * i + 1], shell.Positions[3 * i + 2]) - centre).Normalized();
            byte[] got = shell.Colors[(3 * i)..(3 * i + 3)];
            if (got.All(v => v == GaussianInit.RandomStartGrey)) continue;   // no view sees it
            coloured++;
            var (r, g, b) = SkyColour(d);
            Assert.InRange(got[0], 255 * r - 4, 255 * r + 4);
            Assert.InRange(got[1], 255 * g - 4, 255 * g + 4);
            Assert.InRange(got[2], 255 * b - 4, 255 * b + 4);
        }
        Assert.Equal(seen, coloured);
        // Six views of 60° × 46° see about a fifth of the sphere: some points are seen, many are not.
        Assert.InRange(seen, 400, 2000);
    }

    [Fact]
    public void What_stands_in_front_of_the_sky_in_a_minority_of_views_is_passed_over()
    {
        // Five photos from nearly the same place: three see a blue sky, two have a red object filling
        // the frame. Every point they see takes the sky's colour.
        var views = Enumerable.Range(0, 5).Select(i =>
        {
            Camera c = CameraAt(new Vec3(0.01 * i, 0, 0), new Vec3(0.01 * i, 5, 0.5), $"v{i}");
            return View(c, (_, _) => i is 1 or 3 ? (0.9f, 0.1f, 0.1f) : (77 / 255f, 128 / 255f, 204 / 255f));
        }).ToList();
        PointCloud shell = GaussianInit.FarShell(2000, Vec3.Zero, 500);

        int seen = FarShellColours.FromViews(shell, views);

        Assert.True(seen > 50, $"{seen} points seen");
        for (int i = 0; i < shell.Count; i++)
        {
            byte[] got = shell.Colors[(3 * i)..(3 * i + 3)];
            if (got.All(v => v == GaussianInit.RandomStartGrey)) continue;
            Assert.Equal(new byte[] { 77, 128, 204 }, got);
        }
    }

    [Fact]
    public void Pixels_outside_a_views_mask_are_not_samples()
    {
        // Three photos of the same view: one shows the sky, two show red but their masks leave every pixel out.
        Camera c = CameraAt(Vec3.Zero, new Vec3(0, 1, 0), "v");
        var masked = new float[Width * Height];
        List<TrainingView> views =
        [
            View(c, (_, _) => (51 / 255f, 153 / 255f, 102 / 255f)),
            View(c, (_, _) => (1f, 0f, 0f), masked),
            View(c, (_, _) => (1f, 0f, 0f), masked),
        ];
        PointCloud shell = GaussianInit.FarShell(1000, Vec3.Zero, 100);

        int seen = FarShellColours.FromViews(shell, views);

        Assert.True(seen > 20, $"{seen} points seen");
        int sky = 0;
        for (int i = 0; i < shell.Count; i++)
            if (shell.Colors[3 * i] == 51 && shell.Colors[3 * i + 1] == 153 && shell.Colors[3 * i + 2] == 102) sky++;
            else Assert.Equal(new byte[] { 127, 127, 127 }, shell.Colors[(3 * i)..(3 * i + 3)]);
        Assert.Equal(seen, sky);
    }

    [Fact]
    public void A_point_projects_to_the_pixel_it_is_seen_in_and_not_from_behind()
    {
        Camera c = CameraAt(Vec3.Zero, new Vec3(0, 1, 0), "v");   // looking along +y, image up is +z
        RenderCamera rc = RenderCamera.From(c);
        // Straight ahead: the image centre (20, 15) is the corner of four pixels; a little up and right of it, pixel (20, 14).
        Assert.True(FarShellColours.PixelOf(rc, 0.001f, 10, 0.001f, out int px, out int py));
        Assert.Equal((20, 14), (px, py));
        Assert.False(FarShellColours.PixelOf(rc, 0, -10, 0, out _, out _));            // behind the camera
        Assert.False(FarShellColours.PixelOf(rc, 10, 10, 0, out _, out _));            // 45° to the right: outside the 60° view
        Assert.Equal(2.5f, FarShellColours.Median([4f, 1f, 3f, 2f]));
        Assert.Equal(3f, FarShellColours.Median([5f, 3f, 1f]));
    }
}
