using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Radiant.Rendering;

/// <summary>
/// Tile rasterizer, backward pass (the role of gsplat's rasterize backward kernel). Per pixel,
/// back to front from where it stopped, the reference recursion recovers Tᵢ = Tᵢ₊₁ / (1 − αᵢ)
/// and the colour behind, Rᵢ (R = background at the back, Rᵢ₋₁ = αᵢcᵢ + (1 − αᵢ)Rᵢ), so that
///   dC/dcᵢ = αᵢTᵢ,   dC/dαᵢ = Tᵢ(cᵢ − Rᵢ),   dA/dαᵢ = T_final / (1 − αᵢ)   (A = 1 − T_final),
/// then αᵢ = opacity·exp(power) gives dα/d opacity = G, dα/d power = α (both zero where α was
/// clamped at 0.99), and power = −½(a dx² + c dy²) − b dx dy gives the conic and mean2d terms.
/// The colour behind is carried only as its projection S = Σ_c dL/dC_c·R_c (one value per pixel
/// instead of three). Per Gaussian and 8-pixel column of a tile: rows its support ellipse cannot
/// reach are skipped (the reached groups are those the forward pass found and kept per tile-list
/// entry), alpha is evaluated for all rows first (independent work), then the recursion
/// runs, and the pixel sums are formed from per-row buffers and reduced once per tile; each worker
/// (at most <see cref="MaxAccumulatorCopies"/>) adds into its own per-Gaussian accumulator (no
/// races; in the shared workspace, cleared by its worker at the start), summed when the projection
/// backward reads them.
/// </summary>
internal sealed unsafe partial class Rasterizer
{
    private float* _dColor, _dAlpha;

    /// <summary>1/d (d in (0.01, 1]): the hardware estimate refined by one Newton step, x(2 − d·x).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Reciprocal(Vector256<float> d)
    {
        if (!Fma.IsSupported) return Vector256<float>.One / d;
        Vector256<float> x = Avx.Reciprocal(d);
        return x * Fma.MultiplyAddNegated(d, x, Vector256.Create(2f));   // 2 − d·x, no negation of d
    }

    /// <summary>The row mask (bit r) of column group u's open groups in a group mask (bit 2r + u).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint OpenRows(uint open, int u)
    {
        if (Bmi2.IsSupported) return Bmi2.ParallelBitExtract(open, 0x55555555u << u);
        uint rows = 0;
        for (int r = 0; r < Tile; r++) rows |= ((open >> (2 * r + u)) & 1) << r;
        return rows;
    }

