namespace Radiant.Logging;

/// <summary>The events of one event file; <see cref="Incomplete"/> describes a last record cut short (a live writer), else null.</summary>
public sealed record EventFile(string Path, List<TensorBoardEvent> Events, string? Incomplete);

/// <summary>Reads TensorBoard event files written by <see cref="EventFileWriter"/> (or any writer of scalar and image summaries).</summary>
public static class EventFileReader
{
    public static EventFile Read(string path)
    {
        TfRecordFile file = TfRecordReader.Read(path);
        var events = new List<TensorBoardEvent>(file.Records.Count);
        foreach (TfRecordEntry record in file.Records)
        {
            try { events.Add(TensorBoardEvent.Decode(record.Data)); }
            catch (Exception e) when (e is InvalidDataException or OverflowException)
            {
                throw new RadiantException(path, $"record at offset {record.Offset} is not an Event protobuf: {e.Message}");
            }
        }
        return new EventFile(path, events, file.Incomplete);
    }

    /// <summary>The event files of a run folder, oldest first (a resumed run adds one per session).</summary>
    public static List<string> FilesIn(string dir) =>
        Directory.Exists(dir)
            ? Directory.EnumerateFiles(dir, EventFileWriter.FilePrefix + "*").OrderBy(File.GetLastWriteTimeUtc).ThenBy(p => p, StringComparer.Ordinal).ToList()
            : [];
}
