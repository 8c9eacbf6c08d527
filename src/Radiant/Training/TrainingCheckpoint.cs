using System.Text.Json;
using Radiant.Mathematics;
using Radiant.Model;

namespace Radiant.Training;

/// <summary>
/// Saves and restores everything a training run needs to continue exactly where it stopped:
/// the model, Adam's moments and step counts, density-control statistics, the per-view exposure
/// corrections (with --exposure), the per-view pose corrections (with --pose-opt), the generator state,
/// the view order, and the settings the run was started with (a resumed run uses those, so it
/// ends bit-identical to an uninterrupted one).
/// </summary>
public static class TrainingCheckpoint
{
    public const string FileName = "checkpoint.ckpt";
    /// <summary>The 3D smoothing filter as last computed (it is not a function of the current model, so it is saved).</summary>
    private const string SmoothingSection = "model/smoothing_variance";
    /// <summary>Seconds trained over all sessions so far (checkpoints of older builds lack it).</summary>
    private const string TrainingSecondsSection = "training_seconds";
    private const string ExposureSection = "exposure", PosesSection = "poses";   // the per-view corrections (PerViewAdam.Save)

    public static void Save(string path, Trainer trainer, TrainingRunSettings settings)
    {
        GaussianSet g = trainer.Gaussians;
        var w = new CheckpointWriter()
            .Add("settings", JsonSerializer.Serialize(settings, TrainingRunSettings.Json))
            .Add("iteration", trainer.Iteration)
            .Add("active_sh_degree", trainer.ActiveShDegree)
            .Add("sh_degree", g.ShDegree)
            .Add("count", g.Count)
            .Add("rng", UlongsToBytes(trainer.Random.State))
            .Add("view_order", (int[])trainer.LoopState.ViewOrder.Clone())
            .Add("view_cursor", trainer.LoopState.ViewCursor)
            .Add(TrainingSecondsSection, trainer.TrainingSeconds)
            .Add("density/grad_accum", trainer.Density.GradAccum)
            .Add("density/denom", trainer.Density.Denom)
            .Add("density/max_radii", trainer.Density.MaxRadii);
        foreach (var (name, values, _) in g.Parameters()) w.Add($"model/{name}", values);
        if (g.SmoothingVariance is { } filter) w.Add(SmoothingSection, filter);
        foreach (AdamGroup group in trainer.Optimizer.Groups)
        {
            w.Add($"adam/{group.Name}/m", group.FirstMoment);
            w.Add($"adam/{group.Name}/v", group.SecondMoment);
            w.Add($"adam/{group.Name}/step", group.StepCount);
        }
        trainer.Exposure?.State.Save(w, ExposureSection);
        trainer.Poses?.State.Save(w, PosesSection);
        w.Save(path);
    }

    /// <summary>
    /// Reads the settings the run was started with (to rebuild the dataset and trainer before
    /// <see cref="Restore"/>); with <paramref name="arrays"/> false, only them and the counters (see <see cref="CheckpointReader.Load"/>).
    /// </summary>
    public static (CheckpointReader Reader, TrainingRunSettings Settings) Open(string path, bool arrays = true)
    {
        CheckpointReader r = CheckpointReader.Load(path, arrays);
        TrainingRunSettings? s;
        string json = r.GetString("settings");
        try { s = JsonSerializer.Deserialize<TrainingRunSettings>(json, TrainingRunSettings.Json); }
        catch (JsonException e) { throw new RadiantException(path, $"checkpoint settings are unreadable: {e.Message}"); }
        if (s is null) throw new RadiantException(path, "checkpoint has no settings");
        // A run from before reduced pyramid views were supersampled rendered them at their own size: it goes on so.
        if (!HasOption(json, "supersample_levels")) s = s with { Options = s.Options with { SupersampleLevels = false } };
        return (r, s);
    }

    private static bool HasOption(string settingsJson, string name)
    {
        using JsonDocument doc = JsonDocument.Parse(settingsJson);
        return doc.RootElement.TryGetProperty("options", out JsonElement o) && o.ValueKind == JsonValueKind.Object && o.TryGetProperty(name, out _);
    }

    /// <summary>The checkpoint's model, made of the arrays read (for building the trainer).</summary>
    public static GaussianSet ReadModel(CheckpointReader r)
    {
        int count = r.GetInt("count"), degree = r.GetInt("sh_degree");
        if (count < 0 || degree is < 0 or > 3) throw new RadiantException(r.Path, $"checkpoint holds {count} Gaussians at SH degree {degree}");
        var g = GaussianSet.FromArrays(count, degree, (name, length) => r.GetFloats($"model/{name}", length));
        if (r.Contains(SmoothingSection)) g.SmoothingVariance = r.GetFloats(SmoothingSection, count);
        return g;
    }

    /// <summary>Restores optimiser, density statistics and loop state into a trainer built on <see cref="ReadModel"/>'s model.</summary>
    public static void Restore(CheckpointReader r, Trainer trainer)
    {
        int count = trainer.Gaussians.Count;
        foreach (AdamGroup group in trainer.Optimizer.Groups)
        {
            int n = group.Values.Length;
            group.RestoreState(r.GetFloats($"adam/{group.Name}/m", n), r.GetFloats($"adam/{group.Name}/v", n), r.GetLong($"adam/{group.Name}/step"));
        }
        trainer.Exposure?.State.Restore(r, ExposureSection, "exposure corrections");
        trainer.Poses?.State.Restore(r, PosesSection, "pose corrections");
        trainer.Density.Restore(r.GetFloats("density/grad_accum", count), CheckLength(r, "density/denom", count), r.GetFloats("density/max_radii", count));
        trainer.RestoreLoopState(r.GetInt("iteration"), r.GetInt("active_sh_degree"), Rng.FromState(BytesToUlongs(r.GetBytes("rng"))),
            r.GetInts("view_order"), r.GetInt("view_cursor"));
        trainer.TrainingSeconds = r.Contains(TrainingSecondsSection) ? r.GetDouble(TrainingSecondsSection) : double.NaN;
    }

    private static int[] CheckLength(CheckpointReader r, string name, int n)
    {
        int[] v = r.GetInts(name);
        if (v.Length != n) throw new RadiantException(r.Path, $"checkpoint section {name} has {v.Length} values, expected {n}");
        return v;
    }

    private static byte[] UlongsToBytes(ulong[] v)
    {
        var b = new byte[v.Length * 8];
        for (int i = 0; i < v.Length; i++) BitConverter.TryWriteBytes(b.AsSpan(8 * i), v[i]);
        return b;
    }

    private static ulong[] BytesToUlongs(byte[] b)
    {
        var v = new ulong[b.Length / 8];
        for (int i = 0; i < v.Length; i++) v[i] = BitConverter.ToUInt64(b, 8 * i);
        return v;
    }
}
