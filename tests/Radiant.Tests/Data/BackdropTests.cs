using Radiant.Data;
using Radiant.Imaging;
using Radiant.Sample;
using Radiant.Tests.Support;
using Radiant.Training;

namespace Radiant.Tests.Data;

/// <summary>
/// A plain backdrop around opaque photos (<see cref="Backdrop"/>) is found and becomes the dataset's
/// automatic background, which training, eval and render draw over; photos whose borders show a scene
/// are left on the default black.
/// </summary>
public class BackdropTests
{
    /// <summary>A 64×48 photo of <paramref name="backdrop"/> with a grey square inside, plus noise of ± <paramref name="noise"/>.</summary>
    private static Image Photo(float[] backdrop, float noise = 0, int seed = 0, bool squareCrossesEdge = false)
    {
        var image = new Image(64, 48, 3);
        var rng = new Random(seed);
        for (int y = 0; y < 48; y++)
            for (int x = 0; x < 64; x++)
            {
                bool square = x >= (squareCrossesEdge ? 0 : 16) && x < 48 && y >= 12 && y < 36;
                for (int c = 0; c < 3; c++)
                    image[c, x, y] = Math.Clamp((square ? 0.4f : backdrop[c]) + noise * (2 * rng.NextSingle() - 1), 0, 1);
            }
        return image;
    }

    [Fact]
    public void A_plain_frame_gives_its_colour_despite_noise_and_a_few_photos_whose_object_crosses_the_edge()
    {
        float[] white = [1, 1, 1], beige = [0.9f, 0.85f, 0.7f];
        var photos = Enumerable.Range(0, 8).Select(i => Photo(white, noise: 0.02f, seed: i, squareCrossesEdge: i == 3)).ToList();
        float[] found = Backdrop.Detect(photos)!;
        Assert.All(found, c => Assert.InRange(c, 0.98f, 1f));
        float[] other = Backdrop.Detect([Photo(beige), Photo(beige, seed: 1)])!;
        for (int c = 0; c < 3; c++) Assert.Equal(beige[c], other[c], 2);
    }

    [Fact]
    public void Borders_that_show_a_scene_give_no_backdrop()
    {
        // A vertical gradient (sky to ground), and a frame that is plain in only half of the photos.
        var gradient = new Image(64, 48, 3);
        for (int y = 0; y < 48; y++)
            for (int x = 0; x < 64; x++)
                for (int c = 0; c < 3; c++) gradient[c, x, y] = y / 47f;
        Assert.Null(Backdrop.Detect([gradient, gradient]));
        Assert.Null(Backdrop.Detect([Photo([1, 1, 1]), Photo([1, 1, 1]), gradient, gradient]));
        // Noise beyond JPEG's: ± 0.2.
        Assert.Null(Backdrop.Detect([Photo([0.5f, 0.5f, 0.5f], noise: 0.2f), Photo([0.5f, 0.5f, 0.5f], noise: 0.2f, seed: 1)]));
    }

    /// <summary>
    /// The sample composited over white and saved opaque (as NeRF-synthetic is when converted to JPEG)
    /// trains over white without being told: its config records white, the log says why; an explicit
    /// --background is kept.
    /// </summary>
    [Fact]
    public void Training_on_opaque_photos_over_a_white_backdrop_uses_white_and_an_explicit_background_wins()
    {
        using var dir = new TempDir("backdrop");
        string scene = dir.File("scene");
        SampleScene.Write(scene, new SampleSceneOptions { Width = 24, Height = 24, TrainViews = 4, TestViews = 1, ValViews = 0, SamplesPerAxis = 1 });
        foreach (string png in Directory.GetFiles(scene, "*.png", SearchOption.AllDirectories))
            ImageIO.SavePng(png, ImageIO.Load(png).CompositeOver(1, 1, 1));
        Dataset loaded = DatasetLoader.Load(scene);
        Assert.False(loaded.HasAlpha);
        Assert.Equal([1f, 1f, 1f], loaded.Background);   // eval and render of a bare model on it draw over white too
        Assert.Equal([0f, 0f, 0f], DatasetLoader.Load(scene, new DatasetOptions { Background = [0, 0, 0] }).Background);

        var observer = new QuietObserver();
        var settings = new TrainingRunSettings { DataPath = scene, Init = "random:300", CheckpointEvery = 0, Options = new TrainingOptions { Iterations = 2 } };
        TrainingSession.Run(settings, dir.File("auto"), observer);
        Assert.Contains(observer.Messages, m => m.StartsWith("the photos' borders are a plain backdrop of colour (1, 1, 1)", StringComparison.Ordinal));
        Assert.Contains("\"background\": [\n    1,\n    1,\n    1\n  ]", File.ReadAllText(dir.File("auto", "config.json")).Replace("\r", ""));

        var told = new QuietObserver();
        TrainingSession.Run(settings with { Background = [0, 0, 0] }, dir.File("black"), told);
        Assert.DoesNotContain(told.Messages, m => m.Contains("plain backdrop", StringComparison.Ordinal));
        Assert.Contains("\"background\": [\n    0,\n    0,\n    0\n  ]", File.ReadAllText(dir.File("black", "config.json")).Replace("\r", ""));
    }
}
