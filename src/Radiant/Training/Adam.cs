using System.Runtime.CompilerServices;
using Radiant.Mathematics;
using Radiant.Rendering;

namespace Radiant.Training;

/// <summary>
/// Adam (Kingma &amp; Ba 2015) with the exact update of torch.optim.Adam (no weight decay, no AMSGrad),
/// over parameter groups; defaults β1 = 0.9, β2 = 0.999, ε = 1e-15 as the reference 3DGS. Per group
/// and step t (counted per group, as torch counts per tensor):
/// <code>
///   m ← m + (1 − β1)·(g − m)                 (β1·m + (1 − β1)·g)
///   v ← β2·v + (1 − β2)·g²
///   p ← p − lr/(1 − β1ᵗ) · m / (√v / √(1 − β2ᵗ) + ε)
/// </code>
/// The per-group state follows the rows of the parameter arrays through densification
/// (<see cref="Rebuild"/>, the counterpart of GaussianSet.Rebuild) and can be reset per row.
/// </summary>
public sealed class Adam
{
    private readonly List<AdamGroup> _groups = [];

    // Kept in double as torch keeps them in Python floats: 1 − β2 is then 0.001, not 1 − (double)0.999f.
    public double Beta1 { get; }
    public double Beta2 { get; }
    public double Epsilon { get; }
    public IReadOnlyList<AdamGroup> Groups => _groups;

    public Adam(double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-15)
    {
        if (!(beta1 is >= 0 and < 1)) throw new ArgumentOutOfRangeException(nameof(beta1));
        if (!(beta2 is >= 0 and < 1)) throw new ArgumentOutOfRangeException(nameof(beta2));
        if (!(epsilon >= 0)) throw new ArgumentOutOfRangeException(nameof(epsilon));
        Beta1 = beta1; Beta2 = beta2; Epsilon = epsilon;
    }

    /// <summary>
    /// Adds a group optimising <paramref name="values"/> in place: rows of <paramref name="stride"/> floats,
    /// learning rate <paramref name="learningRate"/>, times <paramref name="columnScale"/>[j] for column j
    /// of every row when given (e.g. the reference's SH rest at lr/20 next to the DC term in one array).
    /// </summary>
    public AdamGroup AddGroup(string name, float[] values, int stride, float learningRate, float[]? columnScale = null)
    {
        if (_groups.Any(g => g.Name == name)) throw new ArgumentException($"group '{name}' already exists");
        var group = new AdamGroup(this, name, values, stride, learningRate, columnScale);
        _groups.Add(group);
        return group;
    }

    public AdamGroup this[string name]
    {
        get
        {
            foreach (AdamGroup g in _groups) if (g.Name == name) return g;   // (no lambda: looked up every step)
            throw new KeyNotFoundException($"no Adam group '{name}'");
        }
    }

    /// <summary>One step of every group, with one gradient array per group, in the order of <see cref="Groups"/>.</summary>
    public void Step(IReadOnlyList<float[]> gradients)
    {
        if (gradients.Count != _groups.Count) throw new ArgumentException($"{gradients.Count} gradients for {_groups.Count} groups");
        for (int i = 0; i < _groups.Count; i++) _groups[i].Step(gradients[i]);
    }

    /// <summary>
    /// Follows a GaussianSet.Rebuild from a row map: for each named array (e.g. <c>set.Parameters()</c>
    /// after the rebuild) row r of its group's state is the old state of row rows[r], or zero for an
    /// appended row (rows[r] &lt; 0), and the group binds to the new array. Groups not named are left alone.
    /// </summary>
    public void Rebuild(ReadOnlySpan<int> rows, IEnumerable<(string Name, float[] Values, int Stride)> parameters)
    {
        foreach (var (name, values, stride) in parameters)
        {
            AdamGroup group = this[name];
            if (group.Stride != stride) throw new ArgumentException($"group '{name}' has stride {group.Stride}, not {stride}");
            group.Rebuild(rows, values);
        }
    }
}

