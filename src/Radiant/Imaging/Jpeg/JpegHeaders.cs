namespace Radiant.Imaging.Jpeg;

/// <summary>How the three components of a frame are turned into RGB.</summary>
internal enum JpegColorTransform { Grey, YCbCr, Rgb }

/// <summary>The tables and parameters defined by marker segments so far (T.81 E.2: the decoder's state between segments).</summary>
internal sealed class JpegContext
{
    public readonly ushort[]?[] QuantTables = new ushort[4][];    // Qk in zig-zag order
    public readonly HuffmanTable?[] DcTables = new HuffmanTable[4];
    public readonly HuffmanTable?[] AcTables = new HuffmanTable[4];
    public int RestartInterval;                                   // Ri, in MCUs
    public JpegFrame? Frame;
    public int ScanCount;
    public bool SawJfif, SawAdobe;
    public int AdobeTransform;
    public int Orientation;                                       // EXIF orientation 1..8, 0 when absent
    public int? FocalLength35mm;                                  // EXIF FocalLengthIn35mmFilm in mm, null when absent

    public JpegColorTransform ColorTransform
    {
        get
        {
            JpegFrame f = Frame!;
            if (f.Components.Length == 1) return JpegColorTransform.Grey;
            // Three components: JFIF implies YCbCr; otherwise the Adobe transform flag (0 = none, i.e.
            // RGB); otherwise component identifiers 'R', 'G', 'B' mean RGB and anything else YCbCr.
            if (SawJfif) return JpegColorTransform.YCbCr;
            if (SawAdobe) return AdobeTransform == 0 ? JpegColorTransform.Rgb : JpegColorTransform.YCbCr;
            JpegComponent[] c = f.Components;
            return c[0].Id == 'R' && c[1].Id == 'G' && c[2].Id == 'B' ? JpegColorTransform.Rgb : JpegColorTransform.YCbCr;
        }
    }
}

/// <summary>Parsers for the marker segments of T.81 Annex B. Each receives the segment body after the length field.</summary>
internal static class JpegHeaders
{
    /// <summary>Largest image accepted, so an absurd header cannot make the decoder allocate gigabytes.</summary>
    public const long MaxPixels = 150_000_000;

    private static int U16(ReadOnlySpan<byte> s, int i) => s[i] << 8 | s[i + 1];

    /// <summary>DQT (B.2.4.1): one or more tables, each Pq|Tq then 64 elements of 8 (Pq = 0) or 16 bits (Pq = 1) in zig-zag order.</summary>
    public static void ParseQuantizationTables(ReadOnlySpan<byte> s, JpegContext ctx)
    {
        int i = 0;
        while (i < s.Length)
        {
            int pq = s[i] >> 4, tq = s[i] & 15;
            i++;
            if (pq > 1) throw new InvalidDataException($"JPEG quantization table has an invalid precision Pq = {pq}");
            if (tq > 3) throw new InvalidDataException($"JPEG quantization table has an invalid destination Tq = {tq}");
            int size = pq == 0 ? 64 : 128;
            if (i + size > s.Length) throw new InvalidDataException("JPEG DQT segment is too short for its tables");
            var q = new ushort[64];
            for (int k = 0; k < 64; k++) q[k] = (ushort)(pq == 0 ? s[i + k] : U16(s, i + 2 * k));
            ctx.QuantTables[tq] = q;
            i += size;
        }
    }

