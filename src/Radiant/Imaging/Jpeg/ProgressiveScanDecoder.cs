using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Radiant.Imaging.Jpeg;

/// <summary>
/// Decodes the scans of a progressive DCT frame with Huffman coding (SOF2; T.81 Annex G.1.2 and
/// G.2) into the quantized coefficients of each component; <see cref="Finish"/> then dequantizes
/// and transforms every block. Four kinds of scan: DC first (G.1.2.1), DC refinement (G.1.2.1),
/// AC first with end-of-band runs (G.1.2.2) and AC refinement (G.1.2.3).
/// </summary>
internal sealed class ProgressiveScanDecoder
{
    private readonly float[] _block = new float[64];
    private readonly float[] _scratch = new float[64];

    public int Decode(ReadOnlySpan<byte> data, int position, JpegFrame frame, JpegScan scan, int restartInterval)
    {
        var reader = new JpegBitReader(data, position);
        JpegComponent[] comps = scan.Components;
        foreach (JpegComponent c in comps) c.DcPredictor = 0;
        int eobrun = 0;   // EOBRUN: blocks left in the current end-of-band run

        bool interleaved = comps.Length > 1;
        int mcusPerLine = interleaved ? frame.McusPerLine : comps[0].CodedBlocksPerLine;
        int mcusPerColumn = interleaved ? frame.McusPerColumn : comps[0].CodedBlocksPerColumn;
        int mcuCount = mcusPerLine * mcusPerColumn;
        var restarts = new RestartTracker(restartInterval);
        bool dc = scan.Ss == 0, first = scan.Ah == 0;

        for (int m = 0; m < mcuCount; m++)
        {
            if (restarts.BeforeMcu(ref reader, comps)) eobrun = 0;   // an EOB run never crosses a restart (G.1.2.2)
            int mcuX = m % mcusPerLine, mcuY = m / mcusPerLine;
            if (interleaved)
            {
                // Only DC scans may be interleaved (G.1.1.1.1).
                foreach (JpegComponent c in comps)
                    for (int v = 0; v < c.V; v++)
                        for (int h = 0; h < c.H; h++)
                        {
                            int offset = ((mcuY * c.V + v) * c.BlocksPerLine + mcuX * c.H + h) * 64;
                            if (first) DecodeDcFirst(ref reader, c, offset, scan.Al);
                            else DecodeDcRefine(ref reader, c, offset, scan.Al);
                        }
            }
            else
            {
                JpegComponent c = comps[0];
                int offset = (mcuY * c.BlocksPerLine + mcuX) * 64;
                if (dc)
                {
                    if (first) DecodeDcFirst(ref reader, c, offset, scan.Al);
                    else DecodeDcRefine(ref reader, c, offset, scan.Al);
                }
                else if (first) DecodeAcFirst(ref reader, c.Coefficients.AsSpan(offset, 64), c.AcTable!, scan.Ss, scan.Se, scan.Al, ref eobrun);
                else DecodeAcRefine(ref reader, c.Coefficients.AsSpan(offset, 64), c.AcTable!, scan.Ss, scan.Se, scan.Al, ref eobrun);
            }
            if (reader.OverRead)
                throw new InvalidDataException($"JPEG data is truncated or corrupt: scan {scan.Number} ends after MCU {m + 1} of {mcuCount}");
        }
        ulong band = (ulong.MaxValue >> (63 - scan.Se + scan.Ss)) << scan.Ss;   // bits Ss..Se
        foreach (JpegComponent c in comps)
        {
            c.Decoded = true;
            if (scan.Al == 0) c.FinalCoefficients |= band;
        }
        return reader.EndOfScan();
    }

    /// <summary>G.1.2.1: the DC difference as in sequential mode, the sum scaled by 2^Al.</summary>
    private static void DecodeDcFirst(ref JpegBitReader reader, JpegComponent c, int offset, int al)
    {
        int t = reader.DecodeHuffman(c.DcTable!);
        if (t > 16) throw new InvalidDataException($"JPEG data is corrupt: DC difference category {t}");
        if (t != 0) c.DcPredictor += reader.ReceiveExtend(t);
        c.Coefficients[offset] = (short)(c.DcPredictor << al);
    }

    /// <summary>G.1.2.1: one more bit of the DC coefficient, sent raw.</summary>
    private static void DecodeDcRefine(ref JpegBitReader reader, JpegComponent c, int offset, int al)
    {
        if (reader.ReadBit() != 0) c.Coefficients[offset] |= (short)(1 << al);
    }

