using System.Text.Json.Serialization;

namespace Radiant.Training;

/// <summary>
/// Hyperparameters of 3DGS training. Defaults are the reference implementation's
/// (Kerbl et al. 2023, <c>arguments/__init__.py</c>; REFERENCE.md §2).
/// </summary>
public sealed record TrainingOptions
{
    public int Iterations { get; init; } = 30_000;
    public int ShDegree { get; init; } = 3;
    /// <summary>The active SH degree rises by one every this many iterations.</summary>
    public int ShIncreaseInterval { get; init; } = 1_000;
    public ulong Seed { get; init; }
    /// <summary>Weight of the D-SSIM term: L = (1 − λ)·L1 + λ·(1 − SSIM).</summary>
    public float LambdaSsim { get; init; } = 0.2f;

    // Learning rates (Adam).
    public double PositionLrInit { get; init; } = 1.6e-4;
    public double PositionLrFinal { get; init; } = 1.6e-6;
    /// <summary>
    /// Iterations over which the position learning rate decays to <see cref="PositionLrFinal"/>
    /// (constant after; the reference's position_lr_max_steps); null: <see cref="Iterations"/>.
    /// A run resumed to train longer keeps its original length here.
    /// </summary>
    public int? PositionLrMaxSteps { get; init; }
    public double ShDcLr { get; init; } = 0.0025;
    /// <summary>Higher SH coefficients learn this much slower than the DC term (the reference's lr/20).</summary>
    public double ShRestLrDivisor { get; init; } = 20;
    public double OpacityLr { get; init; } = 0.05;
    public double ScalingLr { get; init; } = 0.005;
    public double RotationLr { get; init; } = 0.001;

    // Adaptive density control (§5 of the paper).
    /// <summary>
    /// How Gaussians are added and removed: <see cref="DensityStrategy.Adc"/> (the reference's clone,
    /// split, prune and opacity reset) or <see cref="DensityStrategy.Mcmc"/> (<see cref="McmcDensity"/>).
    /// </summary>
    [JsonConverter(typeof(JsonStringEnumConverter<DensityStrategy>))]
    public DensityStrategy Strategy { get; init; } = DensityStrategy.Adc;
    public bool Densify { get; init; } = true;
    public int DensifyFrom { get; init; } = 500;
    public int DensifyUntil { get; init; } = 15_000;
    public int DensifyInterval { get; init; } = 100;
    /// <summary>Average screen-space positional gradient (NDC units, as the reference) above which a Gaussian is cloned or split.</summary>
    public double DensifyGradThreshold { get; init; } = 2e-4;
    /// <summary>
    /// Densify by the sum over pixels of each pixel's |dL/dmean2d| instead of the summed gradient
    /// (AbsGS, Ye et al. 2024; gsplat's absgrad, nerfstudio splatfacto's default): large Gaussians
    /// whose pixels pull in opposite directions are split too. Its statistic is larger, so it goes
    /// with a larger <see cref="DensifyGradThreshold"/> (<see cref="AbsGradThreshold"/>). ADC only.
    /// </summary>
    public bool AbsGrad { get; init; }
    /// <summary>The densification threshold gsplat and splatfacto use with <see cref="AbsGrad"/>.</summary>
    public const double AbsGradThreshold = 8e-4;
    /// <summary>Gaussians no larger than this fraction of the scene extent are cloned, larger ones split.</summary>
    public double PercentDense { get; init; } = 0.01;
    public int OpacityResetInterval { get; init; } = 3_000;
    public double PruneOpacity { get; init; } = 0.005;
    /// <summary>
    /// After the first opacity reset, Gaussians wider than this many pixels on screen are pruned; 0 =
    /// never (the default). The reference passes 20, but its rule never fires: densification zeroes
    /// max_radii2D just before the test (graphdeco-inria/gaussian-splatting issue 123; gsplat
    /// leaves it off too). Turned on, it cost the 7k sample run 0.8 dB.
    /// </summary>
    public double PruneScreenSize { get; init; }
    /// <summary>… and those larger than this fraction of the scene extent in world space.</summary>
    public double PruneWorldSize { get; init; } = 0.1;
    /// <summary>Upper bound on the Gaussian count; densification stops adding beyond it (protects memory). MCMC's cap.</summary>
    public int MaxGaussians { get; init; } = 6_000_000;

    // MCMC (3DGS-MCMC's defaults, as gsplat's MCMCStrategy).
    /// <summary>Weight of the L1 regulariser on opacity, λo·mean(opacity) (MCMC only).</summary>
    public double OpacityReg { get; init; } = 0.01;
    /// <summary>Weight of the L1 regulariser on scale, λs·mean(scale) (MCMC only).</summary>
    public double ScaleReg { get; init; } = 0.01;
    /// <summary>The position noise is this times the position learning rate times the covariance (MCMC only).</summary>
    public double NoiseLr { get; init; } = 5e5;

