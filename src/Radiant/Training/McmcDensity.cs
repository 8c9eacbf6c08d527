using System.Runtime.Intrinsics;
using Radiant.Mathematics;
using Radiant.Model;
using Radiant.Rendering;

namespace Radiant.Training;

/// <summary>
/// Density control of 3DGS as Markov chain Monte Carlo (Kheradmand et al. 2024, "3D Gaussian
/// Splatting as Markov Chain Monte Carlo"; gsplat's MCMCStrategy), the alternative to clone, split,
/// prune and opacity reset (<see cref="DensityControl"/>), chosen with <c>--strategy mcmc</c>:
/// <list type="bullet">
/// <item>every <see cref="TrainingOptions.DensifyInterval"/> iterations (after DensifyFrom, before
/// DensifyUntil), dead Gaussians (opacity as rendered, with Mip-Splatting's 3D filter, ≤ <see cref="TrainingOptions.PruneOpacity"/>) are moved onto
/// live ones drawn in proportion to opacity, and then 5 % more Gaussians are added the same way, up
/// to the cap <see cref="TrainingOptions.MaxGaussians"/>; a Gaussian drawn k times becomes N = k + 1
/// copies whose opacity and scale keep its rendered footprint (<see cref="Relocation"/>, the paper's eq. 9);</item>
/// <item>every iteration, after the optimiser's step, positions get Gaussian noise shaped by each
/// Gaussian's covariance and gated to the nearly transparent ones (<see cref="InjectNoise"/>, §4.2);</item>
/// <item>the loss gains L1 regularisers on opacity and scale (<see cref="AddRegularizerGradients"/>).</item>
/// </list>
/// A run starts with opacity 0.5 and a tenth of the reference's scales (<see cref="PrepareInitial"/>,
/// gsplat's MCMC preset). The Gaussian count only grows, so time and memory per step are bounded by the cap.
/// </summary>
public sealed class McmcDensity
{
    /// <summary>Growth per refinement: the count becomes min(cap, ⌊1.05·N⌋).</summary>
    public const double GrowthRate = 1.05;
    /// <summary>The cap when none is given (gsplat's cap_max).</summary>
    public const int DefaultCap = 1_000_000;
    /// <summary>Refinement stops at this iteration when none is given (gsplat's refine_stop_iter).</summary>
    public const int DefaultRefineUntil = 25_000;
    /// <summary>The starting opacity and scale factor of gsplat's MCMC preset.</summary>
    public const float InitialOpacity = 0.5f, InitialScaleFactor = 0.1f;
    /// <summary>The noise gate σ(−k(o − x0)) on opacity o (the paper's op_sigmoid(1 − o), k = 100, x0 = 0.995): about 1 below 0.005, 0.5 at it.</summary>
    private const float GateSteepness = 100f, GateOpacity = 0.005f;
    /// <summary>Above this opacity the gate is below 4e-9 and the noise is skipped (it would not move a float position).</summary>
    private static readonly float NoiselessLogit = GaussianSet.Logit(0.2f);

    private readonly Action<int> _noiseJob;
    private GaussianSet? _noiseSet;
    private float _noiseScale;
    private ulong _noiseKey;
    private int _nextChunk, _chunks;

    public McmcDensity() => _noiseJob = NoiseWorker;

    /// <summary>Starting opacity 0.5 and scales ×0.1 (gsplat's MCMC preset: init_opa 0.5, init_scale 0.1).</summary>
    public static void PrepareInitial(GaussianSet g)
    {
        Array.Fill(g.OpacityLogits, GaussianSet.Logit(InitialOpacity), 0, g.Count);
        float logFactor = MathF.Log(InitialScaleFactor);
        for (int k = 0; k < 3 * g.Count; k++) g.LogScales[k] += logFactor;
    }

