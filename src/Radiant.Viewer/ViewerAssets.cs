namespace Radiant.Viewer;

/// <summary>
/// The built web page (viewer/dist: index.html, app.js, style.css), read into memory once. Requests
/// are answered from this fixed name → bytes table only, so no part of a URL ever becomes a file path.
/// </summary>
public sealed class ViewerAssets
{
    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.Ordinal)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".png"] = "image/png",
        [".svg"] = "image/svg+xml",
        [".txt"] = "text/plain; charset=utf-8",
    };

    private readonly Dictionary<string, (byte[] Bytes, string ContentType)> _files;

    public string Folder { get; }

    private ViewerAssets(string folder, Dictionary<string, (byte[], string)> files)
    {
        Folder = folder;
        _files = files;
    }

    /// <summary>The asset named exactly <paramref name="name"/> (e.g. "app.js"), or null.</summary>
    public (byte[] Bytes, string ContentType)? Find(string name) => _files.TryGetValue(name, out var f) ? f : null;

    /// <summary>
    /// Finds viewer/dist next to the program or in a parent folder of it (the repository checkout),
    /// or in RADIANT_VIEWER_DIST; a clear error when the page was never built.
    /// </summary>
    public static ViewerAssets Load()
    {
        string? folder = Environment.GetEnvironmentVariable("RADIANT_VIEWER_DIST");
        if (string.IsNullOrEmpty(folder))
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, "viewer", "dist");
                if (File.Exists(Path.Combine(candidate, "index.html"))) { folder = candidate; break; }
            }
        }
        if (folder is null || !File.Exists(Path.Combine(folder, "index.html")))
            throw new RadiantException(folder ?? "viewer/dist", "the viewer's web page is not built: run scripts/setup (it runs npm ci and the bundle step in viewer/)");
        var files = new Dictionary<string, (byte[], string)>(StringComparer.Ordinal);
        foreach (string file in Directory.EnumerateFiles(folder))
            if (ContentTypes.TryGetValue(Path.GetExtension(file), out string? type))
                files[Path.GetFileName(file)] = (File.ReadAllBytes(file), type);
        return new ViewerAssets(Path.GetFullPath(folder), files);
    }
}
