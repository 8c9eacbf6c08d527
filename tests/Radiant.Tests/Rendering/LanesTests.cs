using System.Runtime.Intrinsics;
using Radiant.Rendering;

namespace Radiant.Tests.Rendering;

public class LanesTests
{
    /// <summary>
    /// The batch loads equal plain indexing, for consecutive ids (loads and the stride-3
    /// deinterleave) and for any other ids (gathers): a short batch padded with its last id, a
    /// gappy batch, a reversed run, and runs at the very start and end of the array.
    /// </summary>
    [Fact]
    public void Batch_loads_equal_indexing_for_consecutive_and_other_ids()
    {
        const int n = 40;
        var values = new float[n];
        var triples = new float[3 * n];
        for (int i = 0; i < n; i++) values[i] = 1000 + i;
        for (int i = 0; i < 3 * n; i++) triples[i] = -i - 0.5f;
        int[][] batches =
        [
            [0, 1, 2, 3, 4, 5, 6, 7],
            [32, 33, 34, 35, 36, 37, 38, 39],
            [11, 12, 13, 14, 15, 16, 17, 18],
            [5, 6, 7],
            [3, 4, 5, 6, 7, 8, 9, 11],
            [18, 17, 16, 15, 14, 13, 12, 11],
        ];
        foreach (int[] batch in batches)
        {
            Vector256<int> ids = Lanes.Ids(batch);
            Assert.Equal(batch.Length == 8 && batch.Select((id, k) => id - k).Distinct().Count() == 1, Lanes.Consecutive(ids));
            Vector256<float> single = Lanes.Load(values, ids);
            Lanes.LoadTriples(triples, ids, out var x, out var y, out var z);
            for (int k = 0; k < 8; k++)
            {
                int id = batch[Math.Min(k, batch.Length - 1)];
                Assert.Equal(values[id], single[k]);
                Assert.Equal(triples[3 * id], x[k]);
                Assert.Equal(triples[3 * id + 1], y[k]);
                Assert.Equal(triples[3 * id + 2], z[k]);
            }
        }
    }

    /// <summary>
    /// The batch adds equal adding lane by lane into each Gaussian's row: for 8 consecutive ids
    /// (vector adds after interleaving the columns), a short batch (only its own lanes), a gappy
    /// and a reversed batch, and runs at both ends of the arrays; other rows stay untouched.
    /// </summary>
    [Fact]
    public void Batch_adds_equal_adding_lane_by_lane()
    {
        const int n = 40;
        (int[] Ids, int Count)[] batches =
        [
            ([0, 1, 2, 3, 4, 5, 6, 7], 8),
            ([32, 33, 34, 35, 36, 37, 38, 39], 8),
            ([11, 12, 13, 14, 15, 16, 17, 18], 8),
            ([5, 6, 7], 3),
            ([3, 4, 5, 6, 7, 8, 9, 11], 8),
            ([18, 17, 16, 15, 14, 13, 12, 11], 8),
        ];
        foreach (var (batch, count) in batches)
        {
            Vector256<int> ids = Lanes.Ids(batch);
            Vector256<float>[] columns = [.. Enumerable.Range(0, 4).Select(m => Vector256.Create(0.5f + m) + Vector256<float>.Indices * 10)];
            foreach (int width in new[] { 1, 2, 3, 4 })
            {
                float[] actual = [.. Enumerable.Range(0, width * n).Select(i => i * 0.001f)];
                float[] expected = (float[])actual.Clone();
                for (int k = 0; k < count; k++)
                    for (int m = 0; m < width; m++)
                        expected[width * batch[k] + m] += columns[m][k];
                switch (width)
                {
                    case 1: Lanes.Add(actual, ids, count, columns[0]); break;
                    case 2: Lanes.AddPairs(actual, ids, count, columns[0], columns[1]); break;
                    case 3: Lanes.AddTriples(actual, ids, count, columns[0], columns[1], columns[2]); break;
                    default: Lanes.AddQuads(actual, ids, count, columns[0], columns[1], columns[2], columns[3]); break;
                }
                Assert.Equal(expected, actual);
            }
        }
    }

    /// <summary>The 8-local form of LoadRows transposes rows of a 9-float record (the rasterizer's gradient) to columns.</summary>
    [Fact]
    public void Row_loads_transpose_records_to_columns()
    {
        var records = new float[9 * 8];
        for (int i = 0; i < records.Length; i++) records[i] = i * 0.25f;
        Vector256<int> start = Vector256<int>.Indices * 9;
        Lanes.LoadRows(records, start, out var c0, out var c1, out var c2, out var c3, out var c4, out var c5, out var c6, out var c7);
        Vector256<float>[] columns = [c0, c1, c2, c3, c4, c5, c6, c7];
        for (int m = 0; m < 8; m++)
            for (int k = 0; k < 8; k++)
                Assert.Equal(records[9 * k + m], columns[m][k]);
        Assert.Throws<ArgumentOutOfRangeException>(() => Lanes.LoadRows(records, start + Vector256.Create(2), out _, out _, out _, out _, out _, out _, out _, out _));
    }
}