/// <summary>
/// A gradient produced one row at a time (for <see cref="AdamGroup.Step{TRows}"/>): rows may be
/// asked for in any order and from several threads at once.
/// </summary>
public interface IRowGradient
{
    /// <summary>
    /// Writes the gradients of rows [<paramref name="first"/>, first + <paramref name="count"/>)
    /// (count ≤ <see cref="AdamGroup.RowBlock"/>), each the group's stride of floats, one after another into <paramref name="gradient"/>.
    /// </summary>
    void Rows(int first, int count, Span<float> gradient);
}

/// <summary>
/// One parameter array under <see cref="Adam"/>, with its state: first and second moments m, v
/// (torch's exp_avg, exp_avg_sq; same layout as the values) and the step count. The state arrays
/// are exposed for checkpoints.
/// </summary>
public sealed unsafe class AdamGroup
{
    /// <summary>Arrays at least this long are updated on all cores.</summary>
    private const int ParallelThreshold = 1 << 16;

    private readonly Adam _owner;
    private readonly float[]? _columnScale;
    private readonly float[] _columnStep = [];

    public string Name { get; }
    public int Stride { get; }
    public float[] Values { get; private set; }
    public int Rows => Values.Length / Stride;
    /// <summary>Learning rate of the next step (change it between steps to follow a schedule).</summary>
    public float LearningRate { get; set; }
    /// <summary>Per-column learning-rate multipliers (length <see cref="Stride"/>), or null.</summary>
    public ReadOnlySpan<float> ColumnScale => _columnScale;
    /// <summary>m, torch's exp_avg.</summary>
    public float[] FirstMoment { get; private set; }
    /// <summary>v, torch's exp_avg_sq.</summary>
    public float[] SecondMoment { get; private set; }
    /// <summary>Steps taken (the t of the bias corrections); kept through Rebuild and state resets, as the reference does.</summary>
    public long StepCount { get; set; }

    internal SimdWidth Simd { get; set; } = FloatVector.Best;

    internal AdamGroup(Adam owner, string name, float[] values, int stride, float learningRate, float[]? columnScale)
    {
        if (stride <= 0) throw new ArgumentOutOfRangeException(nameof(stride));
        if (values.Length % stride != 0) throw new ArgumentException($"{values.Length} values are not rows of {stride}");
        if (columnScale is not null && columnScale.Length != stride) throw new ArgumentException("column scale length differs from the stride");
        _owner = owner;
        Name = name;
        Values = values;
        Stride = stride;
        LearningRate = learningRate;
        _columnScale = columnScale is null ? null : (float[])columnScale.Clone();
        if (columnScale is not null) _columnStep = new float[stride];
        FirstMoment = new float[values.Length];
        SecondMoment = new float[values.Length];
    }

    /// <summary>One Adam step with the gradient of the loss with respect to <see cref="Values"/> (same length).</summary>
    public void Step(ReadOnlySpan<float> gradient)
    {
        if (gradient.Length != Values.Length) throw new ArgumentException($"gradient of {gradient.Length} floats for {Values.Length} values");
        StepConstants k = BeginStep();
        fixed (float* p = Values, g = gradient, m = FirstMoment, v = SecondMoment, cs = _columnStep)
        {
            var span = new StepSpan { P = p, G = g, M = m, V = v, ColumnStep = _columnScale is null ? null : cs, Stride = Stride, K = k };
            int rows = Rows;
            if (Values.Length < ParallelThreshold || KernelPool.Shared.Workers == 1)
            {
                Run(span, 0, rows);
                return;
            }
            BeginParallel(span, rows);
            KernelPool.Shared.Run(_flatJob ??= FlatWorker);
        }
    }

