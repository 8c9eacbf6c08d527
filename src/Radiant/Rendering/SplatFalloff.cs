using System.Runtime.CompilerServices;

namespace Radiant.Rendering;

/// <summary>
/// The per-pixel Gaussian falloff and alpha shared by the forward and backward rasterizers, for a
/// register of pixels of a row at once (<see cref="IPixelLanes{V}"/>; so both passes, and both
/// register widths, see bit-identical values):
/// power = −½(a·dx² + c·dy²) − b·dx·dy at the pixel centre (dx = px + 0.5 − mean.x),
/// alpha = min(0.99, opacity·exp(power)), evaluated as 2^(log2 e·power + log2 opacity); a pixel takes the Gaussian only if alpha ≥ 1/255
/// (reference 3DGS rules; power ≤ 0 always holds, see <see cref="Alpha"/>).
/// </summary>
internal static class SplatFalloff
{
    public const float MaxAlpha = 0.99f;
    public const float MinAlpha = 1f / 255f;
    public const float MinTransmittance = 1e-4f;
    /// <summary>Width of the column strips a tile's reach is kept in (<see cref="SupportRows"/>), whatever the register width.</summary>
    public const int StripWidth = 8;
    private const int Tile = TileBinning.TileSize;

    /// <summary>dx = (pixel centre x) − mean.x for the pixels starting at column <paramref name="px"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V Dx<L, V>(int px, float meanX) where L : struct, IPixelLanes<V> where V : unmanaged
        => L.Subtract(L.Add(L.Create(px), L.PixelCentres), L.Create(meanX));

    /// <summary>
    /// The row table of a Gaussian in a 16-row tile starting at <paramref name="y0"/>: dy = (pixel
    /// centre y) − mean.y and rowTerm = −½c·dy² (as (halfNegC·dy)·dy) for each of the 16 rows.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void RowTable<L, V>(int y0, float meanY, float halfNegC, float* dy, float* rowTerm) where L : struct, IPixelLanes<V> where V : unmanaged
    {
        var c = L.Create(halfNegC);
        for (int r = 0; r < Tile; r += L.Count)
        {
            V d = Dx<L, V>(y0 + r, meanY);
            L.Store(d, dy + r);
            L.Store(L.Multiply(L.Multiply(c, d), d), rowTerm + r);
        }
    }

    /// <summary>
    /// A tile's constants for <see cref="SupportRows"/>, made once per tile: the first and last pixel
    /// centres x of its left and right 8-pixel strips, and its rows' pixel-centre y (one register of
    /// rows, two at 8 lanes).
    /// </summary>
    public readonly struct TileFrame<L, V> where L : struct, IPixelLanes<V> where V : unmanaged
    {
        public readonly V LeftFirst, LeftLast, RightFirst, RightLast, RowCentres0, RowCentres8;

        public TileFrame(int x0, int y0)
        {
            LeftFirst = L.Create(x0 + 0.5f);
            LeftLast = L.Create(x0 + StripWidth - 0.5f);
            RightFirst = L.Create(x0 + StripWidth + 0.5f);
            RightLast = L.Create(x0 + Tile - 0.5f);
            RowCentres0 = L.Add(L.Create(y0), L.PixelCentres);
            RowCentres8 = L.Add(L.Create(y0 + 8), L.PixelCentres);   // used at 8 lanes only
        }
    }

