using System.Runtime.CompilerServices;

namespace Radiant.Imaging.Jpeg;

/// <summary>
/// A Huffman decoding table built from a DHT segment (T.81 B.2.4.2): BITS (the number of codes of
/// each length 1..16) and HUFFVAL. Codes are generated as in Annex C (Figures C.1 and C.2) and the
/// decoder tables MAXCODE, MINCODE and VALPTR as in F.2.2.3 (Figure F.16). A 9-bit look-ahead table
/// decodes the common short codes in one step.
/// </summary>
internal sealed class HuffmanTable
{
    public const int LookaheadBits = 9;

    /// <summary>Indexed by the next 9 bits: (code length &lt;&lt; 8) | symbol, or 0 when the code is longer than 9 bits.</summary>
    public readonly ushort[] Lookahead = new ushort[1 << LookaheadBits];

    /// <summary>MAXCODE[l]: the largest code of length l, or -1 when there is none (index 1..16; [17] is a sentinel).</summary>
    public readonly int[] MaxCode = new int[18];
    public readonly int[] MinCode = new int[17];
    public readonly int[] ValPtr = new int[17];
    public readonly byte[] HuffVal = new byte[256];

    /// <summary>
    /// For AC tables, indexed by the next 9 bits: when the code and the magnitude bits that follow it
    /// fit in 9 bits, the whole coefficient: (EXTENDed value &lt;&lt; 8) | (R &lt;&lt; 4) | total bit count;
    /// otherwise 0. Entries for EOB and ZRL are 0.
    /// </summary>
    public readonly int[] FastAc = new int[1 << LookaheadBits];

    /// <param name="bits">BITS: 16 counts, the number of codes of length 1..16.</param>
    /// <param name="huffVal">HUFFVAL: the symbols in order of increasing code length.</param>
    public HuffmanTable(ReadOnlySpan<byte> bits, ReadOnlySpan<byte> huffVal)
    {
        huffVal.CopyTo(HuffVal);
        // Annex C, Generate_code_table: codes of one length are consecutive; moving to the next
        // length appends a 0 bit. A table whose codes do not fit in their length is invalid.
        int code = 0, k = 0;
        for (int l = 1; l <= 16; l++)
        {
            int n = bits[l - 1];
            if (n == 0) MaxCode[l] = -1;
            else
            {
                ValPtr[l] = k;
                MinCode[l] = code;
                code += n;
                k += n;
                MaxCode[l] = code - 1;
                if (code > 1 << l) throw new InvalidDataException($"JPEG Huffman table is invalid: too many codes of length {l}");
                if (l <= LookaheadBits)
                {
                    int shift = LookaheadBits - l;
                    for (int c = MinCode[l]; c < code; c++)
                    {
                        ushort entry = (ushort)(l << 8 | HuffVal[ValPtr[l] + c - MinCode[l]]);
                        Lookahead.AsSpan(c << shift, 1 << shift).Fill(entry);
                    }
                }
            }
            code <<= 1;
        }
        MaxCode[17] = int.MaxValue;

        for (int i = 0; i < Lookahead.Length; i++)
        {
            int entry = Lookahead[i];
            if (entry == 0) continue;
            int length = entry >> 8, r = (entry >> 4) & 15, s = entry & 15;
            if (s == 0 || length + s > LookaheadBits) continue;
            int raw = (i >> (LookaheadBits - length - s)) & ((1 << s) - 1);
            FastAc[i] = Extend(raw, s) << 8 | r << 4 | (length + s);
        }
    }

    /// <summary>EXTEND (F.2.2.1, Figure F.12): a value V of magnitude category T below 2^(T−1) is negative, V − 2^T + 1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Extend(int v, int t) => v < 1 << (t - 1) ? v - (1 << t) + 1 : v;

    /// <summary>
    /// DECODE (F.2.2.3, Figure F.16) for the codes longer than the look-ahead: compares the next
    /// l bits of <paramref name="buffer"/> (left-aligned) with MAXCODE[l] for l = 10..16.
    /// Returns (length &lt;&lt; 8) | symbol; the caller consumes the bits.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public int DecodeLong(ulong buffer)
    {
        for (int l = LookaheadBits + 1; l <= 16; l++)
        {
            int code = (int)(buffer >> (64 - l));
            if (code <= MaxCode[l]) return l << 8 | HuffVal[(ValPtr[l] + code - MinCode[l]) & 0xFF];
        }
        throw new InvalidDataException("JPEG data is corrupt: invalid Huffman code in the entropy-coded data");
    }
}
