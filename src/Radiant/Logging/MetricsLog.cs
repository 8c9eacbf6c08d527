using System.Text;
using System.Text.Json;

namespace Radiant.Logging;

/// <summary>
/// <c>DIR/metrics.jsonl</c>: one <see cref="MetricsRecord"/> a line, appended and flushed as training
/// goes, so other tools (and <c>radiant plot</c>) can read it while it grows. In-process listeners
/// subscribe to <see cref="Logged"/>, raised after each line is written.
/// </summary>
public sealed class MetricsLog : IDisposable
{
    public const string FileName = "metrics.jsonl";
    private readonly FileStream _stream;
    private int _lastIteration;

    public string Path { get; }
    /// <summary>Lines kept from before a resume (those at or before the checkpoint's iteration).</summary>
    public IReadOnlyList<MetricsRecord> Kept { get; }

    /// <summary>Raised after each record is written.</summary>
    public event Action<MetricsRecord>? Logged;

    private MetricsLog(string path, FileStream stream, List<MetricsRecord> kept)
    {
        Path = path;
        _stream = stream;
        Kept = kept;
        _lastIteration = kept.Count > 0 ? kept[^1].Iteration : 0;
    }

    /// <summary>
    /// Starts the log of a run in <paramref name="dir"/>. A new run (<paramref name="resumeIteration"/>
    /// null) starts an empty file; a resumed run keeps the lines up to its checkpoint's iteration and
    /// drops any written after it (by a run that went on past its last checkpoint), so the finished log
    /// equals that of an uninterrupted run.
    /// </summary>
    public static MetricsLog Open(string dir, int? resumeIteration)
    {
        string path = System.IO.Path.Combine(dir, FileName);
        List<MetricsRecord> kept = [];
        if (resumeIteration is { } it && File.Exists(path))
        {
            kept = Read(path).Records.Where(r => r.Iteration <= it).ToList();
            var text = new StringBuilder();
            foreach (MetricsRecord r in kept) text.Append(r.ToJsonLine()).Append('\n');
            AtomicFile.WriteAllText(path, text.ToString());
        }
        try
        {
            var fs = new FileStream(path, resumeIteration is null ? FileMode.Create : FileMode.Append, FileAccess.Write, FileShare.Read | FileShare.Delete);
            return new MetricsLog(path, fs, kept);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new RadiantException(path, $"cannot write: {e.Message}"); }
    }

    /// <summary>Appends a record. Iterations only go forward: a record at or before the last one is ignored (a finished run resumed again).</summary>
    public bool Append(MetricsRecord record)
    {
        if (record.Iteration <= _lastIteration) return false;
        _lastIteration = record.Iteration;
        _stream.Write(Encoding.UTF8.GetBytes(record.ToJsonLine() + "\n"));
        _stream.Flush();
        Logged?.Invoke(record);
        return true;
    }

    public void Dispose() => _stream.Dispose();

    /// <summary>
    /// Reads a metrics.jsonl. A last line without its newline that does not parse is a line being
    /// written (reported in Incomplete); any other bad line is an error naming the line.
    /// </summary>
    public static (List<MetricsRecord> Records, string? Incomplete) Read(string path)
    {
        string text;
        try
        {
            using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(fs, Encoding.UTF8);
            text = reader.ReadToEnd();
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException) { throw new RadiantException(path, "file not found"); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new RadiantException(path, $"cannot read: {e.Message}"); }

        var records = new List<MetricsRecord>();
        string? incomplete = null;
        string[] lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].TrimEnd('\r');
            if (line.Length == 0) continue;
            bool last = i == lines.Length - 1; // no newline after it
            try { records.Add(MetricsRecord.Parse(line)); }
            catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
            {
                if (last) { incomplete = $"line {i + 1} is incomplete (the run may still be writing it)"; continue; }
                throw new RadiantException(path, $"line {i + 1}: not a metrics record ({e.Message})");
            }
        }
        return (records, incomplete);
    }
}
