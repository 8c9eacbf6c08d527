using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Radiant.Imaging.Jpeg;

/// <summary>
/// Reads the bits of an entropy-coded segment (T.81 F.2.2.5, procedure NEXTBIT): most significant
/// bit first, removing the 0x00 stuffed after every 0xFF data byte (F.1.2.3). At a marker or at the
/// end of the data it supplies zero bits without moving past the marker, and counts them, so a
/// decoder that reads past the real data (a truncated or corrupt file) is detected by
/// <see cref="OverRead"/> instead of running on.
/// <para>
/// The hot loops copy <see cref="Buffer"/> and <see cref="Bits"/> into locals (so they stay in
/// registers), consume bits from the top of the buffer themselves and call <see cref="Refill"/>
/// when fewer than 32 bits are left: enough for one Huffman code and its magnitude bits.
/// </para>
/// </summary>
internal ref struct JpegBitReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _pos;
    private int _padBytes;    // zero bytes appended since the segment ended

    /// <summary>The next bits, left-aligned (bit 63 is the next bit).</summary>
    public ulong Buffer;
    /// <summary>Number of valid bits in <see cref="Buffer"/>, including zero padding past the end of the segment.</summary>
    public int Bits;

    public JpegBitReader(ReadOnlySpan<byte> data, int position)
    {
        _data = data;
        _pos = position;
    }

    /// <summary>True once the decoder has consumed bits beyond the end of the entropy-coded segment.</summary>
    public readonly bool OverRead => Bits < _padBytes * 8;

    /// <summary>Stores the caller's copy of the state, tops the buffer up to at least 57 bits, and returns the new state.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public (ulong Buffer, int Bits) Refill(ulong buffer, int bits)
    {
        Buffer = buffer;
        Bits = bits;
        Fill();
        return (Buffer, Bits);
    }

    private void Fill()
    {
        ReadOnlySpan<byte> data = _data;
        int pos = _pos;
        // Fast path: the next 8 bytes hold no 0xFF, so whole bytes can be appended at once.
        if (pos + 8 <= data.Length)
        {
            ulong word = BinaryPrimitives.ReadUInt64BigEndian(data[pos..]);
            ulong inverted = ~word;   // a 0xFF byte becomes a zero byte
            if (((inverted - 0x0101010101010101UL) & ~inverted & 0x8080808080808080UL) == 0)
            {
                int n = (64 - Bits) >> 3;   // whole bytes that fit (at least 1 since Bits ≤ 56 here)
                ulong added = word >> Bits;
                int spare = 64 - Bits - 8 * n;   // low bits of a partial byte to drop
                Buffer |= spare == 0 ? added : added & ~((1UL << spare) - 1);
                Bits += 8 * n;
                _pos = pos + n;
                return;
            }
        }
        while (Bits <= 56)
        {
            uint b;
            if ((uint)pos < (uint)data.Length)
            {
                b = data[pos];
                if (b == 0xFF)
                {
                    // 0xFF 0x00 is a stuffed data byte; 0xFF followed by anything else starts a marker.
                    if (pos + 1 < data.Length && data[pos + 1] == 0) pos += 2;
                    else { b = 0; _padBytes++; }
                }
                else pos++;
            }
            else { b = 0; _padBytes++; }
            Buffer |= (ulong)b << (56 - Bits);
            Bits += 8;
        }
        _pos = pos;
    }

    /// <summary>DECODE (F.2.2.3) with the 9-bit look-ahead.</summary>
    public int DecodeHuffman(HuffmanTable table)
    {
        if (Bits < 16) Fill();
        int entry = table.Lookahead[(int)(Buffer >> (64 - HuffmanTable.LookaheadBits))];
        if (entry == 0) entry = table.DecodeLong(Buffer);
        int length = entry >> 8;
        Buffer <<= length;
        Bits -= length;
        return entry & 0xFF;
    }

    /// <summary>RECEIVE(s) (F.2.2.4): the next s bits (0..16) as an unsigned integer.</summary>
    public int ReadBits(int s)
    {
        if (s == 0) return 0;
        if (Bits < s) Fill();
        int v = (int)(Buffer >> (64 - s));
        Buffer <<= s;
        Bits -= s;
        return v;
    }

    public int ReadBit()
    {
        if (Bits < 1) Fill();
        int v = (int)(Buffer >> 63);
        Buffer <<= 1;
        Bits--;
        return v;
    }

    /// <summary>RECEIVE(s) followed by EXTEND (F.2.2.1): the signed value of magnitude category s (1..16).</summary>
    public int ReceiveExtend(int s) => HuffmanTable.Extend(ReadBits(s), s);

    /// <summary>
    /// The restart procedure (E.2.4, F.2.1.3.1): discards the bits left in the current interval
    /// (byte-aligned padding), then requires the marker RST<paramref name="expected"/>.
    /// </summary>
    public void Restart(int expected)
    {
        Buffer = 0;
        Bits = 0;
        _padBytes = 0;
        int markerPos = FindMarker(_data, _pos);
        if (markerPos < 0) throw new InvalidDataException($"JPEG file is truncated: expected restart marker RST{expected}, found end of data");
        byte marker = _data[markerPos + 1];
        if (marker != JpegMarkers.RST0 + expected)
            throw new InvalidDataException(JpegMarkers.IsRestart(marker)
                ? $"JPEG data is corrupt: expected restart marker RST{expected}, found RST{marker - JpegMarkers.RST0}"
                : $"JPEG data is corrupt or truncated: expected restart marker RST{expected}, found marker 0x{marker:X2}");
        _pos = markerPos + 2;
    }

    /// <summary>Where the data after the scan continues: the 0xFF of the next marker that is not a restart marker, or the data length.</summary>
    public readonly int EndOfScan()
    {
        int pos = _pos;
        while (true)
        {
            int markerPos = FindMarker(_data, pos);
            if (markerPos < 0) return _data.Length;
            if (!JpegMarkers.IsRestart(_data[markerPos + 1])) return markerPos;
            pos = markerPos + 2; // a stray restart marker after the last interval
        }
    }

    /// <summary>Index of the first 0xFF (after any 0xFF fill bytes) that begins a marker at or after <paramref name="pos"/>, or -1.</summary>
    private static int FindMarker(ReadOnlySpan<byte> data, int pos)
    {
        while (true)
        {
            int i = data[pos..].IndexOf((byte)0xFF);
            if (i < 0) return -1;
            pos += i;
            int j = pos + 1;
            while (j < data.Length && data[j] == 0xFF) j++;
            if (j >= data.Length) return -1;
            if (data[j] != 0) return j - 1;
            pos = j + 1;  // stuffed 0xFF 0x00 (entropy-coded data)
            if (pos >= data.Length) return -1;
        }
    }
}
