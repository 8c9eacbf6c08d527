using System.Runtime.Intrinsics;
using Radiant.Model;
using Radiant.Rendering;

namespace Radiant.Tests.Rendering;

public class SphericalHarmonicsTests
{
    private static float[] RandomCoefficients(Random rng, double spread)
    {
        var sh = new float[48];
        for (int c = 0; c < 3; c++) sh[c] = TestScenes.Uniform(rng, 0.1, 0.9);
        for (int k = 3; k < 48; k++) sh[k] = TestScenes.Uniform(rng, -spread, spread);
        return sh;
    }

    /// <summary>Backward, with its factored SH gradient expanded to all 48 coefficients.</summary>
    private static float[] BackwardExpanded(float[] sh, int degree, float vx, float vy, float vz, float dr, float dg, float db, int clampMask,
                                            out float dvx, out float dvy, out float dvz)
    {
        SphericalHarmonics.Backward(sh, degree, vx, vy, vz, dr, dg, db, clampMask, out Vec3f dColour, out dvx, out dvy, out dvz);
        var dSh = new float[48];
        SphericalHarmonics.ExpandGradient(vx, vy, vz, degree, dColour.X, dColour.Y, dColour.Z, dSh);
        return dSh;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Colour_matches_the_reference_basis(int degree)
    {
        var rng = new Random(11 + degree);
        float[] sh = RandomCoefficients(rng, 0.3);
        float vx = 0.3f, vy = -1.2f, vz = 0.8f;
        SphericalHarmonics.Evaluate(sh, degree, vx, vy, vz, out float r, out float g, out float b);
        double l = Math.Sqrt(vx * vx + vy * vy + vz * vz);
        double[] basis = NaiveReference.ShBasis(vx / l, vy / l, vz / l, degree);
        float[] got = [r, g, b];
        for (int c = 0; c < 3; c++)
        {
            double expected = 0.5;
            for (int k = 0; k < basis.Length; k++) expected += basis[k] * sh[3 * k + c];
            Assert.Equal(Math.Max(expected, 0), got[c], 5);
        }
    }

    /// <summary>
    /// The 8-lane evaluation reads a partial last row of coefficients whole when every lane's row
    /// lies inside the array, else gathers it: both, at every stored and active degree, give each
    /// lane the bits of the one-Gaussian evaluation (which sees only that Gaussian's coefficients).
    /// </summary>
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Eight_lanes_equal_one_Gaussian_at_a_time_up_to_the_array_end(int storedDegree)
    {
        int floats = 3 * SphericalHarmonics.CoefficientCount(storedDegree);
        var rng = new Random(40 + storedDegree);
        foreach (int count in new[] { 8, 9, 10, 16 })
        {
            var sh = new float[count * floats];
            for (int k = 0; k < sh.Length; k++) sh[k] = TestScenes.Uniform(rng, -0.6, 0.6);
            var v = new float[3 * count];
            for (int k = 0; k < v.Length; k++) v[k] = TestScenes.Uniform(rng, -1, 1);
            foreach (int first in new[] { 0, count - 8 })
                for (int degree = 0; degree <= storedDegree; degree++)
                {
                    var ids = Vector256.Create(first) + Vector256<int>.Indices;
                    var vx = Vector256.Create(Enumerable.Range(first, 8).Select(i => v[3 * i]).ToArray());
                    var vy = Vector256.Create(Enumerable.Range(first, 8).Select(i => v[3 * i + 1]).ToArray());
                    var vz = Vector256.Create(Enumerable.Range(first, 8).Select(i => v[3 * i + 2]).ToArray());
                    var clamped = SphericalHarmonics.Evaluate(sh, ids * floats, degree, vx, vy, vz, out var r, out var g, out var b);
                    for (int lane = 0; lane < 8; lane++)
                    {
                        int i = first + lane;
                        int expectedClamp = SphericalHarmonics.Evaluate(sh.AsSpan(i * floats, floats), degree, v[3 * i], v[3 * i + 1], v[3 * i + 2],
                                                                        out float er, out float eg, out float eb);
                        Assert.Equal(expectedClamp, clamped.GetElement(lane));
                        Assert.Equal(BitConverter.SingleToInt32Bits(er), BitConverter.SingleToInt32Bits(r.GetElement(lane)));
                        Assert.Equal(BitConverter.SingleToInt32Bits(eg), BitConverter.SingleToInt32Bits(g.GetElement(lane)));
                        Assert.Equal(BitConverter.SingleToInt32Bits(eb), BitConverter.SingleToInt32Bits(b.GetElement(lane)));
                    }
                }
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Gradients_match_finite_differences(int degree)
    {
        var rng = new Random(5 + degree);
        float[] sh = RandomCoefficients(rng, 0.2);
        float[] v = [0.7f, -0.4f, 1.1f];
        double[] w = [0.8, -1.3, 0.6];
        double Loss(float[] coefficients, float[] dir)
        {
            int clamped = SphericalHarmonics.Evaluate(coefficients, degree, dir[0], dir[1], dir[2], out float r, out float g, out float b);
            Assert.Equal(0, clamped);
            return w[0] * r + w[1] * g + w[2] * b;
        }

        float[] dSh = BackwardExpanded(sh, degree, v[0], v[1], v[2], (float)w[0], (float)w[1], (float)w[2], 0,
            out float dvx, out float dvy, out float dvz);

        int used = 3 * (degree + 1) * (degree + 1);
        var numericSh = new double[48];
        for (int k = 0; k < 48; k++)
        {
            float keep = sh[k];
            sh[k] = keep + 0.01f; double up = Loss(sh, v);
            sh[k] = keep - 0.01f; double down = Loss(sh, v);
            sh[k] = keep;
            numericSh[k] = (up - down) / 0.02;
        }
        GradientAssert.Close($"dSh (degree {degree})", dSh, numericSh, 2e-3);
        for (int k = used; k < 48; k++) Assert.Equal(0f, dSh[k]);

        var numericDir = new double[3];
        for (int a = 0; a < 3; a++)
        {
            float keep = v[a];
            v[a] = keep + 1e-3f; double up = Loss(sh, v); float hi = v[a];
            v[a] = keep - 1e-3f; double down = Loss(sh, v); float lo = v[a];
            v[a] = keep;
            numericDir[a] = (up - down) / (hi - lo);
        }
        if (degree == 0)
        {
            Assert.Equal(0f, dvx); Assert.Equal(0f, dvy); Assert.Equal(0f, dvz);
        }
        else
        {
            GradientAssert.Close($"dDirection (degree {degree})", [dvx, dvy, dvz], numericDir, 1e-2);
        }
    }

    [Fact]
    public void A_clamped_channel_passes_no_gradient()
    {
        var sh = new float[48];
        sh[0] = -3f; sh[1] = 0.4f; sh[2] = 0.2f;   // red far below zero: clamped
        sh[3 * 1] = 0.3f; sh[3 * 1 + 1] = 0.2f;
        int clamped = SphericalHarmonics.Evaluate(sh, 3, 0.2f, 0.5f, 1f, out float r, out _, out _);
        Assert.Equal(1, clamped);
        Assert.Equal(0f, r);
        float[] dSh = BackwardExpanded(sh, 3, 0.2f, 0.5f, 1f, 1f, 1f, 0f, clamped, out float dvx, out float dvy, out float dvz);
        for (int k = 0; k < 16; k++) Assert.Equal(0f, dSh[3 * k]);       // red: clamped
        Assert.NotEqual(0f, dSh[1]);                                      // green: flows
        Assert.True(Math.Abs(dvx) + Math.Abs(dvy) + Math.Abs(dvz) > 0);   // direction through green
    }

    /// <summary>
    /// The fused SH Adam step expands blocks of up to 8 Gaussians in vector lanes: bit for bit what
    /// the one-Gaussian expansion gives, for every model degree (rows of 3, 12, 27, 48 floats), an
    /// active degree below it, short blocks, and an unseen Gaussian (zero dL/dcolour) whose mean is
    /// NaN (its row must still be zeros).
    /// </summary>
    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 1)]
    [InlineData(2, 1)]
    [InlineData(3, 3)]
    [InlineData(3, 2)]
    public void Block_expansion_equals_the_one_Gaussian_expansion_bit_for_bit(int degree, int activeDegree)
    {
        var rng = new Random(degree * 10 + activeDegree);
        const int count = 21;
        var g = new GaussianSet(count, degree);
        for (int k = 0; k < g.Means.Length; k++) g.Means[k] = TestScenes.Uniform(rng, -2, 2);
        var grads = new GaussianGradients(g);
        for (int k = 0; k < grads.ShColourGrad.Length; k++) grads.ShColourGrad[k] = TestScenes.Uniform(rng, -1, 1);
        grads.ShColourGrad[3 * 5] = grads.ShColourGrad[3 * 5 + 1] = grads.ShColourGrad[3 * 5 + 2] = 0;
        g.Means[3 * 5] = float.NaN;
        grads.SetShView(0.3f, -4f, 1.2f, activeDegree);

        int stride = grads.ShStride;
        var expected = new float[stride];
        foreach (int blockLength in new[] { 8, 3, 1, 7 })
            for (int first = 0; first < count; first += blockLength)
            {
                int n = Math.Min(blockLength, count - first);
                var block = new float[n * stride];
                grads.ExpandSh(g, first, n, block);
                for (int k = 0; k < n; k++)
                {
                    grads.ExpandSh(g, first + k, expected);
                    float[] row = block.AsSpan(k * stride, stride).ToArray();
                    Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), row.Select(BitConverter.SingleToInt32Bits));
                    if (first + k == 5) Assert.All(row, v => Assert.Equal(0f, v));
                }
            }
    }
}
