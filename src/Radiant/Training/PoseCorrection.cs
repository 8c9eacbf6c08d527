using System.Runtime.Intrinsics;
using Radiant.Mathematics;
using Radiant.Model;
using Radiant.Rendering;

namespace Radiant.Training;

/// <summary>
/// A rigid correction of each training camera's pose, learned with the model (<c>train --pose-opt</c>;
/// the camera optimisation of gsplat's <c>pose_opt</c> and nerfstudio's SO3xR3 camera optimiser), for
/// captures whose poses COLMAP recovered slightly wrong. View i's world-to-camera map x ↦ R₀x + t₀
/// becomes x ↦ Exp(ωᵢ)(R₀x + t₀ + s·τᵢ): the camera moved by τ (camera frame, in units of the scene
/// extent s), to the centre C' = C₀ − s·R₀ᵀτ, and turned about that centre by the rotation vector ω;
/// both start at zero. So R' = Exp(ω)R₀ and t' = −R'C'.
/// <para>
/// The gradients need nothing new from the kernels, only sums over the Gaussians of the backward
/// pass's gradients (g_j = dL/dx_j for mean x_j, G_j = dL/dq_j for its quaternion q_j = (w, u)):
/// <list type="bullet">
/// <item>moving the camera by δ is moving every mean by −δ (projection and SH direction alike):
/// dL/dτ = s·R₀ Σ g_j;</item>
/// <item>turning the camera by a (camera frame; Exp(ω + δ) ≈ Exp(J(ω)δ)·Exp(ω), J the left Jacobian)
/// turns the scene about C' by −R'ᵀa as the camera sees it: every mean about C' and every Gaussian's
/// orientation, but not the view directions its SH colour is evaluated in, which do not change. So
/// dL/dω = J(ω)ᵀR' Σ [(x_j − C') × (g_j − d_j) + ρ_j], with d_j the part of g_j that came through the
/// SH direction, and ρ_j = ½(w·G_u − G_w·u + u × G_u) the gradient of turning q_j to (1, b/2)⊗q_j.</item>
/// </list>
/// </para>
/// Each view's six values take an Adam step when the view is trained on; after each step what all
/// cameras do together is taken out (<see cref="Recentre"/>). Test views, renders and exports keep
/// the dataset's poses. Measured (README, Poses that are slightly off): a large gain on training
/// poses with random errors of their own; on COLMAP's poses, whose test views keep errors that the
/// training views lose, a loss when scored from the dataset's poses and a gain when each test pose is
/// first aligned (<see cref="Evaluation.TestPoseAlignment"/>).
/// </summary>
public sealed class PoseCorrection
{
    /// <summary>Values per view: ω (3), then τ (3).</summary>
    public const int Floats = 6;

    /// <summary>Every view's correction, <see cref="Floats"/> each.</summary>
    public float[] Values => State.Values;
    /// <summary>How many steps each view's correction has taken.</summary>
    public int[] Steps => State.Steps;
    public int Views => State.Views;
    /// <summary>The values with their Adam state (checkpointed).</summary>
    public PerViewAdam State { get; }
    /// <summary>The scene extent s: τ is in its units, so one learning rate suits ω (radians) and τ.</summary>
    public double TranslationScale { get; }

    private readonly RenderCamera[] _corrected;
    private readonly double[] _gradient = new double[Floats];
    // The dataset's poses: R₀, t₀, and for Recentre the centres' offsets pᵢ = Cᵢ − C̄ and the fit's
    // constants Σ|p|² and (Σ |p|²I − ppᵀ + εI)⁻¹; the per-view shifts are a buffer made once.
    private readonly Mat3[] _rotations;
    private readonly Vec3[] _translations, _offsets, _shifts;
    private readonly double _spread;
    private readonly Mat3 _inverseInertia;
    private readonly bool _removeCommonMotion;

