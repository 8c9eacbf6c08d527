using Radiant.Data;
using Radiant.Imaging;
using Radiant.Mathematics;
using Radiant.Model;
using Radiant.Rendering;

namespace Radiant.Training;

/// <summary>What one training iteration did.</summary>
/// <remarks><c>Mse</c> is between the render and the photo of this step's view (so PSNR on training views is −10·log10 of it).</remarks>
public readonly record struct TrainingStep(int Iteration, double Loss, double L1, double Ssim, double Mse, int GaussianCount, int Visible, bool Densified);

/// <summary>
/// The 3DGS optimisation loop (Kerbl et al. 2023, Algorithm 1; the reference <c>train.py</c>):
/// each iteration renders one random training view, takes the photometric loss, back-propagates
/// through the rasterizer, updates adaptive density control (or MCMC's, <see cref="McmcDensity"/>), and steps Adam.
/// </summary>
public sealed class Trainer
{
    public GaussianSet Gaussians { get; }
    public TrainingOptions Options { get; }
    public int Iteration { get; private set; }
    /// <summary>
    /// Seconds spent training the run so far, over every session of it (NaN: unknown, a run resumed
    /// from a checkpoint that did not record it). The session driving the loop keeps it; checkpoints save it.
    /// </summary>
    public double TrainingSeconds { get; set; }
    public int ActiveShDegree { get; private set; }
    /// <summary>Scene extent: 1.1 × the largest camera distance from the mean camera centre (the reference's cameras_extent).</summary>
    public double SceneExtent { get; }
    /// <summary>The mean of the training cameras' centres (the reference's scene centre, about which <see cref="SceneExtent"/> is measured).</summary>
    public Vec3 CameraCentre { get; }
    public float[] Background { get; }
    public Adam Optimizer { get; }
    public DensityControl Density { get; } = new();
    public Rng Random { get; private set; }
    /// <summary>With <see cref="TrainingOptions.Exposure"/>: each training view's colour correction (by view index), else null.</summary>
    public ExposureCorrection? Exposure { get; }
    /// <summary>With <see cref="TrainingOptions.PoseOpt"/>: each training view's pose correction (by view index), else null.</summary>
    public PoseCorrection? Poses { get; }

    private readonly TrainingView[] _views;
    private readonly RenderCamera[] _trainCameras;
    private readonly Renderer _renderer = new();
    private readonly PhotometricLoss _loss;
    private readonly GaussianGradients _grads = new();
    private readonly McmcDensity? _mcmc;   // with --strategy mcmc
    private readonly LearningRateSchedule? _exposureLr, _poseLr;
    private readonly LearningRateSchedule _positionLr;
    private readonly Dictionary<(int, int), Image> _lossGradients = [], _targets = [], _masks = [], _corrected = [];
    private int[] _viewOrder = [];
    private int _viewCursor;
    private readonly bool _whiteBackground;

