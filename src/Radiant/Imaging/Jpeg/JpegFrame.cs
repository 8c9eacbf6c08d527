using System.Buffers;

namespace Radiant.Imaging.Jpeg;

/// <summary>One image component of a frame (T.81 B.2.2: Ci, Hi, Vi, Tqi) and its decoded samples.</summary>
internal sealed class JpegComponent
{
    public int Id;              // Ci
    public int Index;           // position in the frame header
    public int H, V;            // sampling factors Hi, Vi
    public int Tq;              // quantization table selector Tqi

    /// <summary>Component size xi × yi in samples (A.1.1): ceil(X · Hi / Hmax) × ceil(Y · Vi / Vmax).</summary>
    public int Width, Height;

    /// <summary>Blocks per line / column of the sample plane, padded to whole MCUs of an interleaved scan (A.2.3).</summary>
    public int BlocksPerLine, BlocksPerColumn;

    /// <summary>Blocks coded in a non-interleaved scan (A.2.2): ceil(xi / 8) × ceil(yi / 8).</summary>
    public int CodedBlocksPerLine, CodedBlocksPerColumn;

    /// <summary>Reconstructed 8-bit samples, <see cref="Stride"/> bytes per line (rented, returned by <see cref="JpegFrame.ReturnBuffers"/>).</summary>
    public byte[] Samples = [];
    public int Stride => BlocksPerLine * 8;

    /// <summary>Quantized DCT coefficients in natural (row-major) order, 64 per block (progressive mode only).</summary>
    public short[] Coefficients = [];

    /// <summary>The quantization table Qk latched when the component first appears in a scan, in zig-zag and in natural order.</summary>
    public readonly float[] QuantZigZag = new float[64];
    public readonly float[] QuantNatural = new float[64];
    public bool QuantLatched;

    /// <summary>True once a scan has coded this component (sequential: completely).</summary>
    public bool Decoded;

    /// <summary>Progressive mode: bit k is set once a scan has coded coefficient k (zig-zag) down to bit 0 (Al = 0).</summary>
    public ulong FinalCoefficients;

    // State of the current scan.
    public int DcPredictor;    // PRED (F.2.1.3.1)
    public HuffmanTable? DcTable, AcTable;
}

/// <summary>The frame header (T.81 B.2.2) and the MCU geometry derived from it (A.2).</summary>
internal sealed class JpegFrame
{
    public byte Marker;            // SOF0, SOF1 or SOF2
    public bool Progressive => Marker == JpegMarkers.SOF2;
    public int Width, Height;      // X, Y
    public JpegComponent[] Components = [];
    public int Hmax, Vmax;
    /// <summary>MCUs per line and per column in an interleaved scan.</summary>
    public int McusPerLine, McusPerColumn;

    public void AllocateBuffers()
    {
        foreach (JpegComponent c in Components)
        {
            int blocks = c.BlocksPerLine * c.BlocksPerColumn;
            c.Samples = ArrayPool<byte>.Shared.Rent(blocks * 64);
            if (Progressive)
            {
                c.Coefficients = ArrayPool<short>.Shared.Rent(blocks * 64);
                Array.Clear(c.Coefficients, 0, blocks * 64);
            }
        }
    }

    public void ReturnBuffers()
    {
        foreach (JpegComponent c in Components)
        {
            if (c.Samples.Length > 0) ArrayPool<byte>.Shared.Return(c.Samples);
            if (c.Coefficients.Length > 0) ArrayPool<short>.Shared.Return(c.Coefficients);
            c.Samples = [];
            c.Coefficients = [];
        }
    }
}

/// <summary>A scan header (T.81 B.2.3): the components of the scan and, for progressive mode, the spectral band and successive-approximation bits.</summary>
internal sealed class JpegScan
{
    public JpegComponent[] Components = [];
    public int Ss, Se, Ah, Al;
    public int Number;   // 1-based, for messages
}
