namespace Radiant.Logging;

/// <summary>The logged iterations of a run and where they came from; <see cref="Warnings"/> names incomplete last records (a run still writing).</summary>
public sealed record RunMetrics(string Source, List<MetricsRecord> Records, List<string> Warnings)
{
    /// <summary>
    /// Reads a run's metrics from <c>RUN/metrics.jsonl</c>, or from its TensorBoard event files when
    /// there is no metrics.jsonl; <paramref name="path"/> may also name either file directly.
    /// </summary>
    public static RunMetrics Load(string path)
    {
        if (File.Exists(path))
            return Path.GetFileName(path).StartsWith(EventFileWriter.FilePrefix, StringComparison.Ordinal) ? FromEventFiles(path, [path]) : FromJsonl(path);
        if (!Directory.Exists(path)) throw new RadiantException(path, "not found (expected a training output folder, a metrics.jsonl or an event file)");
        string jsonl = Path.Combine(path, MetricsLog.FileName);
        if (File.Exists(jsonl)) return FromJsonl(jsonl);
        List<string> events = EventFileReader.FilesIn(path);
        if (events.Count > 0) return FromEventFiles(path, events);
        throw new RadiantException(path, $"has no {MetricsLog.FileName} and no {EventFileWriter.FilePrefix}* file (is it a training output folder?)");
    }

    private static RunMetrics FromJsonl(string path)
    {
        var (records, incomplete) = MetricsLog.Read(path);
        return new RunMetrics(path, records, incomplete is null ? [] : [$"{path}: {incomplete}"]);
    }

    /// <summary>
    /// Rebuilds records from the scalars of event files. Files are read in order and a later file's
    /// step replaces an earlier one's (a resumed run repeats the steps after its checkpoint).
    /// </summary>
    private static RunMetrics FromEventFiles(string source, List<string> files)
    {
        var byStep = new SortedDictionary<long, Dictionary<string, double>>();
        var warnings = new List<string>();
        foreach (string file in files)
        {
            EventFile ef = EventFileReader.Read(file);
            if (ef.Incomplete is not null) warnings.Add($"{file}: {ef.Incomplete}");
            foreach (TensorBoardEvent e in ef.Events)
                foreach (SummaryValue v in e.Values)
                {
                    if (v.Scalar is not { } s) continue;
                    if (!byStep.TryGetValue(e.Step, out var values)) byStep[e.Step] = values = [];
                    values[v.Tag] = s;
                }
        }
        var records = new List<MetricsRecord>(byStep.Count);
        foreach (var (step, v) in byStep)
        {
            double Get(string tag) => v.TryGetValue(tag, out double x) ? x : double.NaN;
            double? Optional(string tag) => v.TryGetValue(tag, out double x) ? x : null;
            records.Add(new MetricsRecord
            {
                Iteration = (int)step,
                Loss = Get(TrainingLog.LossTag),
                L1 = Get(TrainingLog.L1Tag),
                Ssim = Get(TrainingLog.SsimTag),
                TrainPsnr = Get(TrainingLog.TrainPsnrTag),
                Gaussians = v.TryGetValue(TrainingLog.GaussiansTag, out double g) ? (int)g : 0,
                LrMeans = Get(TrainingLog.LrMeansTag),
                ElapsedSeconds = double.NaN,
                IterationsPerSecond = Get(TrainingLog.SpeedTag),
                TestPsnr = Optional(TrainingLog.TestPsnrTag),
                TestSsim = Optional(TrainingLog.TestSsimTag),
            });
        }
        return new RunMetrics(source, records, warnings);
    }
}