    /// <summary>DHT (B.2.4.2): one or more tables, each Tc|Th, BITS (16 counts) and HUFFVAL.</summary>
    public static void ParseHuffmanTables(ReadOnlySpan<byte> s, JpegContext ctx)
    {
        int i = 0;
        while (i < s.Length)
        {
            if (i + 17 > s.Length) throw new InvalidDataException("JPEG DHT segment is too short for its tables");
            int tc = s[i] >> 4, th = s[i] & 15;
            if (tc > 1) throw new InvalidDataException($"JPEG Huffman table has an invalid class Tc = {tc}");
            if (th > 3) throw new InvalidDataException($"JPEG Huffman table has an invalid destination Th = {th}");
            ReadOnlySpan<byte> bits = s.Slice(i + 1, 16);
            int total = 0;
            foreach (byte n in bits) total += n;
            if (total > 256) throw new InvalidDataException($"JPEG Huffman table defines {total} codes (at most 256)");
            i += 17;
            if (i + total > s.Length) throw new InvalidDataException("JPEG DHT segment is too short for its symbol list");
            var table = new HuffmanTable(bits, s.Slice(i, total));
            i += total;
            (tc == 0 ? ctx.DcTables : ctx.AcTables)[th] = table;
        }
    }

    /// <summary>DRI (B.2.4.4): the restart interval Ri in MCUs (0 disables restarts).</summary>
    public static void ParseRestartInterval(ReadOnlySpan<byte> s, JpegContext ctx)
    {
        if (s.Length < 2) throw new InvalidDataException("JPEG DRI segment is too short");
        ctx.RestartInterval = U16(s, 0);
    }

    /// <summary>APP0 (JFIF), APP1 (Exif orientation and 35 mm focal length) and APP14 (Adobe colour transform).</summary>
    public static void ParseApplicationSegment(byte marker, ReadOnlySpan<byte> s, JpegContext ctx)
    {
        if (marker == JpegMarkers.APP0 && s.Length >= 5 && s[..5].SequenceEqual("JFIF\0"u8)) ctx.SawJfif = true;
        else if (marker == JpegMarkers.APP14 && s.Length >= 12 && s[..5].SequenceEqual("Adobe"u8))
        {
            ctx.SawAdobe = true;
            ctx.AdobeTransform = s[11];
        }
        else if (marker == JpegMarkers.APP1 && ctx.Orientation == 0 && ctx.FocalLength35mm is null && ExifTiff.TryOpenApp1(s, out ExifTiff exif))
        {
            ctx.Orientation = exif.Orientation;
            ctx.FocalLength35mm = exif.FocalLengthIn35mmFilm;
        }
    }

