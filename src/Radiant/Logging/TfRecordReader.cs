using System.Buffers.Binary;

namespace Radiant.Logging;

/// <summary>One record of a TFRecord file and where its header starts.</summary>
public readonly record struct TfRecordEntry(long Offset, byte[] Data);

/// <summary>The records of a TFRecord file; <see cref="Incomplete"/> describes a last record cut short (a writer still running, or a crash), else null.</summary>
public sealed record TfRecordFile(string Path, List<TfRecordEntry> Records, string? Incomplete);

/// <summary>
/// Reads TFRecord framing (<see cref="TfRecord"/>) and checks both CRCs of every record. A CRC that
/// does not match is corruption and stops with the file and offset; a last record that ends before
/// its announced length is reported in <see cref="TfRecordFile.Incomplete"/>, as a live writer
/// leaves one mid-write.
/// </summary>
public static class TfRecordReader
{
    public static TfRecordFile Read(string path)
    {
        byte[] bytes;
        try
        {
            // FileShare.ReadWrite: the training run may be appending to it right now.
            using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var ms = new MemoryStream();
            fs.CopyTo(ms);
            bytes = ms.ToArray();
        }
        catch (FileNotFoundException) { throw new RadiantException(path, "file not found"); }
        catch (DirectoryNotFoundException) { throw new RadiantException(path, "file not found"); }
        catch (UnauthorizedAccessException e) { throw new RadiantException(path, $"cannot read: {e.Message}"); }
        return Read(path, bytes);
    }

    public static TfRecordFile Read(string path, ReadOnlySpan<byte> file)
    {
        var records = new List<TfRecordEntry>();
        long offset = 0;
        while (offset < file.Length)
        {
            ReadOnlySpan<byte> rest = file[(int)offset..];
            if (rest.Length < TfRecord.HeaderSize)
                return new TfRecordFile(path, records, $"record at offset {offset} is incomplete: {rest.Length} of its {TfRecord.HeaderSize} header bytes");
            ulong length = BinaryPrimitives.ReadUInt64LittleEndian(rest);
            uint lengthCrc = BinaryPrimitives.ReadUInt32LittleEndian(rest[8..]);
            if (TfRecord.MaskedCrc(rest[..8]) != lengthCrc)
                throw new RadiantException(path, $"record at offset {offset}: the CRC of its length field does not match (file corrupted)");
            long total = TfRecord.HeaderSize + (long)Math.Min(length, int.MaxValue) + TfRecord.FooterSize;
            if (length > int.MaxValue - 16 || total > rest.Length)
                return new TfRecordFile(path, records, $"record at offset {offset} is incomplete: {rest.Length} of {TfRecord.HeaderSize + (decimal)length + TfRecord.FooterSize} bytes");
            ReadOnlySpan<byte> data = rest.Slice(TfRecord.HeaderSize, (int)length);
            uint dataCrc = BinaryPrimitives.ReadUInt32LittleEndian(rest[(TfRecord.HeaderSize + (int)length)..]);
            if (TfRecord.MaskedCrc(data) != dataCrc)
                throw new RadiantException(path, $"record at offset {offset}: the CRC of its {length} data bytes does not match (file corrupted)");
            records.Add(new TfRecordEntry(offset, data.ToArray()));
            offset += total;
        }
        return new TfRecordFile(path, records, null);
    }
}
