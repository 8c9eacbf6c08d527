using System.Buffers.Binary;

namespace Radiant.Imaging.Png;

/// <summary>
/// The single transparent colour of a greyscale or RGB image, from tRNS (PNG spec §11.3.2.1): pixels
/// whose raw samples equal it get alpha 0, all others alpha 1. The comparison is on the samples as
/// stored, before scaling; only the low <c>bitDepth</c> bits of the key are significant.
/// </summary>
internal readonly record struct PngColorKey(int R, int G, int B)
{
    public static PngColorKey Parse(ReadOnlySpan<byte> trns, PngHeader header)
    {
        int mask = header.MaxSample;
        switch (header.ColorType)
        {
            case PngColorType.Greyscale:
                if (trns.Length != 2) throw new InvalidDataException($"PNG tRNS chunk for a greyscale image has length {trns.Length}, expected 2");
                int grey = BinaryPrimitives.ReadUInt16BigEndian(trns) & mask;
                return new PngColorKey(grey, grey, grey);
            case PngColorType.Truecolor:
                if (trns.Length != 6) throw new InvalidDataException($"PNG tRNS chunk for an RGB image has length {trns.Length}, expected 6");
                return new PngColorKey(
                    BinaryPrimitives.ReadUInt16BigEndian(trns) & mask,
                    BinaryPrimitives.ReadUInt16BigEndian(trns[2..]) & mask,
                    BinaryPrimitives.ReadUInt16BigEndian(trns[4..]) & mask);
            default:
                throw new InvalidOperationException("a colour key exists only for greyscale and RGB images");
        }
    }
}
