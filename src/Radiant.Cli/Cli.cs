using System.CommandLine;
using Radiant.Cli.Commands;

namespace Radiant.Cli;

/// <summary>The command tree: one verb a file under Commands/.</summary>
public static class Cli
{
    public static RootCommand Build()
    {
        var root = new RootCommand("Radiant: posed photos to 3D Gaussian Splatting scenes on the CPU.");
        root.Subcommands.Add(TrainCommand.Create());
        root.Subcommands.Add(EvalCommand.CreateEval());
        root.Subcommands.Add(ReproduceCommand.Create());
        root.Subcommands.Add(RenderCommand.Create());
        root.Subcommands.Add(ViewCommand.Create());
        root.Subcommands.Add(InfoCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        root.Subcommands.Add(SampleCommand.Create());
        root.Subcommands.Add(DataCommand.Create());
        root.Subcommands.Add(PlotCommand.Create());
        root.Subcommands.Add(ConvertCommand.Create());
        root.Subcommands.Add(CompressCommand.Create());
        return root;
    }

    /// <summary>
    /// Parses and runs; user errors become `error:` lines on stderr and exit code 1 (a refused
    /// command line: <see cref="ParseErrors"/>; bad input met while running: <see cref="CommandRunner"/>).
    /// </summary>
    public static int Run(string[] args, TextWriter? stdout = null, TextWriter? stderr = null)
    {
        var config = new InvocationConfiguration();
        if (stdout is not null) config.Output = stdout;
        if (stderr is not null) config.Error = stderr;
        ParseResult result = Build().Parse(args);
        if (!ParseErrors.OnlyMissingSubcommand(result) && ParseErrors.Describe(result) is { Count: > 0 } errors)
            return ParseErrors.Report(result, errors, config.Error);
        return result.Invoke(config);
    }
}
