using System.CommandLine;

namespace Radiant.Cli;

/// <summary>
/// <c>--no-supersample-levels</c> of eval and render: whether views of a reduced level of mip-NeRF's
/// pyramid are rendered at the full images' size and averaged over their blocks
/// (<see cref="Rendering.RenderOptions.SupersampleLevels"/>). Without the flag, as the run was
/// trained (its config.json; a run from before supersampling existed rendered them at their own
/// size), and on for a model file that is not in a run folder.
/// </summary>
internal sealed class SupersampleLevelsOption
{
    public Option<bool> NoSupersampleLevels { get; } = new("--no-supersample-levels")
    {
        Description = "Multiscale views: render each reduced view at its own size with the 2D filter, instead of at the full images' size averaged over its blocks " +
            "(default: as the run was trained; on for a model file outside a run folder)",
    };

    public void AddTo(Command command) => command.Options.Add(NoSupersampleLevels);

    public bool Read(ParseResult result, string modelPath) => !result.GetValue(NoSupersampleLevels) && AsTrained(modelPath);

    /// <summary>Whether the run that <paramref name="modelPath"/> belongs to supersampled its reduced views (true for a model file outside a run folder).</summary>
    public static bool AsTrained(string modelPath) => TrainedDataOptions.Find(modelPath) is not { } trained || trained.SupersampleLevels;
}
