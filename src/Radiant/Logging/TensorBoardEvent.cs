namespace Radiant.Logging;

/// <summary>An encoded image of a summary (TensorBoard's <c>Summary.Image</c>); colorspace 3 is RGB, 4 RGBA.</summary>
public sealed record SummaryImage(int Height, int Width, int Colorspace, byte[] Encoded);

/// <summary>One tagged value of a summary: a scalar or an image.</summary>
public sealed record SummaryValue(string Tag, float? Scalar = null, SummaryImage? Image = null);

/// <summary>
/// One event of a TensorBoard event file (<c>tensorflow/core/util/event.proto</c>): the first of a
/// file carries only <see cref="FileVersion"/>; the others a summary of tagged values at a step.
/// </summary>
public sealed record TensorBoardEvent(double WallTime, long Step, string? FileVersion, IReadOnlyList<SummaryValue> Values)
{
    public const string CurrentFileVersion = "brain.Event:2";

    // Field numbers of event.proto (Event) and summary.proto (Summary, Summary.Value, Summary.Image).
    private const int EventWallTime = 1, EventStep = 2, EventFileVersion = 3, EventSummary = 5;
    private const int SummaryValueField = 1;
    private const int ValueTag = 1, ValueSimpleValue = 2, ValueImage = 4;
    private const int ImageHeight = 1, ImageWidth = 2, ImageColorspace = 3, ImageEncoded = 4;

    public byte[] Encode()
    {
        var e = new ProtoWriter();
        e.Double(EventWallTime, WallTime);
        if (Step != 0) e.Varint(EventStep, Step);
        if (FileVersion is not null) e.String(EventFileVersion, FileVersion);
        else
        {
            var summary = new ProtoWriter();
            foreach (SummaryValue v in Values)
            {
                var value = new ProtoWriter();
                value.String(ValueTag, v.Tag);
                if (v.Scalar is { } s) value.Float(ValueSimpleValue, s);
                if (v.Image is { } img)
                {
                    var image = new ProtoWriter();
                    image.Varint(ImageHeight, img.Height);
                    image.Varint(ImageWidth, img.Width);
                    image.Varint(ImageColorspace, img.Colorspace);
                    image.Bytes(ImageEncoded, img.Encoded);
                    value.Message(ValueImage, image);
                }
                summary.Message(SummaryValueField, value);
            }
            e.Message(EventSummary, summary);
        }
        return e.ToArray();
    }

    /// <summary>Decodes an Event; fields other than the ones above are skipped. Throws <see cref="InvalidDataException"/> on malformed bytes.</summary>
    public static TensorBoardEvent Decode(ReadOnlySpan<byte> data)
    {
        double wallTime = 0; long step = 0; string? fileVersion = null;
        var values = new List<SummaryValue>();
        var r = new ProtoReader(data);
        while (r.Next(out int field, out WireType type))
        {
            if (field == EventWallTime && type == WireType.Fixed64) wallTime = r.Double();
            else if (field == EventStep && type == WireType.Varint) step = (long)r.Varint();
            else if (field == EventFileVersion && type == WireType.LengthDelimited) fileVersion = r.String();
            else if (field == EventSummary && type == WireType.LengthDelimited) DecodeSummary(r.Bytes(), values);
            else r.Skip(type);
        }
        return new TensorBoardEvent(wallTime, step, fileVersion, values);
    }

    private static void DecodeSummary(ReadOnlySpan<byte> data, List<SummaryValue> values)
    {
        var r = new ProtoReader(data);
        while (r.Next(out int field, out WireType type))
        {
            if (field != SummaryValueField || type != WireType.LengthDelimited) { r.Skip(type); continue; }
            var v = new ProtoReader(r.Bytes());
            string tag = "";
            float? scalar = null;
            SummaryImage? image = null;
            while (v.Next(out int f, out WireType t))
            {
                if (f == ValueTag && t == WireType.LengthDelimited) tag = v.String();
                else if (f == ValueSimpleValue && t == WireType.Fixed32) scalar = v.Float();
                else if (f == ValueImage && t == WireType.LengthDelimited) image = DecodeImage(v.Bytes());
                else v.Skip(t);
            }
            values.Add(new SummaryValue(tag, scalar, image));
        }
    }

    private static SummaryImage DecodeImage(ReadOnlySpan<byte> data)
    {
        int height = 0, width = 0, colorspace = 0;
        byte[] encoded = [];
        var r = new ProtoReader(data);
        while (r.Next(out int field, out WireType type))
        {
            if (type == WireType.Varint && field is ImageHeight or ImageWidth or ImageColorspace)
            {
                int value = (int)(long)r.Varint();
                if (field == ImageHeight) height = value;
                else if (field == ImageWidth) width = value;
                else colorspace = value;
            }
            else if (field == ImageEncoded && type == WireType.LengthDelimited) encoded = r.Bytes().ToArray();
            else r.Skip(type);
        }
        return new SummaryImage(height, width, colorspace, encoded);
    }
}
