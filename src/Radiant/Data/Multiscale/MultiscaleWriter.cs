using System.Text.Json;
using Radiant.Data.Blender;
using Radiant.Imaging;
using Radiant.Imaging.Png;

namespace Radiant.Data.Multiscale;

/// <summary>
/// Turns a NeRF-synthetic (Blender) scene into mip-NeRF's multiscale Blender dataset, following the
/// protocol of mip-NeRF's convert_blender_data.py:
/// <list type="bullet">
/// <item>for each split (train, val, test — those the scene has) and each image i in file order, four
/// levels <c>images_{split}/{i:03d}_d{j}.png</c>, j = 0..3, level 0 being the original;</item>
/// <item>level j+1 is level j averaged over 2×2 blocks, all four RGBA channels as stored (straight
/// alpha, no premultiplication);</item>
/// <item>metadata.json lists per split, one entry per written image: file_path, cam2world (the frame's
/// transform_matrix as given), width, height, focal = full focal / 2^j, label = j, near = 2, far = 6,
/// lossmult = 4^j, and pix2cam = the inverse intrinsics in mip-NeRF's form
/// [[1/f, 0, −cx/f], [0, −1/f, cy/f], [0, 0, −1]] with cx, cy = width/2, height/2.</item>
/// </list>
/// <para>The pyramid arithmetic (float32 as the script, truncation to 8 bits, odd sizes cropped
/// before each halving) is <see cref="MipPyramid"/>'s; cx, cy of every level stay width/2, height/2
/// of that level, as mip-NeRF assumes.</para>
/// <para>Nothing existing is overwritten: the output folder must not exist or be empty; everything is
/// written to a temporary sibling folder that is renamed into place at the end.</para>
/// </summary>
public static class MultiscaleWriter
{
    public const int Levels = 4;
    public const double Near = 2, Far = 6;
    private static readonly string[] Splits = ["train", "val", "test"];

    private sealed record Job(string Split, int Index, BlenderReader.Frame Frame);

    private sealed record Written(int Width, int Height, string File);

