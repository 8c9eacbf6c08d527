namespace Radiant.Model;

/// <summary>
/// Exact k-nearest-neighbour search among a point set (each point's k closest <em>other</em>
/// points), for the initial Gaussian scales (REFERENCE §2; 3DGS uses the mean squared distance to
/// the 3 nearest). A k-d tree with median splits on the widest axis and buckets of
/// <see cref="LeafSize"/> points: robust to clustered data and to duplicates (a duplicate is a
/// neighbour at distance 0). Built and queried on all cores.
/// </summary>
public static class NearestNeighbors
{
    public const int LeafSize = 8;
    private const int QueryBlock = 2048;

    private struct Point
    {
        public float X, Y, Z;
        public int Index;

        public readonly float this[int dim] => dim == 0 ? X : dim == 1 ? Y : Z;
    }

    /// <summary>
    /// For every point of <paramref name="xyz"/> (3 floats a point), its <paramref name="k"/> nearest
    /// other points: original indices and squared distances, row i at [i·k, i·k + k), ascending.
    /// Squared distances are computed in float as dx²+dy²+dz² (equal distances may come in any
    /// order). Rows of sets with fewer than k + 1 points are padded with index −1 and +∞.
    /// </summary>
    public static (int[] Indices, float[] SquaredDistances) Find(ReadOnlySpan<float> xyz, int k)
    {
        if (xyz.Length % 3 != 0) throw new ArgumentException("need 3 floats a point", nameof(xyz));
        if (k < 1) throw new ArgumentOutOfRangeException(nameof(k));
        int n = xyz.Length / 3;
        var points = new Point[n];
        for (int i = 0; i < n; i++)
        {
            float x = xyz[3 * i], y = xyz[3 * i + 1], z = xyz[3 * i + 2];
            if (!float.IsFinite(x) || !float.IsFinite(y) || !float.IsFinite(z))
                throw new ArgumentException($"point {i} has a non-finite coordinate", nameof(xyz));
            points[i] = new Point { X = x, Y = y, Z = z, Index = i };
        }

        var tree = new Tree(points);
        var indices = new int[(long)n * k];
        var dist = new float[(long)n * k];
        int blocks = (n + QueryBlock - 1) / QueryBlock;
        Parallel.For(0, blocks, b =>
        {
            Span<float> bestD = stackalloc float[k];
            Span<int> bestI = stackalloc int[k];
            int end = Math.Min(n, (b + 1) * QueryBlock);
            // Queries run in tree order, so consecutive queries touch the same part of the tree.
            for (int q = b * QueryBlock; q < end; q++)
            {
                bestD.Fill(float.PositiveInfinity);
                bestI.Fill(-1);
                tree.Search(q, bestD, bestI);
                int row = tree.Points[q].Index * k;
                for (int j = 0; j < k; j++)
                {
                    dist[row + j] = bestD[j];
                    indices[row + j] = bestI[j] < 0 ? -1 : tree.Points[bestI[j]].Index;
                }
            }
        });
        return (indices, dist);
    }

    /// <summary>
    /// Mean squared distance from each point to its <paramref name="k"/> nearest other points
    /// (fewer if the set is smaller; 0 for a lone point) — what 3DGS's distCUDA2 approximates.
    /// </summary>
    public static float[] MeanSquaredDistances(ReadOnlySpan<float> xyz, int k = 3)
    {
        (_, float[] d) = Find(xyz, k);
        int n = xyz.Length / 3;
        var mean = new float[n];
        for (int i = 0; i < n; i++)
        {
            float sum = 0;
            int m = 0;
            for (int j = 0; j < k; j++)
            {
                float v = d[i * k + j];
                if (float.IsPositiveInfinity(v)) break;
                sum += v;
                m++;
            }
            mean[i] = m == 0 ? 0 : sum / m;
        }
        return mean;
    }

    /// <summary>
    /// Implicit balanced k-d tree over a permuted point array: node n covers [lo, hi), its children
    /// 2n+1 / 2n+2 cover [lo, mid) / [mid, hi) with mid = (lo+hi)/2, and every point left of mid
    /// has coordinate ≤ the split value ≤ every point from mid on, on the node's split axis.
    /// </summary>
    private sealed class Tree
    {
        public readonly Point[] Points;
        private readonly float[] _split;
        private readonly byte[] _dim;

