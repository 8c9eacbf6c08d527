using System.Text;
using System.Text.Json;

namespace Radiant.Logging;

/// <summary>
/// One line of <c>metrics.jsonl</c>: the training state at a logged iteration. Loss, L1, SSIM and
/// train PSNR are those of this iteration's view (not running averages, so a resumed run logs the
/// same values; plots smooth them). Test metrics are present on lines where the test split was evaluated.
/// </summary>
public sealed record MetricsRecord
{
    public required int Iteration { get; init; }
    /// <summary>The training loss, (1−λ)·L1 + λ·(1−SSIM).</summary>
    public required double Loss { get; init; }
    public required double L1 { get; init; }
    /// <summary>SSIM between render and photo (NaN when the loss did not compute it).</summary>
    public double Ssim { get; init; } = double.NaN;
    /// <summary>PSNR of this iteration's render against its training photo, dB.</summary>
    public required double TrainPsnr { get; init; }
    public required int Gaussians { get; init; }
    /// <summary>Learning rate of the Gaussian means (the one the schedule decays).</summary>
    public required double LrMeans { get; init; }
    /// <summary>Seconds since the run started (a resumed run continues from the logged value at its checkpoint).</summary>
    public required double ElapsedSeconds { get; init; }
    public required double IterationsPerSecond { get; init; }
    public double? TestPsnr { get; init; }
    public double? TestSsim { get; init; }

    /// <summary>The fields that depend on how fast the machine ran, not on the training itself.</summary>
    public static readonly string[] TimingFields = ["elapsed_s", "it_per_s"];

    /// <summary>One JSON object on one line, fields in a fixed order; non-finite numbers are written as null.</summary>
    public string ToJsonLine()
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteNumber("iteration", Iteration);
            Number(w, "loss", Loss);
            Number(w, "l1", L1);
            Number(w, "ssim", Ssim);
            Number(w, "train_psnr", TrainPsnr);
            w.WriteNumber("gaussians", Gaussians);
            Number(w, "lr_means", LrMeans);
            Number(w, "elapsed_s", Math.Round(ElapsedSeconds, 3));
            Number(w, "it_per_s", Math.Round(IterationsPerSecond, 3));
            if (TestPsnr is { } p) Number(w, "test_psnr", p);
            if (TestSsim is { } s) Number(w, "test_ssim", s);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void Number(Utf8JsonWriter w, string name, double value)
    {
        if (double.IsFinite(value)) w.WriteNumber(name, value);
        else w.WriteNull(name);
    }

    /// <summary>Parses one line; throws <see cref="JsonException"/> or <see cref="FormatException"/> when it is not a metrics object.</summary>
    public static MetricsRecord Parse(string line)
    {
        using var doc = JsonDocument.Parse(line);
        JsonElement o = doc.RootElement;
        if (o.ValueKind != JsonValueKind.Object) throw new FormatException("not a JSON object");
        double Get(string name) => o.TryGetProperty(name, out JsonElement e) && e.ValueKind == JsonValueKind.Number ? e.GetDouble() : double.NaN;
        double? Optional(string name) => o.TryGetProperty(name, out JsonElement e) ? (e.ValueKind == JsonValueKind.Number ? e.GetDouble() : double.NaN) : null;
        if (!o.TryGetProperty("iteration", out JsonElement it) || !it.TryGetInt32(out int iteration)) throw new FormatException("no integer \"iteration\"");
        double gaussians = Get("gaussians");
        return new MetricsRecord
        {
            Iteration = iteration,
            Loss = Get("loss"),
            L1 = Get("l1"),
            Ssim = Get("ssim"),
            TrainPsnr = Get("train_psnr"),
            Gaussians = double.IsFinite(gaussians) ? (int)gaussians : 0,
            LrMeans = Get("lr_means"),
            ElapsedSeconds = Get("elapsed_s"),
            IterationsPerSecond = Get("it_per_s"),
            TestPsnr = Optional("test_psnr"),
            TestSsim = Optional("test_ssim"),
        };
    }
}
