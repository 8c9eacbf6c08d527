namespace Radiant.Imaging.Png;

/// <summary>
/// Reads sample number <c>i</c> of an unfiltered scanline (PNG spec §7.2: samples are packed
/// big-endian, sub-byte samples leftmost in the high bits). One struct per bit depth so that the
/// generic row loops in <see cref="PngPixelWriter"/> are specialised by the JIT, with no per-sample
/// branching on the depth.
/// </summary>
internal interface IPngSampleReader
{
    static abstract int Read(ReadOnlySpan<byte> row, int i);
}

internal struct Samples1 : IPngSampleReader
{
    public static int Read(ReadOnlySpan<byte> row, int i) => (row[i >> 3] >> (7 - (i & 7))) & 1;
}

internal struct Samples2 : IPngSampleReader
{
    public static int Read(ReadOnlySpan<byte> row, int i) => (row[i >> 2] >> (6 - 2 * (i & 3))) & 3;
}

internal struct Samples4 : IPngSampleReader
{
    public static int Read(ReadOnlySpan<byte> row, int i) => (row[i >> 1] >> (4 - 4 * (i & 1))) & 15;
}

internal struct Samples8 : IPngSampleReader
{
    public static int Read(ReadOnlySpan<byte> row, int i) => row[i];
}

internal struct Samples16 : IPngSampleReader
{
    public static int Read(ReadOnlySpan<byte> row, int i) => row[2 * i] << 8 | row[2 * i + 1];
}
