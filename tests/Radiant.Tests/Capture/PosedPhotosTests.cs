using Radiant.Capture;
using Radiant.Data;
using Radiant.Data.Colmap;
using Radiant.Imaging;
using Radiant.Tests.Support;

namespace Radiant.Tests.Capture;

/// <summary>
/// The three forms <see cref="PosedPhotos"/> writes after mapping, from one real COLMAP model of the
/// orbit photos (SIMPLE_RADIAL: COLMAP estimates a small radial term k for these pinhole renders).
/// </summary>
[Collection(nameof(MatchedOrbitPhotos))]
public class PosedPhotosTests(MatchedOrbitPhotos photos)
{
    [Fact]
    public void The_lens_is_dropped_or_kept_with_the_photos_as_they_are_or_the_photos_are_undistorted_to_a_pinhole()
    {
        using var dir = new TempDir("posed-photos");
        Directory.CreateDirectory(dir.File("sparse"));
        MatchedOrbitPhotos.Colmap("mapper", "--database_path", photos.Database, "--image_path", photos.Images, "--output_path", dir.File("sparse"));
        string model = dir.File("sparse", "0");
        ColmapCameraEntry estimated = ColmapBinary.ReadCameras(Path.Combine(model, "cameras.bin")).Single();
        Assert.Equal("SIMPLE_RADIAL", estimated.Model.Name);
        Assert.NotEqual(0, estimated.Params[3]);
        var (fx, fy, cx, cy, lens) = estimated.Model.Intrinsics(estimated.Params);
        double shift = Undistortion.LargestShift(lens, fx, fy, cx, cy, estimated.Width, estimated.Height);
        HashSet<string> registered = ColmapBinary.ReadImages(Path.Combine(model, "images.bin")).Select(i => i.Name).ToHashSet();
        Assert.Equal(MatchedOrbitPhotos.Views, registered.Count);

        (string Text, List<string> Notes, List<string> Stages, string Log) Write(string name, CaptureOptions options)
        {
            var notes = new List<string>();
            var stages = new List<string>();
            string log = dir.File($"{name}.log");
            string text = PosedPhotos.Write(new ColmapRunner("colmap", log), model, photos.Images, registered, dir.File(name), options,
                (title, work) => { stages.Add(title); work(new Progress<(int, int)>()); }, notes.Add, default);
            return (text, notes, stages, File.ReadAllText(log));
        }
        void AssertCopies(string name)
        {
            foreach (string photo in registered)
                Assert.Equal(File.ReadAllBytes(Path.Combine(photos.Images, photo)), File.ReadAllBytes(dir.File(name, "images", photo)));
        }
        string Camera(string text) => File.ReadAllLines(Path.Combine(text, "cameras.txt")).Single(l => !l.StartsWith('#'));

        // A lens below the threshold is dropped: byte copies with a PINHOLE camera of the estimated focal length.
        var dropped = Write("dropped", new CaptureOptions { UndistortAbove = shift + 1 });
        Assert.Contains(dropped.Notes, n => n.Contains("the photos are used as they are, with a pinhole camera"));
        Assert.Equal(["copying photos"], dropped.Stages);
        AssertCopies("dropped");
        Assert.Equal(ColmapTextWriter.PinholeCameraLine(1, 320, 240, fx, fy, cx, cy).TrimEnd(), Camera(dropped.Text));

        // At or above it (the default form), byte copies with the camera COLMAP estimated, which the loader undistorts.
        var kept = Write("kept", new CaptureOptions { UndistortAbove = 0 });
        Assert.Contains(kept.Notes, n => n.Contains("the photos are kept as they are, with the lens in sparse/0/cameras.txt"));
        Assert.Equal(["copying photos"], kept.Stages);
        Assert.DoesNotContain("image_undistorter", kept.Log);
        AssertCopies("kept");
        Assert.StartsWith("1 SIMPLE_RADIAL 320 240 ", Camera(kept.Text));
        Camera loaded = ColmapReader.Read(dir.File("kept"), new DatasetOptions()).AllCameras.First();
        Assert.Equal(estimated.Params[3], loaded.Distortion!.K1, 12);

        // --pinhole: COLMAP's undistorter writes resampled photos at the size of its PINHOLE camera.
        var pinhole = Write("pinhole", new CaptureOptions { UndistortAbove = 0, Pinhole = true });
        Assert.Contains(pinhole.Notes, n => n.Contains("undistorted by its image_undistorter to a pinhole camera (--pinhole)"));
        Assert.Equal(["undistorting"], pinhole.Stages);
        Assert.Contains("==== colmap image_undistorter", pinhole.Log);
        string[] line = Camera(pinhole.Text).Split(' ');
        Assert.Equal("PINHOLE", line[1]);
        foreach (string photo in registered)
        {
            Image undistorted = ImageIO.Load(dir.File("pinhole", "images", photo));
            Assert.Equal((line[2], line[3]), ($"{undistorted.Width}", $"{undistorted.Height}"));
            Assert.NotEqual(File.ReadAllBytes(Path.Combine(photos.Images, photo)), File.ReadAllBytes(dir.File("pinhole", "images", photo)));
        }
    }
}