    /// <summary>
    /// Corrections for <paramref name="cameras"/>, τ in units of <paramref name="translationScale"/>.
    /// <paramref name="removeCommonMotion"/>: take out what all cameras do together after each step
    /// (<see cref="Recentre"/>; training). Off for cameras aligned one by one to a fixed model
    /// (<see cref="Evaluation.TestPoseAlignment"/>), where the model holds the frame.
    /// </summary>
    public PoseCorrection(IReadOnlyList<RenderCamera> cameras, double translationScale, bool removeCommonMotion = true)
    {
        _removeCommonMotion = removeCommonMotion;
        if (cameras.Count < 1) throw new ArgumentOutOfRangeException(nameof(cameras));
        if (!(translationScale > 0)) throw new ArgumentOutOfRangeException(nameof(translationScale));
        // One corrected camera per view, its matrix rewritten in place (a step allocates nothing).
        _corrected = cameras.Select(c => c with { WorldToCamera = (float[])c.WorldToCamera.Clone() }).ToArray();
        TranslationScale = translationScale;
        State = new PerViewAdam(cameras.Count, Floats);
        int n = cameras.Count;
        _rotations = new Mat3[n];
        _translations = new Vec3[n];
        _offsets = new Vec3[n];
        _shifts = new Vec3[n];
        Vec3 mean = Vec3.Zero;
        for (int i = 0; i < n; i++)
        {
            float[] m = cameras[i].WorldToCamera;
            _rotations[i] = new Mat3(m[0], m[1], m[2], m[4], m[5], m[6], m[8], m[9], m[10]);
            _translations[i] = new Vec3(m[3], m[7], m[11]);
            _offsets[i] = -(_rotations[i].Transposed() * _translations[i]);   // Cᵢ
            mean += _offsets[i];
        }
        mean /= n;
        Mat3 inertia = default;
        for (int i = 0; i < n; i++)
        {
            Vec3 p = _offsets[i] -= mean;
            _spread += p.Dot(p);
            inertia += Mat3.Identity * p.Dot(p) - Mat3.Outer(p, p);
        }
        // Regularised so that centres on a line (a rotation about it cannot be told) give no turn about it.
        if (_spread > 1e-12) _inverseInertia = (inertia + Mat3.Identity * (1e-6 * _spread)).Inverse();
    }

    /// <summary>The gradient of the last <see cref="Backward"/>, dL/d(ω, τ) of its view.</summary>
    public ReadOnlySpan<double> Gradient => _gradient;

    /// <summary>View <paramref name="view"/>'s rotation vector ω and translation τ (scene-extent units).</summary>
    public (Vec3 Omega, Vec3 Tau) Correction(int view)
    {
        ReadOnlySpan<float> v = Values.AsSpan(view * Floats, Floats);
        return (new Vec3(v[0], v[1], v[2]), new Vec3(v[3], v[4], v[5]));
    }

    /// <summary>The corrected pose of view <paramref name="view"/>: R' = Exp(ω)R₀, t' = Exp(ω)(t₀ + s·τ).</summary>
    public (Mat3 Rotation, Vec3 Translation) Pose(int view)
    {
        var (omega, tau) = Correction(view);
        var (r0, t0) = Original(view);
        Mat3 turn = RotationVector.Exp(omega);
        return (turn * r0, turn * (t0 + tau * TranslationScale));
    }

    private (Mat3 Rotation, Vec3 Translation) Original(int view) => (_rotations[view], _translations[view]);

    /// <summary>View <paramref name="view"/>'s camera with its corrected pose (the same object each call, updated in place).</summary>
    public RenderCamera Camera(int view)
    {
        var (r, t) = Pose(view);
        float[] m = _corrected[view].WorldToCamera;
        for (int row = 0; row < 3; row++)
        {
            m[4 * row] = (float)r[row, 0];
            m[4 * row + 1] = (float)r[row, 1];
            m[4 * row + 2] = (float)r[row, 2];
            m[4 * row + 3] = (float)t[row];
        }
        return _corrected[view];
    }

