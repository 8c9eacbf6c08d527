namespace Radiant.Training;

/// <summary>
/// One Adam step of a small parameter block with its own step count (Kingma &amp; Ba 2015, Algorithm 1;
/// ε = 1e-15 as the reference's optimisers): the per-view corrections (<see cref="ExposureCorrection"/>,
/// <see cref="PoseCorrection"/>), which step only when their view is trained on. The model's own
/// parameters use the vectorised <see cref="Adam"/>.
/// </summary>
internal static class AdamStep
{
    private const double Beta1 = 0.9, Beta2 = 0.999, Epsilon = 1e-15;

    /// <summary>Step number <paramref name="step"/> (from 1) of <paramref name="values"/> on <paramref name="gradient"/>.</summary>
    public static void Apply(Span<float> values, Span<float> firstMoment, Span<float> secondMoment, ReadOnlySpan<double> gradient, int step, double learningRate)
    {
        double correction1 = 1 - Math.Pow(Beta1, step), correction2 = 1 - Math.Pow(Beta2, step);
        for (int k = 0; k < values.Length; k++)
        {
            double g = gradient[k];
            firstMoment[k] = (float)(Beta1 * firstMoment[k] + (1 - Beta1) * g);
            secondMoment[k] = (float)(Beta2 * secondMoment[k] + (1 - Beta2) * g * g);
            values[k] = (float)(values[k] - learningRate * (firstMoment[k] / correction1) / (Math.Sqrt(secondMoment[k] / correction2) + Epsilon));
        }
    }
}
