using System.Runtime.CompilerServices;
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
/// Eight Gaussians at once, one per lane (a single one fills all lanes), in float with a widened
/// ellipse (Q·1.005, half-widths ·1.002 + 0.05 px, band ±0.05 px) so that it is a superset of the
/// pixels the rasterizer can draw; the rasterizer still tests every pixel.
/// </summary>
internal readonly struct TileFootprint
{
    private const int Tile = TileBinning.TileSize;
    private const float QScale = 1.005f, Scale = 1.002f, Pad = 0.05f;
    private const float Far = 1e6f;

    private readonly Vector256<float> _x, _y, _shear, _flat, _invA, _q, _dyStar, _yExtent;

    /// <summary>The footprints of the splats whose mean, conic and <see cref="ProjectedSplat.SupportQ"/> are in the lanes.</summary>
    public TileFootprint(Vector256<float> x, Vector256<float> y, Vector256<float> a, Vector256<float> b, Vector256<float> c, Vector256<float> supportQ)
    {
        // det = a·c − b² in double (exact products), rounded to float.
        (Vector256<double> aLow, Vector256<double> aHigh) = Vector256.Widen(a);
        (Vector256<double> bLow, Vector256<double> bHigh) = Vector256.Widen(b);
        (Vector256<double> cLow, Vector256<double> cHigh) = Vector256.Widen(c);
        Vector256<float> det = Vector256.Narrow(aLow * cLow - bLow * bLow, aHigh * cHigh - bHigh * bHigh);
        _x = x; _y = y;
        _q = supportQ * Vector256.Create(QScale);
        _invA = Vector256<float>.One / a;
        _shear = b * _invA;
        _flat = det * _invA;
        _dyStar = -b / c * Vector256.Sqrt(_q * c / det);
        _yExtent = Vector256.Sqrt(_q / _flat) * Vector256.Create(Scale) + Vector256.Create(Pad);
    }

    /// <summary>The footprint of one splat, in every lane.</summary>
    public TileFootprint(in ProjectedSplat s)
        : this(Vector256.Create(s.X), Vector256.Create(s.Y), Vector256.Create(s.ConicA), Vector256.Create(s.ConicB), Vector256.Create(s.ConicC), Vector256.Create(s.SupportQ)) { }

    /// <summary>
    /// For each lane's tile row ty0 + <paramref name="j"/> (rows are taken in groups of four from a
    /// group start ty0, 0 ≤ j ≤ 3: the band's offset from the mean is (16·ty0 − y) + 16j): the first
    /// and last tile column it reaches (a row the ellipse misses gets first ≫ last). Callers clip to the support box.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Columns(Vector256<int> ty0, int j, out Vector256<int> first, out Vector256<int> last) =>
        Columns(ty0, Vector256.Create((float)(j * Tile)), out first, out last);

    /// <summary>
    /// <see cref="Columns(Vector256{int}, int, out Vector256{int}, out Vector256{int})"/> with each
    /// lane's own row in its group: <paramref name="rowOffset"/> = 16j per lane.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Columns(Vector256<int> ty0, Vector256<float> rowOffset, out Vector256<int> first, out Vector256<int> last)
    {
        Vector256<float> top = Vector256.ConvertToSingle(ty0 * Tile) - _y + rowOffset;
        Vector256<float> lo = Vector256.Max(top + Vector256.Create(0.5f - Pad), -_yExtent);
        Vector256<float> hi = Vector256.Min(top + Vector256.Create(Tile - 0.5f + Pad), _yExtent);
        // Empty band (lo > hi: the row is above or below the ellipse): last = −Far, first = +Far.
        Vector256<float> empty = Vector256.GreaterThan(lo, hi);
        // Each edge is outermost within the band at ±dy* clamped into [lo, hi]. Tile tx holds pixel
        // centres x ∈ [16tx + 0.5, 16tx + 15.5]: last = ⌊(right − 0.5)/16⌋, first = ⌈(left − 15.5)/16⌉.
        Vector256<float> dyRight = Vector256.Min(Vector256.Max(_dyStar, lo), hi), dyLeft = Vector256.Min(Vector256.Max(-_dyStar, lo), hi);
        Vector256<float> lastF = Vector256.Floor((Centre(dyRight) + HalfWidth(dyRight) - Vector256.Create(0.5f)) * Vector256.Create(1f / Tile));
        Vector256<float> firstF = Vector256.Ceiling((Centre(dyLeft) - HalfWidth(dyLeft) - Vector256.Create(Tile - 0.5f)) * Vector256.Create(1f / Tile));
        last = ToColumn(Vector256.ConditionalSelect(empty, Vector256.Create(-Far), lastF));
        first = ToColumn(Vector256.ConditionalSelect(empty, Vector256.Create(Far), firstF));
    }

    /// <summary>The ellipse's centre x − (b/a)·dy at row offset dy.</summary>
    private Vector256<float> Centre(Vector256<float> dy) => _x - _shear * dy;

    /// <summary>The ellipse's half-width sqrt((Q − (det/a)·dy²)/a) at row offset dy, widened: ·1.002 + 0.05 px.</summary>
    private Vector256<float> HalfWidth(Vector256<float> dy) =>
        Vector256.Sqrt(Vector256.Max((_q - _flat * dy * dy) * _invA, Vector256<float>.Zero)) * Vector256.Create(Scale) + Vector256.Create(Pad);

    private static Vector256<int> ToColumn(Vector256<float> columns) =>
        Vector256.ConvertToInt32(Vector256.Min(Vector256.Max(columns, Vector256.Create(-Far)), Vector256.Create(Far)));
}