    public Trainer(GaussianSet initial, TrainingView[] views, double sceneExtent, float[] background, TrainingOptions options)
    {
        if (views.Length == 0) throw new ArgumentException("no training views");
        if (initial.ShDegree != options.ShDegree) throw new ArgumentException("initial model SH degree differs from the options");
        Gaussians = initial;
        Options = options;
        SceneExtent = sceneExtent;
        CameraCentre = views.Length == 0 ? Vec3.Zero : views.Aggregate(Vec3.Zero, (sum, v) =>
        {
            var (x, y, z) = v.RenderCamera.Position;
            return sum + new Vec3(x, y, z);
        }) / views.Length;
        Background = background;
        _views = views;
        _trainCameras = Array.ConvertAll(views, v => v.RenderCamera);
        _loss = new PhotometricLoss(options.LambdaSsim);
        _positionLr = new LearningRateSchedule(options.PositionLrInit * sceneExtent, options.PositionLrFinal * sceneExtent, options.PositionLrMaxSteps ?? options.Iterations);
        Random = new Rng(options.Seed);
        _whiteBackground = background.All(c => c == 1f);

        // One Adam group per parameter array; SH rest learns ShRestLrDivisor× slower than SH DC.
        Optimizer = new Adam();
        Optimizer.AddGroup("means", initial.Means, 3, (float)_positionLr.At(0));
        Optimizer.AddGroup("log_scales", initial.LogScales, 3, (float)options.ScalingLr);
        Optimizer.AddGroup("rotations", initial.Rotations, 4, (float)options.RotationLr);
        Optimizer.AddGroup("opacity_logits", initial.OpacityLogits, 1, (float)options.OpacityLr);
        var shScale = new float[initial.ShCoefficients * 3];
        for (int k = 0; k < shScale.Length; k++) shScale[k] = k < 3 ? 1f : (float)(1 / options.ShRestLrDivisor);
        Optimizer.AddGroup("sh", initial.Sh, initial.ShCoefficients * 3, (float)options.ShDcLr, shScale);
        Density.Reset(initial.Count);
        if (options.Strategy == DensityStrategy.Mcmc) _mcmc = new McmcDensity();
        if (options.Exposure)
        {
            Exposure = new ExposureCorrection(views.Length);
            _exposureLr = new LearningRateSchedule(options.ExposureLrInit, options.ExposureLrFinal, options.PositionLrMaxSteps ?? options.Iterations);
        }
        if (options.PoseOpt)
        {
            Poses = new PoseCorrection(_trainCameras, sceneExtent);
            _poseLr = new LearningRateSchedule(options.PoseLrInit, options.PoseLrFinal, options.PositionLrMaxSteps ?? options.Iterations);
        }
        // A resumed model brings the filter it was checkpointed with; a new one gets it computed.
        if (!options.AntiAlias) initial.SmoothingVariance = null;
        else if (initial.SmoothingVariance is null) UpdateSmoothingFilter();
    }

    /// <summary>Recomputes the 3D smoothing filter from the training cameras (Mip-Splatting's compute_3D_filter).</summary>
    private void UpdateSmoothingFilter() => SmoothingFilter.Compute(Gaussians, _trainCameras, Options.NearPlane);

    /// <summary>How the model is rendered now: the training background, the active SH degree, the 2D filter (Mip filter or dilation), near plane and whether reduced pyramid levels are supersampled.</summary>
    public RenderOptions CurrentRenderOptions =>
        _renderOptions is { } current && current.ShDegree == ActiveShDegree ? current : _renderOptions = MakeRenderOptions();

    // Made again only when the SH degree steps up, so that a step allocates nothing.
    private RenderOptions? _renderOptions;

    private RenderOptions MakeRenderOptions() => new()
    {
        Background = Background,
        ShDegree = ActiveShDegree,
        Dilation = Options.AntiAlias || Options.MipFilter2D ? RenderOptions.MipFilterVariance : Options.Dilation,
        MipFilter = Options.AntiAlias || Options.MipFilter2D,
        NearPlane = Options.NearPlane,
        SupersampleLevels = Options.SupersampleLevels,
    };

    /// <summary>The reference picks views from a shuffled stack, refilled when empty.</summary>
    private int NextView()
    {
        if (_viewCursor >= _viewOrder.Length)
        {
            if (_viewOrder.Length != _views.Length) _viewOrder = new int[_views.Length];
            for (int i = 0; i < _viewOrder.Length; i++) _viewOrder[i] = i;
            for (int i = _viewOrder.Length - 1; i > 0; i--)
            {
                int j = Random.NextInt(i + 1);
                (_viewOrder[i], _viewOrder[j]) = (_viewOrder[j], _viewOrder[i]);
            }
            _viewCursor = 0;
        }
        return _viewOrder[_viewCursor++];
    }