    /// <summary>G.1.2.2: the first pass over the band Ss..Se; EOBn codes skip the rest of this and the next EOBRUN − 1 bands.</summary>
    private static void DecodeAcFirst(ref JpegBitReader reader, Span<short> block, HuffmanTable table, int ss, int se, int al, ref int eobrun)
    {
        if (eobrun > 0) { eobrun--; return; }
        ReadOnlySpan<byte> zigzag = ZigZag.Natural;
        ReadOnlySpan<ushort> lookahead = table.Lookahead;
        ReadOnlySpan<int> fastAc = table.FastAc;
        ulong buffer = reader.Buffer;
        int bits = reader.Bits;
        for (int k = ss; k <= se; k++)
        {
            if (bits < 32) (buffer, bits) = reader.Refill(buffer, bits);
            int look = (int)(buffer >> (64 - HuffmanTable.LookaheadBits));
            int fast = fastAc[look];
            if (fast != 0)
            {
                int n = fast & 15;
                buffer <<= n;
                bits -= n;
                k += (fast >> 4) & 15;
                if (k > se) throw BandOverrun();
                block[zigzag[k]] = (short)((fast >> 8) << al);
                continue;
            }
            int entry = lookahead[look];
            if (entry == 0) entry = table.DecodeLong(buffer);
            int length = entry >> 8;
            buffer <<= length;
            bits -= length;
            int r = (entry >> 4) & 15, s = entry & 15;
            if (s == 0)
            {
                if (r < 15)
                {
                    // EOBr: EOBRUN = 2^r + RECEIVE(r), counting this band.
                    eobrun = (1 << r) - 1;
                    if (r > 0)
                    {
                        eobrun += (int)(buffer >> (64 - r));
                        buffer <<= r;
                        bits -= r;
                    }
                    break;
                }
                k += 15;   // ZRL
                continue;
            }
            k += r;
            if (k > se) throw BandOverrun();
            block[zigzag[k]] = (short)(HuffmanTable.Extend((int)(buffer >> (64 - s)), s) << al);
            buffer <<= s;
            bits -= s;
        }
        reader.Buffer = buffer;
        reader.Bits = bits;
    }

    private static InvalidDataException BandOverrun() => new("JPEG data is corrupt: AC coefficient run goes past the end of the spectral band");

    /// <summary>
    /// G.1.2.3: successive approximation of AC coefficients. Each new coefficient (magnitude 1 at
    /// bit Al) is placed after skipping R coefficients that are still zero; coefficients that are
    /// already non-zero are passed over and receive one correction bit each. An EOB run ends the band
    /// (correction bits still follow for the non-zero coefficients left in it).
    /// </summary>
    private static void DecodeAcRefine(ref JpegBitReader reader, Span<short> block, HuffmanTable table, int ss, int se, int al, ref int eobrun)
    {
        ReadOnlySpan<byte> zigzag = ZigZag.Natural;
        ReadOnlySpan<ushort> lookahead = table.Lookahead;
        int p1 = 1 << al, m1 = -1 << al;
        ulong buffer = reader.Buffer;
        int bits = reader.Bits;
        int k = ss;
        if (eobrun == 0)
        {
            for (; k <= se; k++)
            {
                // Enough for the code (≤ 16 bits), its sign bit and an EOB run length (≤ 14 bits).
                if (bits < 32) (buffer, bits) = reader.Refill(buffer, bits);
                int entry = lookahead[(int)(buffer >> (64 - HuffmanTable.LookaheadBits))];
                if (entry == 0) entry = table.DecodeLong(buffer);
                int length = entry >> 8;
                buffer <<= length;
                bits -= length;
                int r = (entry >> 4) & 15, s = entry & 15;
                int value = 0;
                if (s != 0)
                {
                    if (s != 1) throw new InvalidDataException("JPEG data is corrupt: AC refinement coefficient is not of size 1");
                    value = (long)buffer < 0 ? p1 : m1;
                    buffer <<= 1;
                    bits--;
                }
                else if (r != 15)
                {
                    eobrun = 1 << r;
                    if (r > 0)
                    {
                        eobrun += (int)(buffer >> (64 - r));
                        buffer <<= r;
                        bits -= r;
                    }
                    break;     // the rest of this band is handled as part of the run
                }
                // Skip r zero coefficients (ZRL: 16 of them), correcting the non-zero ones on the way.
                for (; k <= se; k++)
                {
                    ref short coef = ref block[zigzag[k]];
                    if (coef != 0)
                    {
                        if (bits < 1) (buffer, bits) = reader.Refill(buffer, bits);
                        bool one = (long)buffer < 0;
                        buffer <<= 1;
                        bits--;
                        if (one && (coef & p1) == 0) coef = (short)(coef >= 0 ? coef + p1 : coef + m1);
                    }
                    else
                    {
                        if (r == 0)
                        {
                            if (value != 0) coef = (short)value;
                            break;
                        }
                        r--;
                    }
                }
            }
        }
        if (eobrun > 0)
        {
            // Inside an end-of-band run: only correction bits for the non-zero coefficients.
            for (; k <= se; k++)
            {
                ref short coef = ref block[zigzag[k]];
                if (coef == 0) continue;
                if (bits < 1) (buffer, bits) = reader.Refill(buffer, bits);
                bool one = (long)buffer < 0;
                buffer <<= 1;
                bits--;
                if (one && (coef & p1) == 0) coef = (short)(coef >= 0 ? coef + p1 : coef + m1);
            }
            eobrun--;
        }
        reader.Buffer = buffer;
        reader.Bits = bits;
    }

