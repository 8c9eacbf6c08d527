using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace Radiant.Training;

/// <summary>
/// A loaded checkpoint (layout: <see cref="CheckpointFile"/>). Every problem with the file — not a
/// checkpoint, another format version, truncated, trailing bytes, CRC mismatch, malformed
/// sections — is a <see cref="RadiantException"/> naming the file; so is asking for a section that
/// is missing or of another kind.
/// </summary>
public sealed class CheckpointReader
{
    private readonly Dictionary<string, (CheckpointSectionKind Kind, object Value)> _sections;
    private readonly List<string> _order;

    /// <summary>The file it was read from.</summary>
    public string Path { get; }

    /// <summary>Section names in file order.</summary>
    public IReadOnlyList<string> Names => _order;

    private CheckpointReader(string path, Dictionary<string, (CheckpointSectionKind, object)> sections, List<string> order)
    {
        Path = path;
        _sections = sections;
        _order = order;
    }

    public bool Contains(string name) => _sections.ContainsKey(name);

    public CheckpointSectionKind KindOf(string name) => Get(name).Kind;

    public float[] GetFloats(string name) => (float[])Get(name, CheckpointSectionKind.Float32Array);
    public int[] GetInts(string name) => (int[])Get(name, CheckpointSectionKind.Int32Array);
    public byte[] GetBytes(string name) => (byte[])Get(name, CheckpointSectionKind.ByteArray);
    public string GetString(string name) => (string)Get(name, CheckpointSectionKind.String);
    public int GetInt(string name) => (int)Get(name, CheckpointSectionKind.Int32);
    public long GetLong(string name) => (long)Get(name, CheckpointSectionKind.Int64);
    public double GetDouble(string name) => (double)Get(name, CheckpointSectionKind.Float64);

    /// <summary>A float array section that must hold exactly <paramref name="expectedLength"/> values.</summary>
    public float[] GetFloats(string name, int expectedLength)
    {
        float[] v = GetFloats(name);
        if (v.Length != expectedLength)
            throw new RadiantException(Path, $"checkpoint section '{name}' holds {v.Length} floats, expected {expectedLength}");
        return v;
    }

    private (CheckpointSectionKind Kind, object Value) Get(string name)
    {
        if (_sections.TryGetValue(name, out var s)) return s;
        throw new RadiantException(Path, $"checkpoint has no section '{name}'");
    }

    private object Get(string name, CheckpointSectionKind kind)
    {
        var s = Get(name);
        if (s.Kind != kind)
            throw new RadiantException(Path, $"checkpoint section '{name}' holds {CheckpointFile.Describe(s.Kind)}, not {CheckpointFile.Describe(kind)}");
        if (s.Value is NotKept) throw new InvalidOperationException($"checkpoint section '{name}' was not kept (loaded without its arrays)");
        return s.Value;
    }

    /// <summary>
    /// Reads and verifies a whole checkpoint. With <paramref name="arrays"/> false the array
    /// sections are read and checked but not kept (asking for one then is a programming error):
    /// the settings and counters of a checkpoint of millions of Gaussians without its gigabytes.
    /// </summary>
    public static CheckpointReader Load(string path, bool arrays = true)
    {
        CheckpointFile.RequireLittleEndian();
        try
        {
            using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
            return Parse(path, fs, arrays);
        }
        catch (FileNotFoundException) { throw new RadiantException(path, "checkpoint not found"); }
        catch (DirectoryNotFoundException) { throw new RadiantException(path, "checkpoint not found (folder does not exist)"); }
        catch (UnauthorizedAccessException e) { throw new RadiantException(path, $"cannot read checkpoint: {e.Message}", e); }
        catch (IOException e) { throw new RadiantException(path, $"cannot read checkpoint: {e.Message}", e); }
    }