    /// <summary>
    /// Fused step: the same update as <see cref="Step(ReadOnlySpan{float})"/> on the gradient that
    /// <paramref name="rows"/> produces one row at a time into a small buffer, so a gradient kept in
    /// a compact form (e.g. the rank-one SH gradient) is never stored in full.
    /// </summary>
    public void Step<TRows>(TRows rows) where TRows : struct, IRowGradient
    {
        StepConstants k = BeginStep();
        fixed (float* p = Values, m = FirstMoment, v = SecondMoment, cs = _columnStep)
        {
            var span = new StepSpan { P = p, G = null, M = m, V = v, ColumnStep = _columnScale is null ? null : cs, Stride = Stride, K = k };
            int count = Rows;
            if (Values.Length < ParallelThreshold || KernelPool.Shared.Workers == 1)
            {
                RunRows(span, rows, 0, count);
                return;
            }
            BeginParallel(span, count);
            var job = _rowsJob as RowsJob<TRows> ?? (RowsJob<TRows>)(_rowsJob = new RowsJob<TRows>(this));
            job.Rows = rows;
            try { KernelPool.Shared.Run(job.Work); }
            finally { job.Rows = default; }   // (the gradient source is not kept alive between steps)
        }
    }

    // A step of a large group runs on the kernel workers (the renderer's threads, idle between
    // passes), 4 chunks of rows per worker taken from a shared counter: unlike Parallel.For, this
    // allocates nothing per step. The step's pinned arrays are valid while the synchronous Run lasts.
    private StepSpan _parallelSpan;
    private int _parallelRows, _chunks, _nextChunk;
    private Action<int>? _flatJob;
    private object? _rowsJob;

    private void BeginParallel(in StepSpan span, int rows)
    {
        _parallelSpan = span;
        _parallelRows = rows;
        _chunks = 4 * KernelPool.Shared.Workers;
        _nextChunk = 0;
    }

    /// <summary>The next chunk of rows [first, end), false when none is left.</summary>
    private bool NextChunk(out int first, out int end)
    {
        int c = Interlocked.Increment(ref _nextChunk) - 1;
        first = (int)((long)_parallelRows * c / _chunks);
        end = (int)((long)_parallelRows * (c + 1) / _chunks);
        return c < _chunks;
    }

    private void FlatWorker(int worker)
    {
        while (NextChunk(out int first, out int end)) Run(_parallelSpan, first, end);
    }

    /// <summary>The row-gradient step's job for one gradient type, made once per group and type.</summary>
    private sealed class RowsJob<TRows> where TRows : struct, IRowGradient
    {
        private readonly AdamGroup _group;
        public TRows Rows;
        public readonly Action<int> Work;

        public RowsJob(AdamGroup group)
        {
            _group = group;
            Work = Worker;
        }

        private void Worker(int worker)
        {
            while (_group.NextChunk(out int first, out int end)) _group.RunRows(_group._parallelSpan, Rows, first, end);
        }
    }

    /// <summary>Counts the step and returns its constants (and the per-column step sizes in _columnStep).</summary>
    private StepConstants BeginStep()
    {
        StepCount++;
        // Bias corrections in double, as torch computes them in Python floats.
        double bias1 = 1 - Math.Pow(_owner.Beta1, StepCount);
        double bias2Sqrt = Math.Sqrt(1 - Math.Pow(_owner.Beta2, StepCount));
        if (_columnScale is not null)
            for (int j = 0; j < Stride; j++) _columnStep[j] = (float)(LearningRate * (double)_columnScale[j] / bias1);
        return new StepConstants
        {
            OneMinusBeta1 = (float)(1 - _owner.Beta1),
            Beta2 = (float)_owner.Beta2,
            OneMinusBeta2 = (float)(1 - _owner.Beta2),
            Bias2Sqrt = (float)bias2Sqrt,
            Epsilon = (float)_owner.Epsilon,
            StepSize = (float)(LearningRate / bias1),
        };
    }

