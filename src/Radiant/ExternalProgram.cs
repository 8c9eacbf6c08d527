using System.ComponentModel;
using System.Diagnostics;

namespace Radiant;

/// <summary>
/// Runs an external program Radiant drives (ffmpeg, ffprobe, COLMAP) to completion: both output
/// streams read concurrently (so neither pipe can fill and stall the program), and a program that
/// is not installed becomes one <see cref="RadiantException"/> saying what needs it and how to install it.
/// </summary>
public static class ExternalProgram
{
    public readonly record struct Result(int ExitCode, string Output, string Error);

    /// <summary>A start description with both output streams redirected and the arguments passed as given (no shell quoting).</summary>
    public static ProcessStartInfo StartInfo(string program, IEnumerable<string> arguments)
    {
        var psi = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in arguments) psi.ArgumentList.Add(a);
        return psi;
    }

    /// <summary>Starts <paramref name="psi"/> (for a caller that streams its input or output); a missing program as in <see cref="Run"/>.</summary>
    public static Process Start(ProcessStartInfo psi, string neededFor, string installHint)
    {
        try { return Process.Start(psi)!; }
        catch (Win32Exception) { throw new RadiantException(psi.FileName, $"not found: {neededFor}; {installHint}"); }
    }

    /// <summary>
    /// Runs <paramref name="psi"/> and waits for it. A missing program: "PROGRAM: not found:
    /// <paramref name="neededFor"/>; <paramref name="installHint"/>".
    /// </summary>
    public static Result Run(ProcessStartInfo psi, string neededFor, string installHint)
    {
        using Process p = Start(psi, neededFor, installHint);
        Task<string> error = p.StandardError.ReadToEndAsync();
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return new Result(p.ExitCode, output, error.Result);
    }
}
