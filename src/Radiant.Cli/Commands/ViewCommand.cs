using System.CommandLine;
using Radiant.Viewer;

namespace Radiant.Cli.Commands;

/// <summary><c>radiant view MODEL</c>: serve a trained model to the web viewer until Ctrl+C.</summary>
public static class ViewCommand
{
    public static Command Create()
    {
        var model = new Argument<string>("model") { Description = "Training output folder or a 3DGS .ply file" };
        var background = new Option<string?>("--background") { Description = "Background: white, black or R,G,B in [0,1] (default: the run's, else black)" };
        var viewer = new ViewerOptions();
        var command = new Command("view", "Show a model in the web browser (Gaussian-splat viewer with the training cameras)") { model, background };
        viewer.AddTo(command);
        CommandRunner.SetAction(command, (result, console) =>
        {
            ViewerServerOptions options = viewer.Read(result);
            float[]? bg = result.GetValue(background) is { } text ? DataOptions.ParseColor(text) : null;
            ViewerAssets.Load();   // a page that was never built is reported before a large model takes a minute to load
            StaticModel source = StaticModel.Open(result.GetValue(model)!, bg);
            using var stop = new StopSignals();
            ViewerServer server = ViewerOptions.Start(source, options);
            try
            {
                ServedModel m = source.Model;
                console.Line($"{source.PlyPath}: {m.Gaussians.Count:N0} Gaussians, SH degree {m.Gaussians.ShDegree}, {source.Cameras.Count} cameras");
                console.Line($"viewer: {server.Url} (Ctrl+C to stop)");
                stop.Token.WaitHandle.WaitOne();
                return 0;
            }
            finally
            {
                server.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
        });
        return command;
    }
}
