using System.CommandLine;
using Radiant.Viewer;

namespace Radiant.Cli;

/// <summary>The web viewer's options, shared by <c>view</c> and <c>train --viewer</c>.</summary>
public sealed class ViewerOptions
{
    public Option<int> Port { get; } = new("--port") { Description = "Viewer port (0: any free port)", DefaultValueFactory = _ => 0 };

    public Option<string> Host { get; } = new("--host")
    {
        Description = "Viewer address to listen on (default 127.0.0.1, this machine only; 0.0.0.0 opens it to the network)",
        DefaultValueFactory = _ => "127.0.0.1",
    };

    public Option<int> RenderMs { get; } = new("--render-ms")
    {
        Description = "Radiant renders a camera for the viewer at most once per this many milliseconds (with train --viewer, each render also copies the model on the training thread)",
        DefaultValueFactory = _ => 3000,
    };

    public IEnumerable<Option> All => [Port, Host, RenderMs];

    public void AddTo(Command command)
    {
        foreach (Option option in All) command.Options.Add(option);
    }

    public ViewerServerOptions Read(ParseResult result)
    {
        int port = result.GetValue(Port);
        if (port is < 0 or > 65535) throw new RadiantException($"--port must be 0..65535 (got {port})");
        int renderMs = result.GetValue(RenderMs);
        if (renderMs < 0) throw new RadiantException($"--render-ms must not be negative (got {renderMs})");
        return new ViewerServerOptions
        {
            Host = ViewerServerOptions.ParseHost(result.GetValue(Host)!),
            Port = port,
            RenderInterval = TimeSpan.FromMilliseconds(renderMs),
        };
    }

    /// <summary>Starts the server, turning "address in use" or an address this machine does not have into the usual one-line error.</summary>
    public static ViewerServer Start(IViewerSource source, ViewerServerOptions options)
    {
        try { return ViewerServer.Start(source, options); }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException)
        {
            throw new RadiantException(options.Port == 0 ? $"{options.Host}" : $"{options.Host}:{options.Port}", $"cannot listen: {e.Message}");
        }
    }
}
