namespace Radiant;

/// <summary>Writes files through a temporary sibling and a rename, so readers never see half a file and a failed write loses nothing.</summary>
public static class AtomicFile
{
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        string tmp = TempPathFor(path);
        try
        {
            using (var fs = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write))
            {
                fs.Write(bytes);
                fs.Flush(flushToDisk: true);
            }
            File.Move(tmp, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(tmp);
            throw CannotWrite(path, e);
        }
        catch
        {
            TryDelete(tmp);
            throw;
        }
    }

    public static void WriteAllText(string path, string text) => WriteAllBytes(path, System.Text.Encoding.UTF8.GetBytes(text));

    /// <summary>Runs <paramref name="write"/> on a stream to a temporary file and renames it over <paramref name="path"/> when it returns.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        string tmp = TempPathFor(path);
        try
        {
            using (var fs = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(fs);
                fs.Flush(flushToDisk: true);
            }
            File.Move(tmp, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(tmp);
            throw CannotWrite(path, e);
        }
        catch
        {
            TryDelete(tmp);
            throw;
        }
    }

    /// <summary>
    /// Checks, before long work, that <paramref name="path"/> can be written at its end: the path is
    /// not a folder, and its folder exists and takes a new file.
    /// </summary>
    public static void EnsureWritable(string path)
    {
        string full = Path.GetFullPath(path);
        if (Directory.Exists(full)) throw new RadiantException(path, "is a folder, not a file");
        string dir = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(dir)) throw new RadiantException(dir, "output folder does not exist");
        EnsureFolderWritable(dir);
    }

    /// <summary>Writes and deletes an empty probe file in <paramref name="dir"/>, so that a folder that cannot be written fails now, not after the work.</summary>
    public static void EnsureFolderWritable(string dir)
    {
        string probe = Path.Combine(dir, $".radiant-write-probe-{Environment.ProcessId}");
        try { File.WriteAllBytes(probe, []); File.Delete(probe); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RadiantException(dir, e is UnauthorizedAccessException ? "cannot write to the output folder: permission denied" : $"cannot write to the output folder: {e.Message}");
        }
    }

    /// <summary>A write the system refused (a read-only folder, a full disk) as one line naming the file.</summary>
    private static RadiantException CannotWrite(string path, Exception e) =>
        new(path, e is UnauthorizedAccessException ? "cannot write: permission denied" : $"cannot write: {e.Message}", e);

    private static string TempPathFor(string path)
    {
        string full = Path.GetFullPath(path);
        string dir = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(dir)) throw new RadiantException(dir, "output folder does not exist");
        return Path.Combine(dir, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
    }

    private static void TryDelete(string p)
    {
        try { if (File.Exists(p)) File.Delete(p); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
