using System.Runtime.Intrinsics;

namespace Radiant.Rendering;

/// <summary>
/// Which tiles of a tile row a Gaussian's support ellipse reaches (exact ellipse-vs-tile test for
/// binning, cf. StopThePop / Speedy-Splat's tile intersection). The support is q = dᵀ·conic·d ≤ Q
/// (Q = <see cref="ProjectedSplat.SupportQ"/>, d = pixel centre − mean); completing the square,
/// q = a(dx + (b/a)dy)² + (det/a)dy², so at row offset dy the ellipse spans
/// dx ∈ −(b/a)dy ± sqrt((Q − (det/a)dy²)/a). Over the band of pixel-centre rows of a tile row,
/// dy ∈ [lo, hi], the right edge is concave in dy and peaks at dy* = −(b/c)·sqrt(Q·c/det) (the
/// ellipse's rightmost point), so its maximum over the band is at dy* clamped into the band; the
/// left edge mirrors it (minimum at −dy*). The band's x interval gives the tile columns.
/// Four tile rows at once (lanes 0–3 right edges, 4–7 left edges), in float with a widened
/// ellipse (Q·1.005, half-widths ·1.002 + 0.05 px, band ±0.05 px) so that it is a superset of the
/// pixels the rasterizer can draw; the rasterizer still tests every pixel.
/// </summary>
internal readonly struct TileFootprint
{
    private const int Tile = TileBinning.TileSize;
    private const float QScale = 1.005f, Scale = 1.002f, Pad = 0.05f;

    private static readonly Vector256<float> RowOffsets = Vector256.Create(0f, Tile, 2 * Tile, 3 * Tile, 0f, Tile, 2 * Tile, 3 * Tile);
    private static readonly Vector256<float> Side = Vector256.Create(1f, 1f, 1f, 1f, -1f, -1f, -1f, -1f);
    // Tile tx holds pixel centres x ∈ [16tx + 0.5, 16tx + 15.5]: last = ⌊(right − 0.5)/16⌋, first = ⌈(left − 15.5)/16⌉.
    private static readonly Vector256<float> CentreOffset = Vector256.Create(0.5f, 0.5f, 0.5f, 0.5f, Tile - 0.5f, Tile - 0.5f, Tile - 0.5f, Tile - 0.5f);
    private const float Far = 1e6f;

    private readonly float _x, _y, _shear, _flat, _invA, _q, _dyStar, _yExtent;

    public TileFootprint(in ProjectedSplat s)
    {
        float a = s.ConicA, b = s.ConicB, c = s.ConicC;
        float det = (float)((double)a * c - (double)b * b);
        _x = s.X; _y = s.Y;
        _q = s.SupportQ * QScale;
        _invA = 1 / a;
        _shear = b * _invA;
        _flat = det * _invA;
        _dyStar = -b / c * MathF.Sqrt(_q * c / det);
        _yExtent = MathF.Sqrt(_q / _flat) * Scale + Pad;
    }

    /// <summary>
    /// For tile rows ty0 … ty0 + 3: the first and last tile column each reaches (a row the ellipse
    /// misses gets first ≫ last). Callers clip to the support box.
    /// </summary>
    public void Columns(int ty0, out Vector128<int> first, out Vector128<int> last)
    {
        Vector256<float> top = Vector256.Create((float)(ty0 * Tile) - _y) + RowOffsets;
        Vector256<float> yExtent = Vector256.Create(_yExtent);
        Vector256<float> lo = Vector256.Max(top + Vector256.Create(0.5f - Pad), -yExtent);
        Vector256<float> hi = Vector256.Min(top + Vector256.Create(Tile - 0.5f + Pad), yExtent);
        // dy at which each edge is outermost within the band: ±dy* clamped into [lo, hi].
        Vector256<float> dy = Vector256.Min(Vector256.Max(Side * Vector256.Create(_dyStar), lo), hi);
        Vector256<float> halfWidthSq = (Vector256.Create(_q) - Vector256.Create(_flat) * dy * dy) * Vector256.Create(_invA);
        Vector256<float> halfWidth = Vector256.Sqrt(Vector256.Max(halfWidthSq, Vector256<float>.Zero)) * Vector256.Create(Scale) + Vector256.Create(Pad);
        Vector256<float> edge = Vector256.Create(_x) - Vector256.Create(_shear) * dy + Side * halfWidth;
        Vector256<float> columns = (edge - CentreOffset) * Vector256.Create(1f / Tile);
        Vector256<float> isRight = Vector256.GreaterThan(Side, Vector256<float>.Zero);
        columns = Vector256.ConditionalSelect(isRight, Vector256.Floor(columns), Vector256.Ceiling(columns));
        // Empty band (lo > hi: the row is above or below the ellipse): last = −Far, first = +Far.
        columns = Vector256.ConditionalSelect(Vector256.GreaterThan(lo, hi), -Far * Side, columns);
        Vector256<int> tiles = Vector256.ConvertToInt32(Vector256.Min(Vector256.Max(columns, Vector256.Create(-Far)), Vector256.Create(Far)));
        last = tiles.GetLower();
        first = tiles.GetUpper();
    }
}
