using Radiant.Imaging.Png;

namespace Radiant.Tests.Imaging;

/// <summary>The encoder's vectorised filter choice against the plain per-byte algorithm it replaces.</summary>
public class PngFilterChoiceTests
{
    /// <summary>Every filter on every byte, the smallest sum of |residual as a signed byte| winning, the lower type on ties.</summary>
    private static byte[] Naive(byte[] row, byte[] prior, int bpp) => NaiveCandidates(row, prior, bpp).Best;

    /// <summary>The filter type and residuals of each filter, and the chosen one.</summary>
    private static (byte[][] Candidates, byte[] Best) NaiveCandidates(byte[] row, byte[] prior, int bpp)
    {
        var best = new byte[row.Length + 1];
        var candidates = new byte[5][];
        long bestScore = long.MaxValue;
        for (int f = 0; f < 5; f++)
        {
            var candidate = candidates[f] = new byte[row.Length + 1];
            candidate[0] = (byte)f;
            long score = 0;
            for (int i = 0; i < row.Length; i++)
            {
                int a = i >= bpp ? row[i - bpp] : 0, b = prior[i], c = i >= bpp ? prior[i - bpp] : 0;
                int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
                int paeth = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
                int predicted = f switch { 0 => 0, 1 => a, 2 => b, 3 => (a + b) / 2, _ => paeth };
                byte residual = (byte)(row[i] - predicted);
                candidate[i + 1] = residual;
                score += Math.Abs((int)(sbyte)residual);
            }
            if (score < bestScore) { bestScore = score; best = candidate; }
        }
        return (candidates, best);
    }

    public static TheoryData<int, int> Rows => new()
    {
        { 1, 3 }, { 2, 3 }, { 31, 3 }, { 34, 3 }, { 35, 3 }, { 96, 3 }, { 133, 3 }, { 5000, 3 },
        { 36, 4 }, { 260, 4 }, { 44, 6 }, { 390, 6 }, { 40, 8 }, { 1000, 8 }, { 33, 1 },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void Matches_the_per_byte_algorithm_on_random_smooth_and_flat_rows(int length, int bpp)
    {
        var rng = new Random(length * 31 + bpp);
        var chosen = new int[5];
        for (int kind = 0; kind < 12; kind++)
        {
            byte[] prior = Make(rng, length, kind % 4), row = Make(rng, length, kind / 4 % 4);
            if (kind == 11) row = (byte[])prior.Clone();   // Up's residuals all zero
            var output = new byte[length + 1];
            var scratch = new byte[5 * length];
            int filter = PngFilterChoice.Filter(row, prior, bpp, output, scratch);
            (byte[][] candidates, byte[] best) = NaiveCandidates(row, prior, bpp);
            Assert.Equal(best, output);
            Assert.Equal(output[0], filter);
            for (int f = 0; f < 5; f++) Assert.Equal(candidates[f][1..], scratch[(f * length)..((f + 1) * length)]);
            chosen[filter]++;
        }
        if (length >= 96) Assert.True(chosen.Count(c => c > 0) >= 2, "the rows should make more than one filter win");
    }

    [Theory]
    [InlineData(3 + 256 * 32)]
    [InlineData(3 + 1000 * 32)]
    public void Long_rows_do_not_overflow_the_score_sums(int length)
    {
        // A row of 128s over a row of zeros: None, Up and Average leave residuals of 128 and 64 on
        // every byte, Sub and Paeth 128 on the first pixel only, so Sub wins. Sums of 128s kept in
        // 16-bit lanes too long would wrap (256 vectors of 32 such bytes make 65,536 a lane) and
        // None's would shrink to Sub's, winning the tie.
        const int bpp = 3;
        var row = new byte[length];
        Array.Fill(row, (byte)128);
        var prior = new byte[length];
        var output = new byte[length + 1];
        Assert.Equal(1, PngFilterChoice.Filter(row, prior, bpp, output, new byte[5 * length]));
        Assert.Equal(Naive(row, prior, bpp), output);
    }

    private static byte[] Make(Random rng, int length, int kind)
    {
        var bytes = new byte[length];
        for (int i = 0; i < length; i++)
            bytes[i] = kind switch
            {
                0 => (byte)rng.Next(256),
                1 => (byte)(i * 7 / 5 + rng.Next(3)),
                2 => 200,
                _ => (byte)(i % 9 * 30),
            };
        return bytes;
    }
}