    public TrainingStep Step()
    {
        Iteration++;
        int it = Iteration;
        Optimizer["means"].LearningRate = (float)_positionLr.At(it);
        if (it % Options.ShIncreaseInterval == 0 && ActiveShDegree < Options.ShDegree) ActiveShDegree++;

        // Forward: render one view and compare with its photo.
        int viewIndex = NextView();
        TrainingView view = _views[viewIndex];
        RenderCamera camera = Poses?.Camera(viewIndex) ?? view.RenderCamera;
        RenderResult render = _renderer.Render(Gaussians, camera, CurrentRenderOptions);
        // With exposure compensation the loss sees the view's corrected render.
        Image rendered = render.Color;
        if (Exposure is not null)
        {
            rendered = Buffer(_corrected, view.Target.Width, view.Target.Height, 3);
            Exposure.Apply(viewIndex, render.Color, rendered);
        }
        Image dLoss = Buffer(_lossGradients, view.Target.Width, view.Target.Height, 3);
        Image target = Buffer(_targets, view.Target.Width, view.Target.Height, 3);
        view.Target.ExpandInto(target);
        Image? mask = view.Mask is null ? null : Buffer(_masks, view.Target.Width, view.Target.Height, 1);
        if (mask is not null) view.Mask!.ExpandInto(mask);
        var loss = _loss.Evaluate(rendered, target, dLoss, mask is null ? default : mask.Data, view.LossWeight);
        if (!double.IsFinite(loss.Loss))
            throw new TrainingDivergedException(it, $"loss became {loss.Loss} at iteration {it}");

        // Backward through the rasterizer (with AbsGS's statistic only while ADC densifies).
        bool densifying = _mcmc is null && Options.Densify && it < Options.DensifyUntil;
        _grads.TrackAbsoluteScreenGrad = Options.AbsGrad && densifying;
        _grads.EnsureSize(Gaussians);
        _grads.Clear();
        Exposure?.Backward(viewIndex, render.Color, dLoss);
        _renderer.Backward(dLoss.Data, [], _grads);
        // The pose's gradient, from the backward pass's (before densification rebuilds the arrays).
        Poses?.Backward(viewIndex, Gaussians, _grads);
        if (_mcmc is not null) McmcDensity.AddRegularizerGradients(Gaussians, _grads, (float)Options.OpacityReg, (float)Options.ScaleReg);

        // Adaptive density control (no gradient step on the iteration that rebuilds the arrays,
        // as in the reference, where the new tensors have no .grad yet).
        bool densified = false, opacityReset = false;
        if (_mcmc is not null)
        {
            if (Options.Densify && it < Options.DensifyUntil && it > Options.DensifyFrom && it % Options.DensifyInterval == 0)
            {
                GC.Collect();   // (as below)
                McmcDensity.Refine(Gaussians, Optimizer, Options, Random);
                Density.Reset(Gaussians.Count);
                if (Options.AntiAlias) UpdateSmoothingFilter();
                densified = true;
            }
        }
        else if (densifying)
        {
            // (In the rasterised image's pixels: a supersampled view's are k times smaller than its own.)
            Density.Accumulate(Options.AbsGrad ? _grads.MeanScreenAbsGrad : _grads.MeanScreenGrad, render.Radii,
                               render.Samples * view.Target.Width, render.Samples * view.Target.Height);
            if (it > Options.DensifyFrom && it % Options.DensifyInterval == 0)
            {
                // The rebuild allocates every per-Gaussian array anew (model, Adam state, then the renderer's
                // buffers). Collecting first frees the previous rebuild's arrays, so the new ones reuse memory
                // the process already touched; fresh pages cost a fault each (at 230k Gaussians: 570 ms per
                // rebuild without the collection, 50–110 ms with it; the collection itself took 2–7 ms).
                GC.Collect();
                Density.DensifyAndPrune(Gaussians, Optimizer, Options, SceneExtent, pruneLarge: it > Options.OpacityResetInterval, Random,
                                        farFrom: Options.FarShell > 0 ? CameraCentre : null);
                if (Options.AntiAlias) UpdateSmoothingFilter();
                densified = true;
            }
            // A reset needs iterations to recover (the reference's runs always have them): none when fewer
            // than the warm-up's length (DensifyFrom) remain, or a 3,000-iteration run would end transparent.
            bool canRecover = Options.Iterations - it >= Options.DensifyFrom;
            if (canRecover && (it % Options.OpacityResetInterval == 0 || (_whiteBackground && it == Options.DensifyFrom)))
            {
                DensityControl.ResetOpacity(Gaussians, Optimizer);
                opacityReset = true;
            }
        }

        // Mip-Splatting keeps the 3D filter current after densification ends, except near the end.
        if (Options.AntiAlias && (!Options.Densify || it > Options.DensifyUntil) && it % Options.SmoothingFilterInterval == 0
            && it < Options.Iterations - Options.SmoothingFilterInterval)
            UpdateSmoothingFilter();

        if (!densified)
        {
            // SH first: its gradient is expanded row by row from the means of the backward pass
            // (ShGradientRows), so it steps before the means move. The groups are otherwise independent.
            Optimizer["sh"].Step(new ShGradientRows(_grads, Gaussians));
            var groups = Optimizer.Groups;
            for (int g = 0; g < groups.Count; g++)
            {
                if (groups[g].Name == "sh" || (opacityReset && groups[g].Name == "opacity_logits")) continue;
                groups[g].Step(GradientOf(groups[g].Name));
            }
        }
        Exposure?.Step(viewIndex, _exposureLr!.At(it));
        Poses?.Step(viewIndex, _poseLr!.At(it));
        // MCMC's exploration noise, after the step (3DGS-MCMC's train.py), keyed by seed and iteration.
        _mcmc?.InjectNoise(Gaussians, (float)(Options.NoiseLr * _positionLr.At(it)), Options.Seed * 0x9E3779B97F4A7C15UL ^ (ulong)it);
        return new TrainingStep(it, loss.Loss, loss.L1, loss.Ssim, loss.Mse, Gaussians.Count, render.VisibleCount, densified);
    }

