using Radiant.Data;
using Radiant.Sample;
using Radiant.Tests.Support;

namespace Radiant.Tests.Data;

/// <summary>
/// The background a dataset is composited over and rendered on when none is asked for: the
/// reference's choice, white for transparent images (NeRF-synthetic) and black for opaque photos.
/// </summary>
public class AutoBackgroundTests
{
    [Fact]
    public void Transparent_images_get_white_and_opaque_photos_black_unless_one_is_asked_for()
    {
        using var dir = new TempDir("background");
        string blender = dir.File("blender");
        SampleScene.Write(blender, new SampleSceneOptions { Width = 16, Height = 16, TrainViews = 2, TestViews = 1, ValViews = 0, SamplesPerAxis = 1 });
        string colmap = ColmapTestScene.Circle().WriteDataset(dir.File("colmap"), binary: true);

        Dataset rgba = DatasetLoader.Load(blender);
        Assert.True(rgba.HasAlpha);
        Assert.Equal([1f, 1f, 1f], rgba.Background);
        Dataset photos = DatasetLoader.Load(colmap);
        Assert.False(photos.HasAlpha);
        Assert.Equal([0f, 0f, 0f], photos.Background);

        float[] grey = [0.5f, 0.5f, 0.5f];
        Assert.Equal(grey, DatasetLoader.Load(blender, new DatasetOptions { Background = grey }).Background);
        Assert.Equal(grey, DatasetLoader.Load(colmap, new DatasetOptions { Background = grey }).Background);
        // The transparent images are composited over it: a corner of the sample is empty sky.
        Assert.Equal(0f, DatasetLoader.Load(blender, new DatasetOptions { Background = [0f, 0f, 0f] }).LoadImage(rgba.Train[0]).Data[0]);
        Assert.Equal(1f, rgba.LoadImage(rgba.Train[0]).Data[0]);
    }
}
