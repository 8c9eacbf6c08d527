using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using Radiant.Tests.Imaging;

namespace Radiant.Tests.Fuzzing;

/// <summary>
/// Seeded mutations of valid files, the way disks, downloads and other tools damage them: bytes
/// flipped, overwritten with boundary values (0, −1, 2³¹, NaN, ∞), cut short, deleted, repeated or
/// inserted; JSON values deleted or replaced with values of the wrong type or range; text lines and
/// tokens dropped, repeated or replaced. Each call describes what it did, so that a failure can be
/// reproduced by hand. PNG mutations can keep the chunk CRCs and zlib's checksum valid, so that they
/// reach the decoder's logic beyond the checksums.
/// </summary>
internal sealed class Mutations(int seed)
{
    private readonly Random _rng = new(seed);

    private static readonly int[] Integers = [0, 1, -1, int.MaxValue, int.MinValue, 0xFFFF, 0x10000, 255, 256, 1 << 20, 1 << 30, 7, 8, 16];
    private static readonly double[] Reals = [double.NaN, double.PositiveInfinity, -1e300, 0, -1, 1e30];

    public int Next(int max) => _rng.Next(max);

    /// <summary>One to three byte-level changes at or after <paramref name="keepPrefix"/>.</summary>
    public byte[] Bytes(byte[] data, out string what, int keepPrefix = 0)
    {
        var d = new List<byte>(data);
        var log = new StringBuilder();
        int changes = 1 + _rng.Next(3);
        for (int i = 0; i < changes && d.Count > keepPrefix + 1; i++)
        {
            int p = keepPrefix + _rng.Next(d.Count - keepPrefix);
            switch (_rng.Next(8))
            {
                case 0: d[p] ^= (byte)(1 << _rng.Next(8)); log.Append($"flip@{p} "); break;
                case 1: d[p] = (byte)_rng.Next(256); log.Append($"set@{p} "); break;
                case 2:
                    {
                        int v = Integers[_rng.Next(Integers.Length)];
                        byte[] b = BitConverter.GetBytes(v);
                        if (_rng.Next(2) == 0) Array.Reverse(b);
                        Overwrite(d, p, b);
                        log.Append($"int {v}@{p} ");
                        break;
                    }
                case 3: d.RemoveRange(p, d.Count - p); log.Append($"cut@{p} "); break;
                case 4: { int n = Math.Min(d.Count - p, 1 + _rng.Next(16)); d.RemoveRange(p, n); log.Append($"delete {n}@{p} "); break; }
                case 5: { int n = Math.Min(d.Count - p, 1 + _rng.Next(16)); d.InsertRange(p, d.GetRange(p, n)); log.Append($"repeat {n}@{p} "); break; }
                case 6: { int n = 1 + _rng.Next(8); for (int k = 0; k < n; k++) d.Insert(p, (byte)_rng.Next(256)); log.Append($"insert {n}@{p} "); break; }
                default:
                    {
                        double v = Reals[_rng.Next(Reals.Length)];
                        Overwrite(d, p, _rng.Next(2) == 0 ? BitConverter.GetBytes(v) : BitConverter.GetBytes((float)v));
                        log.Append($"real {v}@{p} ");
                        break;
                    }
            }
        }
        what = log.ToString().TrimEnd();
        return [.. d];
    }

    private static void Overwrite(List<byte> d, int at, byte[] bytes)
    {
        for (int k = 0; k < bytes.Length && at + k < d.Count; k++) d[at + k] = bytes[k];
    }

    private JsonNode?[] Replacements() =>
    [
        null, JsonValue.Create(true), JsonValue.Create("x"), JsonValue.Create(""), JsonValue.Create(-1), JsonValue.Create(0),
        JsonValue.Create(1e300), JsonValue.Create(-1e300), JsonValue.Create(0.5), JsonValue.Create(2147483648L), JsonValue.Create(1e-300),
        JsonValue.Create(100_000_000), new JsonArray(), new JsonObject(), new JsonArray(1, 2), new JsonArray(new JsonArray(1, 2, 3), new JsonArray(4, 5, 6)),
        JsonValue.Create("../../missing.png"), JsonValue.Create("/nonexistent/file.png"),
    ];