        public Tree(Point[] points)
        {
            Points = points;
            int depth = 0;
            for (long s = points.Length; s > LeafSize; s = (s + 1) / 2) depth++;
            _split = new float[(1 << (depth + 1)) - 1];
            _dim = new byte[_split.Length];
            Build(0, 0, points.Length, parallelLevels: Environment.ProcessorCount > 1 ? 3 : 0);
        }

        private void Build(int node, int lo, int hi, int parallelLevels)
        {
            if (hi - lo <= LeafSize) return;
            float minX = float.MaxValue, minY = float.MaxValue, minZ = float.MaxValue;
            float maxX = float.MinValue, maxY = float.MinValue, maxZ = float.MinValue;
            for (int i = lo; i < hi; i++)
            {
                ref readonly Point p = ref Points[i];
                minX = MathF.Min(minX, p.X); maxX = MathF.Max(maxX, p.X);
                minY = MathF.Min(minY, p.Y); maxY = MathF.Max(maxY, p.Y);
                minZ = MathF.Min(minZ, p.Z); maxZ = MathF.Max(maxZ, p.Z);
            }
            float ex = maxX - minX, ey = maxY - minY, ez = maxZ - minZ;
            int dim = ex >= ey && ex >= ez ? 0 : ey >= ez ? 1 : 2;
            int mid = (lo + hi) >> 1;
            Select(Points, lo, hi, mid, dim);
            _split[node] = Points[mid][dim];
            _dim[node] = (byte)dim;
            if (parallelLevels > 0 && hi - lo > 65536)
                Parallel.Invoke(
                    () => Build(2 * node + 1, lo, mid, parallelLevels - 1),
                    () => Build(2 * node + 2, mid, hi, parallelLevels - 1));
            else
            {
                Build(2 * node + 1, lo, mid, 0);
                Build(2 * node + 2, mid, hi, 0);
            }
        }

        /// <summary>Quickselect (Hoare partition, median-of-three): afterwards a[k] is in sorted position on <paramref name="dim"/>.</summary>
        private static void Select(Point[] a, int lo, int hi, int k, int dim)
        {
            int l = lo, r = hi - 1;
            while (r > l)
            {
                int m = l + ((r - l) >> 1);
                float x = a[l][dim], y = a[m][dim], z = a[r][dim];
                float pivot = x < y ? (y < z ? y : MathF.Max(x, z)) : (x < z ? x : MathF.Max(y, z));
                int i = l, j = r;
                while (i <= j)
                {
                    while (a[i][dim] < pivot) i++;
                    while (a[j][dim] > pivot) j--;
                    if (i <= j)
                    {
                        (a[i], a[j]) = (a[j], a[i]);
                        i++; j--;
                    }
                }
                // Now [l, j] ≤ pivot, (j, i) == pivot, [i, r] ≥ pivot.
                if (k <= j) r = j;
                else if (k >= i) l = i;
                else return;
            }
        }

        /// <summary>Fills the k best (ascending) tree positions for the point at tree position <paramref name="q"/>, itself excluded.</summary>
        public void Search(int q, Span<float> bestD, Span<int> bestI)
        {
            Point p = Points[q];
            Visit(0, 0, Points.Length, q, p, bestD, bestI);
        }

        private void Visit(int node, int lo, int hi, int q, in Point p, Span<float> bestD, Span<int> bestI)
        {
            if (hi - lo <= LeafSize)
            {
                int k = bestD.Length;
                for (int j = lo; j < hi; j++)
                {
                    if (j == q) continue;
                    ref readonly Point o = ref Points[j];
                    float dx = o.X - p.X, dy = o.Y - p.Y, dz = o.Z - p.Z;
                    float d = dx * dx + dy * dy + dz * dz;
                    if (d >= bestD[k - 1]) continue;
                    int s = k - 1;
                    while (s > 0 && bestD[s - 1] > d) { bestD[s] = bestD[s - 1]; bestI[s] = bestI[s - 1]; s--; }
                    bestD[s] = d;
                    bestI[s] = j;
                }
                return;
            }
            int mid = (lo + hi) >> 1;
            float diff = p[_dim[node]] - _split[node];
            if (diff < 0)
            {
                Visit(2 * node + 1, lo, mid, q, p, bestD, bestI);
                if (diff * diff < bestD[^1]) Visit(2 * node + 2, mid, hi, q, p, bestD, bestI);
            }
            else
            {
                Visit(2 * node + 2, mid, hi, q, p, bestD, bestI);
                if (diff * diff < bestD[^1]) Visit(2 * node + 1, lo, mid, q, p, bestD, bestI);
            }
        }
    }
}