    private void Run(in StepSpan s, int firstRow, int endRow)
    {
        switch (Simd)
        {
            case SimdWidth.V512: Run<F512>(s, firstRow, endRow); break;
            case SimdWidth.V256: Run<F256>(s, firstRow, endRow); break;
            case SimdWidth.V128: Run<F128>(s, firstRow, endRow); break;
            default: Run<F1>(s, firstRow, endRow); break;
        }
    }

    private static void Run<TV>(in StepSpan s, int firstRow, int endRow) where TV : unmanaged, IFloatVector<TV>
    {
        if (s.ColumnStep is null)
        {
            // One learning rate: the rows are one flat run.
            long start = (long)firstRow * s.Stride;
            int n = (endRow - firstRow) * s.Stride;
            float* p = s.P + start, g = s.G + start, m = s.M + start, v = s.V + start;
            int i = Update<TV>(s.K, p, g, m, v, null, 0, n);
            Update<F1>(s.K, p, g, m, v, null, i, n);
            return;
        }
        for (long r = firstRow; r < endRow; r++)
        {
            long o = r * s.Stride;
            int i = Update<TV>(s.K, s.P + o, s.G + o, s.M + o, s.V + o, s.ColumnStep, 0, s.Stride);
            Update<F1>(s.K, s.P + o, s.G + o, s.M + o, s.V + o, s.ColumnStep, i, s.Stride);
        }
    }

    private void RunRows<TRows>(in StepSpan s, TRows rows, int firstRow, int endRow) where TRows : struct, IRowGradient
    {
        switch (Simd)
        {
            case SimdWidth.V512: RunRows<F512, TRows>(s, rows, firstRow, endRow); break;
            case SimdWidth.V256: RunRows<F256, TRows>(s, rows, firstRow, endRow); break;
            case SimdWidth.V128: RunRows<F128, TRows>(s, rows, firstRow, endRow); break;
            default: RunRows<F1, TRows>(s, rows, firstRow, endRow); break;
        }
    }

    /// <summary>
    /// A block of rows at a time: their gradients into a buffer, then the Adam update of each row
    /// (same kernel as <see cref="Run{TV}"/>).
    /// </summary>
    private static void RunRows<TV, TRows>(in StepSpan s, TRows rows, int firstRow, int endRow)
        where TV : unmanaged, IFloatVector<TV> where TRows : struct, IRowGradient
    {
        int blockFloats = RowBlock * s.Stride;
        float[]? heap = blockFloats > MaxStackFloats ? new float[blockFloats] : null;
        float* stack = stackalloc float[heap is null ? blockFloats : 0];
        fixed (float* pinned = heap)
        {
            float* buffer = heap is null ? stack : pinned;
            for (int first = firstRow; first < endRow; first += RowBlock)
            {
                int count = Math.Min(RowBlock, endRow - first);
                rows.Rows(first, count, new Span<float>(buffer, count * s.Stride));
                for (int k = 0; k < count; k++)
                {
                    long o = (long)(first + k) * s.Stride;
                    float* g = buffer + k * s.Stride;
                    int i = Update<TV>(s.K, s.P + o, g, s.M + o, s.V + o, s.ColumnStep, 0, s.Stride);
                    Update<F1>(s.K, s.P + o, g, s.M + o, s.V + o, s.ColumnStep, i, s.Stride);
                }
            }
        }
    }

    /// <summary>Rows an <see cref="IRowGradient"/> is asked for at once (the SH expansion's vector lanes).</summary>
    public const int RowBlock = 8;
    private const int MaxStackFloats = 2048;

