using Radiant.Imaging;
using Radiant.Logging;
using Radiant.Tests.Support;

namespace Radiant.Tests.Logging;

/// <summary>TensorBoard events: the protobuf bytes of a known event, and writer → reader round trips.</summary>
public class EventFileTests
{
    [Fact]
    public void A_scalar_event_encodes_to_the_bytes_of_event_proto()
    {
        var e = new TensorBoardEvent(1.5, 3, null, [new SummaryValue("a", Scalar: 2f)]);
        // Event: wall_time (1, fixed64) = 1.5, step (2, varint) = 3, summary (5, bytes) =
        //   Summary: value (1, bytes) = Value: tag (1, bytes) "a", simple_value (2, fixed32) 2.0f.
        byte[] expected =
        [
            0x09, 0, 0, 0, 0, 0, 0, 0xF8, 0x3F,
            0x10, 0x03,
            0x2A, 0x0A, 0x0A, 0x08, 0x0A, 0x01, (byte)'a', 0x15, 0, 0, 0, 0x40,
        ];
        Assert.Equal(expected, e.Encode());
        TensorBoardEvent back = TensorBoardEvent.Decode(expected);
        Assert.Equal(1.5, back.WallTime);
        Assert.Equal(3, back.Step);
        Assert.Equal("a", Assert.Single(back.Values).Tag);
        Assert.Equal(2f, back.Values[0].Scalar);
    }

    [Fact]
    public void Written_scalars_and_an_image_read_back()
    {
        using var dir = new TempDir("events");
        double now = 1_700_000_000.25;
        var image = new Image(5, 3, 3);
        for (int i = 0; i < image.Data.Length; i++) image.Data[i] = (i % 7) / 6f;

        string path;
        using (var w = EventFileWriter.Create(dir.Path, () => now))
        {
            path = w.Path;
            now += 1;
            w.Scalars(10, [("train/loss", 0.25), ("train/psnr", 21.5), ("skipped", double.NaN)]);
            now += 1;
            w.Image(20, "test/render", image);
            now += 1;
            w.Scalars(1L << 40, [("big", -3)]);
        }
        Assert.Matches(@"events\.out\.tfevents\.1700000000\.[^/]+$", path);

        EventFile f = EventFileReader.Read(path);
        Assert.Null(f.Incomplete);
        Assert.Equal(4, f.Events.Count);
        Assert.Equal("brain.Event:2", f.Events[0].FileVersion);
        Assert.Equal(1_700_000_000.25, f.Events[0].WallTime);

        TensorBoardEvent scalars = f.Events[1];
        Assert.Equal(10, scalars.Step);
        Assert.Equal(1_700_000_001.25, scalars.WallTime);
        Assert.Equal(["train/loss", "train/psnr"], scalars.Values.Select(v => v.Tag));
        Assert.Equal([0.25f, 21.5f], scalars.Values.Select(v => v.Scalar!.Value));

        SummaryValue img = Assert.Single(f.Events[2].Values);
        Assert.Equal(20, f.Events[2].Step);
        Assert.Equal("test/render", img.Tag);
        Assert.Equal((3, 5, 3), (img.Image!.Height, img.Image.Width, img.Image.Colorspace));
        string png = dir.File("back.png");
        File.WriteAllBytes(png, img.Image.Encoded);
        Image decoded = ImageIO.Load(png);
        for (int i = 0; i < image.Data.Length; i++) Assert.Equal(Image.Quantize8(image.Data[i]) / 255f, decoded.Data[i], 6);

        Assert.Equal(1L << 40, f.Events[3].Step);
        Assert.Equal(-3f, f.Events[3].Values[0].Scalar);
    }

    [Fact]
    public void A_file_a_writer_is_still_appending_to_reads_up_to_its_last_whole_record()
    {
        using var dir = new TempDir("events");
        string path;
        using (var w = EventFileWriter.Create(dir.Path))
        {
            path = w.Path;
            for (int s = 1; s <= 3; s++) w.Scalars(s, [("x", s)]);
        }
        byte[] bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^7]);
        EventFile f = EventFileReader.Read(path);
        Assert.Equal([0L, 1L, 2L], f.Events.Select(e => e.Step));
        Assert.Contains("incomplete", f.Incomplete);
    }

    [Fact]
    public void A_record_that_is_not_an_event_names_its_offset()
    {
        using var dir = new TempDir("events");
        string path = dir.File(EventFileWriter.FilePrefix + "1.host");
        // A valid frame around bytes that end inside a varint.
        File.WriteAllBytes(path, [.. TfRecord.Frame([0x10, 0x80])]);
        var e = Assert.Throws<RadiantException>(() => EventFileReader.Read(path));
        Assert.Contains("record at offset 0 is not an Event protobuf", e.Message);
    }
}