    /// <summary>SOFn (B.2.2): P, Y, X, Nf and per component Ci, Hi|Vi, Tqi; derives the MCU geometry (A.2).</summary>
    public static JpegFrame ParseFrame(byte marker, ReadOnlySpan<byte> s, int fileLength)
    {
        if (s.Length < 6) throw new InvalidDataException("JPEG frame header (SOF) is too short");
        int precision = s[0], height = U16(s, 1), width = U16(s, 3), nf = s[5];
        if (precision != 8)
            throw new InvalidDataException($"{precision}-bit JPEG is not supported (only 8-bit samples)");
        if (height == 0) throw new InvalidDataException("JPEG with the height defined by a DNL marker (Y = 0) is not supported");
        if (width == 0) throw new InvalidDataException("JPEG frame header has a width of 0");
        if (nf == 4) throw new InvalidDataException("CMYK/YCCK JPEG (4 components) is not supported");
        if (nf is not (1 or 3)) throw new InvalidDataException($"JPEG with {nf} components is not supported (1 or 3)");
        if (s.Length < 6 + 3 * nf) throw new InvalidDataException("JPEG frame header (SOF) is too short for its components");
        if ((long)width * height > MaxPixels)
            throw new InvalidDataException($"JPEG of {width}x{height} is too large (limit {MaxPixels / 1_000_000} megapixels)");

        var frame = new JpegFrame { Marker = marker, Width = width, Height = height, Components = new JpegComponent[nf] };
        for (int i = 0; i < nf; i++)
        {
            int o = 6 + 3 * i;
            var c = new JpegComponent { Id = s[o], Index = i, H = s[o + 1] >> 4, V = s[o + 1] & 15, Tq = s[o + 2] };
            if (c.H is < 1 or > 4 || c.V is < 1 or > 4)
                throw new InvalidDataException($"JPEG component {c.Id} has invalid sampling factors {c.H}x{c.V} (1..4)");
            if (c.Tq > 3) throw new InvalidDataException($"JPEG component {c.Id} has an invalid quantization table selector {c.Tq}");
            for (int j = 0; j < i; j++)
                if (frame.Components[j].Id == c.Id) throw new InvalidDataException($"JPEG frame header lists component {c.Id} twice");
            frame.Components[i] = c;
            frame.Hmax = Math.Max(frame.Hmax, c.H);
            frame.Vmax = Math.Max(frame.Vmax, c.V);
        }
        frame.McusPerLine = DivCeil(width, 8 * frame.Hmax);
        frame.McusPerColumn = DivCeil(height, 8 * frame.Vmax);
        long codedBlocks = 0;
        foreach (JpegComponent c in frame.Components)
        {
            c.Width = DivCeil(width * c.H, frame.Hmax);
            c.Height = DivCeil(height * c.V, frame.Vmax);
            c.BlocksPerLine = frame.McusPerLine * c.H;
            c.BlocksPerColumn = frame.McusPerColumn * c.V;
            c.CodedBlocksPerLine = DivCeil(c.Width, 8);
            c.CodedBlocksPerColumn = DivCeil(c.Height, 8);
            codedBlocks += (long)c.CodedBlocksPerLine * c.CodedBlocksPerColumn;
        }
        // Every block has its own DC code of at least one bit, so the file must hold at least one
        // bit per block: refuse headers that promise far more image than the data could encode.
        if (codedBlocks > 8L * fileLength + 64)
            throw new InvalidDataException($"JPEG header claims {width}x{height} pixels but the file has only {fileLength} bytes (truncated or corrupt)");
        return frame;
    }

