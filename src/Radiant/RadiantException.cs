namespace Radiant;

/// <summary>
/// An error caused by the user's input (a file, a folder, an option), reported as one line
/// "PATH: PROBLEM" and a non-zero exit code, never a stack trace.
/// </summary>
public class RadiantException : Exception
{
    /// <summary>The file or folder at fault, if any.</summary>
    public string? Path { get; }

    /// <summary>What is wrong, without the path.</summary>
    public string Problem { get; }

    public RadiantException(string problem) : base(problem) { Problem = problem; }

    public RadiantException(string path, string problem, Exception? inner = null)
        : base($"{path}: {problem}", inner)
    {
        Path = path;
        Problem = problem;
    }
}
