using System.IO.Compression;

namespace Radiant.Export.Compact;

/// <summary>
/// Reading untrusted compact files: opening with one-line errors, and decompressing a stream
/// into a buffer whose size the file's header fixes (so a bomb or a lying count never makes the
/// reader allocate more than the count implies, and a short or long stream is an error).
/// </summary>
internal static class CompactInput
{
    /// <summary>Deflate cannot expand data by more than about 1032:1; a header asking for more than this from a file is lying.</summary>
    public const long MaxDeflateRatio = 1032;

    /// <summary>Runs <paramref name="read"/> on the opened file, turning I/O failures into <see cref="RadiantException"/>s naming it.</summary>
    public static T Open<T>(string path, Func<FileStream, T> read)
    {
        try
        {
            using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
            return read(fs);
        }
        catch (FileNotFoundException) { throw new RadiantException(path, "file not found"); }
        catch (DirectoryNotFoundException) { throw new RadiantException(path, "file not found (folder does not exist)"); }
        catch (UnauthorizedAccessException e) { throw new RadiantException(path, $"cannot read: {e.Message}", e); }
        catch (InvalidDataException e) { throw new RadiantException(path, $"corrupt compressed data: {e.Message}", e); }
        catch (EndOfStreamException) { throw new RadiantException(path, "file ended while reading (was it changed while being read?)"); }
        catch (IOException e) { throw new RadiantException(path, $"cannot read: {e.Message}", e); }
    }

    /// <summary>
    /// Reads exactly <paramref name="expected"/> bytes from a decompressing stream and checks that
    /// nothing follows. The buffer grows with the data actually produced (never beyond
    /// <paramref name="expected"/>), so a count that the data does not back costs no memory.
    /// </summary>
    public static byte[] ReadExactly(Stream decompressed, long expected, string path, string what)
    {
        if (expected > Array.MaxLength)
            throw new RadiantException(path, $"{what} would take {expected} bytes, more than Radiant can hold in memory");
        var buffer = new byte[(int)Math.Min(expected, 1 << 20)];
        int filled = 0;
        while (filled < expected)
        {
            if (filled == buffer.Length) Array.Resize(ref buffer, (int)Math.Min(expected, (long)buffer.Length * 2));
            int n = Decompress(decompressed, buffer.AsSpan(filled), path);
            if (n == 0)
                throw new RadiantException(path, $"truncated: {what} should be {expected} bytes after decompression, but the data ends after {filled}");
            filled += n;
        }
        Span<byte> probe = stackalloc byte[1];
        if (Decompress(decompressed, probe, path) != 0)
            throw new RadiantException(path, $"the decompressed data is longer than the {expected} bytes {what} should take (corrupt header or trailing data)");
        return buffer;
    }

    // BrotliStream reports corrupt data with an InvalidOperationException ("Decoder ran into invalid
    // data"), where DeflateStream and GZipStream throw InvalidDataException (which Open turns into an error).
    private static int Decompress(Stream decompressed, Span<byte> into, string path)
    {
        try { return decompressed.Read(into); }
        catch (InvalidOperationException e) when (decompressed is BrotliStream)
        {
            throw new RadiantException(path, $"corrupt compressed data: {e.Message}", e);
        }
    }

    /// <summary>Reads a fixed-size header from a decompressing stream; too short a stream is a truncation error.</summary>
    public static void ReadHeader(Stream s, Span<byte> header, string path, string what)
    {
        int n = s.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        if (n < header.Length) throw new RadiantException(path, $"truncated: {what} header needs {header.Length} bytes, the data has {n}");
    }

    /// <summary>A gzip stream over the file (the caller disposes it).</summary>
    public static GZipStream Gunzip(Stream file) => new(file, CompressionMode.Decompress, leaveOpen: true);
}
