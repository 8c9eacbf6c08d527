namespace Radiant.Tests.Support;

/// <summary>The repository checkout the tests run from: the first folder above the test binaries holding Radiant.slnx.</summary>
internal static class RepositoryRoot
{
    public static string Path
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(System.IO.Path.Combine(dir.FullName, "Radiant.slnx"))) return dir.FullName;
            throw new InvalidOperationException("Radiant.slnx not found above the test binaries");
        }
    }
}
