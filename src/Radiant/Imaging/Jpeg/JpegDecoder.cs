namespace Radiant.Imaging.Jpeg;

/// <summary>
/// JPEG decoder (ITU T.81): baseline and extended sequential (SOF0, SOF1) and progressive (SOF2)
/// Huffman-coded DCT with 8-bit samples; greyscale or three components (YCbCr, or RGB per the
/// Adobe APP14 transform flag) with any sampling factors; restart markers; EXIF orientation applied.
/// Output is RGB float in [0, 1]. Errors are <see cref="InvalidDataException"/> with a message that
/// names the problem; the caller adds the file name.
/// </summary>
public static class JpegDecoder
{
    /// <summary>A frame may have at most this many scans; guards against files built to make a progressive decoder loop for hours.</summary>
    private const int MaxScans = 1000;

    public static bool IsJpeg(ReadOnlySpan<byte> data) => data.Length >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF;

    /// <summary>Displayed width and height (after EXIF orientation; the stored size when <paramref name="applyOrientation"/> is false), from the headers only.</summary>
    public static (int Width, int Height) ReadSize(ReadOnlySpan<byte> data, bool applyOrientation = true)
    {
        var ctx = new JpegContext();
        ReadSegments(data, ctx, headersOnly: true);
        JpegFrame frame = ctx.Frame ?? throw new InvalidDataException("JPEG has no frame header (SOF) before its first scan");
        return applyOrientation && ExifOrientation.SwapsAxes(ctx.Orientation) ? (frame.Height, frame.Width) : (frame.Width, frame.Height);
    }

    /// <summary>The EXIF orientation tag (1..8; 1 when the file has none or an invalid one), from the headers only.</summary>
    public static int ReadOrientation(ReadOnlySpan<byte> data)
    {
        var ctx = new JpegContext();
        ReadSegments(data, ctx, headersOnly: true);
        return ctx.Orientation is >= 1 and <= 8 ? ctx.Orientation : 1;
    }

    /// <summary>The EXIF FocalLengthIn35mmFilm tag in mm (null when the file has none), from the headers only.</summary>
    public static int? ReadFocalLength35mm(ReadOnlySpan<byte> data)
    {
        var ctx = new JpegContext();
        ReadSegments(data, ctx, headersOnly: true);
        return ctx.FocalLength35mm;
    }

    /// <summary>
    /// Decodes the image, turned upright by its EXIF orientation unless <paramref name="applyOrientation"/>
    /// is false (the stored pixel grid). The samples go into <paramref name="buffer"/> when it has
    /// exactly their length (see <see cref="ImageIO.Load(string, bool, float[])"/>), else into a new array.
    /// </summary>
    public static Image Decode(ReadOnlySpan<byte> data, bool applyOrientation = true, float[]? buffer = null)
    {
        var ctx = new JpegContext();
        try
        {
            ReadSegments(data, ctx, headersOnly: false);
            JpegFrame frame = ctx.Frame ?? throw new InvalidDataException("JPEG has no frame header (SOF)");
            if (ctx.ScanCount == 0) throw new InvalidDataException("JPEG has no image data (no SOS scan)");
            foreach (JpegComponent c in frame.Components)
                if (!c.Decoded) throw new InvalidDataException($"JPEG is truncated or corrupt: component {c.Id} is never coded in a scan");
            if (frame.Progressive) new ProgressiveScanDecoder().Finish(frame);
            return JpegColorConverter.ToImage(frame, ctx.ColorTransform, applyOrientation ? ctx.Orientation : 1, buffer);
        }
        finally
        {
            ctx.Frame?.ReturnBuffers();
        }
    }

