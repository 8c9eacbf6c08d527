namespace Radiant.Training;

/// <summary>
/// The learned values of a per-view correction (<see cref="ExposureCorrection"/>,
/// <see cref="PoseCorrection"/>) and their Adam state (Kingma &amp; Ba 2015, Algorithm 1; ε = 1e-15
/// as the reference's optimisers): a block of <see cref="FloatsPerView"/> values per view, which
/// steps only when its view is trained on, with its own step count for the bias correction. The
/// model's own parameters use the vectorised <see cref="Adam"/>.
/// </summary>
public sealed class PerViewAdam
{
    private const double Beta1 = 0.9, Beta2 = 0.999, Epsilon = 1e-15;

    public int FloatsPerView { get; }
    /// <summary>Every view's values, <see cref="FloatsPerView"/> each.</summary>
    public float[] Values { get; }
    /// <summary>Adam's moments of <see cref="Values"/>.</summary>
    public float[] FirstMoment { get; }
    public float[] SecondMoment { get; }
    /// <summary>Each view's step count.</summary>
    public int[] Steps { get; }
    public int Views => Steps.Length;

    public PerViewAdam(int views, int floatsPerView)
    {
        if (views < 1) throw new ArgumentOutOfRangeException(nameof(views));
        FloatsPerView = floatsPerView;
        Values = new float[views * floatsPerView];
        FirstMoment = new float[views * floatsPerView];
        SecondMoment = new float[views * floatsPerView];
        Steps = new int[views];
    }

    /// <summary>View <paramref name="view"/>'s values.</summary>
    public Span<float> Of(int view) => Values.AsSpan(view * FloatsPerView, FloatsPerView);

    /// <summary>One Adam step of view <paramref name="view"/>'s values on <paramref name="gradient"/>.</summary>
    public void Step(int view, ReadOnlySpan<double> gradient, double learningRate)
    {
        int step = ++Steps[view];
        double correction1 = 1 - Math.Pow(Beta1, step), correction2 = 1 - Math.Pow(Beta2, step);
        Span<float> values = Of(view);
        Span<float> m = FirstMoment.AsSpan(view * FloatsPerView, FloatsPerView), v = SecondMoment.AsSpan(view * FloatsPerView, FloatsPerView);
        for (int k = 0; k < values.Length; k++)
        {
            double g = gradient[k];
            m[k] = (float)(Beta1 * m[k] + (1 - Beta1) * g);
            v[k] = (float)(Beta2 * v[k] + (1 - Beta2) * g * g);
            values[k] = (float)(values[k] - learningRate * (m[k] / correction1) / (Math.Sqrt(v[k] / correction2) + Epsilon));
        }
    }

    /// <summary>Adds the state to a checkpoint as <c>SECTION/values</c>, <c>/m</c>, <c>/v</c> and <c>/steps</c>.</summary>
    public void Save(CheckpointWriter w, string section)
    {
        w.Add($"{section}/values", Values);
        w.Add($"{section}/m", FirstMoment);
        w.Add($"{section}/v", SecondMoment);
        w.Add($"{section}/steps", (int[])Steps.Clone());
    }

    /// <summary>Restores the state <see cref="Save"/> wrote; a checkpoint made for another view count is one clear error naming <paramref name="what"/>.</summary>
    public void Restore(CheckpointReader r, string section, string what)
    {
        int n = Values.Length;
        int[] steps = r.GetInts($"{section}/steps");
        if (steps.Length != Views)
            throw new RadiantException(r.Path, $"checkpoint has {what} for {steps.Length} views, the dataset {Views}");
        r.GetFloats($"{section}/values", n).CopyTo(Values);
        r.GetFloats($"{section}/m", n).CopyTo(FirstMoment);
        r.GetFloats($"{section}/v", n).CopyTo(SecondMoment);
        steps.CopyTo(Steps);
    }
}