    public static void Write(string blenderDir, string outDir, IProgress<(int Done, int Total)>? progress = null, Action<string>? note = null)
    {
        string dir = BlenderReader.CheckFolder(blenderDir);
        var names = new HashSet<string>(StringComparer.Ordinal);
        var splits = new List<(string Name, List<BlenderReader.Frame> Frames)>();
        foreach (string split in Splits)
            if (BlenderReader.ReadSplit(dir, split, names, required: split == "train") is { } frames)
                splits.Add((split, frames));

        // mip-NeRF's metadata has one focal per image and puts the principal point at the centre.
        Camera c0 = splits[0].Frames.Count > 0 ? splits[0].Frames[0].Camera : throw new RadiantException(Path.Combine(dir, "transforms_train.json"), "frames is empty (no training images)");
        if (Math.Abs(c0.Fy - c0.Fx) > 1e-6 * c0.Fx || Math.Abs(c0.Cx - c0.Width / 2.0) > 1e-6 || Math.Abs(c0.Cy - c0.Height / 2.0) > 1e-6)
            note?.Invoke($"{dir} has fx={c0.Fx:0.###}, fy={c0.Fy:0.###}, cx={c0.Cx:0.###}, cy={c0.Cy:0.###}; mip-NeRF's metadata keeps only focal = fx and the image centre");

        string target = Path.GetFullPath(outDir);
        if (File.Exists(target)) throw new RadiantException(target, "output path is a file, not a folder");
        if (Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any())
            throw new RadiantException(target, "output folder is not empty (choose a new folder; nothing was written)");
        string parent = Path.GetDirectoryName(target) ?? throw new RadiantException(target, "output folder has no parent folder");
        Directory.CreateDirectory(parent);

        string temp = Path.Combine(parent, $".{Path.GetFileName(target)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        Directory.CreateDirectory(temp);
        try
        {
            var jobs = new List<Job>();
            foreach (var (split, frames) in splits)
            {
                Directory.CreateDirectory(Path.Combine(temp, $"images_{split}"));
                for (int i = 0; i < frames.Count; i++) jobs.Add(new Job(split, i, frames[i]));
            }

            var results = new Written[jobs.Count][];
            int done = 0;
            try
            {
                Parallel.For(0, jobs.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Environment.ProcessorCount) }, k =>
                {
                    results[k] = WriteLevels(jobs[k], temp);
                    int n = Interlocked.Increment(ref done);
                    progress?.Report((n, jobs.Count));
                });
            }
            catch (AggregateException e) when (e.InnerExceptions.FirstOrDefault(x => x is RadiantException) is RadiantException first)
            {
                throw new RadiantException(first.Path ?? target, first.Problem, first);
            }

            AtomicFile.Write(Path.Combine(temp, "metadata.json"), s => WriteMetadata(s, splits, jobs, results));

            if (Directory.Exists(target)) Directory.Delete(target); // empty (checked above); Delete fails if it no longer is
            Directory.Move(temp, target);
        }
        catch
        {
            try { Directory.Delete(temp, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            throw;
        }
    }

    /// <summary>Loads one image, writes its 4 levels (<see cref="MipPyramid"/>), returns their sizes and relative names.</summary>
    private static Written[] WriteLevels(Job job, string temp)
    {
        Camera cam = job.Frame.Camera;
        Image img = ImageIO.Load(cam.ImagePath);
        if (img.Width != cam.Width || img.Height != cam.Height)
            throw new RadiantException(cam.ImagePath, $"image is {img.Width}x{img.Height} but its camera '{cam.Name}' says {cam.Width}x{cam.Height}");

        Image[] levels = MipPyramid.Levels(img, Levels - 1, cam.ImagePath);
        var written = new Written[Levels];
        for (int j = 0; j < Levels; j++)
        {
            string rel = $"images_{job.Split}/{job.Index:000}_d{j}.png";
            File.WriteAllBytes(Path.Combine(temp, rel), PngEncoder.Encode(levels[j], 8));
            written[j] = new Written(levels[j].Width, levels[j].Height, rel);
        }
        return written;
    }

    private static void WriteMetadata(Stream stream, List<(string Name, List<BlenderReader.Frame> Frames)> splits, List<Job> jobs, Written[][] results)
    {
        using var jw = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        jw.WriteStartObject();
        foreach (var (split, _) in splits)
        {
            var entries = new List<(BlenderReader.Frame Frame, Written W, int Level)>();
            for (int k = 0; k < jobs.Count; k++)
                if (jobs[k].Split == split)
                    for (int j = 0; j < Levels; j++) entries.Add((jobs[k].Frame, results[k][j], j));

            jw.WriteStartObject(split);
            jw.WriteStartArray("file_path");
            foreach (var e in entries) jw.WriteStringValue(e.W.File);
            jw.WriteEndArray();
            jw.WriteStartArray("cam2world");
            foreach (var e in entries) WriteMatrix(jw, e.Frame.CameraToWorld, 4, 4);
            jw.WriteEndArray();
            WriteList(jw, "width", entries.Select(e => (double)e.W.Width));
            WriteList(jw, "height", entries.Select(e => (double)e.W.Height));
            WriteList(jw, "focal", entries.Select(e => Focal(e.Frame.Camera, e.Level)));
            WriteList(jw, "label", entries.Select(e => (double)e.Level));
            WriteList(jw, "near", entries.Select(_ => Near));
            WriteList(jw, "far", entries.Select(_ => Far));
            WriteList(jw, "lossmult", entries.Select(e => Math.Pow(4, e.Level)));
            jw.WriteStartArray("pix2cam");
            foreach (var e in entries)
            {
                double f = Focal(e.Frame.Camera, e.Level), cx = e.W.Width * 0.5, cy = e.W.Height * 0.5;
                WriteMatrix(jw, [1 / f, 0, -cx / f, 0, -1 / f, cy / f, 0, 0, -1], 3, 3);
            }
            jw.WriteEndArray();
            jw.WriteEndObject();
        }
        jw.WriteEndObject();
    }

    /// <summary>The script's focal f / 2^j, f being the full-resolution focal (0.5·w / tan(0.5·camera_angle_x)).</summary>
    private static double Focal(Camera full, int level) => full.Fx / Math.Pow(2, level);

    private static void WriteList(Utf8JsonWriter jw, string name, IEnumerable<double> values)
    {
        jw.WriteStartArray(name);
        foreach (double v in values)
        {
            if (v == Math.Floor(v) && Math.Abs(v) < 1e15 && name is "width" or "height" or "label") jw.WriteNumberValue((long)v);
            else jw.WriteNumberValue(v);
        }
        jw.WriteEndArray();
    }

    private static void WriteMatrix(Utf8JsonWriter jw, double[] m, int rows, int cols)
    {
        jw.WriteStartArray();
        for (int r = 0; r < rows; r++)
        {
            jw.WriteStartArray();
            for (int c = 0; c < cols; c++) jw.WriteNumberValue(m[r * cols + c]);
            jw.WriteEndArray();
        }
        jw.WriteEndArray();
    }
}