    /// <summary>(Σ lanes of a, …, Σ lanes of h) as one vector (horizontal-add tree).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> SumLanes(Vector256<float> a, Vector256<float> b, Vector256<float> c, Vector256<float> d,
                                             Vector256<float> e, Vector256<float> f, Vector256<float> g, Vector256<float> h)
    {
        if (!Avx.IsSupported) return Vector256.Create(Vector256.Sum(a), Vector256.Sum(b), Vector256.Sum(c), Vector256.Sum(d),
                                                       Vector256.Sum(e), Vector256.Sum(f), Vector256.Sum(g), Vector256.Sum(h));
        // hadd pairs lanes within 128-bit halves; after three levels each half holds partial sums
        // of the low / high four lanes, which the final cross-half add combines.
        Vector256<float> ab = Avx.HorizontalAdd(a, b), cd = Avx.HorizontalAdd(c, d);
        Vector256<float> ef = Avx.HorizontalAdd(e, f), gh = Avx.HorizontalAdd(g, h);
        Vector256<float> abcd = Avx.HorizontalAdd(ab, cd), efgh = Avx.HorizontalAdd(ef, gh);
        // abcd = (a_lo, b_lo, c_lo, d_lo | a_hi, b_hi, c_hi, d_hi); likewise efgh.
        Vector256<float> low = Avx.Permute2x128(abcd, efgh, 0x20), high = Avx.Permute2x128(abcd, efgh, 0x31);
        return low + high;
    }

    /// <summary>
    /// Sizes the shared workspace for N = <paramref name="splatCount"/> Gaussians, <paramref name="visibleCount"/>
    /// of them visible: the forward's N footprints + 2 × visible sort entries, the backward's
    /// 9 floats per Gaussian per worker.
    /// </summary>
    private void EnsureWorkspace(int splatCount, int visibleCount)
    {
        long forward = splatCount + 2L * visibleCount;
        long backward = ((long)SplatGradient.Floats * AccumulatorCopies * splatCount + 1) / 2;
        long need = Math.Max(forward, backward);
        if (need > Array.MaxLength) throw new ArgumentException("too many Gaussians for the rasterizer's workspace");
        // Exact: the need follows the Gaussian count (the accumulators outweigh the forward's use), which
        // changes only when densification rebuilds the model, not from view to view.
        if (_workspace.Length < need) _workspace = new ulong[need];
    }

    /// <summary>
    /// Backward of the last <see cref="Forward"/>: dL/d(mean2d, conic, opacity, colour) per Gaussian
    /// from dL/dcolour (3·W·H planar) and dL/dalpha (W·H, or empty), replacing the previous
    /// backward's. Read the result with <see cref="Gradient"/> (valid until the next forward).
    /// </summary>
    public void Backward(ReadOnlySpan<float> dColor, ReadOnlySpan<float> dAlpha)
    {
        int pixels = _width * _height;
        if (dColor.Length != 3 * pixels) throw new ArgumentException($"dColor must hold 3·{_width}·{_height} floats");
        if (!dAlpha.IsEmpty && dAlpha.Length != pixels) throw new ArgumentException($"dAlpha must be empty or hold {_width}·{_height} floats");
        fixed (float* dc = dColor)
        fixed (float* da = dAlpha)
        {
            _dColor = dc;
            _dAlpha = dAlpha.IsEmpty ? null : da;
            try { _pool.Run(_backwardJob); }
            finally { _dColor = null; _dAlpha = null; }
        }
    }

    /// <summary>The gradient of Gaussian <paramref name="id"/> from the last <see cref="Backward"/>, summed over workers.</summary>
    public SplatGradient Gradient(int id)
    {
        SplatGradient sum = default;
        ref float total = ref Unsafe.As<SplatGradient, float>(ref sum);
        Span<float> accumulators = MemoryMarshal.Cast<ulong, float>(_workspace.AsSpan());
        int stride = SplatGradient.Floats * _splats.Length;
        for (int w = 0, offset = id * SplatGradient.Floats; w < AccumulatorCopies; w++, offset += stride)
        {
            ref float row = ref accumulators[offset];
            for (int j = 0; j < SplatGradient.Floats; j++) Unsafe.Add(ref total, j) += Unsafe.Add(ref row, j);
        }
        return sum;
    }

    /// <summary>
    /// At most this many workers run the backward tiles, each with its own accumulators (9 floats
    /// per Gaussian): on a many-core machine the copies would otherwise cost more memory than the
    /// model (64 × 36 B per Gaussian) and their sum in <see cref="Gradient"/> more time than it saves.
    /// </summary>
    internal const int MaxAccumulatorCopies = 8;

    /// <summary>Bytes of the per-Gaussian workspace (footprints and sort, then the backward's accumulators).</summary>
    internal long WorkspaceBytes => _workspace.LongLength * sizeof(ulong);

    private int AccumulatorCopies => Math.Min(_pool.Workers, MaxAccumulatorCopies);

    private void BackwardWorker(int worker)
    {
        int workers = AccumulatorCopies;
        if (worker >= workers) return;
        int tiles = Binning.TileCount;
        fixed (ProjectedSplat* splats = _splats)
        fixed (int* list = Binning.List)
        fixed (float* scratchBase = _scratch[worker])
        fixed (ulong* workspace = _workspace)
        fixed (ushort* reach = _reach)
        {
            float* scratch = AlignToCacheLine(scratchBase);
            // This worker's accumulators (9 floats per Gaussian), zeroed: the forward pass used the memory.
            int stride = SplatGradient.Floats * _splats.Length;
            float* grad = (float*)workspace + (nint)worker * stride;
            new Span<float>(grad, stride).Clear();
            // Tiles are dealt to workers statically (tile ≡ worker mod W), not taken from a shared
            // counter: each worker's float sums then always see the same tiles in the same order,
            // so gradients, and whole training runs, are bit-reproducible for a given worker count.
            // The tile's stack buffers live here, not in BackwardTile: a method with stackalloc is
            // compiled straight to full optimisation, without the profile-guided tier.
            float* edge = stackalloc float[6 * Lanes];
            int* openAt = stackalloc int[Tile * GroupsPerRow];
            int* openGroup = stackalloc int[Tile * GroupsPerRow];
            var buffers = new TileBuffers(edge, openAt, openGroup);
            // Training passes no dL/dalpha: a copy of the tile loop without that term (the JIT
            // specialises BackwardTile per flag type) saves a load and a multiply per pixel group.
            if (_dAlpha == null)
                for (int tile = worker; tile < tiles; tile += workers) BackwardTile<WithoutAlphaLoss>(tile, splats, list, reach, scratch, grad, buffers);
            else
                for (int tile = worker; tile < tiles; tile += workers) BackwardTile<WithAlphaLoss>(tile, splats, list, reach, scratch, grad, buffers);
        }
    }

    // Backward scratch per tile, group-major: for each group of 8 pixels, 8 lanes each of
    // T, S, dL/dR, dL/dG, dL/dB, dL/dA·T_final, and the current Gaussian's α and dα/dpower (written
    // by phase 1, read by phase 2: one base pointer per group); the stop indices in the row buffers.
    private const int BackwardGroupFloats = 8 * Lanes;
    private const int AlphaSlot = 6 * Lanes, DAlphaDPowerSlot = 7 * Lanes;
    private const int RowFloats = GroupsPerRow * BackwardGroupFloats;

    /// <summary>A worker's small per-tile buffers: an edge group's lanes (6 × 8 floats), the groups by opening order (2 × 32 ints).</summary>
    private readonly struct TileBuffers(float* edge, int* openAt, int* openGroup)
    {
        public readonly float* Edge = edge;
        public readonly int* OpenAt = openAt, OpenGroup = openGroup;
    }

    private interface IAlphaLoss { static abstract bool Present { get; } }
    private struct WithAlphaLoss : IAlphaLoss { public static bool Present => true; }
    private struct WithoutAlphaLoss : IAlphaLoss { public static bool Present => false; }

    private void BackwardTile<TAlphaLoss>(int tile, ProjectedSplat* splats, int* list, ushort* reach, float* scratch, float* grad, TileBuffers buffers)
        where TAlphaLoss : struct, IAlphaLoss
    {
        const int groups = Tile * GroupsPerRow;
        Debug.Assert(groups * BackwardGroupFloats <= RowTableOffset && groups * Lanes <= 3 * Tile * Lanes);
        int* stop = (int*)(scratch + RowBufferOffset);
        int x0 = tile % Binning.TilesX * Tile, y0 = tile / Binning.TilesX * Tile;
        int rows = Math.Min(Tile, _height - y0), cols = Math.Min(Tile, _width - x0);
        int plane = _width * _height;

        // Per pixel: T = T_final, S = dL/dC · background (the colour behind the last Gaussian,
        // projected on dL/dC), dL/dC, dL/dA·T_final and the stop index, 8 pixels (one group) at a
        // time; pixels outside the image read as T = 1 and zeros (no Gaussian reaches them).
        float* edge = buffers.Edge;
        ref float finalT0 = ref MemoryMarshal.GetArrayDataReference(_finalT);
        ref int stop0 = ref MemoryMarshal.GetArrayDataReference(_stop);
        for (int group = 0; group < groups; group++)
        {
            int r = group / GroupsPerRow, firstColumn = group % GroupsPerRow * Lanes;
            int pixel = (y0 + r) * _width + x0 + firstColumn;
            Vector256<float> finalT, gr, gg, gb, da;
            Vector256<int> groupStop;
            if (r < rows && firstColumn + Lanes <= cols)
            {
                finalT = Vector256.LoadUnsafe(ref finalT0, (nuint)pixel);
                gr = Vector256.Load(_dColor + pixel); gg = Vector256.Load(_dColor + plane + pixel); gb = Vector256.Load(_dColor + 2 * plane + pixel);
                da = _dAlpha == null ? default : Vector256.Load(_dAlpha + pixel);
                groupStop = Vector256.LoadUnsafe(ref stop0, (nuint)pixel);
            }
            else
            {
                int* edgeStop = (int*)(edge + 5 * Lanes);
                for (int lane = 0; lane < Lanes; lane++)
                {
                    bool inside = r < rows && firstColumn + lane < cols;
                    int p = pixel + lane;
                    edge[lane] = inside ? _finalT[p] : 1;
                    edge[Lanes + lane] = inside ? _dColor[p] : 0;
                    edge[2 * Lanes + lane] = inside ? _dColor[plane + p] : 0;
                    edge[3 * Lanes + lane] = inside ? _dColor[2 * plane + p] : 0;
                    edge[4 * Lanes + lane] = inside && _dAlpha != null ? _dAlpha[p] : 0;
                    edgeStop[lane] = inside ? _stop[p] : 0;
                }
                finalT = Vector256.Load(edge);
                gr = Vector256.Load(edge + Lanes); gg = Vector256.Load(edge + 2 * Lanes); gb = Vector256.Load(edge + 3 * Lanes);
                da = Vector256.Load(edge + 4 * Lanes);
                groupStop = Vector256.Load(edgeStop);
            }
            float* g = scratch + group * BackwardGroupFloats;
            finalT.Store(g);
            (gr * Vector256.Create(_bgR) + gg * Vector256.Create(_bgG) + gb * Vector256.Create(_bgB)).Store(g + Lanes);
            gr.Store(g + 2 * Lanes); gg.Store(g + 3 * Lanes); gb.Store(g + 4 * Lanes);
            (da * finalT).Store(g + 5 * Lanes);
            groupStop.Store(stop + group * Lanes);
        }
        // A group takes part for Gaussians before the largest stop index among its 8 pixels.
        // Going back to front, group g opens (takes part) from the Gaussian before its stop index:
        // the groups sorted by stop index, descending, open one after another.
        int* openAt = buffers.OpenAt, openGroup = buffers.OpenGroup;
        for (int group = 0; group < groups; group++)
        {
            int m = 0;
            for (int l = 0; l < Lanes; l++) m = Math.Max(m, stop[group * Lanes + l]);
            int j = group;
            for (; j > 0 && openAt[j - 1] < m; j--) { openAt[j] = openAt[j - 1]; openGroup[j] = openGroup[j - 1]; }
            openAt[j] = m; openGroup[j] = group;
        }
        int tileStop = openAt[0], opened = 0;
        uint open = 0;   // bit 2r + u: group (row r, column group u) open

        float* rowDy = scratch + RowTableOffset, rowTerm = rowDy + Tile;
        float* constants = scratch + ConstantsOffset;
        int start = Binning.TileStart[tile];
        for (int k = start + tileStop - 1; k >= start; k--)
        {
            int local = k - start;
            for (; opened < groups && local < openAt[opened]; opened++) open |= 1u << openGroup[opened];
            int id = list[k];
            ProjectedSplat* s = splats + id;
            if (Sse.IsSupported && k - PrefetchDistance >= start)
            {
                int ahead = list[k - PrefetchDistance];
                PrefetchSplat(splats + ahead);
                // Both cache lines the 9-float accumulator may straddle (36-byte stride).
                Sse.Prefetch0(grad + ahead * SplatGradient.Floats);
                Sse.Prefetch0(grad + ahead * SplatGradient.Floats + SplatGradient.Floats - 1);
            }
            // The groups its support ellipse reaches (found by the forward pass) that take part.
            uint reachOpen = UnpackReach(reach[k]) & open;
            if (reachOpen == 0) continue;

            SplatFalloff.RowTable(y0, s->Y, SplatFalloff.RowCoefficient(*s), rowDy, rowTerm);
            // The Gaussian's constants live in memory (read as operands) to leave registers to the sums.
            Vector256.Create(s->R).Store(constants);
            Vector256.Create(s->G).Store(constants + Lanes);
            Vector256.Create(s->B).Store(constants + 2 * Lanes);
            Vector256.Create(local).Store((int*)(constants + 4 * Lanes));
            // Per column group u: the lane sums over its rows of αT·dL/dC and of dL/dpower, ·dy, ·dy²
            // (dx is constant down a column group), zero where no row took the Gaussian.
            bool touched = BackwardColumn<TAlphaLoss>(0, s, x0, scratch, stop, constants, rowTerm, rowDy, reachOpen,
                                                      out var r0, out var g0, out var b0, out var p0, out var py0, out var pyy0);
            touched |= BackwardColumn<TAlphaLoss>(1, s, x0, scratch, stop, constants, rowTerm, rowDy, reachOpen,
                                                  out var r1, out var g1, out var b1, out var p1, out var py1, out var pyy1);
            if (!touched) continue;
            // The tile's per-lane sums: colour, Σ dα·o·G, and the dx/dy moments of dL/dpower (dα/dpower
            // = α = o·G where unclamped; dα/do = G, so 1/o is applied at the end), column 0 then 1.
            Debug.Assert(GroupsPerRow == 2);
            Vector256<float> dx0 = SplatFalloff.Dx(x0, s->X), dx1 = SplatFalloff.Dx(x0 + Lanes, s->X);
            Vector256<float> sumR = r0 + r1, sumG = g0 + g1, sumB = b0 + b1, sumG0 = p0 + p1;
            Vector256<float> sumXX = Vector256.FusedMultiplyAdd(dx1 * dx1, p1, dx0 * dx0 * p0);
            Vector256<float> sumX = Vector256.FusedMultiplyAdd(dx1, p1, dx0 * p0);
            Vector256<float> sumXY = Vector256.FusedMultiplyAdd(dx1, py1, dx0 * py0);
            Vector256<float> sumY = py0 + py1, sumYY = pyy0 + pyy1;

            // dpower/dmean = (a dx + b dy, b dx + c dy); dpower/d(a, b, c) = (−½dx², −dx dy, −½dy²);
            // the moments above are of dL/dpower; dL/do = Σ dL/dα·G = Σ dL/dpower / o.
            // Eight lane sums at once: (ΣX, ΣY, ΣXX, ΣXY, ΣYY, ΣG0, ΣR, ΣG), then ΣB.
            Vector256<float> sums = SumLanes(sumX, sumY, sumXX, sumXY, sumYY, sumG0, sumR, sumG);
            float sx = sums.GetElement(0), sy = sums.GetElement(1);
            float* grad9 = grad + id * SplatGradient.Floats;
            Vector256<float> scale = Vector256.Create(0f, 0f, -0.5f, -1f, -0.5f, 1 / s->Opacity, 1f, 1f);
            Vector256<float> meanGrad = Vector256.Create(s->ConicA * sx + s->ConicB * sy, s->ConicB * sx + s->ConicC * sy, 0, 0, 0, 0, 0, 0);
            (Vector256.Load(grad9) + Vector256.FusedMultiplyAdd(sums, scale, meanGrad)).Store(grad9);
            grad9[8] += Vector256.Sum(sumB);
        }
    }

    /// <summary>
    /// Phases 1 and 2 of one Gaussian (<paramref name="s"/>, constants broadcast in <paramref name="constants"/>)
    /// on column group <paramref name="u"/> of the tile at column <paramref name="x0"/>, over the rows of
    /// <paramref name="reachOpen"/>: the lane sums over the rows taken of αT·dL/dC (<paramref name="sumR"/>,
    /// <paramref name="sumG"/>, <paramref name="sumB"/>) and of dL/dpower, ·dy, ·dy² (<paramref name="q0"/>,
    /// <paramref name="q1"/>, <paramref name="q2"/>); all zero, and false returned, when no row took it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool BackwardColumn<TAlphaLoss>(int u, ProjectedSplat* s, int x0, float* scratch, int* stop, float* constants,
                                                   float* rowTerm, float* rowDy, uint reachOpen,
                                                   out Vector256<float> sumR, out Vector256<float> sumG, out Vector256<float> sumB,
                                                   out Vector256<float> q0, out Vector256<float> q1, out Vector256<float> q2)
        where TAlphaLoss : struct, IAlphaLoss
    {
        sumR = sumG = sumB = q0 = q1 = q2 = default;
        uint rowsReached = OpenRows(reachOpen, u);
        if (rowsReached == 0) return false;
        SplatFalloff.ColumnTerms(x0 + u * Lanes, *s, out var au, out var bu);
        // Phase 1 (independent per row): α, dα/dpower (stored in the group's scratch) and the
        // rows with a lane that took this Gaussian. Column group u of row r is at
        // column + r·RowFloats (its stop indices at stopColumn + r·Tile).
        float* column = scratch + u * BackwardGroupFloats;
        int* stopColumn = stop + u * Lanes;
        uint rowsTaken = 0;
        while (rowsReached != 0)
        {
            // Two rows per step (independent work; shares the loop overhead and constants).
            int r = BitOperations.TrailingZeroCount(rowsReached);
            rowsReached &= rowsReached - 1;
            rowsTaken |= AlphaRow(column + r * RowFloats, stopColumn + r * Tile, constants, au, bu, rowTerm[r], rowDy[r]) << r;
            if (rowsReached == 0) break;
            r = BitOperations.TrailingZeroCount(rowsReached);
            rowsReached &= rowsReached - 1;
            rowsTaken |= AlphaRow(column + r * RowFloats, stopColumn + r * Tile, constants, au, bu, rowTerm[r], rowDy[r]) << r;
        }
        // Phase 2, back to front per pixel (reference recursion): Tᵢ = Tᵢ₊₁/(1 − αᵢ); with
        // S = Σ_c dL/dC_c·R_c (the colour behind, projected on dL/dC) and q = Σ_c dL/dC_c·cᵢ_c:
        // dL/dαᵢ = Tᵢ(q − S) + dL/dA·T_final/(1 − αᵢ);  S ← S + αᵢ(q − S);  dL/dcᵢ += αᵢTᵢ·dL/dC.
        if (rowsTaken == 0) return false;
        Vector256<float> accR = default, accG = default, accB = default;
        Vector256<float> p0 = default, p1 = default, p2 = default;
        for (; rowsTaken != 0; rowsTaken &= rowsTaken - 1)
        {
            int r = BitOperations.TrailingZeroCount(rowsTaken);
            float* g = column + r * RowFloats;
            Vector256<float> a = Vector256.Load(g + AlphaSlot);
            Vector256<float> invOneMinus = Reciprocal(Vector256<float>.One - a);
            Vector256<float> t = Vector256.Load(g) * invOneMinus;
            t.Store(g);
            Vector256<float> dLdR = Vector256.Load(g + 2 * Lanes), dLdG = Vector256.Load(g + 3 * Lanes), dLdB = Vector256.Load(g + 4 * Lanes);
            Vector256<float> q = Vector256.FusedMultiplyAdd(dLdR, Vector256.Load(constants),
                                 Vector256.FusedMultiplyAdd(dLdG, Vector256.Load(constants + Lanes), dLdB * Vector256.Load(constants + 2 * Lanes)));
            Vector256<float> behind = Vector256.Load(g + Lanes);
            Vector256<float> diff = q - behind;
            Vector256.FusedMultiplyAdd(a, diff, behind).Store(g + Lanes);
            Vector256<float> dAlpha = TAlphaLoss.Present
                ? Vector256.FusedMultiplyAdd(diff, t, Vector256.Load(g + 5 * Lanes) * invOneMinus)
                : diff * t;
            Vector256<float> weight = a * t;
            accR = Vector256.FusedMultiplyAdd(weight, dLdR, accR);
            accG = Vector256.FusedMultiplyAdd(weight, dLdG, accG);
            accB = Vector256.FusedMultiplyAdd(weight, dLdB, accB);
            // Through αᵢ = o·G: dL/dpower = dL/dα·o·G (0 where clamped, masked in phase 1).
            Vector256<float> dPower = dAlpha * Vector256.Load(g + DAlphaDPowerSlot);
            var dyv = Vector256.Create(rowDy[r]);
            p0 += dPower;
            p1 = Vector256.FusedMultiplyAdd(dPower, dyv, p1);
            p2 = Vector256.FusedMultiplyAdd(dPower * dyv, dyv, p2);
        }
        sumR = accR; sumG = accG; sumB = accB; q0 = p0; q1 = p1; q2 = p2;
        return true;
    }

    /// <summary>
    /// Phase 1 for one group (scratch <paramref name="g"/>, stop indices <paramref name="groupStop"/>, row
    /// terms <paramref name="rowTerm"/>, <paramref name="dy"/>): α and dα/dpower of the current Gaussian
    /// stored in the group's scratch (0 in lanes that do not take it); returns 1 if a lane takes it, else 0.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint AlphaRow(float* g, int* groupStop, float* constants, Vector256<float> au, Vector256<float> bu,
                                 float rowTerm, float dy)
    {
        Vector256<float> exponent = SplatFalloff.Exponent(au, bu, Vector256.Create(rowTerm), Vector256.Create(dy));
        Vector256<float> alpha = SplatFalloff.Alpha(exponent, out var valid, out var unclamped);
        valid &= Vector256.GreaterThan(Vector256.Load(groupStop), Vector256.Load((int*)(constants + 4 * Lanes))).AsSingle();
        // A branch, not a data dependency: phase 2's loop over the rows taken then runs ahead on the prediction.
        if (valid.ExtractMostSignificantBits() == 0) return 0;
        (alpha & valid).Store(g + AlphaSlot);
        // dα/dpower is o·G where alpha is not clamped at 0.99, else 0: keep o·G there, 0 elsewhere.
        (unclamped & valid & Vector256.LessThanOrEqual(unclamped, Vector256.Create(SplatFalloff.MaxAlpha))).Store(g + DAlphaDPowerSlot);
        return 1;
    }
}
