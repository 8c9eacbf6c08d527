using System.Net;
using System.Net.Sockets;
using System.Text;
using Radiant.Export;
using Radiant.Mathematics;
using Radiant.Model;
using Radiant.Tests.Support;
using Radiant.Training;
using Radiant.Viewer;

namespace Radiant.Tests.Viewer;

/// <summary>
/// The viewer server's safety rules, in-process against a small model: only its own assets and
/// model endpoints, traversal refused however it is spelled, loopback Host only, control only by
/// same-origin POST with the viewer's header, bounded request sizes and rates.
/// </summary>
public sealed class ViewerServerTests : IAsyncLifetime
{
    private readonly TempDir _dir = new("viewer-server");
    private ViewerServer _server = null!;

    public Task InitializeAsync()
    {
        GaussianSet g = GaussianInit.Random(200, new Vec3(-1, -1, -1), new Vec3(1, 1, 1), 3, 1);
        string ply = _dir.File("model.ply");
        GaussianPly.Write(ply, g);
        _server = ViewerServer.Start(StaticModel.Open(ply, [0, 0, 0]), new ViewerServerOptions { RequestsPerSecond = 5 });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _dir.Dispose();
    }

    /// <summary>Sends one raw HTTP/1.1 request (so the target reaches the server exactly as written) and returns the status code and body.</summary>
    private (int Status, string Text) Raw(string requestLine, string extraHeaders = "")
    {
        using var client = new TcpClient();
        client.Connect(IPAddress.Loopback, _server.Url.Port);
        using NetworkStream stream = client.GetStream();
        stream.Write(Encoding.ASCII.GetBytes($"{requestLine}\r\nHost: 127.0.0.1:{_server.Url.Port}\r\n{extraHeaders}Connection: close\r\n\r\n"));
        string text = new StreamReader(stream, Encoding.UTF8).ReadToEnd();
        return (int.Parse(text.Split(' ')[1]), text);
    }

    [Theory]
    [InlineData("GET /../../../../etc/passwd HTTP/1.1")]
    [InlineData("GET /%2e%2e/%2e%2e/%2e%2e/etc/passwd HTTP/1.1")]
    [InlineData("GET /..%2f..%2f..%2fetc%2fpasswd HTTP/1.1")]
    [InlineData("GET /%2E%2E%5C%2E%2E%5Cetc%5Cpasswd HTTP/1.1")]
    [InlineData("GET /app.js/../../../etc/passwd HTTP/1.1")]
    [InlineData("GET //etc/passwd HTTP/1.1")]
    [InlineData("GET /..\\..\\etc\\passwd HTTP/1.1")]
    [InlineData("GET /%252e%252e/etc/passwd HTTP/1.1")]
    [InlineData("GET http://127.0.0.1/../../etc/passwd HTTP/1.1")]
    public void TraversalIsRefused(string requestLine)
    {
        var (status, text) = Raw(requestLine);
        Assert.Equal(400, status);
        Assert.DoesNotContain("root:", text);
    }

    [Fact]
    public void OnlyItsOwnAssetsAndModelEndpoints()
    {
        Assert.Equal(200, Raw("GET / HTTP/1.1").Status);
        Assert.Equal(200, Raw("GET /app.js HTTP/1.1").Status);
        Assert.Equal(404, Raw("GET /etc/passwd HTTP/1.1").Status);
        Assert.Equal(404, Raw("GET /model.ply HTTP/1.1").Status);       // the file's name is not a URL
        Assert.Equal(404, Raw("GET /package.json HTTP/1.1").Status);    // outside dist/
        var (status, text) = Raw("GET /api/model HTTP/1.1");
        Assert.Equal(200, status);
        Assert.Contains("\"gaussians\":200", text);
        Assert.Contains("\"shDegree\":1", text);
        Assert.Equal(200, Raw("GET /api/model.ply HTTP/1.1").Status);
        Assert.Equal(400, Raw("GET /api/render?camera=..%2f1 HTTP/1.1").Status);
        Assert.Equal(400, Raw("GET /api/render?camera=x HTTP/1.1").Status);
        Assert.Equal(404, Raw("GET /api/render?camera=0 HTTP/1.1").Status); // a bare .ply has no cameras
    }

    [Fact]
    public void ForeignHostsAndLargeHeadersAreRefused()
    {
        using var client = new TcpClient();
        client.Connect(IPAddress.Loopback, _server.Url.Port);
        using NetworkStream stream = client.GetStream();
        stream.Write("GET /api/model HTTP/1.1\r\nHost: attacker.example\r\nConnection: close\r\n\r\n"u8);
        Assert.StartsWith("HTTP/1.1 400", new StreamReader(stream).ReadToEnd());
        Assert.Equal(431, Raw("GET / HTTP/1.1", $"X-Big: {new string('a', 20_000)}\r\n").Status);
    }

    [Fact]
    public void ControlNeedsPostTheViewersHeaderAndTheSameOrigin()
    {
        // A view server has no training controls at all; without the header a POST is refused before routing.
        Assert.Equal(400, Raw("POST /api/training/pause HTTP/1.1", "Content-Length: 0\r\n").Status);
        Assert.Equal(404, Raw("POST /api/training/pause HTTP/1.1", "X-Radiant-Viewer: 1\r\nContent-Length: 0\r\n").Status);
        Assert.Equal(400, Raw("POST /api/training/pause HTTP/1.1", "X-Radiant-Viewer: 1\r\nOrigin: http://attacker.example\r\nContent-Length: 0\r\n").Status);
    }

    [Fact]
    public async Task LiveControlsArePostOnly()
    {
        var settings = new TrainingRunSettings { DataPath = _dir.Path, Options = new TrainingOptions() };
        using var live = new LiveTraining(_dir.Path, settings, 100, CancellationToken.None);
        await using ViewerServer server = ViewerServer.Start(live, new ViewerServerOptions());
        using var http = new HttpClient { BaseAddress = server.Url };
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await http.GetAsync("api/training/pause")).StatusCode);
        var post = new HttpRequestMessage(HttpMethod.Post, "api/training/pause");
        post.Headers.Add(RequestGuard.ControlHeader, "1");
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(post)).StatusCode);
        Assert.True(live.Paused);
        Assert.Contains("\"paused\":true", await http.GetStringAsync("api/training"));
    }

    [Fact]
    public async Task RequestRateIsLimited()
    {
        // RequestsPerSecond = 5 allows a burst of 50 and 5 more each second: 300 requests in a row
        // (well under 10 s here) must meet at least 50 429s.
        using var http = new HttpClient { BaseAddress = _server.Url };
        int limited = 0;
        for (int i = 0; i < 300; i++)
            if ((await http.GetAsync("api/model")).StatusCode == HttpStatusCode.TooManyRequests) limited++;
        Assert.InRange(limited, 50, 300);
    }

    [Theory]
    [InlineData("/", true)]
    [InlineData("/api/training?since=12", true)]
    [InlineData("/a/../b", false)]
    [InlineData("/%2e%2e/x", false)]
    [InlineData("/x\\y", false)]
    [InlineData("x", false)]
    [InlineData("//x", false)]
    public void RequestTargets(string target, bool plain) => Assert.Equal(plain, RequestGuard.CheckTarget(target) is null);
}
