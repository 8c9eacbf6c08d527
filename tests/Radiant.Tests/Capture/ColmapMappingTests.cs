using Radiant.Capture;
using Radiant.Tests.Support;

namespace Radiant.Tests.Capture;

/// <summary>
/// The mapper's repeated attempts, with the real COLMAP on a real database (40 orbit photos of the
/// sample scene, SIFT and sequential matching). A partial first model is simulated with a wrapper
/// around <c>colmap</c>: when the mapper runs with seed 0, the wrapper deletes half of the photos
/// from the models it wrote (COLMAP's <c>image_deleter</c>), which is what a run that stalled early
/// leaves. Attempts with any other seed run unchanged.
/// </summary>
[Collection(nameof(MatchedOrbitPhotos))]
public class ColmapMappingTests(MatchedOrbitPhotos photos)
{
    private const int Views = MatchedOrbitPhotos.Views;

    private string[] MapperArgs => ["--database_path", photos.Database, "--image_path", photos.Images];

    [Fact]
    public void A_mapping_that_leaves_half_the_photos_out_runs_again_and_keeps_the_complete_attempt()
    {
        using var dir = new TempDir("colmap-mapping");
        string wrapper = WriteHalvingWrapper(dir);
        var titles = new List<string>();
        var notes = new List<string>();
        string models = dir.File("sparse");

        ColmapMapping.Result result = ColmapMapping.Run(new ColmapRunner(wrapper, dir.File("colmap.log")),
            MapperArgs, models, Views, attempts: 3, seed: 0, Recording(titles), notes.Add, default);

        Assert.Equal(["mapping", "mapping (attempt 2 of 3)"], titles);
        Assert.Equal(Views, result.Registered.Count);
        Assert.Contains(notes, n => n.Contains($"registered only {Views / 2} of {Views} photos (attempt 1 of 3)") && n.Contains("seed 1"));
        // The kept attempt sits where the first one was, and nothing else is left beside it.
        Assert.StartsWith(models + Path.DirectorySeparatorChar, result.Model);
        Assert.Equal(Views, Registered(result.Model));
        Assert.Equal([models], Directory.GetDirectories(dir.Path, "sparse*"));
    }

    [Fact]
    public void One_attempt_keeps_the_partial_model_and_a_complete_first_attempt_is_not_repeated()
    {
        using var dir = new TempDir("colmap-mapping");
        string wrapper = WriteHalvingWrapper(dir);
        var titles = new List<string>();
        var notes = new List<string>();
        ColmapMapping.Result once = ColmapMapping.Run(new ColmapRunner(wrapper, dir.File("colmap.log")),
            MapperArgs, dir.File("once"), Views, attempts: 1, seed: 0, Recording(titles), notes.Add, default);
        Assert.Equal(["mapping"], titles);
        Assert.Empty(notes);
        Assert.Equal(Views / 2, once.Registered.Count);

        // Seed 1 is never halved: the first attempt registers all photos and no second one runs.
        titles.Clear();
        ColmapMapping.Result complete = ColmapMapping.Run(new ColmapRunner(wrapper, dir.File("colmap.log")),
            MapperArgs, dir.File("complete"), Views, attempts: 3, seed: 1, Recording(titles), notes.Add, default);
        Assert.Equal(["mapping"], titles);
        Assert.Empty(notes);
        Assert.Equal(Views, complete.Registered.Count);
    }

    private static PhotoCapture.StageRunner Recording(List<string> titles) => (title, work) =>
    {
        titles.Add(title);
        work(new Progress<(int, int)>());
    };

    /// <summary>
    /// A <c>colmap</c> that runs the real one and then, for a mapper run with seed 0, deletes the
    /// second half of the photos (photo_021 … photo_040) from every model it wrote.
    /// </summary>
    private static string WriteHalvingWrapper(TempDir dir)
    {
        string names = dir.File("second-half.txt");
        File.WriteAllLines(names, Enumerable.Range(Views / 2 + 1, Views / 2).Select(i => $"photo_{i:000}.png"));
        string script = dir.File("colmap-halving");
        File.WriteAllText(script, $$"""
            #!/usr/bin/env bash
            colmap "$@" || exit $?
            [ "$1" = mapper ] || exit 0
            out=""; seed=""
            while [ $# -gt 0 ]; do
              case "$1" in --output_path) out="$2";; --random_seed) seed="$2";; esac
              shift
            done
            [ "$seed" = 0 ] || exit 0
            for model in "$out"/*/; do
              colmap image_deleter --input_path "$model" --output_path "$model" --image_names_path '{{names}}' > /dev/null 2>&1 || exit 1
            done
            """);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return script;
    }

    private static int Registered(string model) => Radiant.Data.Colmap.ColmapBinary.ReadImages(Path.Combine(model, "images.bin")).Count;
}