    /// <summary>
    /// The decoder control procedure (T.81 E.2.1–E.2.3): interprets marker segments in order and
    /// decodes each scan. With <paramref name="headersOnly"/> it stops at the first scan header.
    /// </summary>
    private static void ReadSegments(ReadOnlySpan<byte> data, JpegContext ctx, bool headersOnly)
    {
        if (!IsJpeg(data)) throw new InvalidDataException("not a JPEG file (no SOI marker)");
        int pos = 2;
        SequentialScanDecoder? sequential = null;
        ProgressiveScanDecoder? progressive = null;
        while (true)
        {
            if (pos >= data.Length)
            {
                JpegFrame? f = ctx.Frame;
                // The size is known once the frame header is read; and an image whose scans are
                // complete (progressive: every coefficient at full precision) is usable without EOI.
                if (f is not null && (headersOnly || Array.TrueForAll(f.Components, c => c.Decoded && (!f.Progressive || c.FinalCoefficients == ulong.MaxValue)))) return;
                throw new InvalidDataException(f is null ? "JPEG file is truncated (no frame header)" : "JPEG file is truncated (no EOI marker)");
            }
            byte marker = ReadMarker(data, ref pos);
            if (marker == 0) continue;   // no marker before the end: the check above decides
            if (marker == JpegMarkers.EOI) return;
            if (marker == JpegMarkers.SOI) throw new InvalidDataException("JPEG is corrupt: a second SOI marker inside the image");
            if (JpegMarkers.IsRestart(marker) || marker == JpegMarkers.TEM) continue;   // markers without a segment

            // Every other marker starts a segment: a 16-bit length (including itself) and a body (B.1.1.4).
            if (pos + 2 > data.Length) throw new InvalidDataException($"JPEG file is truncated (in the segment of marker 0x{marker:X2})");
            int length = data[pos] << 8 | data[pos + 1];
            if (length < 2) throw new InvalidDataException($"JPEG segment of marker 0x{marker:X2} has an invalid length {length}");
            if (pos + length > data.Length) throw new InvalidDataException($"JPEG file is truncated (segment of marker 0x{marker:X2} runs past the end)");
            ReadOnlySpan<byte> body = data.Slice(pos + 2, length - 2);
            pos += length;

            switch (marker)
            {
                case JpegMarkers.SOF0 or JpegMarkers.SOF1 or JpegMarkers.SOF2:
                    if (ctx.Frame is not null) throw new InvalidDataException("JPEG has more than one frame header (SOF)");
                    ctx.Frame = JpegHeaders.ParseFrame(marker, body, data.Length);
                    break;
                case JpegMarkers.DHT:
                    JpegHeaders.ParseHuffmanTables(body, ctx);
                    break;
                case JpegMarkers.DQT:
                    JpegHeaders.ParseQuantizationTables(body, ctx);
                    break;
                case JpegMarkers.DRI:
                    JpegHeaders.ParseRestartInterval(body, ctx);
                    break;
                case JpegMarkers.DAC:
                    throw new InvalidDataException("arithmetic-coded JPEG (DAC marker) is not supported");
                case JpegMarkers.DNL:
                    throw new InvalidDataException("JPEG with a DNL marker is not supported");
                case JpegMarkers.DHP or JpegMarkers.EXP:
                    throw new InvalidDataException("hierarchical JPEG (DHP/EXP marker) is not supported");
                case JpegMarkers.SOS:
                    if (headersOnly)
                    {
                        if (ctx.Frame is null) throw new InvalidDataException("JPEG has a scan (SOS) before the frame header (SOF)");
                        return;
                    }
                    JpegScan scan = JpegHeaders.ParseScan(body, ctx);
                    if (scan.Number > MaxScans) throw new InvalidDataException($"JPEG has more than {MaxScans} scans (corrupt)");
                    JpegFrame frame = ctx.Frame!;
                    if (scan.Number == 1) frame.AllocateBuffers();
                    pos = frame.Progressive
                        ? (progressive ??= new ProgressiveScanDecoder()).Decode(data, pos, frame, scan, ctx.RestartInterval)
                        : (sequential ??= new SequentialScanDecoder()).Decode(data, pos, frame, scan, ctx.RestartInterval);
                    break;
                default:
                    if (JpegMarkers.IsStartOfFrame(marker)) throw new InvalidDataException(JpegMarkers.UnsupportedFrameReason(marker));
                    if (marker is >= JpegMarkers.APP0 and <= 0xEF) JpegHeaders.ParseApplicationSegment(marker, body, ctx);
                    break;   // COM, other APPn, JPGn and reserved markers: skipped
            }
        }
    }

    /// <summary>
    /// Reads the next marker from <paramref name="pos"/>: 0xFF, optional 0xFF fill bytes (B.1.1.2),
    /// then the code. Stray bytes before it (a writer's off-by-two segment length; 0xFF00 is not a
    /// marker either) are skipped, as libjpeg does with a warning. Returns 0 when the data ends first.
    /// </summary>
    private static byte ReadMarker(ReadOnlySpan<byte> data, ref int pos)
    {
        int p = pos;
        while (true)
        {
            while (p < data.Length && data[p] != 0xFF) p++;
            while (p < data.Length && data[p] == 0xFF) p++;
            if (p >= data.Length)
            {
                pos = data.Length;
                return 0;
            }
            if (data[p] != 0) break;
            p++;
        }
        pos = p + 1;
        return data[p];
    }
}
