using System.CommandLine;
using System.Globalization;
using Radiant.Training;

namespace Radiant.Cli;

/// <summary>
/// The training hyperparameters as <c>radiant train</c> flags: learning rates, the loss weight,
/// the SH schedule and every threshold and interval of adaptive density control. Names follow the
/// reference's <c>arguments/__init__.py</c> (kebab-case); defaults are <see cref="TrainingOptions"/>'s,
/// i.e. the reference's (REFERENCE.md §2). A value outside its range is one error line.
/// </summary>
public sealed class TrainingFlags
{
    private static readonly TrainingOptions Defaults = new();
    private readonly List<IFlag> _flags = [];

    public TrainingFlags()
    {
        // Learning rates and loss.
        Add("--position-lr-init", "Position learning rate at the start (times the scene extent)", Defaults.PositionLrInit, NonNegative, (o, v) => o with { PositionLrInit = v });
        Add("--position-lr-final", "Position learning rate at the end (exponential decay to it)", Defaults.PositionLrFinal, NonNegative, (o, v) => o with { PositionLrFinal = v });
        Add("--position-lr-max-steps", "Iterations over which the position learning rate decays (0: the run's --iterations)", 0, NonNegativeInt, (o, v) => o with { PositionLrMaxSteps = v == 0 ? null : v });
        Add("--sh-dc-lr", "Learning rate of the SH DC colour (reference: feature_lr)", Defaults.ShDcLr, NonNegative, (o, v) => o with { ShDcLr = v });
        Add("--sh-rest-lr-divisor", "The higher SH coefficients learn this many times slower than the DC", Defaults.ShRestLrDivisor, Positive, (o, v) => o with { ShRestLrDivisor = v });
        Add("--opacity-lr", "Opacity learning rate", Defaults.OpacityLr, NonNegative, (o, v) => o with { OpacityLr = v });
        Add("--scaling-lr", "Scale learning rate", Defaults.ScalingLr, NonNegative, (o, v) => o with { ScalingLr = v });
        Add("--rotation-lr", "Rotation learning rate", Defaults.RotationLr, NonNegative, (o, v) => o with { RotationLr = v });
        Add("--lambda-dssim", "Weight λ of the D-SSIM term: (1 − λ)·L1 + λ·(1 − SSIM)", Defaults.LambdaSsim, UnitInterval, (o, v) => o with { LambdaSsim = v });
        Add("--sh-increase-interval", "The active SH degree rises by one every N iterations", Defaults.ShIncreaseInterval, AtLeastOne, (o, v) => o with { ShIncreaseInterval = v });
        // Adaptive density control.
        Add("--densify-from", "First iteration of adaptive density control", Defaults.DensifyFrom, NonNegativeInt, (o, v) => o with { DensifyFrom = v });
        Add("--densify-until", $"Last iteration of adaptive density control (with --strategy mcmc, of its refinement; default {McmcDensity.DefaultRefineUntil:N0} there)", Defaults.DensifyUntil, NonNegativeInt, (o, v) => o with { DensifyUntil = v });
        Add("--densify-interval", "Clone, split and prune every N iterations", Defaults.DensifyInterval, AtLeastOne, (o, v) => o with { DensifyInterval = v });
        Add("--densify-grad-threshold", "Mean screen-space positional gradient (NDC units) above which a Gaussian is cloned or split", Defaults.DensifyGradThreshold, Positive, (o, v) => o with { DensifyGradThreshold = v });
        Add("--absgrad", $"Densify by the sum of each pixel's absolute positional gradient (AbsGS; gsplat's absgrad, splatfacto's default); --densify-grad-threshold is then {TrainingOptions.AbsGradThreshold} unless given", false, AnyBool, (o, v) => o with { AbsGrad = v });
        Add("--percent-dense", "Gaussians up to this fraction of the scene extent are cloned, larger ones split", Defaults.PercentDense, Positive, (o, v) => o with { PercentDense = v });
        Add("--opacity-reset-interval", "Every N iterations, lower every opacity to at most 0.01", Defaults.OpacityResetInterval, AtLeastOne, (o, v) => o with { OpacityResetInterval = v });
        Add("--prune-opacity", "Prune Gaussians whose opacity is below this", Defaults.PruneOpacity, Fraction, (o, v) => o with { PruneOpacity = v });
        Add("--prune-screen-size", "After the first opacity reset, prune Gaussians wider than this many pixels on screen (0: never; the reference's 20 never fires, see README)", Defaults.PruneScreenSize, NonNegative, (o, v) => o with { PruneScreenSize = v });
        Add("--prune-world-size", "... and those larger than this fraction of the scene extent", Defaults.PruneWorldSize, Positive, (o, v) => o with { PruneWorldSize = v });
        Add("--max-gaussians", $"Densification adds no Gaussians beyond this count (with --strategy mcmc, the count it grows to; default {McmcDensity.DefaultCap:N0} there)", Defaults.MaxGaussians, AtLeastOne, (o, v) => o with { MaxGaussians = v });
        // Far surroundings.
        Add("--far-shell", "Start with N more Gaussians on a sphere far around the cameras (--far-shell-radius × their extent), coloured from the photos that see them, for surroundings COLMAP has no points for (sky, distant landscape), and prune far Gaussians by their size relative to their distance (0: none, the reference; opaque photos only; see the README)", 0, NonNegativeInt, (o, v) => o with { FarShell = v });
        Add("--far-shell-radius", "With --far-shell: the sphere's radius in units of the cameras' extent", Defaults.FarShellRadius, Positive, (o, v) => o with { FarShellRadius = v });
        // Per-image colour correction.
        Add("--exposure", "Learn a colour correction per training photo (an affine map of RGB, the reference's exposure compensation) for photos whose exposure or white balance differ; test views and exports render without one", false, AnyBool, (o, v) => o with { Exposure = v });
        Add("--exposure-lr-init", "With --exposure: the corrections' learning rate at the start (exponential decay to --exposure-lr-final)", Defaults.ExposureLrInit, Positive, (o, v) => o with { ExposureLrInit = v });
        Add("--exposure-lr-final", "With --exposure: the corrections' learning rate at the end", Defaults.ExposureLrFinal, Positive, (o, v) => o with { ExposureLrFinal = v });
        // Per-image pose correction.
        Add("--pose-opt", "Learn a small rigid correction of each training camera's pose (gsplat's pose_opt) for training poses that are slightly off; test views and renders keep the dataset's poses (on a COLMAP capture, score runs with eval --align-poses: see the README)", false, AnyBool, (o, v) => o with { PoseOpt = v });
        Add("--pose-lr-init", "With --pose-opt: the corrections' learning rate at the start (radians, and scene extents for the translation; exponential decay to --pose-lr-final)", Defaults.PoseLrInit, Positive, (o, v) => o with { PoseLrInit = v });
        Add("--pose-lr-final", "With --pose-opt: the corrections' learning rate at the end", Defaults.PoseLrFinal, Positive, (o, v) => o with { PoseLrFinal = v });
        // MCMC.
        Add("--opacity-reg", "--strategy mcmc: weight of the L1 regulariser on opacity", Defaults.OpacityReg, NonNegative, (o, v) => o with { OpacityReg = v });
        Add("--scale-reg", "--strategy mcmc: weight of the L1 regulariser on scale", Defaults.ScaleReg, NonNegative, (o, v) => o with { ScaleReg = v });
        Add("--noise-lr", "--strategy mcmc: position noise, times the position learning rate and each Gaussian's covariance", Defaults.NoiseLr, NonNegative, (o, v) => o with { NoiseLr = v });
    }

