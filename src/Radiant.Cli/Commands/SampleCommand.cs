using System.CommandLine;
using Radiant.Sample;

namespace Radiant.Cli.Commands;

/// <summary><c>radiant sample DIR</c>: render the built-in procedural scene into the Blender layout.</summary>
public static class SampleCommand
{
    public static Command Create()
    {
        var dir = new Argument<string>("dir") { Description = "Output folder (must not exist or be empty)" };
        var trainViews = new Option<int>("--train-views") { Description = "Number of training views", DefaultValueFactory = _ => 100 };
        var testViews = new Option<int>("--test-views") { Description = "Number of test views", DefaultValueFactory = _ => 25 };
        var size = new Option<int>("--size") { Description = "Image width and height in pixels", DefaultValueFactory = _ => 200 };
        var seed = new Option<int>("--seed") { Description = "Turns all cameras about the vertical axis", DefaultValueFactory = _ => 0 };
        var samples = new Option<int>("--samples") { Description = "Supersamples per pixel axis (anti-aliasing)", DefaultValueFactory = _ => 3 };
        var poseJitter = new Option<double>("--pose-jitter") { Description = "Write the training views' poses off by a random rigid motion of about this many degrees (and as far, as an arc at the camera distance; images from the true poses, test views exact): data for train --pose-opt", DefaultValueFactory = _ => 0 };
        var exposureJitter = new Option<double>("--exposure-jitter") { Description = "Write each training view as an opaque photo with its own exposure and white balance, gains exp(J·z) (e.g. 0.3; test views keep the true colours): data for train --exposure", DefaultValueFactory = _ => 0 };
        var unbounded = new Option<bool>("--unbounded") { Description = "The scene standing on an endless paved ground among standing stones under a sky, photographed by cameras walking around it (a Mip-NeRF 360-like capture), written in the COLMAP layout with a point cloud; train-views + test-views photos, every 8th held out for testing by train" };
        var command = new Command("sample", "Render the built-in sample scene (fine text, thin rods, a glossy sphere, glass) into the NeRF-synthetic layout")
        {
            dir, trainViews, testViews, size, seed, samples, exposureJitter, poseJitter, unbounded,
        };
        CommandRunner.SetAction(command, (result, console) =>
        {
            string output = result.GetValue(dir)!;
            if (File.Exists(output)) throw new RadiantException(output, "is a file, not a folder");
            if (Directory.Exists(output) && Directory.EnumerateFileSystemEntries(output).Any())
                throw new RadiantException(output, "folder is not empty (choose a new folder; nothing was written)");
            int px = result.GetValue(size);
            var options = new SampleSceneOptions
            {
                TrainViews = result.GetValue(trainViews),
                TestViews = result.GetValue(testViews),
                ValViews = Math.Min(5, Math.Max(0, result.GetValue(testViews))),
                Width = px,
                Height = px,
                Seed = result.GetValue(seed),
                SamplesPerAxis = result.GetValue(samples),
                ExposureJitter = result.GetValue(exposureJitter),
                PoseJitter = result.GetValue(poseJitter),
            };
            if (result.GetValue(unbounded))
            {
                if (options.ExposureJitter > 0 || options.PoseJitter > 0) throw new RadiantException("--unbounded does not take --exposure-jitter or --pose-jitter");
                console.Progress("rendering unbounded sample scene", progress => SampleCapture.Write(output, options, progress));
                console.Line($"wrote {options.TrainViews + options.TestViews} photos ({px}x{px}) and their COLMAP model (sparse/0, text) to {Path.GetFullPath(output)}");
                return 0;
            }
            console.Progress("rendering sample scene", progress => SampleScene.Write(output, options, progress));
            console.Line($"wrote {options.TrainViews} train and {options.TestViews} test views ({px}x{px}) to {Path.GetFullPath(output)}");
            return 0;
        });
        return command;
    }
}