    /// <summary>SOS (B.2.3): Ns, per component Csj and Tdj|Taj, then Ss, Se, Ah|Al; checked against the frame (G.1.1.1.1 for progressive).</summary>
    public static JpegScan ParseScan(ReadOnlySpan<byte> s, JpegContext ctx)
    {
        JpegFrame frame = ctx.Frame ?? throw new InvalidDataException("JPEG has a scan (SOS) before the frame header (SOF)");
        if (s.Length < 1) throw new InvalidDataException("JPEG scan header (SOS) is too short");
        int ns = s[0];
        if (ns is < 1 or > 4) throw new InvalidDataException($"JPEG scan header has an invalid component count {ns}");
        if (s.Length < 4 + 2 * ns) throw new InvalidDataException("JPEG scan header (SOS) is too short for its components");
        var scan = new JpegScan { Components = new JpegComponent[ns], Number = ++ctx.ScanCount };
        int o = 1 + 2 * ns;
        scan.Ss = s[o];
        scan.Se = s[o + 1];
        scan.Ah = s[o + 2] >> 4;
        scan.Al = s[o + 2] & 15;
        bool dcNeeded, acNeeded;
        if (frame.Progressive)
        {
            if (scan.Ss == 0 && scan.Se != 0) throw new InvalidDataException("JPEG progressive scan mixes DC and AC coefficients (Ss = 0, Se > 0)");
            if (scan.Ss > 63 || scan.Se > 63 || scan.Se < scan.Ss)
                throw new InvalidDataException($"JPEG progressive scan has an invalid spectral band {scan.Ss}..{scan.Se}");
            if (scan.Ss > 0 && ns != 1) throw new InvalidDataException("JPEG progressive AC scan has more than one component");
            if (scan.Al > 13 || (scan.Ah != 0 && scan.Ah != scan.Al + 1))
                throw new InvalidDataException($"JPEG progressive scan has invalid successive approximation bits Ah = {scan.Ah}, Al = {scan.Al}");
            dcNeeded = scan.Ss == 0 && scan.Ah == 0;
            acNeeded = scan.Ss > 0;
        }
        else
        {
            // Sequential: Ss, Se, Ah and Al are fixed (0, 63, 0, 0); like other decoders, ignore other values.
            dcNeeded = acNeeded = true;
        }

        int samplesPerMcu = 0;
        for (int j = 0; j < ns; j++)
        {
            int cs = s[1 + 2 * j], td = s[2 + 2 * j] >> 4, ta = s[2 + 2 * j] & 15;
            JpegComponent c = Array.Find(frame.Components, x => x.Id == cs)
                ?? throw new InvalidDataException($"JPEG scan refers to component {cs}, which is not in the frame");
            for (int k = 0; k < j; k++)
                if (scan.Components[k] == c) throw new InvalidDataException($"JPEG scan lists component {cs} twice");
            if (td > 3 || ta > 3) throw new InvalidDataException($"JPEG scan has an invalid Huffman table selector for component {cs}");
            c.DcTable = ctx.DcTables[td] ?? StandardHuffmanTables.For(ac: false, td);
            c.AcTable = ctx.AcTables[ta] ?? StandardHuffmanTables.For(ac: true, ta);
            if (dcNeeded && c.DcTable is null) throw new InvalidDataException($"JPEG scan uses DC Huffman table {td}, which is not defined");
            if (acNeeded && c.AcTable is null) throw new InvalidDataException($"JPEG scan uses AC Huffman table {ta}, which is not defined");
            if (!c.QuantLatched)
            {
                ushort[] q = ctx.QuantTables[c.Tq] ?? throw new InvalidDataException($"JPEG component {c.Id} uses quantization table {c.Tq}, which is not defined");
                for (int k = 0; k < 64; k++)
                {
                    c.QuantZigZag[k] = q[k];
                    c.QuantNatural[ZigZag.Natural[k]] = q[k];
                }
                c.QuantLatched = true;
            }
            scan.Components[j] = c;
            samplesPerMcu += c.H * c.V;
        }
        // B.2.3: an interleaved MCU holds at most 10 blocks.
        if (ns > 1 && samplesPerMcu > 10) throw new InvalidDataException($"JPEG scan has {samplesPerMcu} blocks per MCU (at most 10)");
        return scan;
    }

    public static int DivCeil(int a, int b) => (a + b - 1) / b;
}

/// <summary>The zig-zag sequence of Figure A.6, generated by walking the anti-diagonals.</summary>
internal static class ZigZag
{
    /// <summary>Natural (row-major) index of the k-th coefficient in zig-zag order; 16 extra entries map to 63 as a guard.</summary>
    public static readonly byte[] Natural = Build();

    /// <summary>Rows (bit v for row v) and the last column touched by zig-zag positions 0..k: a block whose last non-zero coefficient is at k has no others outside them.</summary>
    public static readonly byte[] RowMaskUpTo = new byte[64];
    public static readonly byte[] MaxColumnUpTo = new byte[64];

    static ZigZag()
    {
        int rows = 0, column = 0;
        for (int k = 0; k < 64; k++)
        {
            rows |= 1 << (Natural[k] >> 3);
            column = Math.Max(column, Natural[k] & 7);
            RowMaskUpTo[k] = (byte)rows;
            MaxColumnUpTo[k] = (byte)column;
        }
    }

    private static byte[] Build()
    {
        var order = new byte[80];
        int k = 0;
        for (int d = 0; d < 15; d++)
        {
            // Odd diagonals run down-left (row increasing), even ones up-right (row decreasing).
            int rowMin = Math.Max(0, d - 7), rowMax = Math.Min(d, 7);
            if ((d & 1) == 1)
                for (int row = rowMin; row <= rowMax; row++) order[k++] = (byte)(row * 8 + d - row);
            else
                for (int row = rowMax; row >= rowMin; row--) order[k++] = (byte)(row * 8 + d - row);
        }
        for (; k < order.Length; k++) order[k] = 63;
        return order;
    }
}