    /// <summary>
    /// dL/d(ω, τ) of view <paramref name="view"/> from the Gaussians and the gradients of a backward
    /// pass through <see cref="Camera"/>(<paramref name="view"/>) (the class summary's sums).
    /// </summary>
    public void Backward(int view, GaussianSet gaussians, GaussianGradients grads)
    {
        var (omega, _) = Correction(view);
        var (r0, _) = Original(view);
        var (r, t) = Pose(view);
        Vec3 centre = -(r.Transposed() * t);
        var (s1, s2, direction, orientation) = Sums(gaussians, grads);
        Vec3 turn = s1 - centre.Cross(s2) - direction + orientation;
        Vec3 dOmega = RotationVector.LeftJacobian(omega).Transposed() * (r * turn);
        Vec3 dTau = r0 * s2 * TranslationScale;
        _gradient[0] = dOmega.X; _gradient[1] = dOmega.Y; _gradient[2] = dOmega.Z;
        _gradient[3] = dTau.X; _gradient[4] = dTau.Y; _gradient[5] = dTau.Z;
    }

    // Gaussians summed in float before a block's sums go into double; blocks are the kernel pool's
    // unit of work, and their sums are added in block order, so the result does not depend on the
    // number of workers.
    private const int Block = 4096, SumsPerBlock = 12;
    private double[] _blockSums = [];
    private Action<int>? _job;
    private int _nextBlock;
    // The pass in hand, read by the workers.
    private GaussianSet? _gaussians;
    private GaussianGradients? _grads;

    /// <summary>S₁ = Σ x × g, S₂ = Σ g, Σ (x − C') × d and Σ ρ (the class summary) over all Gaussians, on the kernel pool.</summary>
    private (Vec3 S1, Vec3 S2, Vec3 Direction, Vec3 Orientation) Sums(GaussianSet gaussians, GaussianGradients grads)
    {
        int blocks = (gaussians.Count + Block - 1) / Block;
        if (_blockSums.Length < blocks * SumsPerBlock) _blockSums = new double[blocks * SumsPerBlock];
        (_gaussians, _grads, _nextBlock) = (gaussians, grads, 0);
        KernelPool.Shared.Run(_job ??= Worker);
        (_gaussians, _grads) = (null, null);
        Span<double> total = stackalloc double[SumsPerBlock];
        total.Clear();
        for (int block = 0; block < blocks; block++)
            for (int k = 0; k < SumsPerBlock; k++) total[k] += _blockSums[block * SumsPerBlock + k];
        return (new Vec3(total[0], total[1], total[2]), new Vec3(total[3], total[4], total[5]),
                new Vec3(total[6], total[7], total[8]), new Vec3(total[9], total[10], total[11]));
    }

    private void Worker(int worker)
    {
        GaussianSet g = _gaussians!;
        GaussianGradients grads = _grads!;
        int count = g.Count, blocks = (count + Block - 1) / Block;
        for (int block = Interlocked.Increment(ref _nextBlock) - 1; block < blocks; block = Interlocked.Increment(ref _nextBlock) - 1)
        {
            int start = block * Block, end = Math.Min(count, start + Block);
            var (s1, s2) = PositionSums(g.Means, grads.Means, start, end);
            Vec3 direction = DirectionSum(g, grads, start, end);
            Vec3 orientation = OrientationSum(g.Rotations, grads.Rotations, start, end);
            Span<double> sums = _blockSums.AsSpan(block * SumsPerBlock, SumsPerBlock);
            sums[0] = s1.X; sums[1] = s1.Y; sums[2] = s1.Z; sums[3] = s2.X; sums[4] = s2.Y; sums[5] = s2.Z;
            sums[6] = direction.X; sums[7] = direction.Y; sums[8] = direction.Z;
            sums[9] = orientation.X; sums[10] = orientation.Y; sums[11] = orientation.Z;
        }
    }