    public void AddTo(Command command)
    {
        foreach (IFlag flag in _flags) command.Options.Add(flag.Option);
    }

    /// <summary><paramref name="options"/> with every flag's value (its default when not given), checked.</summary>
    public TrainingOptions Apply(ParseResult result, TrainingOptions options)
    {
        foreach (IFlag flag in _flags) options = flag.Apply(result, options);
        // MCMC's own defaults (gsplat's MCMCStrategy) where the flag is not given: a cap of 1M and refinement until 25k.
        if (options.Strategy == DensityStrategy.Mcmc)
        {
            if (!Given(result, "--max-gaussians")) options = options with { MaxGaussians = McmcDensity.DefaultCap };
            if (!Given(result, "--densify-until")) options = options with { DensifyUntil = McmcDensity.DefaultRefineUntil };
        }
        if (options.AbsGrad)
        {
            if (options.Strategy != DensityStrategy.Adc)
                throw new RadiantException("--absgrad changes adaptive density control's statistic; --strategy mcmc does not use it");
            if (!Given(result, "--densify-grad-threshold")) options = options with { DensifyGradThreshold = TrainingOptions.AbsGradThreshold };
        }
        return options;
    }

    private bool Given(ParseResult result, string name) => result.GetResult(_flags.Single(f => f.Option.Name == name).Option) is { Implicit: false };

    private static readonly Range<double> NonNegative = new(v => v >= 0, "0 or more");
    private static readonly Range<double> Positive = new(v => v > 0, "positive");
    private static readonly Range<float> UnitInterval = new(v => v is >= 0 and <= 1, "in [0, 1]");
    private static readonly Range<double> Fraction = new(v => v is >= 0 and < 1, "in [0, 1)");
    private static readonly Range<int> NonNegativeInt = new(v => v >= 0, "0 or more");
    private static readonly Range<bool> AnyBool = new(_ => true, "true or false");
    private static readonly Range<int> AtLeastOne = new(v => v >= 1, "1 or more");

    private sealed record Range<T>(Func<T, bool> Contains, string Text);

    private void Add<T>(string name, string description, T defaultValue, Range<T> range, Func<TrainingOptions, T, TrainingOptions> set) =>
        _flags.Add(new Flag<T>(new Option<T>(name) { Description = description, DefaultValueFactory = _ => defaultValue }, range, set));

    private interface IFlag
    {
        Option Option { get; }
        TrainingOptions Apply(ParseResult result, TrainingOptions options);
    }

    private sealed class Flag<T>(Option<T> option, Range<T> range, Func<TrainingOptions, T, TrainingOptions> set) : IFlag
    {
        public Option Option => option;

        public TrainingOptions Apply(ParseResult result, TrainingOptions options)
        {
            T value = result.GetValue(option)!;
            // NaN fails every range test, so it is refused too.
            if (!range.Contains(value))
                throw new RadiantException(string.Create(CultureInfo.InvariantCulture, $"{option.Name} must be {range.Text} (got {value})"));
            return set(options, value);
        }
    }
}
