using Radiant.Data;
using Radiant.Imaging;
using Radiant.Mathematics;
using Radiant.Tests.Support;

namespace Radiant.Tests.Data;

public class DownscaleTests
{
    private static Image Pattern(int w, int h, bool alpha)
    {
        var img = new Image(w, h, alpha ? 4 : 3);
        for (int c = 0; c < img.Channels; c++)
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++)
                    img[c, x, y] = c == 3 ? (x < w / 2 ? 1f : 0f) : ((x / 2 + y + c) % 5) / 4f;
        return img;
    }

    private static Dataset OneImage(string root, string imagePath, int w, int h, bool alpha, string? maskPath = null) => new()
    {
        Format = "test",
        Root = root,
        Train = [new Camera { Name = "a", Width = w, Height = h, Fx = w, Fy = w, Cx = w / 2.0, Cy = h / 2.0, Rotation = Mat3.Identity, Translation = new Vec3(0, 0, 4), ImagePath = imagePath, MaskPath = maskPath }],
        Test = [],
        HasAlpha = alpha,
        Options = new DatasetOptions { Background = [0f, 0f, 1f] },
    };

    [Fact]
    public void Downscaled_images_are_averaged_cached_and_reloaded_identically()
    {
        using var dir = new TempDir("ds");
        Directory.CreateDirectory(dir.File("images"));
        Image full = Pattern(40, 24, alpha: false);
        ImageIO.SavePng(dir.File("images", "a.png"), full);
        Dataset ds = DatasetLoader.Downscale(OneImage(dir.Path, dir.File("images", "a.png"), 40, 24, false), 4);
        Camera cam = ds.Train[0];
        Assert.Equal((10, 6, 4), (cam.Width, cam.Height, cam.ImageDownscale));
        Assert.Equal(10, cam.Fx, 9);

        Image first = ds.LoadImage(cam);
        string cache = DatasetImages.CachePath(cam, cam.ImagePath, ds.Options, ds.Root);
        Assert.True(File.Exists(cache), "the reduced copy is cached");
        Assert.StartsWith(Path.Combine(dir.Path, ".radiant-cache"), cache);
        Image expected = AreaResample.Downscale(ImageIO.Load(dir.File("images", "a.png")), 4);
        for (int i = 0; i < expected.Data.Length; i++) Assert.Equal(expected.Data[i], first.Data[i], 4);

        Image second = ds.LoadImage(cam);   // from the 16-bit cache
        for (int i = 0; i < first.Data.Length; i++) Assert.Equal(first.Data[i], second.Data[i], 4);
    }

    [Fact]
    public void A_cached_copy_is_not_reused_after_the_lens_or_the_source_file_changed()
    {
        using var dir = new TempDir("ds");
        Directory.CreateDirectory(dir.File("images"));
        string source = dir.File("images", "a.png");
        ImageIO.SavePng(source, Pattern(40, 24, alpha: false));
        Dataset Reduced(double k1)
        {
            Dataset one = OneImage(dir.Path, source, 40, 24, false);
            Dataset distorted = new()
            {
                Format = one.Format, Root = one.Root, Test = [], HasAlpha = false, Options = one.Options,
                Train = [one.Train[0] with { Distortion = new LensDistortion(k1) }],
            };
            return DatasetLoader.Downscale(distorted, 4);
        }
        // What a fresh cache makes of the current file for a lens.
        float[] Fresh(double k1)
        {
            Dataset ds = Reduced(k1);
            using var elsewhere = new TempDir("ds-fresh");
            var options = ds.Options with { CacheDir = elsewhere.Path };
            return DatasetImages.Load(ds.Train[0], options, ds.Root, ds.Background).Data.ToArray();
        }
        string cacheFolder = dir.File(".radiant-cache");

        float[] first = Reduced(0.2).LoadImage(Reduced(0.2).Train[0]).Data.ToArray();
        Assert.Equal(Fresh(0.2), first);
        // The same file, another lens (a bundle adjuster run again): made anew, and the old copy removed.
        float[] relensed = Reduced(-0.2).LoadImage(Reduced(-0.2).Train[0]).Data.ToArray();
        Assert.Equal(Fresh(-0.2), relensed);
        Assert.NotEqual(first, relensed);
        Assert.Single(Directory.GetFiles(cacheFolder, "*.png", SearchOption.AllDirectories));

        // Another photo under the same name with an older time stamp (unpacked from an archive).
        DateTime stamp = File.GetLastWriteTimeUtc(source);
        Image other = Pattern(40, 24, alpha: false);
        for (int i = 0; i < other.Data.Length; i++) other.Data[i] = 1 - other.Data[i];
        ImageIO.SavePng(source, other);
        File.SetLastWriteTimeUtc(source, stamp.AddDays(-30));
        float[] replaced = Reduced(-0.2).LoadImage(Reduced(-0.2).Train[0]).Data.ToArray();
        Assert.Equal(Fresh(-0.2), replaced);
        Assert.NotEqual(relensed, replaced);
    }

    [Fact]
    public void Prebuilt_images_N_folder_is_used_when_present()
    {
        using var dir = new TempDir("ds");
        Directory.CreateDirectory(dir.File("images"));
        Directory.CreateDirectory(dir.File("images_2"));
        ImageIO.SavePng(dir.File("images", "a.png"), Pattern(40, 24, false));
        Image small = Pattern(20, 12, false);
        small[0, 0, 0] = 0.123f; // a marker that averaging the full image would not give
        ImageIO.SavePng(dir.File("images_2", "a.png"), small);
        Dataset ds = DatasetLoader.Downscale(OneImage(dir.Path, dir.File("images", "a.png"), 40, 24, false), 2);
        Camera cam = ds.Train[0];
        Assert.Equal(dir.File("images_2", "a.png"), cam.ImagePath);
        Assert.Equal(1, cam.ImageDownscale);
        Assert.Equal(MathF.Round(0.123f * 255) / 255, ds.LoadImage(cam)[0, 0, 0], 5);
    }

    [Fact]
    public void Prebuilt_copies_are_used_only_when_the_masks_have_them_too()
    {
        using var dir = new TempDir("ds");
        foreach (string folder in new[] { "images", "images_2", "masks" }) Directory.CreateDirectory(dir.File(folder));
        ImageIO.SavePng(dir.File("images", "a.png"), Pattern(40, 24, false));
        ImageIO.SavePng(dir.File("images_2", "a.png"), Pattern(20, 12, false));
        Image mask = Pattern(40, 24, false);
        ImageIO.SavePng(dir.File("masks", "a.png"), mask);
        Dataset WithMask() => OneImage(dir.Path, dir.File("images", "a.png"), 40, 24, false, dir.File("masks", "a.png"));

        // No masks_2/: the shipped images_2/ copy would leave a full-size mask, so both are reduced on load.
        Dataset ds = DatasetLoader.Downscale(WithMask(), 2);
        Camera cam = ds.Train[0];
        Assert.Equal((20, 12, 2), (cam.Width, cam.Height, cam.ImageDownscale));
        Assert.Equal(dir.File("images", "a.png"), cam.ImagePath);
        float[] reduced = AreaResample.Downscale(ImageIO.Load(dir.File("masks", "a.png")), 2).ReadPlane(0).ToArray();
        float[] loaded = ds.LoadMask(cam)!;
        Assert.Equal(reduced.Length, loaded.Length);
        for (int i = 0; i < reduced.Length; i++) Assert.Equal(reduced[i], loaded[i], 4);

        // With masks_2/ both shipped copies are used.
        Directory.CreateDirectory(dir.File("masks_2"));
        ImageIO.SavePng(dir.File("masks_2", "a.png"), Pattern(20, 12, false));
        cam = DatasetLoader.Downscale(WithMask(), 2).Train[0];
        Assert.Equal((dir.File("images_2", "a.png"), dir.File("masks_2", "a.png"), 1), (cam.ImagePath, cam.MaskPath, cam.ImageDownscale));
    }

    [Fact]
    public void Alpha_is_composited_over_the_background_and_kept()
    {
        using var dir = new TempDir("ds");
        ImageIO.SavePng(dir.File("a.png"), Pattern(8, 4, alpha: true));
        Dataset ds = OneImage(dir.Path, dir.File("a.png"), 8, 4, true);
        Image img = ds.LoadImage(ds.Train[0]);
        Assert.Equal(4, img.Channels);
        // Right half is fully transparent: RGB is the background (0, 0, 1).
        Assert.Equal(0f, img[0, 7, 1]); Assert.Equal(0f, img[1, 7, 1]); Assert.Equal(1f, img[2, 7, 1]);
        Assert.Equal(0f, img[3, 7, 1]);
        Assert.Equal(1f, img[3, 0, 1]);
    }

    [Fact]
    public void Image_size_disagreeing_with_camera_is_a_clear_error()
    {
        using var dir = new TempDir("ds");
        ImageIO.SavePng(dir.File("a.png"), Pattern(8, 4, false));
        Dataset ds = OneImage(dir.Path, dir.File("a.png"), 10, 4, false);
        var ex = Assert.Throws<RadiantException>(() => ds.LoadImage(ds.Train[0]));
        Assert.Contains("a.png", ex.Message);
        Assert.Contains("8x4", ex.Message);
        Assert.Contains("10x4", ex.Message);
    }

    [Fact]
    public void Missing_image_file_is_a_clear_error()
    {
        using var dir = new TempDir("ds");
        Dataset ds = OneImage(dir.Path, dir.File("nope.png"), 8, 4, false);
        var ex = Assert.Throws<RadiantException>(() => ds.LoadImage(ds.Train[0]));
        Assert.Equal($"{dir.File("nope.png")}: image file not found", ex.Message);
    }
}
