using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Radiant.Tests.Viewer;

/// <summary>
/// The real programs the viewer tests drive: the radiant CLI as a child process (as a user runs it)
/// and the headless-Chromium script viewer/e2e/check.mjs under node. Missing node modules or
/// Chromium are failures, not skips: scripts/setup installs them.
/// </summary>
internal sealed class ViewerProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();
    private readonly TaskCompletionSource<Uri> _url = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ViewerProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>The repository checkout the tests run from (holds viewer/e2e/check.mjs).</summary>
    public static string RepoRoot => Support.RepositoryRoot.Path;

    /// <summary>Starts <c>radiant ARGS</c> (the CLI built next to the tests) and returns once it printed "viewer: URL".</summary>
    public static ViewerProcess StartRadiant(params string[] args)
    {
        string dll = typeof(Radiant.Cli.Cli).Assembly.Location;
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(dll);
        foreach (string a in args) psi.ArgumentList.Add(a);
        psi.Environment["CI"] = "1"; // plain log lines, no live terminal display
        var p = new ViewerProcess(Process.Start(psi)!);
        return p;
    }

    public Uri WaitForUrl(int timeoutMs = 120_000)
    {
        if (!_url.Task.Wait(timeoutMs)) throw new TimeoutException($"radiant printed no viewer URL; output:\n{Log}");
        return _url.Task.Result;
    }

    public string Log { get { lock (_log) return _log.ToString(); } }

    /// <summary>Waits until the output has a line containing <paramref name="text"/>.</summary>
    public void WaitForLine(string text, int timeoutMs = 120_000)
    {
        var clock = Stopwatch.StartNew();
        while (!Log.Contains(text, StringComparison.Ordinal))
        {
            if (clock.ElapsedMilliseconds > timeoutMs || _process.HasExited) throw new TimeoutException($"radiant printed no \"{text}\"; output:\n{Log}");
            Thread.Sleep(100);
        }
    }

    /// <summary>Sends SIGTERM, as `kill`, `timeout` or `docker stop` do.</summary>
    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    public int WaitForExit(int timeoutMs)
    {
        if (!_process.WaitForExit(timeoutMs)) throw new TimeoutException($"radiant did not finish; output:\n{Log}");
        _process.WaitForExit();
        return _process.ExitCode;
    }

    private void OnLine(string? line)
    {
        if (line is null) return;
        lock (_log) _log.AppendLine(line);
        const string prefix = "viewer: ";
        if (line.StartsWith(prefix, StringComparison.Ordinal) && Uri.TryCreate(line[prefix.Length..].Split(' ')[0], UriKind.Absolute, out Uri? url))
            _url.TrySetResult(url);
    }

    /// <summary>Runs viewer/e2e/check.mjs and returns the JSON line it prints; fails if the page reported errors.</summary>
    public static JsonElement RunBrowser(params string[] args)
    {
        string viewer = Path.Combine(RepoRoot, "viewer");
        if (!Directory.Exists(Path.Combine(viewer, "node_modules", "playwright-core")))
            throw new InvalidOperationException("viewer/node_modules is missing: run scripts/setup (npm ci in viewer/)");
        // check.mjs reports the step it is stuck at after 200 s; a slow software-WebGL machine needs far less.
        var (code, stdout, stderr) = Support.ExternalTool.Run("node", [Path.Combine(viewer, "e2e", "check.mjs"), .. args], timeoutMs: 240_000);
        string text = Encoding.UTF8.GetString(stdout).Trim();
        Assert.True(code == 0, $"check.mjs exited {code}: {stderr}\n{text}");
        JsonElement result = JsonDocument.Parse(text.Split('\n')[^1]).RootElement.Clone();
        string[] errors = result.GetProperty("errors").EnumerateArray().Select(e => e.GetString()!).ToArray();
        Assert.True(errors.Length == 0, "page errors: " + string.Join(" | ", errors));
        return result;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            try { _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            _process.WaitForExit(10_000);
        }
        _process.Dispose();
    }
}
