using System.CommandLine;
using Radiant.Data.Multiscale;

namespace Radiant.Cli.Commands;

/// <summary><c>radiant data …</c>: dataset conversions.</summary>
public static class DataCommand
{
    public static Command Create()
    {
        var command = new Command("data", "Dataset conversions and posing photos");
        command.Subcommands.Add(Multiscale());
        command.Subcommands.Add(FromPhotosCommand.Create());
        return command;
    }

    private static Command Multiscale()
    {
        var src = new Argument<string>("src") { Description = "A Blender / NeRF-synthetic scene folder (transforms_train.json)" };
        var dst = new Argument<string>("dst") { Description = "New output folder for the mip-NeRF multiscale layout (must not exist or be empty)" };
        var command = new Command("multiscale", "Write mip-NeRF's multiscale Blender layout: 4 levels per image (2x2 averaging) and metadata.json") { src, dst };
        CommandRunner.SetAction(command, (result, console) =>
        {
            string output = result.GetValue(dst)!;
            console.Progress("multiscale", progress =>
                MultiscaleWriter.Write(result.GetValue(src)!, output, progress, note => console.Line($"note: {note}")));
            console.Line($"wrote {Path.GetFullPath(output)} (metadata.json, images_{{train,val,test}}/NNN_d{{0..3}}.png)");
            return 0;
        });
        return command;
    }
}
