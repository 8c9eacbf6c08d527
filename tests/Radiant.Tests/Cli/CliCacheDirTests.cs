using Radiant.Tests.Data;
using Radiant.Tests.Support;

using static Radiant.Tests.Support.CliRunner;

namespace Radiant.Tests.Cli;

/// <summary><c>--cache-dir</c> is where <c>train</c> keeps its reduced image copies, also when a run is resumed.</summary>
public class CliCacheDirTests
{
    [Fact]
    public void Train_and_resume_keep_reduced_copies_in_the_given_folder_and_leave_the_dataset_alone()
    {
        using var dir = new TempDir("cli-cache-dir");
        string scene = dir.File("scene"), cache = dir.File("cache");
        BlenderTestScene.Create(scene, w: 24, h: 16, train: 2, val: 0, test: 1);

        var (code, _, err) = Run("train", scene, "--out", dir.File("run"), "--iterations", "5", "--init", "random:100",
                                 "--downscale", "2", "--cache-dir", cache);
        Assert.True(code == 0, err);
        Assert.False(Directory.Exists(Path.Combine(scene, ".radiant-cache")), "train wrote its copies into the dataset");
        string[] copies = Directory.GetFiles(cache, "*.png", SearchOption.AllDirectories);
        Assert.Equal(3, copies.Length);   // 2 train and 1 test view

        Directory.Delete(cache, recursive: true);
        (code, _, err) = Run("train", "--resume", dir.File("run"), "--iterations", "8", "--cache-dir", cache);
        Assert.True(code == 0, err);
        Assert.False(Directory.Exists(Path.Combine(scene, ".radiant-cache")), "the resumed run wrote its copies into the dataset");
        Assert.Equal(3, Directory.GetFiles(cache, "*.png", SearchOption.AllDirectories).Length);
    }
}