    private static CheckpointReader Parse(string path, FileStream fs, bool arrays)
    {
        long length = fs.Length;
        Span<byte> header = stackalloc byte[CheckpointFile.HeaderSize];
        int got = fs.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        ReadOnlySpan<byte> magic = CheckpointFile.Magic;
        int magicSeen = Math.Min(got, magic.Length);
        if (!header[..magicSeen].SequenceEqual(magic[..magicSeen]) || (got == 0))
            throw new RadiantException(path, got == 0 ? "not a Radiant checkpoint (the file is empty)" : "not a Radiant checkpoint (wrong magic; expected it to start with \"RADIANTCKPT\")");
        if (got < 16)
            throw new RadiantException(path, $"checkpoint is truncated: {length} bytes, shorter than its {CheckpointFile.HeaderSize}-byte header");
        uint version = BinaryPrimitives.ReadUInt32LittleEndian(header[12..]);
        if (version != CheckpointFile.FormatVersion)
            throw new RadiantException(path, $"checkpoint was written by format version {version}, this Radiant reads version {CheckpointFile.FormatVersion}" +
                (version < CheckpointFile.FormatVersion ? " (an older Radiant's, without the anti-aliasing filter state: start the run again)" : ""));
        if (got < CheckpointFile.HeaderSize)
            throw new RadiantException(path, $"checkpoint is truncated: {length} bytes, shorter than its {CheckpointFile.HeaderSize}-byte header");

        ulong payload = BinaryPrimitives.ReadUInt64LittleEndian(header[16..]);
        long maxPayload = long.MaxValue - CheckpointFile.HeaderSize - CheckpointFile.TrailerSize;
        if (payload > (ulong)maxPayload)
            throw new RadiantException(path, $"checkpoint is truncated: its header declares a {payload}-byte payload but the file has {length} bytes");
        long expected = CheckpointFile.HeaderSize + (long)payload + CheckpointFile.TrailerSize;
        if (length < expected)
            throw new RadiantException(path, $"checkpoint is truncated: expected {expected} bytes, the file has {length}");
        if (length > expected)
            throw new RadiantException(path, $"checkpoint has {length - expected} unexpected bytes after its end (expected {expected} bytes in all)");

        var crc = new Crc32C.Running();
        var sections = new Dictionary<string, (CheckpointSectionKind, object)>(StringComparer.Ordinal);
        var order = new List<string>();
        try
        {
            ReadSections(fs, (long)payload, ref crc, sections, order, arrays);
        }
        catch (MalformedException e)
        {
            // A damaged length or kind byte shows up as a structural error first; say "CRC mismatch"
            // when that is the cause, so the message is the same wherever the damage is.
            uint stored = ReadStoredCrc(fs, expected);
            uint actual = PayloadCrc(fs, (long)payload);
            if (stored != actual) throw CrcMismatch(path, stored, actual);
            throw new RadiantException(path, $"checkpoint is malformed: {e.Message}");
        }

        Span<byte> trailer = stackalloc byte[CheckpointFile.TrailerSize];
        fs.ReadExactly(trailer);
        uint storedCrc = BinaryPrimitives.ReadUInt32LittleEndian(trailer);
        if (storedCrc != crc.Value) throw CrcMismatch(path, storedCrc, crc.Value);
        return new CheckpointReader(path, sections, order);
    }

    private static RadiantException CrcMismatch(string path, uint stored, uint actual) =>
        new(path, $"checkpoint is corrupt: CRC mismatch (stored 0x{stored:X8}, computed 0x{actual:X8})");

    private sealed class MalformedException(string message) : Exception(message);

    private static void ReadSections(FileStream fs, long payload, ref Crc32C.Running crc,
        Dictionary<string, (CheckpointSectionKind, object)> sections, List<string> order, bool arrays)
    {
        byte[]? skipBuffer = arrays ? null : new byte[Piece];
        long remaining = payload;
        Span<byte> small = stackalloc byte[CheckpointFile.MaxNameBytes + 8];
        while (remaining > 0)
        {
            string where = $"section {order.Count + 1}";
            if (remaining < 3) throw new MalformedException($"{where} header runs past the end of the payload");
            fs.ReadExactly(small[..3]);
            crc.Append(small[..3]);
            var kind = (CheckpointSectionKind)small[0];
            int nameLen = BinaryPrimitives.ReadUInt16LittleEndian(small[1..]);
            remaining -= 3;
            if (remaining < nameLen + 8) throw new MalformedException($"{where} header runs past the end of the payload");
            fs.ReadExactly(small[..(nameLen + 8)]);
            crc.Append(small[..(nameLen + 8)]);
            remaining -= nameLen + 8;
            string name;
            try { name = new UTF8Encoding(false, true).GetString(small[..nameLen]); }
            catch (DecoderFallbackException) { throw new MalformedException($"{where} has a name that is not UTF-8"); }
            where = $"section '{name}'";
            ulong dataLen = BinaryPrimitives.ReadUInt64LittleEndian(small[nameLen..]);
            if (dataLen > (ulong)remaining) throw new MalformedException($"{where} runs past the end of the payload ({dataLen} bytes declared, {remaining} left)");
            if (!Enum.IsDefined(kind)) throw new MalformedException($"{where} has unknown kind {(int)kind}");
            if (name.Length == 0 || sections.ContainsKey(name)) throw new MalformedException($"{where} has an empty or repeated name");
            int scalar = CheckpointFile.ScalarSize(kind);
            if (scalar >= 0 && dataLen != (ulong)scalar) throw new MalformedException($"{where} holds {CheckpointFile.Describe(kind)} but has {dataLen} bytes");
            int elem = CheckpointFile.ElementSize(kind);
            if (dataLen % (ulong)elem != 0) throw new MalformedException($"{where} has {dataLen} bytes, not a whole number of elements");
            if (dataLen / (ulong)elem > (ulong)Array.MaxLength) throw new MalformedException($"{where} is too large for one array");

            object value = !arrays && kind is CheckpointSectionKind.Float32Array or CheckpointSectionKind.Int32Array or CheckpointSectionKind.ByteArray
                ? Skip(fs, (long)dataLen, skipBuffer!, ref crc)
                : ReadValue(fs, kind, (int)(dataLen / (ulong)elem), ref crc, small);
            remaining -= (long)dataLen;
            sections.Add(name, (kind, value));
            order.Add(name);
        }
    }

