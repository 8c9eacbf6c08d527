using Radiant.Capture;
using Radiant.Mathematics;

namespace Radiant.Tests.Support;

/// <summary>
/// The similarity y ≈ c R x + t minimising Σ|yᵢ − (c R xᵢ + t)|² (Umeyama 1991). The rotation is
/// found with Horn's (1987) closed form, which stays correct for nearly coplanar points (a ring of
/// cameras), where the sign of det Σxy is noise: with S = Σ (xᵢ − μx)(yᵢ − μy)ᵀ, the unit quaternion
/// of R is the eigenvector of the largest eigenvalue of Horn's symmetric 4×4 matrix N(S) (cyclic
/// Jacobi sweeps). Then c = tr(Rᵀ Σxy) / σx² (Umeyama's scale) and t = μy − c R μx.
/// </summary>
internal static class SimilarityAlignment
{
    public static SimilarityTransform Umeyama(IReadOnlyList<Vec3> x, IReadOnlyList<Vec3> y)
    {
        if (x.Count != y.Count || x.Count < 3) throw new ArgumentException("need three or more point pairs");
        int n = x.Count;
        Vec3 mx = x.Aggregate(Vec3.Zero, (s, p) => s + p) / n, my = y.Aggregate(Vec3.Zero, (s, p) => s + p) / n;
        var s = new double[3, 3];
        double varX = 0;
        for (int i = 0; i < n; i++)
        {
            Vec3 a = x[i] - mx, b = y[i] - my;
            for (int r = 0; r < 3; r++)
                for (int c = 0; c < 3; c++) s[r, c] += a[r] * b[c];
            varX += a.Dot(a);
        }
        double[,] m =
        {
            { s[0, 0] + s[1, 1] + s[2, 2], s[1, 2] - s[2, 1], s[2, 0] - s[0, 2], s[0, 1] - s[1, 0] },
            { s[1, 2] - s[2, 1], s[0, 0] - s[1, 1] - s[2, 2], s[0, 1] + s[1, 0], s[2, 0] + s[0, 2] },
            { s[2, 0] - s[0, 2], s[0, 1] + s[1, 0], -s[0, 0] + s[1, 1] - s[2, 2], s[1, 2] + s[2, 1] },
            { s[0, 1] - s[1, 0], s[2, 0] + s[0, 2], s[1, 2] + s[2, 1], -s[0, 0] - s[1, 1] + s[2, 2] },
        };
        double[] q = LargestEigenvector(m);
        Mat3 rotation = Mat3.FromQuaternion(q[0], q[1], q[2], q[3]);
        // tr(Rᵀ S) with S = n Σxy transposed: Σᵢ (R aᵢ)·bᵢ.
        double trace = 0;
        for (int i = 0; i < n; i++) trace += (rotation * (x[i] - mx)).Dot(y[i] - my);
        double scale = trace / varX;
        return new SimilarityTransform(scale, rotation, my - rotation * mx * scale);
    }

    /// <summary>Cyclic Jacobi rotations on a symmetric 4×4 matrix; returns the eigenvector of its largest eigenvalue.</summary>
    private static double[] LargestEigenvector(double[,] a)
    {
        const int size = 4;
        var v = new double[size, size];
        for (int i = 0; i < size; i++) v[i, i] = 1;
        for (int sweep = 0; sweep < 50; sweep++)
        {
            double off = 0;
            for (int p = 0; p < size; p++)
                for (int q = p + 1; q < size; q++) off += a[p, q] * a[p, q];
            if (off < 1e-30) break;
            for (int p = 0; p < size; p++)
                for (int q = p + 1; q < size; q++)
                {
                    if (Math.Abs(a[p, q]) < 1e-300) continue;
                    // Angle that zeroes a[p,q]: tan 2θ = 2 a_pq / (a_qq − a_pp).
                    double theta = 0.5 * Math.Atan2(2 * a[p, q], a[q, q] - a[p, p]);
                    double c = Math.Cos(theta), s = Math.Sin(theta);
                    for (int k = 0; k < size; k++)
                    {
                        double akp = a[k, p], akq = a[k, q];
                        a[k, p] = c * akp - s * akq;
                        a[k, q] = s * akp + c * akq;
                    }
                    for (int k = 0; k < size; k++)
                    {
                        double apk = a[p, k], aqk = a[q, k];
                        a[p, k] = c * apk - s * aqk;
                        a[q, k] = s * apk + c * aqk;
                    }
                    for (int k = 0; k < size; k++)
                    {
                        double vkp = v[k, p], vkq = v[k, q];
                        v[k, p] = c * vkp - s * vkq;
                        v[k, q] = s * vkp + c * vkq;
                    }
                }
        }
        int best = 0;
        for (int i = 1; i < size; i++) if (a[i, i] > a[best, best]) best = i;
        return [v[0, best], v[1, best], v[2, best], v[3, best]];
    }
}