    /// <summary>One or two JSON values deleted, replaced (wrong type, boundary value) or scaled, anywhere in the tree.</summary>
    public string Json(string text, out string what)
    {
        JsonNode root = JsonNode.Parse(text) ?? throw new ArgumentException("seed JSON is null");
        var log = new StringBuilder();
        int changes = 1 + _rng.Next(2);
        for (int i = 0; i < changes; i++)
        {
            var nodes = new List<JsonNode>();
            Walk(root, nodes);
            JsonNode target = nodes[_rng.Next(nodes.Count)];
            if (target.Parent is not { } parent) continue;
            string path = target.GetPath();
            int op = _rng.Next(4);
            if (op == 0)
            {
                if (parent is JsonObject o) o.Remove(target.GetPropertyName());
                else ((JsonArray)parent).Remove(target);
                log.Append($"delete {path}; ");
            }
            else if (op == 1 && target is JsonValue v && v.TryGetValue(out double number))
            {
                double changed = new[] { -number, number * 1e6, number + 0.5, 0, number * 1e-6 }[_rng.Next(5)];
                Replace(parent, target, JsonValue.Create(changed));
                log.Append($"{path} = {changed.ToString(CultureInfo.InvariantCulture)}; ");
            }
            else
            {
                JsonNode?[] all = Replacements();
                JsonNode? with = all[_rng.Next(all.Length)];
                Replace(parent, target, with);
                log.Append($"{path} = {with?.ToJsonString() ?? "null"}; ");
            }
        }
        what = log.ToString().TrimEnd();
        return root.ToJsonString();

        static void Walk(JsonNode? node, List<JsonNode> into)
        {
            if (node is null) return;
            into.Add(node);
            if (node is JsonObject o) foreach (var kv in o) Walk(kv.Value, into);
            else if (node is JsonArray a) foreach (JsonNode? e in a) Walk(e, into);
        }

        static void Replace(JsonNode parent, JsonNode target, JsonNode? with)
        {
            if (parent is JsonObject o) o[target.GetPropertyName()] = with;
            else { var a = (JsonArray)parent; a[a.IndexOf(target)] = with; }
        }
    }

    private static readonly string[] Tokens = ["nan", "inf", "-1", "0", "abc", "", "1e40", "99999999999", "-2147483648", "2147483648", "3.5", "4294967295"];

    /// <summary>One or two lines dropped or repeated, tokens replaced or dropped, or the text cut short.</summary>
    public string Lines(string text, out string what)
    {
        var lines = text.Split('\n').ToList();
        var log = new StringBuilder();
        int changes = 1 + _rng.Next(2);
        for (int i = 0; i < changes && lines.Count > 0; i++)
        {
            int li = _rng.Next(lines.Count);
            var tokens = lines[li].Split(' ').ToList();
            switch (_rng.Next(5))
            {
                case 0: lines.RemoveAt(li); log.Append($"drop line {li}; "); break;
                case 1: lines.Insert(li, lines[li]); log.Append($"repeat line {li}; "); break;
                case 2:
                    {
                        int ti = _rng.Next(tokens.Count);
                        tokens[ti] = Tokens[_rng.Next(Tokens.Length)];
                        lines[li] = string.Join(' ', tokens);
                        log.Append($"line {li} token {ti} = '{tokens[ti]}'; ");
                        break;
                    }
                case 3: { int ti = _rng.Next(tokens.Count); tokens.RemoveAt(ti); lines[li] = string.Join(' ', tokens); log.Append($"line {li} drop token {ti}; "); break; }
                default: { int cut = _rng.Next(text.Length); lines = [.. text[..cut].Split('\n')]; log.Append($"cut at {cut}; "); break; }
            }
        }
        what = log.ToString().TrimEnd();
        return string.Join('\n', lines);
    }

