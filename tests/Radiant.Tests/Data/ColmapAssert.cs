using Radiant.Data;
using Radiant.Mathematics;

namespace Radiant.Tests.Data;

/// <summary>Comparisons of datasets read from different files of the same model.</summary>
internal static class ColmapAssert
{
    public static void Near(double expected, double actual, double tol, string what)
    {
        if (!(Math.Abs(expected - actual) <= tol))
            Assert.Fail($"{what}: expected {expected:R}, got {actual:R} (tolerance {tol})");
    }

    public static void Near(Vec3 expected, Vec3 actual, double tol, string what)
    {
        for (int i = 0; i < 3; i++) Near(expected[i], actual[i], tol, $"{what}[{i}]");
    }

    public static void Near(Mat3 expected, Mat3 actual, double tol, string what)
    {
        for (int r = 0; r < 3; r++)
            for (int c = 0; c < 3; c++) Near(expected[r, c], actual[r, c], tol, $"{what}[{r},{c}]");
    }

    public static void SameCamera(Camera a, Camera b, double tol)
    {
        string n = a.Name;
        Assert.Equal(a.Name, b.Name);
        Assert.Equal(a.Width, b.Width);
        Assert.Equal(a.Height, b.Height);
        Near(a.Fx, b.Fx, tol, n + " fx");
        Near(a.Fy, b.Fy, tol, n + " fy");
        Near(a.Cx, b.Cx, tol, n + " cx");
        Near(a.Cy, b.Cy, tol, n + " cy");
        Near(a.Rotation, b.Rotation, tol, n + " rotation");
        Near(a.Translation, b.Translation, tol, n + " translation");
        Assert.Equal(Path.GetFileName(a.ImagePath), Path.GetFileName(b.ImagePath));
        Assert.Equal(a.Distortion is null, b.Distortion is null);
        if (a.Distortion is { } da && b.Distortion is { } db)
        {
            Near(da.K1, db.K1, tol, n + " k1"); Near(da.K2, db.K2, tol, n + " k2");
            Near(da.P1, db.P1, tol, n + " p1"); Near(da.P2, db.P2, tol, n + " p2");
            Near(da.K3, db.K3, tol, n + " k3");
        }
    }

    public static void SameDataset(Dataset a, Dataset b, double tol)
    {
        Assert.Equal(a.Format, b.Format);
        Assert.Equal(a.Train.Count, b.Train.Count);
        Assert.Equal(a.Test.Count, b.Test.Count);
        for (int i = 0; i < a.Train.Count; i++) SameCamera(a.Train[i], b.Train[i], tol);
        for (int i = 0; i < a.Test.Count; i++) SameCamera(a.Test[i], b.Test[i], tol);
        Assert.Equal(a.Points is null, b.Points is null);
        if (a.Points is { } pa && b.Points is { } pb)
        {
            Assert.Equal(pa.Count, pb.Count);
            Assert.Equal(pa.Colors, pb.Colors);
            for (int i = 0; i < pa.Positions.Length; i++) Near(pa.Positions[i], pb.Positions[i], tol, $"point coordinate {i}");
        }
    }
}