    /// <summary>
    /// Opacity and scale factor of each of N copies of a Gaussian of opacity o (the paper's eq. 9):
    /// o′ = 1 − (1 − o)^(1/N), so that N copies composited on one another let as much light through as
    /// the original, and scale × o / D with D = Σᵢ₌₁..N Σₖ₌₀..ᵢ₋₁ C(i−1, k)(−1)ᵏ o′ᵏ⁺¹/√(k+1), which keeps
    /// the copies' summed opacity along the centre line equal to the original's. The alternating sum
    /// loses precision as N grows, so for N &gt; 8 D is taken in its equivalent form (1/√(k+1) written as an
    /// integral and the sums done in closed form): D = (2/√π) ∫₀^∞ 1 − (1 − o′e^(−u²))ᴺ du. N = 1 is the identity.
    /// </summary>
    public static (double Opacity, double ScaleFactor) Relocation(double opacity, int copies)
    {
        if (copies < 1) throw new ArgumentOutOfRangeException(nameof(copies));
        if (copies == 1 || opacity <= 0) return (opacity, 1);
        double split = 1 - Math.Pow(1 - opacity, 1.0 / copies);
        double d = copies <= 8 ? AlternatingSum(split, copies) : CentreLineIntegral(split, copies);
        return (split, opacity / d);
    }

    /// <summary>D of <see cref="Relocation"/> as the paper writes it: Σᵢ₌₁..N Σₖ₌₀..ᵢ₋₁ C(i−1, k)(−1)ᵏ o′ᵏ⁺¹/√(k+1).</summary>
    internal static double AlternatingSum(double split, int copies)
    {
        double sum = 0;
        for (int i = 1; i <= copies; i++)
        {
            double binomial = 1, power = split;   // C(i−1, k) and o′^(k+1) at k = 0
            for (int k = 0; k < i; k++)
            {
                sum += (k % 2 == 0 ? 1 : -1) * binomial * power / Math.Sqrt(k + 1);
                binomial = binomial * (i - 1 - k) / (k + 1);
                power *= split;
            }
        }
        return sum;
    }

    /// <summary>
    /// D of <see cref="Relocation"/> as (2/√π) ∫₀^∞ 1 − (1 − o′e^(−u²))ᴺ du, by the trapezoid rule with step
    /// 1/16 up to u = 8 (the integrand is even and smooth, so the rule converges faster than any power of the step).
    /// </summary>
    internal static double CentreLineIntegral(double split, int copies)
    {
        const double step = 1.0 / 16, end = 8;
        double sum = 0.5 * (1 - Math.Pow(1 - split, copies));   // u = 0, half weight
        for (double u = step; u <= end; u += step) sum += 1 - Math.Pow(1 - split * Math.Exp(-u * u), copies);
        return 2 / Math.Sqrt(Math.PI) * sum * step;
    }

    /// <summary>
    /// One refinement: relocates the dead Gaussians, then adds min(cap, ⌊1.05·N⌋) − N new ones, both
    /// drawn from the live Gaussians in proportion to opacity (dead and live, and the draws, by the
    /// opacity as rendered, <see cref="RenderedOpacities"/>; eq. 9 splits the opacity parameter); the optimiser state of every Gaussian
    /// that was moved, copied or drawn is zeroed (new rows start at zero). Keeps Morton order. Returns
    /// (relocated, added).
    /// </summary>
    public static (int Relocated, int Added) Refine(GaussianSet g, Adam adam, TrainingOptions o, Rng rng)
    {
        int n = g.Count;
        var reset = new bool[n];
        float[] rendered = RenderedOpacities(g);

        // Relocation: each dead Gaussian takes the place of a copy of a live one.
        var dead = new List<int>();
        var alive = new List<int>();
        for (int i = 0; i < n; i++) (rendered[i] <= o.PruneOpacity ? dead : alive).Add(i);
        int relocated = 0;
        if (dead.Count > 0 && alive.Count > 0)
        {
            int[] sources = Draw(rendered, alive, dead.Count, rng);
            Split(g, sources, reset, o.PruneOpacity);
            for (int j = 0; j < dead.Count; j++)
            {
                DensityControl.CopyRow(g, sources[j], g, dead[j]);
                reset[dead[j]] = true;
            }
            relocated = dead.Count;
        }

        // Growth: new copies of Gaussians drawn from all of them (the dead ones now hold copies).
        int target = (int)Math.Min(o.MaxGaussians, Math.Floor(GrowthRate * n));
        int added = Math.Max(0, target - n);
        var extra = new GaussianSet(added, g.ShDegree);
        if (added > 0)
        {
            int[] sources = Draw(rendered, null, added, rng);
            Split(g, sources, reset, o.PruneOpacity);
            for (int j = 0; j < added; j++) DensityControl.CopyRow(g, sources[j], extra, j);
        }

        foreach (var group in adam.Groups) group.ResetState(reset);
        DensityControl.RebuildInMortonOrder(g, adam, keep: null, extra);
        return (relocated, added);
    }