    /// <summary>
    /// A PNG changed so that its checksums still hold: an IHDR field set to a boundary value, the
    /// decompressed scanlines mutated (filter bytes, samples, length) and compressed again, a chunk
    /// dropped, repeated, moved or changed, or bytes mutated with every chunk CRC recomputed.
    /// </summary>
    public byte[] Png(byte[] data, out string what)
    {
        List<(string Type, byte[] Data)> chunks = PngChunks(data);
        switch (_rng.Next(4))
        {
            case 0:
                {
                    byte[] ihdr = (byte[])chunks[0].Data.Clone();
                    int field = _rng.Next(7);
                    if (field < 2)
                    {
                        uint v = (uint)new long[] { 0, 1, 2, 3, 7, 8, 9, 16, 17, 65535, 1 << 20, int.MaxValue, 0x80000000L, 0xFFFFFFFFL }[_rng.Next(14)];
                        BinaryPrimitives.WriteUInt32BigEndian(ihdr.AsSpan(4 * field), v);
                        what = $"IHDR {(field == 0 ? "width" : "height")} = {v}";
                    }
                    else
                    {
                        byte v = (byte)new[] { 0, 1, 2, 3, 4, 5, 6, 7, 8, 16, 255 }[_rng.Next(11)];
                        ihdr[6 + field] = v;
                        what = $"IHDR byte {6 + field} = {v}";
                    }
                    chunks[0] = ("IHDR", ihdr);
                    return AssemblePng(chunks);
                }
            case 1:
                {
                    byte[] scanlines = Inflate([.. chunks.Where(c => c.Type == "IDAT").SelectMany(c => c.Data)]);
                    byte[] changed = Bytes(scanlines, out string inner);
                    int first = chunks.FindIndex(c => c.Type == "IDAT");
                    chunks.RemoveAll(c => c.Type == "IDAT");
                    chunks.Insert(first, ("IDAT", PngTestWriter.Compress(changed)));
                    what = $"scanlines: {inner}";
                    return AssemblePng(chunks);
                }
            case 2:
                {
                    int k = _rng.Next(chunks.Count);
                    var (type, body) = chunks[k];
                    switch (_rng.Next(4))
                    {
                        case 0: chunks.RemoveAt(k); what = $"drop {type}"; break;
                        case 1: chunks.Insert(k, chunks[k]); what = $"repeat {type}"; break;
                        case 2: { chunks.RemoveAt(k); int to = _rng.Next(chunks.Count + 1); chunks.Insert(to, (type, body)); what = $"move {type} to {to}"; break; }
                        default: chunks[k] = (type, body.Length > 0 ? Bytes(body, out string inner) : [(byte)_rng.Next(256)]); what = $"inside {type}"; break;
                    }
                    if (_rng.Next(4) == 0)
                    {
                        string extra = new[] { "tRNS", "PLTE", "gAMA", "sBIT" }[_rng.Next(4)];
                        var b = new byte[1 + _rng.Next(800)];
                        _rng.NextBytes(b);
                        chunks.Insert(1, (extra, b));
                        what += $", {extra} of {b.Length} random bytes after IHDR";
                    }
                    return AssemblePng(chunks);
                }
            default:
                {
                    byte[] changed = Bytes(data, out string inner, keepPrefix: 8);
                    what = $"{inner}, CRCs recomputed";
                    return RecomputeCrcs(changed);
                }
        }
    }

    private static List<(string Type, byte[] Data)> PngChunks(byte[] png)
    {
        var chunks = new List<(string, byte[])>();
        for (int pos = 8; pos + 12 <= png.Length;)
        {
            int length = (int)BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(pos));
            chunks.Add((Encoding.ASCII.GetString(png, pos + 4, 4), png.AsSpan(pos + 8, length).ToArray()));
            pos += 12 + length;
        }
        return chunks;
    }

    private static byte[] AssemblePng(List<(string Type, byte[] Data)> chunks) =>
        PngTestWriter.Assemble(chunks.Select(c => PngTestWriter.Chunk(c.Type, c.Data)));

    /// <summary>Every chunk's CRC made right again, as far as the chunk lengths still lead through the file.</summary>
    private static byte[] RecomputeCrcs(byte[] png)
    {
        for (int pos = 8; pos + 12 <= png.Length;)
        {
            uint length = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(pos));
            if (pos + 12L + length > png.Length) break;
            BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(pos + 8 + (int)length), PngTestWriter.Crc(png.AsSpan(pos + 4, 4 + (int)length)));
            pos += 12 + (int)length;
        }
        return png;
    }

    private static byte[] Inflate(byte[] zlib)
    {
        using var zs = new ZLibStream(new MemoryStream(zlib), CompressionMode.Decompress);
        var raw = new MemoryStream();
        zs.CopyTo(raw);
        return raw.ToArray();
    }
}
