using Radiant.Tests.Support;

namespace Radiant.Tests;

public class AtomicFileTests
{
    [Fact]
    public void A_write_the_system_refuses_is_one_error_naming_the_file_and_leaves_no_temporary_file()
    {
        using var dir = new TempDir("atomic");
        string target = dir.File("taken");
        Directory.CreateDirectory(target);   // a folder where the file should go: the rename fails
        var e = Assert.Throws<RadiantException>(() => AtomicFile.WriteAllText(target, "model"));
        Assert.StartsWith($"{target}: cannot write: ", e.Message);
        Assert.Equal([target], Directory.GetFileSystemEntries(dir.Path));

        string file = dir.File("ok.txt");
        AtomicFile.WriteAllText(file, "model");
        Assert.Equal("model", File.ReadAllText(file));
    }
}