    /// <summary>
    /// S₁ = Σ x_j × g_j and S₂ = Σ g_j over Gaussians [<paramref name="start"/>, <paramref name="end"/>),
    /// 8 at a time (the xyz rows deinterleaved by <see cref="Lanes.LoadTriples"/>), in float.
    /// </summary>
    internal static (Vec3 S1, Vec3 S2) PositionSums(ReadOnlySpan<float> means, ReadOnlySpan<float> gradients, int start, int end)
    {
        if (means.Length < 3 * end || gradients.Length < 3 * end) throw new ArgumentException("means and gradients need 3 floats per Gaussian");
        Vector256<float> crossX = default, crossY = default, crossZ = default, sumX = default, sumY = default, sumZ = default;
        for (int i = start; i < end; i += Lanes.Count)
        {
            int n = Math.Min(Lanes.Count, end - i);
            Vector256<int> ids = Lanes.Range(i, n);
            Lanes.LoadTriples(means, ids, out var x, out var y, out var z);
            Lanes.LoadTriples(gradients, ids, out var gx, out var gy, out var gz);
            Vector256<float> live = FirstLanes(n);
            (gx, gy, gz) = (gx & live, gy & live, gz & live);
            crossX += y * gz - z * gy;
            crossY += z * gx - x * gz;
            crossZ += x * gy - y * gx;
            sumX += gx; sumY += gy; sumZ += gz;
        }
        return (new Vec3(Vector256.Sum(crossX), Vector256.Sum(crossY), Vector256.Sum(crossZ)), new Vec3(Vector256.Sum(sumX), Vector256.Sum(sumY), Vector256.Sum(sumZ)));
    }

    /// <summary>
    /// Σ (x_j − C) × d_j over Gaussians [<paramref name="start"/>, <paramref name="end"/>), d_j = dL/dx_j
    /// through the SH view direction normalise(x_j − C) (C the backward pass's camera,
    /// <see cref="GaussianGradients.ShCamera"/>, so the directions are the pass's own), recomputed from its
    /// dL/dcolour (<see cref="GaussianGradients.ShColourGrad"/>, zero on clamped channels) by
    /// <see cref="SphericalHarmonics.Backward(ReadOnlySpan{float}, Vector256{int}, int, Vector256{float}, Vector256{float}, Vector256{float}, Vector256{float}, Vector256{float}, Vector256{float}, Vector256{int}, out Vector256{float}, out Vector256{float}, out Vector256{float}, out Vector256{float}, out Vector256{float}, out Vector256{float})"/>.
    /// Zero at SH degree 0. Batches whose colour gradients are all zero (culled Gaussians) are skipped.
    /// </summary>
    internal static Vec3 DirectionSum(GaussianSet gaussians, GaussianGradients grads, int start, int end)
    {
        int degree = Math.Min(grads.ActiveShDegree, gaussians.ShDegree);
        if (degree < 1) return Vec3.Zero;
        var (cx, cy, cz) = (Vector256.Create(grads.ShCamera.X), Vector256.Create(grads.ShCamera.Y), Vector256.Create(grads.ShCamera.Z));
        Vector256<float> crossX = default, crossY = default, crossZ = default;
        for (int i = start; i < end; i += Lanes.Count)
        {
            int n = Math.Min(Lanes.Count, end - i);
            Vector256<int> ids = Lanes.Range(i, n);
            Lanes.LoadTriples(grads.ShColourGrad, ids, out var dr, out var dg, out var db);
            Vector256<float> live = FirstLanes(n);
            (dr, dg, db) = (dr & live, dg & live, db & live);
            if ((dr | dg | db) == Vector256<float>.Zero) continue;
            Lanes.LoadTriples(gaussians.Means, ids, out var x, out var y, out var z);
            (x, y, z) = (x - cx, y - cy, z - cz);
            SphericalHarmonics.Backward(gaussians.Sh, ids * (3 * gaussians.ShCoefficients), degree, x, y, z, dr, dg, db, Vector256<int>.Zero,
                out _, out _, out _, out var dx, out var dy, out var dz);
            crossX += y * dz - z * dy;
            crossY += z * dx - x * dz;
            crossZ += x * dy - y * dx;
        }
        return new Vec3(Vector256.Sum(crossX), Vector256.Sum(crossY), Vector256.Sum(crossZ));
    }

