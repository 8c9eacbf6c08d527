using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Radiant.Capture;

/// <summary>
/// Runs COLMAP's command-line stages as subprocesses. Everything COLMAP prints (glog to stderr with
/// <c>--log_to_stderr 1</c>, and stdout) is appended to one log file; progress is read from its
/// "[i/N]" counters (feature extraction, sequential matching), its "[i/N, j/N]" block counters
/// (exhaustive matching) or its "Registering image #id (k)" lines (mapping). A missing program or a
/// failed stage is one <see cref="RadiantException"/> that quotes the log's last lines.
/// </summary>
public sealed partial class ColmapRunner(string program, string logPath)
{
    public const string DefaultProgram = "colmap";
    public const string InstallHint = "install it with `apt-get install colmap` (scripts/setup does)";
    private const int TailLines = 12;

    public string Program { get; } = program;
    public string LogPath { get; } = logPath;

    /// <summary>Fails with one clear line when COLMAP cannot be run.</summary>
    public void EnsureAvailable() => ExternalProgram.Run(StartInfo(["help"]), "posing photos needs COLMAP", InstallHint);

    /// <summary>
    /// Runs <c>colmap STAGE ARGS --log_to_stderr 1</c>; <paramref name="total"/> is the expected
    /// count for progress (images, or blocks for the exhaustive matcher), reported as 0 when the
    /// stage starts (so that its clock starts then, not at COLMAP's first counter, which the
    /// exhaustive matcher prints only after its first block of many minutes) and then as COLMAP's
    /// counters advance.
    /// </summary>
    public void Run(string stage, IReadOnlyList<string> args, int total, IProgress<(int Done, int Total)>? progress, CancellationToken cancel = default)
    {
        using var log = new StreamWriter(LogPath, append: true) { AutoFlush = true };
        log.WriteLine($"==== colmap {stage} {string.Join(' ', args)}");
        Process process = ExternalProgram.Start(StartInfo([stage, .. args, "--log_to_stderr", "1"]), "posing photos needs COLMAP", InstallHint);
        using (process)
        using (cancel.Register(() => { try { process.Kill(true); } catch (InvalidOperationException) { } }))
        {
            var gate = new object();
            int done = 0;
            bool complete = false;
            void OnLine(string? line)
            {
                if (line is null) return;
                lock (gate)
                {
                    log.WriteLine(line);
                    if (ProgressCounter(line, total) is { } p && p.Done > done)
                    {
                        done = p.Done;
                        progress?.Report((Math.Min(p.Done, p.Total), p.Total));
                        complete = p.Done >= p.Total;
                    }
                }
            }
            process.OutputDataReceived += (_, e) => OnLine(e.Data);
            process.ErrorDataReceived += (_, e) => OnLine(e.Data);
            progress?.Report((0, total));
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            process.WaitForExit();
            cancel.ThrowIfCancellationRequested();
            if (process.ExitCode != 0)
            {
                lock (gate) log.Flush();
                throw new RadiantException(LogPath, $"colmap {stage} failed (exit code {process.ExitCode}); the log ends:{Environment.NewLine}{Tail(LogPath)}");
            }
            if (!complete) progress?.Report((total, total));
        }
    }

    /// <summary>The last lines of a log file, indented, for error messages.</summary>
    public static string Tail(string path, int lines = TailLines)
    {
        if (!File.Exists(path)) return "  (no log)";
        string[] all;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
        using (var reader = new StreamReader(stream))
            all = reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return string.Join(Environment.NewLine, all.TakeLast(lines).Select(l => "  " + l.TrimEnd('\r')));
    }

    /// <summary>
    /// The progress a log line announces: "[i/N]" → (i, N); the exhaustive matcher's "Matching block
    /// [i/N, j/M]" → ((i − 1)·M + j, N·M) (it goes through the blocks row by row, and spreads the
    /// pairs evenly over them); "Registering image #id (k)" → (k, <paramref name="images"/>); else null.
    /// </summary>
    internal static (int Done, int Total)? ProgressCounter(string line, int images)
    {
        Match m = BlockCounter().Match(line);
        if (m.Success)
        {
            int i = int.Parse(m.Groups[1].Value), n = int.Parse(m.Groups[2].Value);
            int j = int.Parse(m.Groups[3].Value), columns = int.Parse(m.Groups[4].Value);
            return ((i - 1) * columns + j, n * columns);
        }
        m = Counter().Match(line);
        if (m.Success) return (int.Parse(m.Groups[1].Value), int.Parse(m.Groups[2].Value));
        m = Registered().Match(line);
        if (m.Success) return (int.Parse(m.Groups[1].Value), images);
        return null;
    }

    private ProcessStartInfo StartInfo(IEnumerable<string> args)
    {
        ProcessStartInfo psi = ExternalProgram.StartInfo(Program, args);
        // COLMAP links Qt; without a display its GUI plugin must not be loaded.
        psi.Environment["QT_QPA_PLATFORM"] = "offscreen";
        return psi;
    }

    [GeneratedRegex(@"\[(\d+)/(\d+)[\],]")]
    private static partial Regex Counter();

    [GeneratedRegex(@"\[(\d+)/(\d+), (\d+)/(\d+)\]")]
    private static partial Regex BlockCounter();

    [GeneratedRegex(@"Registering image #\d+ \((\d+)\)")]
    private static partial Regex Registered();
}
