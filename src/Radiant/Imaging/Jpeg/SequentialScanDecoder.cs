namespace Radiant.Imaging.Jpeg;

/// <summary>
/// Decodes one scan of a sequential DCT frame with Huffman coding (baseline SOF0 and extended
/// SOF1; T.81 Annex F.2): each block is decoded (F.2.2.1 DC difference, F.2.2.2 AC coefficients),
/// dequantized (F.2.1.4) and transformed (A.3.3) straight into the component's sample plane.
/// </summary>
internal sealed class SequentialScanDecoder
{
    private readonly float[] _block = new float[64];     // dequantized coefficients, natural order
    private readonly float[] _scratch = new float[64];

    /// <summary>Decodes the entropy-coded data starting at <paramref name="position"/>; returns where the data after the scan starts.</summary>
    public int Decode(ReadOnlySpan<byte> data, int position, JpegFrame frame, JpegScan scan, int restartInterval)
    {
        var reader = new JpegBitReader(data, position);
        JpegComponent[] comps = scan.Components;
        foreach (JpegComponent c in comps) c.DcPredictor = 0;

        // A.2.2: a scan of one component codes its blocks one by one (an MCU is one block) over
        // ceil(xi/8) × ceil(yi/8); A.2.3: an interleaved scan codes Hi × Vi blocks per component per MCU.
        bool interleaved = comps.Length > 1;
        int mcusPerLine = interleaved ? frame.McusPerLine : comps[0].CodedBlocksPerLine;
        int mcusPerColumn = interleaved ? frame.McusPerColumn : comps[0].CodedBlocksPerColumn;
        int mcuCount = mcusPerLine * mcusPerColumn;
        var restarts = new RestartTracker(restartInterval);

        for (int m = 0; m < mcuCount; m++)
        {
            restarts.BeforeMcu(ref reader, comps);
            int mcuX = m % mcusPerLine, mcuY = m / mcusPerLine;
            if (interleaved)
            {
                foreach (JpegComponent c in comps)
                    for (int v = 0; v < c.V; v++)
                        for (int h = 0; h < c.H; h++)
                            DecodeBlock(ref reader, c, mcuX * c.H + h, mcuY * c.V + v);
            }
            else DecodeBlock(ref reader, comps[0], mcuX, mcuY);

            if (reader.OverRead)
                throw new InvalidDataException($"JPEG data is truncated or corrupt: scan {scan.Number} ends after MCU {m + 1} of {mcuCount}");
        }
        foreach (JpegComponent c in comps) c.Decoded = true;
        return reader.EndOfScan();
    }

    private void DecodeBlock(ref JpegBitReader reader, JpegComponent c, int blockX, int blockY)
    {
        Span<float> block = _block;
        ReadOnlySpan<float> q = c.QuantZigZag;
        ReadOnlySpan<byte> zigzag = ZigZag.Natural;
        HuffmanTable dc = c.DcTable!, ac = c.AcTable!;
        ReadOnlySpan<ushort> acLookahead = ac.Lookahead;
        ReadOnlySpan<int> fastAc = ac.FastAc;
        ulong buffer = reader.Buffer;
        int bits = reader.Bits;

        // F.2.2.1: T = DECODE; DIFF = EXTEND(RECEIVE(T), T); PRED += DIFF.
        if (bits < 32) (buffer, bits) = reader.Refill(buffer, bits);
        int entry = dc.Lookahead[(int)(buffer >> (64 - HuffmanTable.LookaheadBits))];
        if (entry == 0) entry = dc.DecodeLong(buffer);
        int length = entry >> 8, t = entry & 0xFF;
        buffer <<= length;
        bits -= length;
        if (t != 0)
        {
            if (t > 16) throw new InvalidDataException($"JPEG data is corrupt: DC difference category {t}");
            c.DcPredictor += HuffmanTable.Extend((int)(buffer >> (64 - t)), t);
            buffer <<= t;
            bits -= t;
        }
        block[0] = c.DcPredictor * q[0];

        // F.2.2.2 (Figure F.13): RS = DECODE; R = run of zeros, S = size of the next non-zero coefficient.
        int last = 0;
        for (int k = 1; k < 64; k++)
        {
            if (bits < 32) (buffer, bits) = reader.Refill(buffer, bits);
            int look = (int)(buffer >> (64 - HuffmanTable.LookaheadBits));
            int fast = fastAc[look];
            if (fast != 0)
            {
                // Code and magnitude bits within the look-ahead: the coefficient in one step.
                int n = fast & 15;
                buffer <<= n;
                bits -= n;
                k += (fast >> 4) & 15;
                if (k > 63) throw new InvalidDataException("JPEG data is corrupt: AC coefficient run goes past the end of the block");
                block[zigzag[k]] = (fast >> 8) * q[k];
                last = k;
                continue;
            }
            entry = acLookahead[look];
            if (entry == 0) entry = ac.DecodeLong(buffer);
            length = entry >> 8;
            buffer <<= length;
            bits -= length;
            int r = (entry >> 4) & 15, s = entry & 15;
            if (s == 0)
            {
                if (r != 15) break;   // EOB
                k += 15;              // ZRL: sixteen zeros
                continue;
            }
            k += r;
            if (k > 63) throw new InvalidDataException("JPEG data is corrupt: AC coefficient run goes past the end of the block");
            block[zigzag[k]] = HuffmanTable.Extend((int)(buffer >> (64 - s)), s) * q[k];
            buffer <<= s;
            bits -= s;
            last = k;
        }
        reader.Buffer = buffer;
        reader.Bits = bits;

        int rowMask = ZigZag.RowMaskUpTo[last];
        int stride = c.Stride;
        Idct.Transform(block, rowMask, ZigZag.MaxColumnUpTo[last], _scratch, c.Samples.AsSpan(blockY * 8 * stride + blockX * 8), stride);

        // Zero the rows that may have been written, ready for the next block.
        for (int mask = rowMask; mask != 0; mask &= mask - 1)
            block.Slice(System.Numerics.BitOperations.TrailingZeroCount(mask) * 8, 8).Clear();
    }
}
