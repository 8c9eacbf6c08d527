using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Radiant.Cli;

/// <summary>
/// A command line the parser refused (an unknown flag, a value of the wrong type, a missing
/// argument), reported as `error:` lines and a pointer to the verb's help, not the whole help text.
/// A flag nobody declared but that landed in a path argument (`radiant train --bogus`) is reported
/// as an unknown flag too, instead of as a missing dataset folder. Unknown names get the closest
/// known ones as suggestions.
/// </summary>
internal static class ParseErrors
{
    /// <summary>The error lines for this parse, empty when it can run.</summary>
    public static List<string> Describe(ParseResult result)
    {
        Command command = result.CommandResult.Command;
        var unknownFlags = new HashSet<string>(FlagsTakenAsPaths(result));
        foreach (ParseError error in result.Errors)
            if (Unrecognized(error) is { } token && token.StartsWith('-')) unknownFlags.Add(token);

        var lines = unknownFlags.Select(flag => Unknown(flag, command)).ToList();
        bool unknownCommand = false;
        foreach (ParseError error in result.Errors)
        {
            string? token = Unrecognized(error);
            if (token is not null && (unknownFlags.Contains(token) || FollowsUnknownFlag(result, token, unknownFlags))) continue;   // said above, or that flag's value
            if (token is null && result.Errors.Count + unknownFlags.Count > 1 && error.SymbolResult is CommandResult { Command.Subcommands.Count: > 0 }) continue;   // "no command given" beside "unknown command"
            if (token is not null && !token.StartsWith('-') && command.Subcommands.Count > 0)
            {
                if (unknownCommand) continue;   // the words after an unknown command are its arguments
                unknownCommand = true;
            }
            lines.Add(token is not null ? Unknown(token, command) : Sentence(error));
        }
        return lines.Distinct().ToList();
    }

    /// <summary>Writes the lines and the help pointer; returns the exit code, 1.</summary>
    public static int Report(ParseResult result, List<string> lines, TextWriter error)
    {
        foreach (string line in lines) error.WriteLine($"error: {line}");
        error.WriteLine($"(`{CommandPath(result.CommandResult)} --help` lists the arguments and options)");
        return 1;
    }

    /// <summary>True when the parser's own handling is the better answer: a bare group (`radiant`, `radiant data`) shows its help.</summary>
    public static bool OnlyMissingSubcommand(ParseResult result) =>
        result.Errors.Count > 0 && result.UnmatchedTokens.Count == 0
        && result.Errors.All(e => e.SymbolResult is CommandResult { Command.Subcommands.Count: > 0 });

    /// <summary>One parse error as a short sentence naming the option or argument.</summary>
    private static string Sentence(ParseError error)
    {
        string message = error.Message;
        bool conversion = message.StartsWith("Cannot parse argument", StringComparison.Ordinal);
        switch (error.SymbolResult)
        {
            case OptionResult option when conversion:
                return $"{option.Option.Name} '{Values(option.Tokens)}' is not {Kind(option.Option.ValueType)}";
            case ArgumentResult { Parent: OptionResult option } argument when conversion:
                return $"{option.Option.Name} '{Values(argument.Tokens)}' is not {Kind(argument.Argument.ValueType)}";
            case ArgumentResult argument when conversion:
                return $"<{argument.Argument.Name}> '{Values(argument.Tokens)}' is not {Kind(argument.Argument.ValueType)}";
            case ArgumentResult argument when message.StartsWith("Required argument", StringComparison.Ordinal):
                return $"missing argument <{argument.Argument.Name}>";
            case OptionResult option when message.StartsWith("Required argument missing for option", StringComparison.Ordinal):
                return $"{option.Option.Name} needs a value";
            case OptionResult option when message.EndsWith("is required.", StringComparison.Ordinal):
                return $"{option.Option.Name} is required";
        }
        return message.TrimEnd('.');
    }

    /// <summary>The token of an "unrecognized command or argument" error, else null.</summary>
    private static string? Unrecognized(ParseError error)
    {
        const string prefix = "Unrecognized command or argument '";
        string m = error.Message;
        return m.StartsWith(prefix, StringComparison.Ordinal) && m.EndsWith("'.", StringComparison.Ordinal) ? m[prefix.Length..^2] : null;
    }

    /// <summary>Whether the token comes right after an unknown flag on the command line (most likely that flag's value).</summary>
    private static bool FollowsUnknownFlag(ParseResult result, string token, HashSet<string> unknownFlags)
    {
        IReadOnlyList<Token> tokens = result.Tokens;
        for (int i = 1; i < tokens.Count; i++)
            if (tokens[i].Value == token && unknownFlags.Contains(tokens[i - 1].Value)) return true;
        return false;
    }

    private static string Values(IReadOnlyList<Token> tokens) => string.Join(' ', tokens.Select(t => t.Value));

    private static string Kind(Type type)
    {
        Type t = Nullable.GetUnderlyingType(type) ?? type;
        if (t == typeof(int) || t == typeof(long)) return "a whole number";
        if (t == typeof(float) || t == typeof(double)) return "a number";
        return $"a valid {t.Name}";
    }

    /// <summary>"unknown option '--itrations' (did you mean --iterations?)", or the same for a command or a stray argument.</summary>
    private static string Unknown(string token, Command command)
    {
        bool flag = token.StartsWith('-');
        IEnumerable<string> names = flag
            ? command.Options.Where(o => !o.Hidden).SelectMany(o => o.Aliases.Prepend(o.Name))
            : command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name);
        string what = flag ? "unknown option" : command.Subcommands.Count > 0 ? "unknown command" : "unexpected argument";
        string[] close = Closest(token, names);
        return close.Length == 0 ? $"{what} '{token}'" : $"{what} '{token}' (did you mean {string.Join(" or ", close)}?)";
    }

    /// <summary>Tokens that look like flags (`--x`, `-x`, not a number) but were bound to an argument, when no file or folder has that name.</summary>
    private static IEnumerable<string> FlagsTakenAsPaths(ParseResult result) =>
        result.CommandResult.Children.OfType<ArgumentResult>()
            .SelectMany(a => a.Tokens)
            .Select(t => t.Value)
            .Where(v => v.Length > 1 && v[0] == '-' && !double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
                        && !File.Exists(v) && !Directory.Exists(v));

    /// <summary>The names within edit distance 2 of the token (at most three, closest first).</summary>
    private static string[] Closest(string token, IEnumerable<string> names) =>
        names.Distinct()
            .Select(n => (Name: n, Distance: EditDistance(token, n)))
            .Where(x => x.Distance <= (token.TrimStart('-').Length <= 3 ? 1 : 2))
            .OrderBy(x => x.Distance).ThenBy(x => x.Name, StringComparer.Ordinal)
            .Take(3).Select(x => x.Name).ToArray();

    /// <summary>Levenshtein distance (insertions, deletions, substitutions), case-sensitive.</summary>
    internal static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++) previous[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1], previous[j]) + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }

    private static string CommandPath(CommandResult result)
    {
        var names = new List<string>();
        for (SymbolResult? r = result; r is not null; r = r.Parent)
            if (r is CommandResult c) names.Add(c.Parent is null ? "radiant" : c.Command.Name);
        names.Reverse();
        return string.Join(' ', names);
    }
}
