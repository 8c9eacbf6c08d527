using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace Radiant.Training;

/// <summary>
/// Collects named sections and saves them as a checkpoint (layout: <see cref="CheckpointFile"/>),
/// atomically. Arrays are kept by reference, not copied: do not change them before <see cref="Save"/>.
/// </summary>
public sealed class CheckpointWriter
{
    private readonly List<(string Name, byte[] NameUtf8, CheckpointSectionKind Kind, Array? Data, long Scalar)> _sections = [];
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);

    /// <summary>Test seam: called after each section is written with the number of sections written so far.</summary>
    internal Action<int>? AfterSection { get; set; }

    public IReadOnlyCollection<string> Names => _names;

    public CheckpointWriter Add(string name, float[] values) => AddSection(name, CheckpointSectionKind.Float32Array, values ?? throw new ArgumentNullException(nameof(values)), 0);
    public CheckpointWriter Add(string name, int[] values) => AddSection(name, CheckpointSectionKind.Int32Array, values ?? throw new ArgumentNullException(nameof(values)), 0);
    public CheckpointWriter Add(string name, byte[] blob) => AddSection(name, CheckpointSectionKind.ByteArray, blob ?? throw new ArgumentNullException(nameof(blob)), 0);
    public CheckpointWriter Add(string name, string text) => AddSection(name, CheckpointSectionKind.String, Encoding.UTF8.GetBytes(text ?? throw new ArgumentNullException(nameof(text))), 0);
    public CheckpointWriter Add(string name, int value) => AddSection(name, CheckpointSectionKind.Int32, null, value);
    public CheckpointWriter Add(string name, long value) => AddSection(name, CheckpointSectionKind.Int64, null, value);
    public CheckpointWriter Add(string name, double value) => AddSection(name, CheckpointSectionKind.Float64, null, BitConverter.DoubleToInt64Bits(value));

    private CheckpointWriter AddSection(string name, CheckpointSectionKind kind, Array? data, long scalar)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        byte[] utf8 = Encoding.UTF8.GetBytes(name);
        if (utf8.Length > CheckpointFile.MaxNameBytes) throw new ArgumentException($"section name longer than {CheckpointFile.MaxNameBytes} bytes", nameof(name));
        if (!_names.Add(name)) throw new ArgumentException($"checkpoint section '{name}' added twice", nameof(name));
        _sections.Add((name, utf8, kind, data, scalar));
        return this;
    }

    /// <summary>Writes the checkpoint to <paramref name="path"/> through a temporary file and a rename.</summary>
    public void Save(string path)
    {
        CheckpointFile.RequireLittleEndian();
        long payload = 0;
        foreach (var s in _sections) payload += SectionSize(s.NameUtf8.Length, DataBytes(s.Kind, s.Data));

        AtomicFile.Write(path, stream =>
        {
            Span<byte> header = stackalloc byte[CheckpointFile.HeaderSize];
            CheckpointFile.Magic.CopyTo(header);
            BinaryPrimitives.WriteUInt32LittleEndian(header[12..], CheckpointFile.FormatVersion);
            BinaryPrimitives.WriteUInt64LittleEndian(header[16..], (ulong)payload);
            stream.Write(header);

            var crc = new Crc32C.Running();
            Span<byte> small = stackalloc byte[1 + 2 + CheckpointFile.MaxNameBytes + 8 + 8];
            int written = 0;
            foreach (var s in _sections)
            {
                long dataBytes = DataBytes(s.Kind, s.Data);
                int n = 0;
                small[n++] = (byte)s.Kind;
                BinaryPrimitives.WriteUInt16LittleEndian(small[n..], (ushort)s.NameUtf8.Length); n += 2;
                s.NameUtf8.CopyTo(small[n..]); n += s.NameUtf8.Length;
                BinaryPrimitives.WriteUInt64LittleEndian(small[n..], (ulong)dataBytes); n += 8;
                if (s.Data is null)
                {
                    if (s.Kind == CheckpointSectionKind.Int32) { BinaryPrimitives.WriteInt32LittleEndian(small[n..], (int)s.Scalar); n += 4; }
                    else { BinaryPrimitives.WriteInt64LittleEndian(small[n..], s.Scalar); n += 8; }
                }
                crc.Append(small[..n]);
                stream.Write(small[..n]);
                if (s.Data is not null)
                {
                    ReadOnlySpan<byte> bytes = s.Data switch
                    {
                        float[] f => MemoryMarshal.AsBytes(f.AsSpan()),
                        int[] i => MemoryMarshal.AsBytes(i.AsSpan()),
                        byte[] b => b,
                        _ => throw new InvalidOperationException(),
                    };
                    crc.Append(bytes);
                    stream.Write(bytes);
                }
                AfterSection?.Invoke(++written);
            }
            Span<byte> trailer = stackalloc byte[CheckpointFile.TrailerSize];
            BinaryPrimitives.WriteUInt32LittleEndian(trailer, crc.Value);
            stream.Write(trailer);
        });
    }

    private static long SectionSize(int nameBytes, long dataBytes) => 1 + 2 + nameBytes + 8 + dataBytes;

    private static long DataBytes(CheckpointSectionKind kind, Array? data) =>
        data is null ? CheckpointFile.ScalarSize(kind) : (long)data.Length * CheckpointFile.ElementSize(kind);
}