    /// <summary>
    /// Each Gaussian's opacity as rendered: sigmoid(logit) times the 3D smoothing filter's factor
    /// (<see cref="SmoothingFilter.OpacityFactor"/>; 1 without the filter). With the filter a small
    /// Gaussian renders much fainter than its opacity parameter, so the dead test and the draws go by
    /// this (on the 200² sample, 7k iterations, cap 55,000: 32.54 → 32.90 dB; a first version of the
    /// rule, in float, at seed 1: 32.42 → 32.76 dB).
    /// </summary>
    private static float[] RenderedOpacities(GaussianSet g)
    {
        var rendered = new float[g.Count];
        for (int i = 0; i < rendered.Length; i++) rendered[i] = GaussianSet.Sigmoid(g.OpacityLogits[i]) * SmoothingFilter.OpacityFactor(g, i);
        return rendered;
    }

    /// <summary>
    /// <paramref name="count"/> indices drawn with replacement from <paramref name="candidates"/> (null:
    /// every Gaussian) with probability ∝ rendered opacity.
    /// </summary>
    private static int[] Draw(float[] rendered, List<int>? candidates, int count, Rng rng)
    {
        int m = candidates?.Count ?? rendered.Length;
        var cumulative = new double[m];
        double total = 0;
        for (int j = 0; j < m; j++) cumulative[j] = total += rendered[candidates?[j] ?? j];
        var drawn = new int[count];
        for (int j = 0; j < count; j++)
        {
            int at = Array.BinarySearch(cumulative, rng.NextDouble() * total);
            if (at < 0) at = ~at;
            at = Math.Min(at, m - 1);
            drawn[j] = candidates?[at] ?? at;
        }
        return drawn;
    }

    /// <summary>
    /// Gives each drawn Gaussian, drawn k times, the opacity and scale of one of its k + 1 copies
    /// (<see cref="Relocation"/>; opacity clamped to [<paramref name="minOpacity"/>, 1 − 2⁻²³] as the
    /// reference does) and flags it for an optimiser reset.
    /// </summary>
    private static void Split(GaussianSet g, int[] sources, bool[] reset, double minOpacity)
    {
        var draws = new Dictionary<int, int>();
        foreach (int s in sources) draws[s] = draws.GetValueOrDefault(s) + 1;
        foreach ((int i, int k) in draws)
        {
            (double opacity, double scale) = Relocation(GaussianSet.Sigmoid(g.OpacityLogits[i]), k + 1);
            g.OpacityLogits[i] = GaussianSet.Logit((float)Math.Clamp(opacity, minOpacity, 1 - 1.0 / (1 << 23)));
            float logScale = (float)Math.Log(scale);
            for (int a = 0; a < 3; a++) g.LogScales[3 * i + a] += logScale;
            reset[i] = true;
        }
    }

    /// <summary>
    /// Adds the gradients of the regularisers λo·mean(sigmoid(opacity logit)) + λs·mean(exp(log scale))
    /// (the means over Gaussians and over their 3 scales, as the reference's torch means):
    /// λo/N·σ(1 − σ) per opacity logit and λs/(3N)·exp(s) per log scale.
    /// </summary>
    public static void AddRegularizerGradients(GaussianSet g, GaussianGradients grads, float opacityReg, float scaleReg)
    {
        int n = g.Count;
        if (n == 0) return;
        Span<float> logits = g.OpacityLogits.AsSpan(0, n), dLogits = grads.OpacityLogits.AsSpan(0, n);
        Span<float> logScales = g.LogScales.AsSpan(0, 3 * n), dLogScales = grads.LogScales.AsSpan(0, 3 * n);
        var kOpacity = Vector256.Create(opacityReg / n);
        var kScale = Vector256.Create(scaleReg / (3f * n));
        int i = 0;
        // σ(1 − σ) = e/(1 + e)² with e = exp(−l) (0 where e overflows: e/∞).
        for (; i + 8 <= n; i += 8)
        {
            Vector256<float> e = SimdExp.Exp(-Vector256.Create<float>(logits[i..]));
            Vector256<float> onePlus = Vector256<float>.One + e;
            (Vector256.Create<float>(dLogits[i..]) + kOpacity * e / (onePlus * onePlus)).CopyTo(dLogits[i..]);
        }
        for (; i < n; i++)
        {
            float s = GaussianSet.Sigmoid(logits[i]);
            dLogits[i] += opacityReg / n * s * (1 - s);
        }
        int k = 0;
        for (; k + 8 <= 3 * n; k += 8)
            (Vector256.Create<float>(dLogScales[k..]) + kScale * SimdExp.Exp(Vector256.Create<float>(logScales[k..]))).CopyTo(dLogScales[k..]);
        for (; k < 3 * n; k++) dLogScales[k] += scaleReg / (3f * n) * MathF.Exp(logScales[k]);
    }

