using System.CommandLine;

namespace Radiant.Cli;

/// <summary>
/// Runs a verb's body and turns failures into the project's error contract: a RadiantException
/// (bad input) prints "error: PATH: PROBLEM" and exits 1; an unexpected exception prints one line
/// and exits 70, with the stack trace only when RADIANT_DEBUG=1. Bad input met inside parallel work
/// (a corrupt image among the views loaded on all cores) arrives wrapped in an AggregateException
/// and is reported the same way.
/// </summary>
public static class CommandRunner
{
    public static void SetAction(Command command, Func<ParseResult, Console, int> body)
    {
        command.SetAction(parseResult =>
        {
            var console = new Console(parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error);
            try
            {
                return body(parseResult, console);
            }
            catch (RadiantException e)
            {
                console.Error($"error: {e.Message}");
                return 1;
            }
            catch (AggregateException e) when (BadInput(e) is { } bad)
            {
                console.Error($"error: {bad.Message}");
                return 1;
            }
            catch (Exception e) when (e is UnauthorizedAccessException or IOException)
            {
                // The system refused a read or write (a read-only folder, a full disk): the environment, not a bug.
                console.Error($"error: {e.Message}");
                return 1;
            }
            catch (OperationCanceledException)
            {
                console.Error("cancelled");
                return 130;
            }
            catch (Exception e) when (Environment.GetEnvironmentVariable("RADIANT_DEBUG") != "1")
            {
                console.Error($"internal error: {e.GetType().Name}: {e.Message} (set RADIANT_DEBUG=1 for details, and please report it)");
                return 70;
            }
        });
    }

    /// <summary>The bad-input error an exception is or carries (the first among a parallel loop's exceptions), if any.</summary>
    internal static RadiantException? BadInput(Exception e) => e switch
    {
        RadiantException bad => bad,
        AggregateException parallel => parallel.Flatten().InnerExceptions.OfType<RadiantException>().FirstOrDefault(),
        _ => null,
    };
}
