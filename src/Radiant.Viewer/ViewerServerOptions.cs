using System.Net;

namespace Radiant.Viewer;

/// <summary>Where the viewer listens and how often it does expensive work.</summary>
public sealed record ViewerServerOptions
{
    /// <summary>Loopback unless the user asks otherwise (--host).</summary>
    public IPAddress Host { get; init; } = IPAddress.Loopback;
    /// <summary>0: any free port.</summary>
    public int Port { get; init; }
    /// <summary>Radiant renders a camera for the page at most this often.</summary>
    public TimeSpan RenderInterval { get; init; } = TimeSpan.FromMilliseconds(1000);
    /// <summary>Requests one client may make per second on average (a burst of 10 s worth is allowed).</summary>
    public int RequestsPerSecond { get; init; } = 40;

    /// <summary>Parses --host (an IP address or "localhost").</summary>
    public static IPAddress ParseHost(string host) =>
        host == "localhost" ? IPAddress.Loopback
        : IPAddress.TryParse(host, out IPAddress? address) ? address
        : throw new RadiantException($"--host '{host}' is not an IP address (e.g. 127.0.0.1, 0.0.0.0 for every interface)");
}
