using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace Radiant.Video;

/// <summary>
/// Runs the writing of rendered frames (PNG encoding, the pipes to ffmpeg) on a thread of its own,
/// in the order given, while the renderer makes the next frame: a frame then costs about the larger
/// of rendering and writing instead of their sum. At most <see cref="Waiting"/> writes wait; adding
/// one more blocks until the oldest is done. The first failure stops the writes that follow and is
/// thrown to the renderer's thread by the next <see cref="Add"/> or by <see cref="Complete"/>.
/// </summary>
internal sealed class FrameWriter : IDisposable
{
    /// <summary>Writes that may wait while one runs.</summary>
    public const int Waiting = 2;

    /// <summary>
    /// Frames whose images may be in use at once: the one being written, those waiting, and the one
    /// being rendered, so that a ring of this many frame buffers is never overwritten while read.
    /// </summary>
    public const int FramesInFlight = Waiting + 2;

    private readonly BlockingCollection<Action> _writes = new(Waiting);
    private readonly Thread _thread;
    private volatile ExceptionDispatchInfo? _failure;

    public FrameWriter()
    {
        _thread = new Thread(Drain) { IsBackground = true, Name = "Radiant frame writer" };
        _thread.Start();
    }

    /// <summary>Queues a write (blocks while <see cref="Waiting"/> are queued); throws an earlier write's failure.</summary>
    public void Add(Action write)
    {
        _failure?.Throw();
        _writes.Add(write);
    }

    /// <summary>Waits for every queued write; throws the first failure.</summary>
    public void Complete()
    {
        _writes.CompleteAdding();
        _thread.Join();
        _failure?.Throw();
    }

    private void Drain()
    {
        foreach (Action write in _writes.GetConsumingEnumerable())
        {
            if (_failure is not null) continue;   // drain, so that a blocked Add returns and sees the failure
            try { write(); }
            catch (Exception e) { _failure = ExceptionDispatchInfo.Capture(e); }
        }
    }

    public void Dispose()
    {
        if (!_writes.IsAddingCompleted) _writes.CompleteAdding();
        _thread.Join();
        _writes.Dispose();
    }
}