    private float[] GradientOf(string name) => name switch
    {
        "means" => _grads.Means,
        "log_scales" => _grads.LogScales,
        "rotations" => _grads.Rotations,
        "opacity_logits" => _grads.OpacityLogits,
        _ => throw new InvalidOperationException(name),
    };

    /// <summary>A step's float buffer of one size (the loss gradient; the 16-bit target and mask expanded), made once per size.</summary>
    private static Image Buffer(Dictionary<(int, int), Image> buffers, int width, int height, int channels)
    {
        if (!buffers.TryGetValue((width, height), out Image? img))
            buffers[(width, height)] = img = new Image(width, height, channels);
        return img;
    }

    /// <summary>Stage times of the last step's render and backward.</summary>
    public RenderTimings LastRenderTimings => _renderer.LastTimings;

    /// <summary>Renders a camera with the current model and the training settings.</summary>
    public Image Render(RenderCamera camera) => _renderer.Render(Gaussians, camera, CurrentRenderOptions).Color.Clone();

    /// <summary>Restores the loop's own state after a checkpoint has restored the model and optimiser.</summary>
    internal void RestoreLoopState(int iteration, int activeShDegree, Rng random, int[] viewOrder, int viewCursor)
    {
        Iteration = iteration;
        ActiveShDegree = activeShDegree;
        Random = random;
        _viewOrder = viewOrder;
        _viewCursor = viewCursor;
    }

    internal (int[] ViewOrder, int ViewCursor) LoopState => (_viewOrder, _viewCursor);
}

/// <summary>
/// dL/dsh a block of rows at a time for the fused SH Adam step: each Gaussian's rank-one gradient
/// Y_k(normalise(mean − camera))·dL/dcolour_c expanded from its factors
/// (<see cref="GaussianGradients.ExpandSh(GaussianSet, int, int, Span{float})"/>; the means must be those of the backward pass).
/// </summary>
internal readonly struct ShGradientRows(GaussianGradients grads, GaussianSet gaussians) : IRowGradient
{
    public void Rows(int first, int count, Span<float> gradient) => grads.ExpandSh(gaussians, first, count, gradient);
}

/// <summary>The loss became NaN or infinite: training stops, naming the iteration.</summary>
public sealed class TrainingDivergedException(int iteration, string message) : Exception(message)
{
    public int Iteration { get; } = iteration;
}