    /// <summary>The Adam update of elements [i, n) in vectors of TV; returns where it stopped. stepSizes: per element, or null for K.StepSize.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Update<TV>(in StepConstants k, float* p, float* g, float* m, float* v, float* stepSizes, int i, int n) where TV : unmanaged, IFloatVector<TV>
    {
        TV one_minus_beta1 = TV.Create(k.OneMinusBeta1), beta2 = TV.Create(k.Beta2), one_minus_beta2 = TV.Create(k.OneMinusBeta2);
        TV bias2_sqrt = TV.Create(k.Bias2Sqrt), eps = TV.Create(k.Epsilon), step_size = TV.Create(k.StepSize);
        for (; i + TV.Count <= n; i += TV.Count)
        {
            TV grad = TV.Load(g + i);
            TV m_t = TV.Load(m + i);
            m_t = TV.MultiplyAdd(one_minus_beta1, grad - m_t, m_t);               // m + (1 − β1)(g − m)
            TV v_t = TV.MultiplyAdd(beta2, TV.Load(v + i), one_minus_beta2 * grad * grad);  // β2·v + (1 − β2)·g²
            TV denom = TV.Sqrt(v_t) / bias2_sqrt + eps;                              // √v / √(1 − β2ᵗ) + ε
            TV lr_t = stepSizes is null ? step_size : TV.Load(stepSizes + i);        // lr / (1 − β1ᵗ)
            (TV.Load(p + i) - lr_t * m_t / denom).Store(p + i);
            m_t.Store(m + i);
            v_t.Store(v + i);
        }
        return i;
    }

    /// <summary>
    /// Follows a rebuild of the parameter array from a row map: row r's state is the old state of
    /// row rows[r], or zero where rows[r] &lt; 0 (an appended row); binds to <paramref name="values"/>.
    /// The step count is kept.
    /// </summary>
    public void Rebuild(ReadOnlySpan<int> rows, float[] values)
    {
        if (values.Length != rows.Length * Stride) throw new ArgumentException($"{values.Length} values for {rows.Length} rows of {Stride}");
        foreach (int row in rows)
            if (row >= Rows) throw new ArgumentException($"row {row} of {Rows}");
        FirstMoment = Model.GaussianSet.Gather(FirstMoment, Stride, rows, null);
        SecondMoment = Model.GaussianSet.Gather(SecondMoment, Stride, rows, null);
        Values = values;
    }

    /// <summary>Zeros m and v of every row (the reference's opacity reset replaces the state with zeros); the step count is kept.</summary>
    public void ResetState()
    {
        Array.Clear(FirstMoment);
        Array.Clear(SecondMoment);
    }

    /// <summary>Zeros m and v of the rows flagged in <paramref name="rows"/>.</summary>
    public void ResetState(ReadOnlySpan<bool> rows)
    {
        if (rows.Length != Rows) throw new ArgumentException($"row mask of {rows.Length} rows for {Rows} rows");
        for (int r = 0; r < rows.Length; r++)
        {
            if (!rows[r]) continue;
            FirstMoment.AsSpan(r * Stride, Stride).Clear();
            SecondMoment.AsSpan(r * Stride, Stride).Clear();
        }
    }

    /// <summary>
    /// Restores state saved from <see cref="FirstMoment"/>, <see cref="SecondMoment"/> and
    /// <see cref="StepCount"/> (a checkpoint). The group takes the arrays as its own, without a
    /// copy: a resumed run of millions of Gaussians would otherwise hold the moments twice.
    /// </summary>
    public void RestoreState(float[] firstMoment, float[] secondMoment, long stepCount)
    {
        if (firstMoment.Length != Values.Length || secondMoment.Length != Values.Length) throw new ArgumentException("state length differs from the values");
        if (stepCount < 0) throw new ArgumentOutOfRangeException(nameof(stepCount));
        FirstMoment = firstMoment;
        SecondMoment = secondMoment;
        StepCount = stepCount;
    }

    private struct StepConstants
    {
        public float OneMinusBeta1, Beta2, OneMinusBeta2, Bias2Sqrt, Epsilon, StepSize;
    }

    private struct StepSpan
    {
        public float* P, G, M, V, ColumnStep;
        public int Stride;
        public StepConstants K;
    }
}