    /// <summary>Dequantizes (F.2.1.4 / G.2) and transforms every coded block of every component.</summary>
    public void Finish(JpegFrame frame)
    {
        Span<float> block = _block;
        foreach (JpegComponent c in frame.Components)
        {
            ReadOnlySpan<float> q = c.QuantNatural;
            int stride = c.Stride;
            for (int by = 0; by < c.CodedBlocksPerColumn; by++)
                for (int bx = 0; bx < c.CodedBlocksPerLine; bx++)
                {
                    ReadOnlySpan<short> coefs = c.Coefficients.AsSpan((by * c.BlocksPerLine + bx) * 64, 64);
                    (int rowMask, int maxColumn) = Dequantize(coefs, q, block);
                    Idct.Transform(block, rowMask, maxColumn, _scratch, c.Samples.AsSpan(by * 8 * stride + bx * 8), stride);
                }
        }
    }

    /// <summary>block = coefs · q for the non-zero rows; returns those rows as a mask and the last non-zero column.</summary>
    private static (int RowMask, int MaxColumn) Dequantize(ReadOnlySpan<short> coefs, ReadOnlySpan<float> q, Span<float> block)
    {
        int rowMask = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref short c = ref MemoryMarshal.GetReference(coefs);
            ref float qq = ref MemoryMarshal.GetReference(q);
            ref float b = ref MemoryMarshal.GetReference(block);
            Vector128<short> any = Vector128<short>.Zero;
            for (int v = 0; v < 8; v++)
            {
                Vector128<short> row = Vector128.LoadUnsafe(ref c, (nuint)(v * 8));
                if (row == Vector128<short>.Zero) continue;   // rows outside the mask are never read
                any |= row;
                rowMask |= 1 << v;
                (Vector128<int> lo, Vector128<int> hi) = Vector128.Widen(row);
                Vector256<float> f = Vector256.ConvertToSingle(Vector256.Create(lo, hi));
                (f * Vector256.LoadUnsafe(ref qq, (nuint)(v * 8))).StoreUnsafe(ref b, (nuint)(v * 8));
            }
            uint columns = ~Vector128.Equals(any, Vector128<short>.Zero).ExtractMostSignificantBits() & 0xFF;
            if (rowMask == 0) block[0] = 0;
            return (rowMask, columns == 0 ? 0 : 31 - BitOperations.LeadingZeroCount(columns));
        }
        int cols = 0;
        for (int v = 0; v < 8; v++)
            for (int u = 0; u < 8; u++)
            {
                short x = coefs[v * 8 + u];
                if (x == 0) continue;
                if ((rowMask & 1 << v) == 0) { block.Slice(v * 8, 8).Clear(); rowMask |= 1 << v; }
                block[v * 8 + u] = x * q[v * 8 + u];
                cols |= 1 << u;
            }
        if (rowMask == 0) block[0] = 0;
        return (rowMask, cols == 0 ? 0 : 31 - BitOperations.LeadingZeroCount((uint)cols));
    }
}