    /// <summary>
    /// The paper's noise step (§4.2): μ ← μ + σ(−100(o − 0.005))·<paramref name="scale"/>·Σ·ε with
    /// ε ~ N(0, I), Σ = R·S²·Rᵀ the Gaussian's covariance and <paramref name="scale"/> = noise_lr × the
    /// current position learning rate. ε comes from a counter-based generator keyed by
    /// (<paramref name="key"/>, Gaussian index), so the result does not depend on how the work is
    /// split over the cores. Gaussians of opacity above 0.2 (gate below 4e-9) are left as they are.
    /// </summary>
    public void InjectNoise(GaussianSet g, float scale, ulong key)
    {
        _noiseSet = g; _noiseScale = scale; _noiseKey = key;
        _chunks = 8 * KernelPool.Shared.Workers;
        _nextChunk = 0;
        try { KernelPool.Shared.Run(_noiseJob); }
        finally { _noiseSet = null; }
    }

    private void NoiseWorker(int worker)
    {
        GaussianSet g = _noiseSet!;
        int n = g.Count;
        while (true)
        {
            int chunk = Interlocked.Increment(ref _nextChunk) - 1;
            if (chunk >= _chunks) return;
            // Chunks start on multiples of 8, the block size.
            int start = (int)((long)n * chunk / _chunks) & ~7, end = chunk + 1 == _chunks ? n : (int)((long)n * (chunk + 1) / _chunks) & ~7;
            for (int i = start; i < end; i += Block) NoiseBlock(g, i, Math.Min(Block, end - i), _noiseScale, _noiseKey);
        }
    }

    private const int Block = 8;

