using Radiant.Export;
using Radiant.Export.Compact;
using Radiant.Model;
using Radiant.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace Radiant.Tests.Export.Compact;

/// <summary>Write → read for every compact format equals the model within the format's quantisation bounds.</summary>
public class CompactFormatRoundTripTests(ITestOutputHelper output)
{
    private const float C0 = GaussianSet.ShC0;

    // .splat: positions and scales are f32 (log/exp round trip ~1e-6), colour and alpha round to 1/255
    // (DC error ≤ 0.5/255/C0), rotation components to 1/128 (|q·q'| ≥ 1 − (2·0.5/128)²/2 ≈ 0.99997).
    internal static readonly Bounds Splat = new(0, 2e-6, 0.5 / 255 + 1e-6, 0.5 / 255 / C0 + 1e-5, 0, 0.9998);
    // .spz: 12 fractional bits (0.5/4096), log scale 1/16 (0.5/16), alpha 1/255, colour 1/(0.15·255)
    // (0.5/38.25), degree-2+ SH in buckets of 16/128 (8/128 + 0.5/128); v3 rotations 9-bit smallest three.
    internal static readonly Bounds Spz = new(0.5 / 4096 + 1e-6, 0.5 / 16 + 1e-5, 0.5 / 255 + 1e-6, 0.5 / 38.25 + 1e-5, 8.5 / 128 + 1e-5, 0.99999);
    // compressed.ply: 10 bits over at most the whole extent for positions (6.2/2046) and log scales (5/2046),
    // colour 8 bits over its chunk range (≤ 0.85/510/C0), opacity 1/510, SH 8/256 steps decoded at the centre (0.5·8/256).
    internal static readonly Bounds CompressedPly = new(6.2 / 2046 + 1e-5, 5.0 / 2046 + 1e-5, 1.0 / 510 + 1e-6, 0.85 / 510 / C0 + 1e-5, 4.0 / 256 + 1e-5, 0.99999);
    // .rgc without codebook: positions 16 bits over the extent (6.2/131070), log scales 8 bits over
    // their range (5/510), opacity 1/510, DC (|v| ≤ 1.5) and higher SH (|v| ≤ 0.4) as half floats (relative 2⁻¹¹).
    internal static readonly Bounds Rgc = new(6.2 / 131070 + 1e-6, 5.0 / 510 + 1e-5, 1.0 / 510 + 1e-6, 1.5 / 2048 + 1e-6, 0.4 / 2048 + 1e-6, 0.99999);

