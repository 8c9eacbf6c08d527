using System.Runtime.InteropServices;

namespace Radiant.Cli;

/// <summary>
/// Ctrl+C (SIGINT) and SIGTERM (`kill`, `timeout`, `docker stop`) as one cancellation: long work
/// stops at its next safe point (training saves its checkpoint) instead of the process dying.
/// </summary>
internal sealed class StopSignals : IDisposable
{
    private readonly CancellationTokenSource _cancel = new();
    private readonly ConsoleCancelEventHandler _onCancel;
    private readonly PosixSignalRegistration _onTerm;

    public StopSignals()
    {
        _onCancel = (_, e) => { e.Cancel = true; _cancel.Cancel(); };
        System.Console.CancelKeyPress += _onCancel;
        _onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; _cancel.Cancel(); });
    }

    public CancellationToken Token => _cancel.Token;

    public void Dispose()
    {
        System.Console.CancelKeyPress -= _onCancel;
        _onTerm.Dispose();
        _cancel.Dispose();
    }
}
