namespace Radiant.Training;

/// <summary>
/// The reference 3DGS exponential learning-rate decay: log-linear interpolation from
/// <see cref="Initial"/> at step 0 to <see cref="Final"/> at <see cref="MaxSteps"/> (constant after),
/// <code>
///   t = clamp(step / maxSteps, 0, 1),   lr = exp((1 − t)·ln lr_init + t·ln lr_final)
/// </code>
/// optionally multiplied during the first <see cref="DelaySteps"/> steps by a warm-up factor that
/// rises from <see cref="DelayMultiplier"/> to 1 along a quarter sine:
/// <c>delay = m + (1 − m)·sin(π/2 · clamp(step / delaySteps, 0, 1))</c>.
/// </summary>
public sealed record LearningRateSchedule
{
    public double Initial { get; }
    public double Final { get; }
    public int MaxSteps { get; }
    public int DelaySteps { get; }
    public double DelayMultiplier { get; }

    public LearningRateSchedule(double initial, double final, int maxSteps, int delaySteps = 0, double delayMultiplier = 1)
    {
        bool bothZero = initial == 0 && final == 0;
        if (!bothZero && !(initial > 0 && final > 0)) throw new ArgumentOutOfRangeException(nameof(initial), "log-linear decay needs positive learning rates (or both zero)");
        if (maxSteps <= 0) throw new ArgumentOutOfRangeException(nameof(maxSteps));
        if (delaySteps < 0) throw new ArgumentOutOfRangeException(nameof(delaySteps));
        Initial = initial; Final = final; MaxSteps = maxSteps; DelaySteps = delaySteps; DelayMultiplier = delayMultiplier;
    }

    /// <summary>
    /// The reference schedule of the Gaussian means: 1.6e-4 → 1.6e-6 over 30k steps, both times the
    /// scene extent (the radius of the camera centres). The reference's delay multiplier 0.01 has no
    /// effect since its delay is 0 steps.
    /// </summary>
    public static LearningRateSchedule Positions(double sceneExtent, int maxSteps = 30_000) =>
        new(1.6e-4 * sceneExtent, 1.6e-6 * sceneExtent, maxSteps);

    /// <summary>The learning rate at <paramref name="step"/> (0 before step 0).</summary>
    public double At(int step)
    {
        if (step < 0 || (Initial == 0 && Final == 0)) return 0;
        double delay = DelaySteps > 0
            ? DelayMultiplier + (1 - DelayMultiplier) * Math.Sin(0.5 * Math.PI * Math.Clamp((double)step / DelaySteps, 0, 1))
            : 1;
        double t = Math.Clamp((double)step / MaxSteps, 0, 1);
        return delay * Math.Exp(Math.Log(Initial) * (1 - t) + Math.Log(Final) * t);
    }
}
