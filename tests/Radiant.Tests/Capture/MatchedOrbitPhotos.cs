using Radiant.Tests.Support;

namespace Radiant.Tests.Capture;

/// <summary>
/// 40 orbit photos of the sample scene (320×240) with their SIFT features and sequential matches
/// (each with the next 5, as the video test) in a COLMAP database, made once for the test classes of
/// its collection, which map it with the real COLMAP.
/// </summary>
public sealed class MatchedOrbitPhotos : IDisposable
{
    public const int Views = 40;
    private readonly TempDir _dir = new("colmap-mapping-db");
    public string Database { get; }
    public string Images { get; }

    public MatchedOrbitPhotos()
    {
        Images = SampleOrbitPhotos.Write(_dir.File("photos"), Views, 320, 240).Folder;
        Database = _dir.File("database.db");
        Colmap("feature_extractor", "--database_path", Database, "--image_path", Images,
            "--ImageReader.camera_model", "SIMPLE_RADIAL", "--ImageReader.single_camera", "1", "--SiftExtraction.use_gpu", "0");
        Colmap("sequential_matcher", "--database_path", Database, "--SiftMatching.use_gpu", "0",
            "--SequentialMatching.overlap", "5", "--SequentialMatching.loop_detection", "0");
    }

    public void Dispose() => _dir.Dispose();

    public static void Colmap(params string[] args)
    {
        var (code, _, stderr) = ExternalTool.Run("colmap", args);
        Assert.True(code == 0, $"colmap {args[0]} failed: {stderr}");
    }
}

[CollectionDefinition(nameof(MatchedOrbitPhotos))]
public sealed class MatchedOrbitPhotosCollection : ICollectionFixture<MatchedOrbitPhotos>;
