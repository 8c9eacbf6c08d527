using Radiant.Imaging;
using Radiant.Model;
using Radiant.Rendering;
using Radiant.Training;

namespace Radiant.Evaluation;

/// <summary>The pose a test view was scored from after <see cref="TestPoseAlignment"/>, how far it moved, and the Adam steps taken.</summary>
public sealed record AlignedPose(RenderCamera Camera, double RotationDegrees, double Translation, int Steps);

/// <summary>
/// Test-time pose alignment: before a test view is scored, its camera is refined against the fixed
/// model by minimising the training loss (L1 + D-SSIM) over a rigid correction of its pose, the
/// evaluation protocol of BARF (Lin et al. 2021, §4.2) and of the pose-free 3DGS papers. It scores
/// what the model got right when the test poses carry errors of their own: COLMAP's poses of a
/// capture are off by a fraction of a degree, and a model trained with <c>--pose-opt</c> has moved
/// its training cameras away from errors that its test cameras keep.
/// <para>
/// The correction is <see cref="PoseCorrection"/>'s, for one camera, without its removal of the
/// cameras' common motion (the fixed model holds the frame): a turn ω and a move τ (in units of
/// <see cref="TranslationScale"/>, the training's scene extent), Adam steps at
/// <see cref="LearningRateInitial"/>, a plateau schedule: after <see cref="Patience"/> steps in
/// which the loss has not gone 0.01 % below its lowest, the rate is multiplied by
/// <see cref="DecayFactor"/>, and the alignment ends when it falls below
/// <see cref="LearningRateFinal"/> or after <see cref="MaxSteps"/>. A pose far off keeps the full
/// rate for as long as the loss falls; one close to right settles in a few dozen steps. The pose of
/// the lowest loss seen is kept, so a view never scores from a pose the loss found worse than the
/// dataset's.
/// </para>
/// </summary>
public sealed class TestPoseAlignment
{
    /// <summary>The most Adam steps per view (each a render and a backward pass at the view's size).</summary>
    public int MaxSteps { get; init; } = 300;
    public double LearningRateInitial { get; init; } = 1e-3;
    /// <summary>The alignment ends when the rate falls below this.</summary>
    public double LearningRateFinal { get; init; } = 1e-5;
    /// <summary>Steps without a new lowest loss (by 0.01 %) before the rate is lowered.</summary>
    public int Patience { get; init; } = 10;
    public double DecayFactor { get; init; } = 0.25;
    /// <summary>The unit of τ: the training's scene extent (the camera centres' radius).</summary>
    public double TranslationScale { get; }

    /// <summary>A new lowest loss must be this much below the previous one to count as progress.</summary>
    private const double Progress = 1e-4;

    private readonly PhotometricLoss _loss = new();
    private readonly GaussianGradients _grads = new();
    private readonly float[] _best = new float[PoseCorrection.Floats];
    private Image? _dLoss;

    public TestPoseAlignment(double translationScale)
    {
        if (!(translationScale > 0) || !double.IsFinite(translationScale)) throw new ArgumentOutOfRangeException(nameof(translationScale));
        TranslationScale = translationScale;
    }

    /// <summary>
    /// Aligns <paramref name="camera"/> to <paramref name="target"/> (RGB at the camera's size) through
    /// <paramref name="g"/> rendered with <paramref name="options"/>; <paramref name="weight"/> (per
    /// pixel, or empty) is the loss's mask. Returns a new camera; <paramref name="camera"/> is unchanged.
    /// </summary>
    public AlignedPose Align(Renderer renderer, GaussianSet g, RenderCamera camera, Image target, RenderOptions options, ReadOnlySpan<float> weight = default)
    {
        if (target.Width != camera.Width || target.Height != camera.Height || target.Channels != 3)
            throw new ArgumentException("the target must be RGB at the camera's size");
        if (MaxSteps < 0) throw new InvalidOperationException("MaxSteps must not be negative");
        if (!(DecayFactor is > 0 and < 1) || Patience < 1) throw new InvalidOperationException("the plateau schedule needs 0 < DecayFactor < 1 and Patience ≥ 1");
        var pose = new PoseCorrection([camera], TranslationScale, removeCommonMotion: false);
        if (_dLoss is null || _dLoss.Width != camera.Width || _dLoss.Height != camera.Height) _dLoss = new Image(camera.Width, camera.Height, 3);
        double bestLoss = double.PositiveInfinity, progressLoss = double.PositiveInfinity, learningRate = LearningRateInitial;
        int steps = 0, sinceProgress = 0;
        Array.Clear(_best);
        // Each pass measures the pose that the steps so far made; the last measurement needs no step after it.
        while (true)
        {
            RenderResult render = renderer.Render(g, pose.Camera(0), options);
            double loss = _loss.Evaluate(render.Color, target, _dLoss, weight).Loss;
            if (loss < bestLoss)
            {
                bestLoss = loss;
                pose.Values.AsSpan(0, PoseCorrection.Floats).CopyTo(_best);
            }
            if (loss < progressLoss * (1 - Progress))
            {
                progressLoss = loss;
                sinceProgress = 0;
            }
            else if (++sinceProgress >= Patience)
            {
                learningRate *= DecayFactor;
                sinceProgress = 0;
            }
            if (steps == MaxSteps || learningRate < LearningRateFinal || !double.IsFinite(loss)) break;
            _grads.EnsureSize(g);
            _grads.Clear();
            renderer.Backward(_dLoss.Data, [], _grads);
            pose.Backward(0, g, _grads);
            pose.Step(0, learningRate);
            steps++;
        }
        _best.CopyTo(pose.Values, 0);
        var (omega, tau) = pose.Correction(0);
        RenderCamera aligned = pose.Camera(0);
        return new AlignedPose(aligned with { WorldToCamera = (float[])aligned.WorldToCamera.Clone() },
                               omega.Length * 180 / Math.PI, tau.Length * TranslationScale, steps);
    }
}
