using Radiant.Model;
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

    /// <summary>
    /// <see cref="Load"/> for rendering (render, eval, view, bench): the Gaussians in Morton order
    /// (<see cref="GaussianSet.SortSpatially"/>), which renders faster than the order a trainer
    /// leaves (a 230k model trained at 800², before Radiant's training kept this order: render
    /// 27.6–28.1 → 25.2–26.1 ms). The images are the same, except where Gaussians at exactly the
    /// same depth overlap (they draw in order). <see cref="GaussianPlyData.Filter3D"/> follows the order.
    /// </summary>
    public static GaussianPlyData LoadForRendering(string path)
    {
        GaussianPlyData data = Load(path);
        int[] order = MortonOrder.Of(data.Gaussians.Means, data.Gaussians.Count);
        data.Gaussians.Rebuild(order);
        if (data.Filter3D is { } filter) GaussianSet.Gather(filter, 1, order, null).CopyTo(filter, 0);
        return data;
    }
}
