using Radiant.Data;
using Radiant.Tests.Imaging;
using Radiant.Tests.Support;

namespace Radiant.Tests.Data;

/// <summary>
/// <see cref="ImageFiles.HasAlpha"/> from headers must agree with what the decoder produces: RGBA for
/// alpha colour types and for grey/RGB/palette images with a tRNS chunk.
/// </summary>
public class ImageFilesAlphaTests
{
    [Theory]
    [InlineData(0, false, false)]
    [InlineData(0, true, true)]
    [InlineData(2, false, false)]
    [InlineData(2, true, true)]
    [InlineData(3, false, false)]
    [InlineData(3, true, true)]
    [InlineData(4, false, true)]
    [InlineData(6, false, true)]
    public void Header_alpha_flag_matches_the_decoded_channels(int colorType, bool transparency, bool expected)
    {
        using var dir = new TempDir("alpha-flag");
        const int w = 5, h = 3;
        int spp = colorType switch { 0 or 3 => 1, 4 => 2, 2 => 3, _ => 4 };
        var samples = new int[w * h * spp];
        for (int i = 0; i < samples.Length; i++) samples[i] = i % 4;
        var img = new PngTestImage
        {
            Width = w, Height = h, ColorType = colorType, BitDepth = 8, Samples = samples,
            Palette = colorType == 3 ? [255, 0, 0, 0, 255, 0, 0, 0, 255, 9, 9, 9] : null,
            PaletteAlpha = colorType == 3 && transparency ? [0, 128] : null,
            ColorKey = colorType is 0 or 2 && transparency ? (colorType == 0 ? [1] : [1, 2, 3]) : null,
            ExtraChunks = true,   // gAMA and tEXt before, an unknown chunk between tRNS and IDAT
        };
        string path = dir.File("a.png");
        File.WriteAllBytes(path, PngTestWriter.Write(img));
        Assert.Equal(expected, ImageFiles.HasAlpha(path));
        Assert.Equal(expected, Radiant.Imaging.ImageIO.Load(path).HasAlpha);
    }
}
