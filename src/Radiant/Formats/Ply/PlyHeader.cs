using System.Globalization;
using System.Text;

namespace Radiant.Formats.Ply;

/// <summary>
/// One property of a PLY element: <c>property &lt;type&gt; &lt;name&gt;</c> (a scalar), or
/// <c>property list &lt;count type&gt; &lt;item type&gt; &lt;name&gt;</c> (a count, then that many items).
/// </summary>
public sealed record PlyProperty(string Name, PlyType Type, PlyType? ListCountType = null)
{
    public bool IsList => ListCountType is not null;
}

/// <summary>One element of a PLY file (<c>element &lt;name&gt; &lt;count&gt;</c>): its instances follow those of the elements before it, each its properties in declared order.</summary>
public sealed class PlyElement(string name, long count)
{
    public string Name { get; } = name;
    public long Count { get; } = count;
    public List<PlyProperty> Properties { get; } = [];

    public bool HasLists => Properties.Exists(p => p.IsList);

    /// <summary>Bytes one instance takes in a binary body; with lists, the least it can take (each list's count, no items).</summary>
    public int BinarySize => Properties.Sum(p => PlyTypes.SizeOf(p.ListCountType ?? p.Type));
}

/// <summary>
/// A parsed PLY header (Greg Turk's PLY polygon file format): ASCII lines, the first "ply", then
/// "format", "element", "property" and "comment"/"obj_info" lines, the last "end_header". Parsing
/// reads exactly up to the end of the "end_header" line, so the stream is left at the start of the
/// body. Errors are one-line <see cref="RadiantException"/>s naming the file.
/// </summary>
public sealed class PlyHeader
{
    /// <summary>Headers longer than this are refused (a real 3DGS header is under 2 KiB).</summary>
    public const int MaxHeaderBytes = 1 << 20;

    public PlyFormat Format { get; private init; }
    public List<PlyElement> Elements { get; } = [];
    /// <summary>The text of each "comment" line (after "comment "), in order.</summary>
    public List<string> Comments { get; } = [];

    /// <summary>Bytes from the start of the file to the first byte of the body.</summary>
    public long Length { get; private init; }

    /// <summary>Reads a header from the current position of <paramref name="stream"/>; errors name <paramref name="path"/>.</summary>
    public static PlyHeader Read(Stream stream, string path)
    {
        var lines = new List<string>();
        long consumed = ReadHeaderLines(stream, path, lines);

        PlyFormat? format = null;
        var elements = new List<PlyElement>();
        var comments = new List<string>();
        for (int i = 1; i < lines.Count; i++)
        {
            string line = lines[i];
            string[] t = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (t.Length == 0) continue;
            string where = $"PLY header line {i + 1}";
            switch (t[0])
            {
                case "comment":
                    comments.Add(line.Trim()["comment".Length..].Trim());
                    break;
                case "obj_info" or "end_header":
                    break;
                case "format":
                    if (format is not null) throw Bad(path, $"{where}: a second 'format' line");
                    if (t.Length != 3) throw Bad(path, $"{where}: expected 'format <ascii|binary_little_endian|binary_big_endian> 1.0', found '{line}'");
                    format = t[1] switch
                    {
                        "ascii" => PlyFormat.Ascii,
                        "binary_little_endian" => PlyFormat.BinaryLittleEndian,
                        "binary_big_endian" => PlyFormat.BinaryBigEndian,
                        _ => throw Bad(path, $"{where}: unknown PLY format '{t[1]}'"),
                    };
                    if (t[2] != "1.0") throw Bad(path, $"{where}: unsupported PLY version '{t[2]}' (expected 1.0)");
                    break;
                case "element":
                    if (t.Length != 3 || !long.TryParse(t[2], NumberStyles.None, CultureInfo.InvariantCulture, out long count))
                        throw Bad(path, $"{where}: expected 'element <name> <count>', found '{line}'");
                    if (elements.Exists(e => e.Name == t[1])) throw Bad(path, $"{where}: element '{t[1]}' declared twice");
                    elements.Add(new PlyElement(t[1], count));
                    break;
                case "property":
                    if (elements.Count == 0) throw Bad(path, $"{where}: a property before any element");
                    PlyProperty prop;
                    if (t.Length == 5 && t[1] == "list")
                    {
                        PlyType countType = PlyTypes.Parse(t[2]) ?? throw Bad(path, $"{where}: unknown property type '{t[2]}'");
                        PlyType itemType = PlyTypes.Parse(t[3]) ?? throw Bad(path, $"{where}: unknown property type '{t[3]}'");
                        if (countType is PlyType.Float32 or PlyType.Float64) throw Bad(path, $"{where}: a list count must be an integer type");
                        prop = new PlyProperty(t[4], itemType, countType);
                    }
                    else if (t.Length == 3)
                    {
                        prop = new PlyProperty(t[2], PlyTypes.Parse(t[1]) ?? throw Bad(path, $"{where}: unknown property type '{t[1]}'"));
                    }
                    else throw Bad(path, $"{where}: expected 'property <type> <name>', found '{line}'");
                    PlyElement el = elements[^1];
                    if (el.Properties.Exists(p => p.Name == prop.Name)) throw Bad(path, $"{where}: property '{prop.Name}' of element '{el.Name}' declared twice");
                    el.Properties.Add(prop);
                    break;
                default:
                    throw Bad(path, $"{where}: unexpected '{Truncate(line)}'");
            }
        }
        if (format is null) throw Bad(path, "PLY header has no 'format' line");
        var header = new PlyHeader { Format = format.Value, Length = consumed };
        header.Elements.AddRange(elements);
        header.Comments.AddRange(comments);
        return header;
    }

    /// <summary>Reads lines up to and including "end_header"; the first must be "ply". Returns the bytes consumed.</summary>
    private static long ReadHeaderLines(Stream stream, string path, List<string> lines)
    {
        var current = new StringBuilder();
        long consumed = 0;
        while (true)
        {
            int b = stream.ReadByte();
            if (b < 0)
            {
                if (lines.Count == 0 && current.Length == 0) throw Bad(path, "not a PLY file (it is empty)");
                if (lines.Count == 0 && current.ToString().TrimEnd('\r') != "ply") throw NotPly(path);
                throw Bad(path, "PLY header ends without an 'end_header' line");
            }
            consumed++;
            if (consumed > MaxHeaderBytes) throw Bad(path, $"PLY header is longer than {MaxHeaderBytes} bytes without an 'end_header' line");
            if (b == '\n')
            {
                string line = current.ToString().TrimEnd('\r');
                current.Clear();
                if (lines.Count == 0 && line != "ply") throw NotPly(path);
                lines.Add(line);
                if (line.Trim() == "end_header") return consumed;
                continue;
            }
            if (b < 0x20 && b != '\r' && b != '\t') throw lines.Count == 0 ? NotPly(path) : Bad(path, $"PLY header line {lines.Count + 1} contains a control byte 0x{b:X2}");
            if (b >= 0x80 && lines.Count == 0) throw NotPly(path);
            current.Append((char)b);
            if (lines.Count == 0 && current.Length > 3 && !(current.Length == 4 && b == '\r')) throw NotPly(path);
        }
    }

    private static RadiantException NotPly(string path) => new(path, "not a PLY file (it does not start with a 'ply' line)");
    private static RadiantException Bad(string path, string problem) => new(path, problem);
    private static string Truncate(string s) => s.Length <= 60 ? s : s[..60] + "…";
}