    /// <summary>
    /// Which 8-pixel column strips of each tile row the Gaussian's support ellipse can reach:
    /// completing the square, q = a(dx + (b/a)dy)² + (det/a)dy² ≤ Q gives, per row, the pixel-centre
    /// interval X − (b/a)dy ± sqrt((Q − (det/a)dy²)/a), widened slightly (conservative). Returns
    /// bit masks over the 16 rows for the left and right strip of the tile (vectors over rows; dy as
    /// in the row table).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void SupportRows<L, V>(in ProjectedSplat s, in TileFrame<L, V> tile, out uint leftRows, out uint rightRows)
        where L : struct, IPixelLanes<V> where V : unmanaged
    {
        float invA = 1 / s.ConicA;
        var shear = L.Create(s.ConicB * invA);
        var q = L.Create(s.SupportQ * invA);
        var flat = L.Create((float)(((double)s.ConicA * s.ConicC - (double)s.ConicB * s.ConicB) * invA * invA));
        var meanX = L.Create(s.X);
        var meanY = L.Create(s.Y);
        leftRows = rightRows = 0;
        for (int r = 0; r < Tile; r += L.Count)
        {
            V dy = L.Subtract(r == 0 ? tile.RowCentres0 : tile.RowCentres8, meanY);
            V centre = L.MultiplyAddNegated(shear, dy, meanX);
            V halfWidthSq = L.MultiplyAddNegated(flat, L.Multiply(dy, dy), q);
            V halfWidth = L.FusedMultiplyAdd(L.Sqrt(L.Max(halfWidthSq, L.Create(0f))), L.Create(1.001f), L.Create(0.02f));
            V lo = L.Subtract(centre, halfWidth), hi = L.Add(centre, halfWidth);
            // (The bits of each compare, and-ed as integers: with AVX-512 a compare's bits are one move
            // from its mask register, where the and of two vector masks went through a vector and back.)
            uint left = L.MoveMask(L.LessThanOrEqual(tile.LeftFirst, hi)) & L.MoveMask(L.GreaterThanOrEqual(tile.LeftLast, lo));
            uint right = L.MoveMask(L.LessThanOrEqual(tile.RightFirst, hi)) & L.MoveMask(L.GreaterThanOrEqual(tile.RightLast, lo));
            leftRows |= left << r;
            rightRows |= right << r;
        }
    }

    /// <summary>
    /// The per-column-group terms of the alpha exponent e = log2 e·power + log2 o (base 2, opacity
    /// folded in): au = log2 e·(−½a·dx²) + log2 o and bu = log2 e·(−b·dx) for pixels at
    /// <paramref name="dx"/> (<see cref="Dx"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ColumnTerms<L, V>(V dx, in ProjectedSplat s, out V au, out V bu) where L : struct, IPixelLanes<V> where V : unmanaged
    {
        au = L.FusedMultiplyAdd(L.Multiply(L.Create(-0.5f * Log2E * s.ConicA), dx), dx, L.Create(s.Log2Opacity));
        bu = L.Multiply(L.Create(-Log2E * s.ConicB), dx);
    }

    /// <summary>−½c·log2 e, the row table's coefficient for the base-2 exponent.</summary>
    public static float RowCoefficient(in ProjectedSplat s) => -0.5f * Log2E * s.ConicC;

    public const float Log2E = 1.44269504088896341f;

    /// <summary>
    /// Exponent e = au + bu·dy + rowTerm (au, bu from <see cref="ColumnTerms"/>, rowTerm from the
    /// row table with <see cref="RowCoefficient"/>), so that o·exp(power) = 2^e.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V Exponent<L, V>(V au, V bu, V rowTerm, V dy) where L : struct, IPixelLanes<V> where V : unmanaged
        => L.FusedMultiplyAdd(bu, dy, L.Add(au, rowTerm));

    /// <summary>
    /// alpha = min(0.99, o·G) with o·G = 2^exponent (G = exp(power)); <paramref name="valid"/> is
    /// all-ones where the pixel takes the Gaussian (alpha ≥ 1/255); <paramref name="unclamped"/> = o·G
    /// before the 0.99 clamp. The reference's "skip power &gt; 0" never applies: conics are positive
    /// definite (the projection culls det ≤ 0 and the support box is empty unless a &gt; 0 and
    /// det &gt; 0), so power = −½ dᵀ·conic·d ≤ 0.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V Alpha<L, V>(V exponent, out V valid, out V unclamped) where L : struct, IPixelLanes<V> where V : unmanaged
    {
        unclamped = SimdExp.Exp2<L, V>(exponent);
        V alpha = L.Min(unclamped, L.Create(MaxAlpha));
        valid = L.GreaterThanOrEqual(alpha, L.Create(MinAlpha));
        return alpha;
    }
}