    /// <summary>Writes <paramref name="g"/> as <paramref name="writeAs"/> (default: <paramref name="name"/>), renames it to <paramref name="name"/> and reads it back.</summary>
    private Bounds RoundTrip(string name, GaussianSet g, Bounds bounds, bool sameOrder, int degree, ModelWriteOptions? options = null, string? writeAs = null)
    {
        using var dir = new TempDir("compact");
        string path = dir.File(name), written = dir.File(writeAs ?? name);
        ModelFormats.Write(written, g, options);
        if (written != path) File.Move(written, path);
        GaussianSet back = ModelFile.Load(path).Gaussians;
        Bounds seen = CompactTestModels.AssertClose(g, back, bounds, sameOrder, degree);
        output.WriteLine($"{name}: {new FileInfo(path).Length} bytes for {g.Count} Gaussians; largest errors {seen}");
        return seen;
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Spz_keeps_the_2d_mip_filter_mark_in_its_antialiased_flag(bool mipFilter)
    {
        using var dir = new TempDir("compact");
        string path = dir.File("m.spz");
        ModelFormats.Write(path, CompactTestModels.Random(20, 1), new ModelWriteOptions { MipFilter2D = mipFilter });
        using (var gz = new System.IO.Compression.GZipStream(File.OpenRead(path), System.IO.Compression.CompressionMode.Decompress))
        {
            var header = new byte[16];
            gz.ReadExactly(header);
            Assert.Equal(mipFilter ? 1 : 0, header[14]);   // flags: 1 = antialiased
        }
        Assert.Equal(mipFilter, ModelFormats.Read(path).MipFilter2D);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Compressed_ply_keeps_the_2d_mip_filter_mark_in_a_header_comment(bool mipFilter)
    {
        using var dir = new TempDir("compact");
        string path = dir.File("m.compressed.ply");
        ModelFormats.Write(path, CompactTestModels.Random(20, 1), new ModelWriteOptions { MipFilter2D = mipFilter });
        string header = System.Text.Encoding.ASCII.GetString(File.ReadAllBytes(path));
        Assert.Equal(mipFilter, header[..header.IndexOf("end_header")].Contains("\ncomment mip_filter_2d 0.1\n"));
        Assert.Equal(mipFilter, ModelFormats.Read(path).MipFilter2D);
    }

    [Fact]
    public void Splat_round_trip_keeps_degree_zero_within_bounds() =>
        RoundTrip("m.splat", CompactTestModels.Random(500, 3), Splat, sameOrder: false, degree: 0);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    public void Spz_version_3_round_trip_within_bounds(int degree) =>
        RoundTrip("m.spz", CompactTestModels.Random(500, degree), Spz, sameOrder: true, degree);

    /// <summary>Version 2 recovers w = √(1 − x² − y² − z²), badly conditioned when w is small: measured min |q·q'| = 0.9947 on these 500 random rotations (v3: 0.999999).</summary>
    [Fact]
    public void Spz_version_2_round_trip_within_bounds() =>
        RoundTrip("m.spz", CompactTestModels.Random(500, 2), Spz with { RotationDot = 0.99 }, sameOrder: true, degree: 2,
                  new ModelWriteOptions { SpzVersion = 2 });

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public void Compressed_ply_round_trip_within_bounds(int degree) =>
        RoundTrip("m.compressed.ply", CompactTestModels.Random(700, degree), CompressedPly, sameOrder: false, degree);

    [Fact]
    public void Compressed_ply_is_recognised_by_its_header_under_a_plain_ply_name() =>
        RoundTrip("renamed.ply", CompactTestModels.Random(300, 1), CompressedPly, sameOrder: false, degree: 1,
                  options: null, writeAs: "m.compressed.ply");

    [Theory]
    [InlineData(CompactCodec.Brotli)]
    [InlineData(CompactCodec.Deflate)]
    [InlineData(CompactCodec.Stored)]
    public void Rgc_round_trip_without_codebook_within_bounds(CompactCodec codec) =>
        RoundTrip("m.rgc", CompactTestModels.Random(600, 3), Rgc, sameOrder: false, degree: 3,
                  new ModelWriteOptions { Compact = new CompactOptions { Codec = codec, ShCodebookEntries = 0 } });

    /// <summary>With as many codebook entries as Gaussians every SH vector is its own centre: only half-float error remains.</summary>
    [Fact]
    public void Rgc_with_a_full_codebook_is_exact_up_to_half_floats() =>
        RoundTrip("m.rgc", CompactTestModels.Random(300, 2), Rgc, sameOrder: false, degree: 2,
                  new ModelWriteOptions { Compact = new CompactOptions { ShCodebookEntries = 300, MinGaussiansPerEntry = 1 } });

    /// <summary>SH vectors drawn around 16 centres: a 16-entry codebook recovers them to within the spread (0.01) plus half precision.</summary>
    [Fact]
    public void Rgc_codebook_recovers_clustered_sh()
    {
        GaussianSet g = CompactTestModels.Random(400, 1);
        var rng = new Radiant.Mathematics.Rng(9);
        var centres = new float[16 * 9];
        for (int j = 0; j < centres.Length; j++) centres[j] = -0.4f + 0.8f * rng.NextFloat();
        for (int i = 0; i < g.Count; i++)
            for (int j = 0; j < 9; j++) g.Sh[i * 12 + 3 + j] = centres[(i % 16) * 9 + j] + 0.01f * (2 * rng.NextFloat() - 1);
        RoundTrip("m.rgc", g, Rgc with { Rest = 0.02 + 0.4 / 2048 }, sameOrder: false, degree: 1,
                  new ModelWriteOptions { Compact = new CompactOptions { ShCodebookEntries = 16, MinGaussiansPerEntry = 1 } });
    }

    [Fact]
    public void Standard_ply_from_every_format_through_convert()
    {
        using var dir = new TempDir("convert");
        GaussianSet g = CompactTestModels.Random(300, 3);
        string source = dir.File("source.ply");
        GaussianPly.Write(source, g);
        foreach (var (ext, bounds, degree) in new[] { ("spz", Spz, 3), ("compressed.ply", CompressedPly, 3), ("splat", Splat, 0), ("rgc", Rgc with { Rest = 0.9 }, 3) })
        {
            string compact = dir.File($"m.{ext}"), back = dir.File($"back-{ext.Replace('.', '-')}.ply");
            var (code1, out1, err1) = CliRunner.Run("convert", source, compact);
            Assert.True(code1 == 0, err1);
            var (code2, _, err2) = CliRunner.Run("convert", compact, back);
            Assert.True(code2 == 0, err2);
            GaussianPlyData ply = GaussianPly.Read(back);
            CompactTestModels.AssertClose(g, ply.Gaussians, bounds, sameOrder: false, degree);
            output.WriteLine(out1.Trim());
            if (ext == "rgc")
            {
                // The slow steps of an .rgc write say how far they are (plain log lines off a terminal).
                Assert.Contains("SH codebook of 37 (k-means): 12/12", out1);
                Assert.Contains("entropy coding (Brotli, 0.0 MiB): 1/1", out1);
            }
        }
    }

    /// <summary>The .splat record layout, byte for byte, and the descending volume·alpha order.</summary>
    [Fact]
    public void Splat_known_bytes_and_order()
    {
        var g = new GaussianSet(2, 1);
        // Gaussian 0: small (scale 1·1·1, alpha 0.5) → written second.
        g.Means[0] = 9; g.OpacityLogits[0] = 0;
        // Gaussian 1: scales e⁰, volume 1, alpha sigmoid(2) = 0.8808 → first.
        g.Means[3] = 1; g.Means[4] = -2; g.Means[5] = 0.5f;
        g.OpacityLogits[1] = 2;
        g.Sh[12 + 0] = 1; g.Sh[12 + 1] = -1; g.Sh[12 + 2] = 0.5f;
        g.Sh[12 + 3] = 0.3f; // higher SH: dropped
        g.Rotations[4] = 2; g.Rotations[5] = 2; g.Rotations[6] = 2; g.Rotations[7] = 2;
        byte[] bytes = SplatFile.Encode(g);
        Assert.Equal(64, bytes.Length);
        byte[] expected =
        [
            0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x00, 0xC0, 0x00, 0x00, 0x00, 0x3F, // position 1, −2, 0.5
            0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x80, 0x3F, // scale exp(0) = 1
            199, 56, 163, 225,                                                      // 255·(0.5 + C0·(1, −1, 0.5)), 255·sigmoid(2)
            192, 192, 192, 192,                                                     // 128·0.5 + 128
        ];
        Assert.Equal(expected, bytes[..32]);
        Assert.Equal([0x00, 0x00, 0x10, 0x41], bytes[32..36]); // 9.0f: the smaller Gaussian second
        Assert.Equal([128, 128, 128, 128, 255, 128, 128, 128], bytes[56..64]); // alpha 0.5 → 127.5 → 128 (to even); identity rotation, w 256 clamped
    }
}
