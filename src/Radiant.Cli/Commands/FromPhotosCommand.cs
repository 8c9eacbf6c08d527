using System.CommandLine;
using System.Globalization;
using Radiant.Capture;
using Radiant.Data;

namespace Radiant.Cli.Commands;

/// <summary><c>radiant data from-photos IN OUT</c>: pose a folder of photos or a video with COLMAP into a dataset.</summary>
public static class FromPhotosCommand
{
    public static Command Create()
    {
        var input = new Argument<string>("in") { Description = "A folder of photos (.jpg/.png, or .heic/.heif, decoded with libheif) or a video file" };
        var output = new Argument<string>("out") { Description = "New output folder for the COLMAP dataset (must not exist or be empty)" };
        var fps = new Option<double?>("--fps") { Description = "Video: frames kept per second, the sharpest of each window (default 2)" };
        var frames = new Option<int?>("--frames") { Description = "Video: keep about this many frames instead of --fps" };
        var cameraModel = new Option<string>("--camera-model") { Description = "COLMAP camera model shared by the photos: OPENCV, SIMPLE_RADIAL, RADIAL, PINHOLE, SIMPLE_PINHOLE", DefaultValueFactory = _ => "OPENCV" };
        var matcher = new Option<string>("--matcher") { Description = $"auto (sequential for a video, exhaustive up to {CaptureOptions.ExhaustiveLimit} photos), exhaustive or sequential", DefaultValueFactory = _ => "auto" };
        var overlap = new Option<int>("--overlap") { Description = "Sequential matching: match each photo with this many following ones", DefaultValueFactory = _ => 10 };
        var fov = new Option<double?>("--fov") { Description = "Horizontal field of view in degrees, if known (COLMAP's starting focal length; photos without EXIF otherwise start from about 45°)" };
        var fixedIntrinsics = new Option<bool>("--fixed-intrinsics") { Description = "Keep the --fov focal length and zero distortion fixed while mapping (a calibrated camera)" };
        var mappingAttempts = new Option<int>("--mapping-attempts") { Description = "Mapper runs in all: while the largest model leaves out more than a tenth of the photos, COLMAP maps again with the next seed and the attempt that registers the most is kept (1: map once)", DefaultValueFactory = _ => 3 };
        var undistortAbove = new Option<double>("--undistort-above") { Description = "Keep COLMAP's estimated lens (Radiant undistorts the photos on load) only when it moves some point by at least this many pixels; below it the photos get a pinhole camera, since undistorting blurs them (0: always keep the lens)", DefaultValueFactory = _ => 1 };
        var pinhole = new Option<bool>("--pinhole") { Description = "Where the lens is kept, write photos undistorted by COLMAP's image_undistorter with a PINHOLE camera instead (for tools that read only pinhole cameras; bilinear, so blurrier)" };
        var noNormalize = new Option<bool>("--no-normalize") { Description = "Keep COLMAP's arbitrary world frame instead of centring, scaling and orienting the scene upright" };
        var command = new Command("from-photos", "Pose photos or a video with COLMAP (features, matching, mapping) into a dataset with images_2/4/8")
        {
            input, output, fps, frames, cameraModel, matcher, overlap, fov, fixedIntrinsics, mappingAttempts, undistortAbove, pinhole, noNormalize,
        };
        CommandRunner.SetAction(command, (result, console) =>
        {
            if (result.GetValue(fps) is not null && result.GetValue(frames) is not null)
                throw new RadiantException("give --fps or --frames, not both");
            var options = new CaptureOptions
            {
                Fps = result.GetValue(fps),
                Frames = result.GetValue(frames),
                CameraModel = result.GetValue(cameraModel)!.ToUpperInvariant(),
                Matcher = result.GetValue(matcher)!,
                Overlap = result.GetValue(overlap),
                FovXDegrees = result.GetValue(fov),
                FixedIntrinsics = result.GetValue(fixedIntrinsics),
                MappingAttempts = result.GetValue(mappingAttempts),
                UndistortAbove = result.GetValue(undistortAbove),
                Pinhole = result.GetValue(pinhole),
                Normalize = !result.GetValue(noNormalize),
            };
            Pose(result.GetValue(input)!, result.GetValue(output)!, options, console);
            return 0;
        });
        return command;
    }

    /// <summary>Runs the pipeline with a progress bar per stage and prints what happened.</summary>
    public static CaptureSummary Pose(string input, string output, CaptureOptions options, Console console)
    {
        using var stop = new StopSignals();
        CaptureSummary s = PhotoCapture.Run(input, output, options, (title, work) => console.Progress(title, work), note => console.Line($"note: {note}"), stop.Token);
        string stages = string.Join(", ", s.StageSeconds.Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Stage} {t.Seconds:0.0} s")));
        console.Line($"posed {s.RegisteredImages} of {s.InputImages} photos, {s.Points:N0} points, in {s.TotalSeconds:0.0} s ({stages})");
        console.Line($"wrote {s.OutputDir} (images/, images_2/4/8, sparse/0/, {PhotoCapture.TransformFile}, {PhotoCapture.LogFile})");
        return s;
    }

    /// <summary>
    /// For <c>radiant train IN</c>: a video, or a folder of photos in no dataset layout, is posed
    /// first into <c>OUT/data</c> (OUT being the run's output folder) and that dataset is returned;
    /// any other path is returned as it is.
    /// </summary>
    public static string PoseIfRaw(string dataPath, string runDir, Console console)
    {
        bool video = File.Exists(dataPath) && CaptureInput.IsVideoFile(dataPath);
        bool photos = !video && CaptureInput.IsRawPhotoFolder(dataPath) && !HasLayout(dataPath);
        if (!video && !photos) return dataPath;
        string posed = Path.Combine(runDir, "data");
        console.Line($"{dataPath} is {(video ? "a video" : "a folder of photos")}: posing it with COLMAP into {posed} first (radiant data from-photos)");
        Pose(dataPath, posed, new CaptureOptions(), console);
        return posed;
    }

    private static bool HasLayout(string folder)
    {
        try { DatasetLoader.DetectLayout(folder, out _); return true; }
        catch (RadiantException) { return false; }
    }
}
