using System.CommandLine;
using System.Globalization;
using Radiant.Export;
using Radiant.Export.Compact;

namespace Radiant.Cli.Commands;

/// <summary><c>radiant convert IN OUT</c>: a model from one file format to another, chosen by the extensions.</summary>
public static class ConvertCommand
{
    public static Command Create()
    {
        var input = new Argument<string>("in") { Description = $"Training output folder or model file ({ModelFormats.Extensions}; a .ply's header tells standard from compressed)" };
        var output = new Argument<string>("out") { Description = $"Model file to write; the format follows the extension ({ModelFormats.Extensions})" };
        var spzVersion = new Option<int>("--spz-version") { Description = ".spz version to write: 3 (smallest-three rotations) or 2", DefaultValueFactory = _ => 3 };
        var codec = new Option<string>("--codec") { Description = ".rgc entropy coder: brotli, deflate or none", DefaultValueFactory = _ => "brotli" };
        var codebook = new Option<int>("--sh-codebook") { Description = ".rgc k-means codebook entries for the higher SH (0: per-Gaussian half floats)", DefaultValueFactory = _ => 4096 };
        var command = new Command("convert", "Convert a Gaussian model between .ply, .compressed.ply, .splat, .spz and Radiant's compact .rgc")
        {
            input, output, spzVersion, codec, codebook,
        };
        CommandRunner.SetAction(command, (result, console) =>
        {
            string inPath = ModelFile.Resolve(result.GetValue(input)!), outPath = result.GetValue(output)!;
            ModelWriteOptions options = ReadWriteOptions(result, spzVersion, codec, codebook);
            if (ModelFormats.FromExtension(outPath) is null)
                throw new RadiantException(outPath, $"unknown model file extension (use one of {ModelFormats.Extensions})");
            GaussianPlyData model = ModelFormats.Read(inPath);
            long inBytes = new FileInfo(inPath).Length;   // before the write, which may replace the input
            console.Steps(report =>
            {
                ModelFormats.Write(outPath, model.Gaussians, options with { MipFilter2D = model.MipFilter2D }, report);
                return 0;
            });
            long outBytes = new FileInfo(outPath).Length;
            ModelFormat format = ModelFormats.FromExtension(outPath)!.Value;
            // .splat holds colour only (degree 0); every other format keeps the model's degree.
            int writtenDegree = format == ModelFormat.Splat ? 0 : model.Gaussians.ShDegree;
            string ratio = outBytes <= inBytes ? $"{(double)inBytes / Math.Max(1, outBytes):0.00}x smaller" : $"{(double)outBytes / Math.Max(1, inBytes):0.00}x larger";
            console.Line(string.Create(CultureInfo.InvariantCulture,
                $"wrote {outPath}: {model.Gaussians.Count} Gaussians, SH degree {writtenDegree}, {outBytes} bytes ({ratio} than {Path.GetFileName(inPath)}, {inBytes} bytes)"));
            if (model.MipFilter2D && !ModelFormats.KeepsMipFilterMark(format))
                console.Line($"note: the model renders with the 2D Mip filter, which {Path.GetExtension(outPath)} has no place to record: readers of this file render it with the 0.3 px² dilation instead, which enlarges small splats and can cost several dB of PSNR (.spz, .compressed.ply, .rgc and .ply keep the mark)");
            return 0;
        });
        return command;
    }

    /// <summary>The format options shared by <c>convert</c> and <c>compress</c>.</summary>
    internal static ModelWriteOptions ReadWriteOptions(ParseResult result, Option<int> spzVersion, Option<string> codec, Option<int> codebook)
    {
        int version = result.GetValue(spzVersion);
        if (version is not (2 or 3)) throw new RadiantException($"--spz-version must be 2 or 3 (got {version}); version 4 (zstd) is not supported");
        CompactCodec c = (result.GetValue(codec) ?? "brotli").ToLowerInvariant() switch
        {
            "brotli" => CompactCodec.Brotli,
            "deflate" => CompactCodec.Deflate,
            "none" => CompactCodec.Stored,
            string other => throw new RadiantException($"--codec '{other}' is not brotli, deflate or none"),
        };
        int entries = result.GetValue(codebook);
        if (entries is < 0 or > 65536) throw new RadiantException($"--sh-codebook must be 0..65536 (got {entries})");
        return new ModelWriteOptions { SpzVersion = version, Compact = new CompactOptions { Codec = c, ShCodebookEntries = entries } };
    }
}