    /// <summary>Σ ρ_j = Σ ½(w·G_u − G_w·u + u × G_u) over the quaternions q = (w, u) of Gaussians [<paramref name="start"/>, <paramref name="end"/>) and their gradients G.</summary>
    internal static Vec3 OrientationSum(ReadOnlySpan<float> rotations, ReadOnlySpan<float> gradients, int start, int end)
    {
        if (rotations.Length < 4 * end || gradients.Length < 4 * end) throw new ArgumentException("rotations and gradients need 4 floats per Gaussian");
        Vector256<float> sumX = default, sumY = default, sumZ = default;
        for (int i = start; i < end; i += Lanes.Count)
        {
            int n = Math.Min(Lanes.Count, end - i);
            Vector256<int> ids = Lanes.Range(i, n);
            Lanes.LoadQuads(rotations, ids * 4, out var w, out var x, out var y, out var z);
            Lanes.LoadQuads(gradients, ids * 4, out var gw, out var gx, out var gy, out var gz);
            Vector256<float> live = FirstLanes(n);
            (gw, gx, gy, gz) = (gw & live, gx & live, gy & live, gz & live);
            sumX += w * gx - gw * x + (y * gz - z * gy);
            sumY += w * gy - gw * y + (z * gx - x * gz);
            sumZ += w * gz - gw * z + (x * gy - y * gx);
        }
        return new Vec3(Vector256.Sum(sumX), Vector256.Sum(sumY), Vector256.Sum(sumZ)) * 0.5;
    }

    /// <summary>All-ones in the first <paramref name="n"/> lanes (Lanes.Range repeats the last id in the others).</summary>
    private static Vector256<float> FirstLanes(int n) => Vector256.LessThan(Vector256<int>.Indices, Vector256.Create(n)).AsSingle();

    /// <summary>
    /// An Adam step of view <paramref name="view"/>'s correction on the last <see cref="Backward"/>'s
    /// gradient, then (unless made without) the corrections' common motion taken out (<see cref="Recentre"/>).
    /// </summary>
    public void Step(int view, double learningRate)
    {
        State.Step(view, _gradient, learningRate);
        if (_removeCommonMotion) Recentre();
    }

    /// <summary>
    /// Takes out of the corrections what all cameras do together. Moving and turning every camera
    /// alike, or moving them all away from their centre, changes no photo's fit once the scene moves
    /// with them, so nothing in the loss holds it back, and training drifts there (measured with exact
    /// poses, 200² sample, 7,000 iterations: the cameras moved outward by 0.3 % of their distance on
    /// average, and the test views, rendered from the dataset's poses, lost 3.5 dB). The centre shifts
    /// δCᵢ = Cᵢ' − Cᵢ are fitted by a + λpᵢ + b × pᵢ (pᵢ = Cᵢ − C̄: a common translation, scale and
    /// rotation about the mean centre, least squares), and that motion is undone in every view:
    /// δCᵢ −= a + λpᵢ + b × pᵢ, and ωᵢ += Rᵢb (a world rotation b turns camera i by −Rᵢb, to first order).
    /// With fewer than 3 views, or centres too close to tell a rotation or scale, only what can be told is taken out.
    /// </summary>
    private void Recentre()
    {
        int n = Views;
        Span<Vec3> shift = _shifts;
        Vec3 meanShift = Vec3.Zero;
        for (int i = 0; i < n; i++)
        {
            var (_, tau) = Correction(i);
            shift[i] = -(_rotations[i].Transposed() * tau) * TranslationScale;   // δCᵢ = −s R₀ᵀτ
            meanShift += shift[i];
        }
        meanShift /= n;
        double along = 0;
        Vec3 torque = Vec3.Zero;
        for (int i = 0; i < n; i++)
        {
            Vec3 p = _offsets[i], rest = shift[i] - meanShift;
            along += p.Dot(rest);
            torque += p.Cross(rest);
        }
        double scale = _spread > 1e-12 ? along / _spread : 0;
        Vec3 turn = _spread > 1e-12 ? _inverseInertia * torque : Vec3.Zero;   // b = (Σ |p|²I − ppᵀ)⁻¹ Σ p × r
        for (int i = 0; i < n; i++)
        {
            Mat3 r0 = _rotations[i];
            Vec3 common = meanShift + _offsets[i] * scale + turn.Cross(_offsets[i]);
            // τ = −R₀ δC / s; the view's δC loses the common motion.
            Vec3 tauFix = r0 * common / TranslationScale;
            Vec3 omegaFix = r0 * turn;
            Span<float> v = State.Of(i);
            v[0] += (float)omegaFix.X; v[1] += (float)omegaFix.Y; v[2] += (float)omegaFix.Z;
            v[3] += (float)tauFix.X; v[4] += (float)tauFix.Y; v[5] += (float)tauFix.Z;
        }
    }
}
