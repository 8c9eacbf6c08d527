using System.Text.Json;
using Radiant.Export;
using Radiant.Rendering;

namespace Radiant.Viewer;

/// <summary><c>radiant view MODEL</c>'s source: a trained model (run folder or .ply) loaded once.</summary>
public sealed class StaticModel : IViewerSource
{
    public string Title { get; }
    public ServedModel Model { get; }
    ServedModel? IViewerSource.Model => Model;
    public IReadOnlyList<ViewerCamera> Cameras { get; }
    public string PlyPath { get; }
    /// <summary>Size of the model file as stored (the page is sent it as a standard .ply, see <see cref="Open"/>).</summary>
    public long FileBytes { get; }

    private StaticModel(string title, string plyPath, ServedModel model, IReadOnlyList<ViewerCamera> cameras)
    {
        Title = title;
        PlyPath = plyPath;
        FileBytes = new FileInfo(plyPath).Length;
        Model = model;
        Cameras = cameras;
    }

    public Task<ServedModel?> RenderStateAsync(CancellationToken cancel) => Task.FromResult<ServedModel?>(Model);

    /// <summary>
    /// Loads <paramref name="modelPath"/> (a run folder or any 3DGS .ply); the cameras come from the
    /// cameras.json beside the .ply or in the run folder, the background from <paramref name="background"/>,
    /// else the run's config.json, else black.
    /// </summary>
    public static StaticModel Open(string modelPath, float[]? background)
    {
        string ply = Path.GetFullPath(ModelFile.Resolve(modelPath));
        GaussianPlyData data = ModelFile.LoadForRendering(ply); // any supported format
        string folder = Directory.Exists(modelPath) ? Path.GetFullPath(modelPath) : Path.GetDirectoryName(ply)!;
        string camerasPath = Path.Combine(folder, RunCameras.FileName);
        IReadOnlyList<ViewerCamera> cameras = File.Exists(camerasPath) ? RunCameras.Read(camerasPath) : [];
        background ??= ConfiguredBackground(Path.Combine(folder, "config.json")) ?? [0, 0, 0];
        RenderOptions options = data.RenderOptions(background); // with the model's 2D filter (Mip or dilation)
        // The page gets the model as a standard .ply whatever the file was (.spz, .splat,
        // .compressed.ply, .rgc, Mip-Splatting's filter_3D layout: 3D filter baked in), so the splat
        // renderer shows exactly the Gaussians Radiant loaded.
        var stream = new MemoryStream(ServedPlySize(ply, data.Gaussians.Count, data.Gaussians.ShDegree));
        GaussianPly.Write(stream, data.Gaussians, ply, data.MipFilter2D);
        byte[] bytes = stream.ToArray();
        return new StaticModel(modelPath, ply, new ServedModel(1, 0, data.Gaussians, options, bytes), cameras);
    }

    /// <summary>
    /// The bytes of the .ply served for a model (the header aside), checked against the 2 GB the
    /// viewer can hold in one array: past it (about 8.6M Gaussians at SH degree 3) the model is refused
    /// before any of it is encoded.
    /// </summary>
    public static int ServedPlySize(string path, int count, int shDegree)
    {
        const int headerRoom = 4096;
        long bytes = (long)count * GaussianPly.StandardProperties(shDegree).Count * sizeof(float);
        if (bytes > Array.MaxLength - headerRoom)
            throw new RadiantException(path, $"{count:N0} Gaussians at SH degree {shDegree} make a {bytes / 1e9:0.00} GB .ply, more than the viewer " +
                "can send to the page (2.1 GB); `radiant compress MODEL DATA --prune F` keeps the most significant Gaussians in a smaller model");
        return (int)bytes + headerRoom;
    }

    /// <summary>The "background" a training run recorded in its config.json, if any.</summary>
    private static float[]? ConfiguredBackground(string configPath)
    {
        if (!File.Exists(configPath)) return null;
        try
        {
            using JsonDocument doc = JsonDocument.Parse(File.ReadAllBytes(configPath));
            if (doc.RootElement.TryGetProperty("background", out JsonElement b) && b.GetArrayLength() == 3)
                return [b[0].GetSingle(), b[1].GetSingle(), b[2].GetSingle()];
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or IOException) { }
        return null;
    }
}