    /// <summary>
    /// μᵢ += gateᵢ·amount·R·S²·Rᵀ·ε for the <paramref name="count"/> (≤ 8) Gaussians from
    /// <paramref name="first"/>, one per lane (a lane past the end, or above the opacity of
    /// <see cref="NoiselessLogit"/>, is left alone). ε is three standard normals by Box–Muller from two
    /// 64-bit draws of SplitMix64 keyed by (<paramref name="key"/>, Gaussian index); R is the rotation
    /// of the (unnormalised) quaternion, S² = exp(2·log scale).
    /// </summary>
    private static void NoiseBlock(GaussianSet g, int first, int count, float amount, ulong key)
    {
        Span<float> lane = stackalloc float[12 * Block];
        Span<float> logit = lane[..8], w = lane[8..16], x = lane[16..24], y = lane[24..32], z = lane[32..40];
        Span<float> s0 = lane[40..48], s1 = lane[48..56], s2 = lane[56..64], u1 = lane[64..72], u2 = lane[72..80], u3 = lane[80..88], u4 = lane[88..96];
        lane.Clear();
        logit.Fill(float.PositiveInfinity);
        g.OpacityLogits.AsSpan(first, count).CopyTo(logit);
        var logits = Vector256.Create<float>(logit);
        Vector256<float> moving = Vector256.LessThanOrEqual(logits, Vector256.Create(NoiselessLogit));
        if (moving.ExtractMostSignificantBits() == 0) return;

        for (int k = 0; k < count; k++)
        {
            int i = first + k;
            w[k] = g.Rotations[4 * i]; x[k] = g.Rotations[4 * i + 1]; y[k] = g.Rotations[4 * i + 2]; z[k] = g.Rotations[4 * i + 3];
            s0[k] = g.LogScales[3 * i]; s1[k] = g.LogScales[3 * i + 1]; s2[k] = g.LogScales[3 * i + 2];
            ulong state = key ^ ((ulong)i * 0xD1B54A32D192ED03UL);
            ulong a = Rng.SplitMix(ref state), b = Rng.SplitMix(ref state);
            u1[k] = ((a >> 40) + 1) * (1f / (1 << 24));         // (0, 1]: the radius' uniform
            u2[k] = ((a >> 16) & 0xFFFFFF) * (1f / (1 << 24));   // [0, 1): the angle's
            u3[k] = ((b >> 40) + 1) * (1f / (1 << 24));
            u4[k] = ((b >> 16) & 0xFFFFFF) * (1f / (1 << 24));
        }
        // Gate σ(−100(o − 0.005)) on opacity o = σ(logit), times the step size.
        Vector256<float> opacity = Vector256<float>.One / (Vector256<float>.One + SimdExp.Exp(-logits));
        Vector256<float> gate = Vector256<float>.One / (Vector256<float>.One + SimdExp.Exp(Vector256.Create(GateSteepness) * (opacity - Vector256.Create(GateOpacity))));
        Vector256<float> scale = Vector256.ConditionalSelect(moving, gate * Vector256.Create(amount), Vector256<float>.Zero);

        // ε: the pair (e0, e1) from (u1, u2), e2 from (u3, u4).
        Vector256<float> minusTwo = Vector256.Create(-2f), turn = Vector256.Create(2 * MathF.PI);
        Vector256<float> radius = Vector256.Sqrt(minusTwo * Vector256.Log(Vector256.Create<float>(u1)));
        (Vector256<float> sin, Vector256<float> cos) = Vector256.SinCos(turn * Vector256.Create<float>(u2));
        Vector256<float> e0 = radius * cos, e1 = radius * sin;
        Vector256<float> e2 = Vector256.Sqrt(minusTwo * Vector256.Log(Vector256.Create<float>(u3))) * Vector256.Cos(turn * Vector256.Create<float>(u4));

        // R of the quaternion divided by its squared norm (as Mat3.FromQuaternion, without the square root).
        Vector256<float> qw = Vector256.Create<float>(w), qx = Vector256.Create<float>(x), qy = Vector256.Create<float>(y), qz = Vector256.Create<float>(z);
        Vector256<float> norm2 = qw * qw + qx * qx + qy * qy + qz * qz;
        // A zero or non-finite quaternion (the renderer skips such a Gaussian too) gets no noise.
        scale = Vector256.ConditionalSelect(Vector256.GreaterThan(norm2, Vector256<float>.Zero) & Vector256.LessThan(norm2, Vector256.Create(float.PositiveInfinity)), scale, Vector256<float>.Zero);
        Vector256<float> k2 = Vector256.Create(2f) / norm2, one = Vector256<float>.One;
        Vector256<float> r00 = one - k2 * (qy * qy + qz * qz), r01 = k2 * (qx * qy - qw * qz), r02 = k2 * (qx * qz + qw * qy);
        Vector256<float> r10 = k2 * (qx * qy + qw * qz), r11 = one - k2 * (qx * qx + qz * qz), r12 = k2 * (qy * qz - qw * qx);
        Vector256<float> r20 = k2 * (qx * qz - qw * qy), r21 = k2 * (qy * qz + qw * qx), r22 = one - k2 * (qx * qx + qy * qy);
        // Rᵀε, scaled by the variances, rotated back.
        Vector256<float> two = Vector256.Create(2f);
        Vector256<float> lx = (r00 * e0 + r10 * e1 + r20 * e2) * SimdExp.Exp(two * Vector256.Create<float>(s0));
        Vector256<float> ly = (r01 * e0 + r11 * e1 + r21 * e2) * SimdExp.Exp(two * Vector256.Create<float>(s1));
        Vector256<float> lz = (r02 * e0 + r12 * e1 + r22 * e2) * SimdExp.Exp(two * Vector256.Create<float>(s2));
        Vector256<float> dx = scale * (r00 * lx + r01 * ly + r02 * lz), dy = scale * (r10 * lx + r11 * ly + r12 * lz), dz = scale * (r20 * lx + r21 * ly + r22 * lz);
        for (int k = 0; k < count; k++)
        {
            if (scale[k] == 0) continue;
            int i = first + k;
            g.Means[3 * i] += dx[k];
            g.Means[3 * i + 1] += dy[k];
            g.Means[3 * i + 2] += dz[k];
        }
    }
}
