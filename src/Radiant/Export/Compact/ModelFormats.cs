using Radiant.Formats.Ply;
using Radiant.Model;

namespace Radiant.Export.Compact;

/// <summary>The model file formats Radiant reads and writes.</summary>
public enum ModelFormat { Ply, CompressedPly, Splat, Spz, RadiantCompact }

/// <summary>Settings for writing a model in any format (each format uses the ones that apply).</summary>
public sealed record ModelWriteOptions
{
    /// <summary>.spz version written: 3 (smallest-three rotations) or 2.</summary>
    public int SpzVersion { get; init; } = 3;
    public CompactOptions Compact { get; init; } = new();
    /// <summary>Record that the model renders with the 2D Mip filter (.ply and .compressed.ply header comment, .spz and .rgc header flag; .splat cannot say).</summary>
    public bool MipFilter2D { get; init; }
}

/// <summary>
/// Picks a model format from a file name (<c>.compressed.ply</c> before <c>.ply</c>, <c>.splat</c>,
/// <c>.spz</c>, <c>.rgc</c>) and reads or writes it. Reading a <c>.ply</c> sniffs its header (a
/// compressed.ply may be named plain .ply); a file with another extension is recognised by its
/// first bytes (gzip → .spz, "RGCF", "ply").
/// </summary>
public static class ModelFormats
{
    public static readonly string Extensions = ".ply, .compressed.ply, .splat, .spz, .rgc";

    /// <summary>Whether the format records the 2D Mip filter mark (only .splat, bare records, has no place for it).</summary>
    public static bool KeepsMipFilterMark(ModelFormat format) => format != ModelFormat.Splat;

    public static ModelFormat? FromExtension(string path)
    {
        string name = Path.GetFileName(path).ToLowerInvariant();
        if (name.EndsWith(".compressed.ply", StringComparison.Ordinal)) return ModelFormat.CompressedPly;
        return Path.GetExtension(name) switch
        {
            ".ply" => ModelFormat.Ply,
            ".splat" => ModelFormat.Splat,
            ".spz" => ModelFormat.Spz,
            ".rgc" => ModelFormat.RadiantCompact,
            _ => null,
        };
    }

    /// <summary>Reads a model file of any supported format (the result's Filter3D only from a standard .ply).</summary>
    public static GaussianPlyData Read(string path)
    {
        ModelFormat format = FromExtension(path) ?? Sniff(path);
        return format switch
        {
            ModelFormat.Ply or ModelFormat.CompressedPly => ReadPly(path),
            ModelFormat.Splat => Wrap(SplatFile.Read(path)),
            ModelFormat.Spz => ReadSpz(path),
            _ => ReadCompact(path),
        };
    }

    /// <param name="progress">The slow steps of a write, as (step, done, total): so far only <c>.rgc</c>'s k-means and entropy coding report.</param>
    public static void Write(string path, GaussianSet g, ModelWriteOptions? options = null, Action<string, int, int>? progress = null)
    {
        options ??= new ModelWriteOptions();
        ModelFormat format = FromExtension(path)
            ?? throw new RadiantException(path, $"unknown model file extension (use one of {Extensions})");
        if (format != ModelFormat.Ply && g.SmoothingVariance is not null)
        {
            g = g.Clone();
            SmoothingFilter.Bake(g); // formats without a filter_3D field get it baked in, as the standard .ply
        }
        switch (format)
        {
            case ModelFormat.Ply: GaussianPly.Write(path, g, options.MipFilter2D); break;
            case ModelFormat.CompressedPly: CompressedPlyFile.Write(path, g, options.MipFilter2D); break;
            case ModelFormat.Splat: SplatFile.Write(path, g); break;
            case ModelFormat.Spz: SpzFile.Write(path, g, options.SpzVersion, antialiased: options.MipFilter2D); break;
            default: RadiantCompactFile.Write(path, g, options.Compact with { MipFilter2D = options.MipFilter2D }, progress); break;
        }
    }

    private static GaussianPlyData ReadCompact(string path)
    {
        GaussianSet g = RadiantCompactFile.Read(path, out bool mipFilter2D);
        return Wrap(g, mipFilter2D);
    }

    private static GaussianPlyData ReadSpz(string path)
    {
        GaussianSet g = SpzFile.Read(path, out bool antialiased);
        return Wrap(g, antialiased);
    }

    private static GaussianPlyData Wrap(GaussianSet g, bool mipFilter2D = false) =>
        new() { Gaussians = g, MipFilter2D = mipFilter2D, IgnoredProperties = [], Format = PlyFormat.BinaryLittleEndian };

    private static GaussianPlyData ReadPly(string path)
    {
        GaussianPlyData? compressed = CompactInput.Open(path, fs =>
        {
            PlyHeader header = PlyHeader.Read(fs, path);
            return CompressedPlyFile.IsCompressed(header) ? Wrap(CompressedPlyFile.Read(fs, header, path), GaussianPly.HasMipFilterMark(header)) : null;
        });
        return compressed ?? GaussianPly.Read(path);
    }

    private static ModelFormat Sniff(string path)
    {
        byte[] head = CompactInput.Open(path, fs =>
        {
            var b = new byte[4];
            return b[..fs.ReadAtLeast(b, 4, throwOnEndOfStream: false)];
        });
        if (head.Length >= 2 && head[0] == 0x1F && head[1] == 0x8B) return ModelFormat.Spz;
        if (head.AsSpan().SequenceEqual(RadiantCompactFile.Magic)) return ModelFormat.RadiantCompact;
        if (head.AsSpan().StartsWith("ply"u8)) return ModelFormat.Ply;
        throw new RadiantException(path, $"unknown model file type (use one of {Extensions}; a .splat must be named .splat)");
    }
}