    // Per-image colour correction.
    /// <summary>
    /// Learn an affine colour correction per training image (<see cref="ExposureCorrection"/>; the
    /// reference's exposure compensation), for photos whose exposure or white balance differ.
    /// </summary>
    public bool Exposure { get; init; }
    /// <summary>Learning rate of the corrections, decaying exponentially to <see cref="ExposureLrFinal"/> (the reference's exposure_lr_init).</summary>
    public double ExposureLrInit { get; init; } = 0.01;
    public double ExposureLrFinal { get; init; } = 0.001;

    // Far surroundings.
    /// <summary>
    /// Gaussians added at the start on a sphere of <see cref="FarShellRadius"/> × the cameras' extent
    /// about their centre (<see cref="Model.GaussianInit.FarShell"/>, coloured from the training photos by
    /// <see cref="FarShellColours"/>; 0: none, as the reference), for
    /// surroundings farther away than COLMAP's points reach: sky, distant landscape. With a shell, a
    /// Gaussian farther from the cameras' centre than the extent is pruned as too large by its size
    /// relative to its distance (<see cref="DensityControl.DensifyAndPrune"/>), or the reference's world-size
    /// limit would remove the shell's Gaussians, which are large because they are far.
    /// </summary>
    public int FarShell { get; init; }
    /// <summary>The shell's radius in units of the cameras' extent.</summary>
    public double FarShellRadius { get; init; } = 10;

    // Per-view pose correction.
    /// <summary>
    /// Learn a rigid correction of each training camera's pose (<see cref="PoseCorrection"/>; gsplat's
    /// pose_opt), for captures whose recovered poses are slightly off.
    /// </summary>
    public bool PoseOpt { get; init; }
    /// <summary>Learning rate of the pose corrections (radians; scene extents), decaying exponentially to <see cref="PoseLrFinal"/>.</summary>
    public double PoseLrInit { get; init; } = 1e-3;
    public double PoseLrFinal { get; init; } = 1e-5;

    // Rendering.
    /// <summary>
    /// Mip-Splatting's anti-aliasing (Yu et al. 2024): the 3D smoothing filter (recomputed after
    /// every densification and every <see cref="SmoothingFilterInterval"/> iterations after it ends)
    /// and the 2D Mip filter instead of the fixed <see cref="Dilation"/>. Off: the reference 3DGS.
    /// </summary>
    public bool AntiAlias { get; init; } = true;
    /// <summary>
    /// The 2D Mip filter without the 3D smoothing filter (when <see cref="AntiAlias"/> is off): for
    /// fine-tuning a model whose 3D filter is already baked into its scales and opacities.
    /// </summary>
    [JsonPropertyName("mip_filter_2d")]
    public bool MipFilter2D { get; init; }
    /// <summary>Older runs' spelling of <see cref="MipFilter2D"/> in config.json and checkpoints: read, never written.</summary>
    [JsonInclude, JsonPropertyName("mip_filter2_d"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    private bool? LegacyMipFilter2D { get => null; init { if (value is bool v) MipFilter2D = v; } }
    /// <summary>
    /// Views of a reduced level of mip-NeRF's pyramid (multiscale data) are rendered as their photos
    /// were made, at the full image's size and averaged over 2^j × 2^j blocks
    /// (<see cref="Rendering.RenderOptions.SupersampleLevels"/>); <c>train --no-supersample-levels</c> turns it
    /// off. A checkpoint from before it existed has no such field and resumes without it
    /// (<see cref="TrainingCheckpoint.Open"/>), as eval reads such a run's config.json.
    /// </summary>
    public bool SupersampleLevels { get; init; } = true;
    /// <summary>After densification ends, the 3D smoothing filter is recomputed every this many iterations (Mip-Splatting: 100).</summary>
    public int SmoothingFilterInterval { get; init; } = 100;
    /// <summary>Screen-space dilation in px² when <see cref="AntiAlias"/> is off (reference: 0.3).</summary>
    public float Dilation { get; init; } = 0.3f;
    public float NearPlane { get; init; } = 0.2f;
}

/// <summary>How training adds and removes Gaussians.</summary>
public enum DensityStrategy
{
    /// <summary>Adaptive density control, the reference's (<see cref="DensityControl"/>).</summary>
    [JsonStringEnumMemberName("adc")]
    Adc,
    /// <summary>3DGS as Markov chain Monte Carlo: relocation, growth to a cap, noise (<see cref="McmcDensity"/>).</summary>
    [JsonStringEnumMemberName("mcmc")]
    Mcmc,
}
