using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.RateLimiting;
using Radiant.Rendering;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Radiant.Viewer;

/// <summary>
/// The viewer's web server (Kestrel): the built page from <see cref="ViewerAssets"/>, and the model
/// endpoints. GET /api/model (statistics), /api/model.ply, /api/cameras, /api/render?camera=ID
/// (Radiant's PNG), /api/training?since=N (live curves); POST /api/training/pause, /resume,
/// /checkpoint, /done (the page has taken in the end of the run; only while training). Nothing
/// else: no URL is ever mapped to a file path.
/// </summary>
public sealed class ViewerServer : IAsyncDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self' blob: data:; " +
        "connect-src 'self' blob: data:; img-src 'self' blob: data:; style-src 'self'; object-src 'none'; " +
        "base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

    private readonly WebApplication _app;

    /// <summary>The page's address, e.g. http://127.0.0.1:41234/.</summary>
    public Uri Url { get; }

    private ViewerServer(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    public static ViewerServer Start(IViewerSource source, ViewerServerOptions options)
    {
        ViewerAssets assets = ViewerAssets.Load();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        // The command owns the process: no console lifetime swallowing SIGTERM/Ctrl+C for the web host alone.
        builder.Services.AddSingleton<IHostLifetime, CommandLifetime>();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(options.Host, options.Port);
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = 1024;
            k.Limits.MaxRequestLineSize = 2048;
            k.Limits.MaxRequestHeadersTotalSize = 16 * 1024;
            k.Limits.MaxRequestHeaderCount = 50;
            k.Limits.MaxConcurrentConnections = 64;
            k.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(10);
        });
        builder.Services.AddRateLimiter(r =>
        {
            r.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            r.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(ctx =>
                RateLimitPartition.GetTokenBucketLimiter(ctx.Connection.RemoteIpAddress?.ToString() ?? "?", _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = options.RequestsPerSecond * 10,
                    TokensPerPeriod = options.RequestsPerSecond,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                }));
        });
        // Created by the container so that it is disposed with the app (its render thread ends).
        builder.Services.AddSingleton(_ => new RenderService(source, options.RenderInterval));
        WebApplication app = builder.Build();
        bool loopbackOnly = IPAddress.IsLoopback(options.Host);
        app.Use(async (context, next) =>
        {
            if (RequestGuard.Check(context, loopbackOnly) is { } problem)
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                await context.Response.WriteAsync(problem + "\n");
                return;
            }
            context.Response.Headers["X-Content-Type-Options"] = "nosniff";
            context.Response.Headers["Referrer-Policy"] = "no-referrer";
            context.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
            context.Response.Headers.CacheControl = "no-store";
            await next();
        });
        app.UseRateLimiter();
        MapPage(app, assets);
        MapModel(app, source, options);
        if (source is LiveTraining live) MapTraining(app, live);
        app.StartAsync().GetAwaiter().GetResult();

        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var bound = new Uri(address);
        string host = options.Host.Equals(IPAddress.Any) || options.Host.Equals(IPAddress.IPv6Any) ? "127.0.0.1" : bound.Host;
        return new ViewerServer(app, new UriBuilder("http", host, bound.Port, "/").Uri);
    }

    private static void MapPage(WebApplication app, ViewerAssets assets)
    {
        IResult Asset(string name) => assets.Find(name) is { } f ? Results.Bytes(f.Bytes, f.ContentType) : Results.NotFound();
        app.MapGet("/", () => Asset("index.html"));
        app.MapGet("/favicon.ico", () => Results.NoContent());
        app.MapGet("/{name}", (string name) => Asset(name));
    }

    private static void MapModel(WebApplication app, IViewerSource source, ViewerServerOptions options)
    {
        RenderService renders = app.Services.GetRequiredService<RenderService>();
        app.MapGet("/api/model", () =>
        {
            ServedModel? m = source.Model;
            return Results.Json(new
            {
                title = source.Title,
                live = source is LiveTraining,
                version = m?.Version ?? 0,
                iteration = m?.Iteration ?? 0,
                gaussians = m?.Gaussians.Count ?? 0,
                shDegree = m?.Gaussians.ShDegree ?? 0,
                plyBytes = m?.Ply.Length ?? 0,
                // The model file as stored (a compact format is served to the page as a standard .ply).
                fileName = source is StaticModel s ? Path.GetFileName(s.PlyPath) : "",
                fileBytes = source is StaticModel f ? f.FileBytes : m?.Ply.Length ?? 0,
                background = m?.Options.Background ?? [0f, 0f, 0f],
                // The model's 2D filter: the 0.3 px² dilation, or the Mip filter (0.1 px², opacity-compensated).
                filter2D = new { variance = m?.Options.Dilation ?? RenderOptions.ReferenceDilation, compensated = m?.Options.MipFilter ?? false },
                renderIntervalMs = (int)options.RenderInterval.TotalMilliseconds,
            }, Json);
        });
        app.MapGet("/api/model.ply", () => source.Model is { } m
            ? Results.Bytes(m.Ply, "application/octet-stream", $"model-{m.Version}.ply")
            : Results.NotFound());
        app.MapGet("/api/cameras", () => Results.Json(source.Cameras.Select(CameraJson), Json));
        app.MapGet("/api/render", async (HttpContext context, string? camera) =>
        {
            if (!int.TryParse(camera, NumberStyles.None, CultureInfo.InvariantCulture, out int id)) return Results.BadRequest("camera must be a camera id\n");
            var result = await renders.RenderAsync(id, context.RequestAborted);
            if (result is not { } r) return Results.NotFound();
            context.Response.Headers["X-Radiant-Iteration"] = r.Iteration.ToString(CultureInfo.InvariantCulture);
            return Results.Bytes(r.Png, "image/png");
        });
    }

    private static void MapTraining(WebApplication app, LiveTraining live)
    {
        app.MapGet("/api/training", (string? since) =>
            Results.Json(live.Status(int.TryParse(since, NumberStyles.None, CultureInfo.InvariantCulture, out int s) ? s : 0), Json));
        app.MapPost("/api/training/pause", () => { live.Pause(); return Results.Json(new { paused = true }, Json); });
        app.MapPost("/api/training/resume", () => { live.Resume(); return Results.Json(new { paused = false }, Json); });
        app.MapPost("/api/training/done", () => { live.PageTookInFinish(); return Results.Json(new { done = true }, Json); });
        app.MapPost("/api/training/checkpoint", async (HttpContext context) =>
        {
            try { return Results.Json(new { checkpoint = await live.SaveCheckpointAsync(context.RequestAborted) }, Json); }
            catch (Exception e) when (e is InvalidOperationException or RadiantException or IOException or TimeoutException)
            {
                return Results.Json(new { error = e.Message }, Json, statusCode: StatusCodes.Status409Conflict);
            }
        });
    }

    /// <summary>A camera for the page: intrinsics in pixels and the camera-to-world pose in OpenCV axes (as in cameras.json).</summary>
    private static object CameraJson(ViewerCamera c)
    {
        float[] m = c.Camera.WorldToCamera;
        var (px, py, pz) = c.Camera.Position;
        return new
        {
            id = c.Id, name = c.Name, split = c.Split,
            width = c.Camera.Width, height = c.Camera.Height,
            fx = c.Camera.Fx, fy = c.Camera.Fy, cx = c.Camera.Cx, cy = c.Camera.Cy,
            position = new[] { px, py, pz },
            // camera-to-world rotation = (world-to-camera)ᵀ, row-major
            rotation = new[] { new[] { m[0], m[4], m[8] }, new[] { m[1], m[5], m[9] }, new[] { m[2], m[6], m[10] } },
        };
    }

    private sealed class CommandLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
