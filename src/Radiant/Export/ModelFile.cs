using Radiant.Training;

namespace Radiant.Export;

/// <summary>Finds and loads a trained model: a training output folder (its point_cloud.ply) or a model file in any supported format (see <see cref="Compact.ModelFormats"/>).</summary>
public static class ModelFile
{
    public static string Resolve(string path)
    {
        if (Directory.Exists(path))
        {
            string ply = Path.Combine(path, "point_cloud.ply");
            if (File.Exists(ply)) return ply;
            // The reference trainer's layout: point_cloud/iteration_N/point_cloud.ply (take the latest).
            string nested = Path.Combine(path, "point_cloud");
            if (Directory.Exists(nested))
            {
                var latest = Directory.GetDirectories(nested, "iteration_*")
                    .Select(d => (Dir: d, N: int.TryParse(Path.GetFileName(d)["iteration_".Length..], out int n) ? n : -1))
                    .Where(d => d.N >= 0 && File.Exists(Path.Combine(d.Dir, "point_cloud.ply")))
                    .OrderByDescending(d => d.N).FirstOrDefault();
                if (latest.Dir is not null) return Path.Combine(latest.Dir, "point_cloud.ply");
            }
            string hint = File.Exists(Path.Combine(path, TrainingCheckpoint.FileName)) ? " (the run has a checkpoint but no point_cloud.ply yet: it has not finished)" : "";
            throw new RadiantException(path, $"no point_cloud.ply in this folder{hint}");
        }
        if (File.Exists(path)) return path;
        throw new RadiantException(path, "model not found (give a training output folder or a .ply, .compressed.ply, .splat, .spz or .rgc file)");
    }

    public static GaussianPlyData Load(string path) => Compact.ModelFormats.Read(Resolve(path));
}
