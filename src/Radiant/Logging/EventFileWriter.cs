using Radiant.Imaging;
using Radiant.Imaging.Png;

namespace Radiant.Logging;

/// <summary>
/// Writes a TensorBoard event file, <c>DIR/events.out.tfevents.UNIXSECONDS.HOSTNAME</c>: TFRecord
/// framing (<see cref="TfRecord"/>) around Event protobufs, starting with the file-version event.
/// Every event is flushed as it is written so a running TensorBoard shows progress. The file is
/// appended live rather than written through <see cref="AtomicFile"/>: readers follow it while it
/// grows, and a record cut short by a crash is detected by its length and CRCs.
/// </summary>
public sealed class EventFileWriter : IDisposable
{
    public const string FilePrefix = "events.out.tfevents.";
    private readonly FileStream _stream;
    private readonly Func<double> _clock;

    public string Path { get; }

    private EventFileWriter(string path, FileStream stream, Func<double> clock)
    {
        Path = path;
        _stream = stream;
        _clock = clock;
    }

    /// <summary>Starts a new event file in <paramref name="dir"/>; <paramref name="clock"/> gives the wall time in Unix seconds (the system clock by default).</summary>
    public static EventFileWriter Create(string dir, Func<double>? clock = null)
    {
        clock ??= () => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
        double now = clock();
        string host = string.Concat(Environment.MachineName.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_'));
        string stem = System.IO.Path.Combine(dir, $"{FilePrefix}{(long)Math.Floor(now)}.{host}");
        for (int k = 1; ; k++)
        {
            // A run resumed within the same second gets its own file (TensorBoard reads every file of the folder).
            string path = k == 1 ? stem : $"{stem}.{k}";
            try
            {
                var fs = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read | FileShare.Delete);
                var writer = new EventFileWriter(path, fs, clock);
                writer.Write(new TensorBoardEvent(now, 0, TensorBoardEvent.CurrentFileVersion, []));
                return writer;
            }
            catch (IOException) when (File.Exists(path) && k < 100) { }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new RadiantException(path, $"cannot create the event file: {e.Message}"); }
        }
    }

    public void Write(TensorBoardEvent e)
    {
        _stream.Write(TfRecord.Frame(e.Encode()));
        _stream.Flush();
    }

    /// <summary>Scalars at a step (non-finite values are left out: TensorBoard plots them as gaps anyway).</summary>
    public void Scalars(long step, IEnumerable<(string Tag, double Value)> values) =>
        Write(new TensorBoardEvent(_clock(), step, null,
            values.Where(v => double.IsFinite(v.Value)).Select(v => new SummaryValue(v.Tag, Scalar: (float)v.Value)).ToList()));

    /// <summary>An image at a step, stored as an 8-bit PNG.</summary>
    public void Image(long step, string tag, Image image)
    {
        Image rgb = image.Channels == 3 ? image : image.Channels == 4 ? image.WithoutAlpha() : image.ToRgb();
        var summary = new SummaryImage(rgb.Height, rgb.Width, 3, PngEncoder.Encode(rgb));
        Write(new TensorBoardEvent(_clock(), step, null, [new SummaryValue(tag, Image: summary)]));
    }

    public void Dispose() => _stream.Dispose();
}