    private static object ReadValue(FileStream fs, CheckpointSectionKind kind, int count, ref Crc32C.Running crc, Span<byte> small)
    {
        switch (kind)
        {
            case CheckpointSectionKind.Float32Array:
            {
                var a = new float[count];
                Fill(fs, MemoryMarshal.AsBytes(a.AsSpan()), ref crc);
                return a;
            }
            case CheckpointSectionKind.Int32Array:
            {
                var a = new int[count];
                Fill(fs, MemoryMarshal.AsBytes(a.AsSpan()), ref crc);
                return a;
            }
            case CheckpointSectionKind.ByteArray:
            {
                var a = new byte[count];
                Fill(fs, a, ref crc);
                return a;
            }
            case CheckpointSectionKind.String:
            {
                var a = new byte[count];
                Fill(fs, a, ref crc);
                try { return new UTF8Encoding(false, true).GetString(a); }
                catch (DecoderFallbackException) { throw new MalformedException("a string section is not UTF-8"); }
            }
            default:
            {
                int n = CheckpointFile.ScalarSize(kind);
                Span<byte> b = small[..n];
                Fill(fs, b, ref crc);
                return kind switch
                {
                    CheckpointSectionKind.Int32 => (object)BinaryPrimitives.ReadInt32LittleEndian(b),
                    CheckpointSectionKind.Int64 => (object)BinaryPrimitives.ReadInt64LittleEndian(b),
                    _ => (object)BitConverter.Int64BitsToDouble(BinaryPrimitives.ReadInt64LittleEndian(b)),
                };
            }
        }
    }

    private const int Piece = 4 << 20;

    /// <summary>Stands for an array section that <see cref="Load"/> was asked not to keep.</summary>
    private sealed class NotKept
    {
        public static readonly NotKept Value = new();
    }

    /// <summary>Reads past a section, taking its CRC, into a reused buffer.</summary>
    private static NotKept Skip(FileStream fs, long bytes, byte[] buffer, ref Crc32C.Running crc)
    {
        while (bytes > 0)
        {
            int n = (int)Math.Min(buffer.Length, bytes);
            Fill(fs, buffer.AsSpan(0, n), ref crc);
            bytes -= n;
        }
        return NotKept.Value;
    }

    /// <summary>Reads a span in 4 MiB pieces, so the CRC of each piece is taken while it is still in cache.</summary>
    private static void Fill(FileStream fs, Span<byte> target, ref Crc32C.Running crc)
    {
        while (target.Length > 0)
        {
            Span<byte> part = target[..Math.Min(Piece, target.Length)];
            fs.ReadExactly(part);
            crc.Append(part);
            target = target[part.Length..];
        }
    }

    private static uint ReadStoredCrc(FileStream fs, long fileLength)
    {
        Span<byte> b = stackalloc byte[CheckpointFile.TrailerSize];
        fs.Position = fileLength - CheckpointFile.TrailerSize;
        fs.ReadExactly(b);
        return BinaryPrimitives.ReadUInt32LittleEndian(b);
    }

    private static uint PayloadCrc(FileStream fs, long payload)
    {
        fs.Position = CheckpointFile.HeaderSize;
        var crc = new Crc32C.Running();
        crc.Append([]);
        var buffer = new byte[1 << 20];
        while (payload > 0)
        {
            int n = (int)Math.Min(buffer.Length, payload);
            fs.ReadExactly(buffer.AsSpan(0, n));
            crc.Append(buffer.AsSpan(0, n));
            payload -= n;
        }
        return crc.Value;
    }
}
