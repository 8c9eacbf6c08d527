using System.CommandLine;
using System.Globalization;
using Radiant.CameraPaths;
using Radiant.Data;
using Radiant.Export;
using Radiant.Imaging;
using Radiant.Mathematics;
using Radiant.Rendering;
using Radiant.Training;
using Radiant.Video;

namespace Radiant.Cli.Commands;

/// <summary>
/// <c>radiant render MODEL DATA</c>: render a trained model from a dataset's cameras to images; with
/// <c>--path orbit|spiral|dataset|FILE.json</c>, along a camera path to a PNG sequence and videos.
/// </summary>
public static class RenderCommand
{
    public const int DefaultOrbitFrames = 120;
    public const double DefaultFps = 30;
    /// <summary>Field of view of path-file keyframes when there are no cameras to take it from.</summary>
    public const double FallbackFovDegrees = 50;

    private sealed class PathOptions
    {
        public readonly Option<string?> Path = new("--path") { Description = "Render along a camera path: orbit, spiral, dataset (the split's cameras in order) or a path FILE.json" };
        public readonly Option<int?> Frames = new("--frames") { Description = "Number of frames (default: 120 for orbit/spiral, one per camera for dataset, the file's own for a path file)" };
        public readonly Option<string?> Resolution = new("--resolution") { Description = "Frame size WxH (default: the first camera's)" };
        public readonly Option<int?> Width = new("--width") { Description = "Frame width (the height follows the cameras' aspect unless given)" };
        public readonly Option<int?> Height = new("--height") { Description = "Frame height (the width follows the cameras' aspect unless given)" };
        public readonly Option<double?> Fov = new("--fov") { Description = "Vertical field of view in degrees (default: the cameras' mean)" };
        public readonly Option<double?> Radius = new("--radius") { Description = "Orbit/spiral distance from the centre (default: the cameras' mean distance)" };
        public readonly Option<double?> Elevation = new("--elevation") { Description = "Orbit/spiral elevation in degrees above the centre (default: the cameras' mean)" };
        public readonly Option<string?> Center = new("--center") { Description = "Look-at centre x,y,z (default: the point nearest to the cameras' optical axes)" };
        public readonly Option<double?> Fps = new("--fps") { Description = "Frames per second of the videos (default 30, or the path file's)" };
        public readonly Option<string> Outputs = new("--outputs") { Description = "Layers to write: rgb, depth, alpha (comma-separated)", DefaultValueFactory = _ => "rgb" };
        public readonly Option<string> Formats = new("--formats") { Description = "png (frame sequence), mp4, gif (comma-separated)", DefaultValueFactory = _ => "png,mp4" };
        public readonly Option<string?> SavePath = new("--save-path") { Description = "Write the path used (keyframes, frames, fps, size) to this JSON file, to edit and replay with --path" };
        public readonly Option<string?> DepthRange = new("--depth-range") { Description = "Depth mapped to the colour scale, NEAR,FAR (default: 2nd–98th percentile over the path)" };

        public void AddTo(Command c)
        {
            foreach (Option o in new Option[] { Path, Frames, Resolution, Width, Height, Fov, Radius, Elevation, Center, Fps, Outputs, Formats, SavePath, DepthRange })
                c.Options.Add(o);
        }
    }

    public static Command Create()
    {
        var model = new Argument<string>("model") { Description = "Training output folder or a 3DGS .ply file" };
        var data = new Argument<string>("data")
        {
            Description = "Dataset whose cameras to render or frame the path with (optional with --path when MODEL has a cameras.json)",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var split = new Option<string>("--split") { Description = "train, test, val or all (the views rendered without --path, and the cameras of --path dataset)", DefaultValueFactory = _ => "test" };
        var output = new Option<string>("--out") { Description = "Folder for the images and videos", Required = true };
        var dataOptions = new DataOptions();
        var pathOptions = new PathOptions();
        var command = new Command("render", "Render a trained model from a dataset's cameras, or along a camera path to PNG frames, MP4 and GIF") { model, data, split, output };
        var supersample = new SupersampleLevelsOption();
        var samples = new Option<int>("--supersample")
        {
            Description = "Samples per pixel side: each image is rendered K times larger and averaged over KxK blocks (smoother edges and fine detail, K² the time)",
            DefaultValueFactory = _ => 1,
        };
        command.Options.Add(samples);
        dataOptions.AddTo(command);
        supersample.AddTo(command);
        pathOptions.AddTo(command);
        CommandRunner.SetAction(command, (result, console) =>
        {
            string outDir = result.GetValue(output)!;
            if (File.Exists(outDir)) throw new RadiantException(outDir, "output path is a file, not a folder");
            int k = result.GetValue(samples);
            if (k is < 1 or > 16) throw new RadiantException($"--supersample must be 1..16 (got {k})");
            if (result.GetValue(pathOptions.Path) is null)
            {
                if (result.GetValue(data) is null) throw new RadiantException("give DATA (the dataset whose cameras to render) or --path orbit|spiral|dataset|FILE.json");
                return RenderSplit(result, console, model, data, split, dataOptions, supersample, k, outDir);
            }
            return RenderPath(result, console, model, data, split, dataOptions, pathOptions, k, outDir);
        });
        return command;
    }

    /// <summary>The dataset's views of one split, one PNG each named after its photo.</summary>
    private static int RenderSplit(ParseResult result, Console console, Argument<string> model, Argument<string> data, Option<string> split, DataOptions dataOptions, SupersampleLevelsOption supersample, int samples, string outDir)
    {
        var (ply, _, cameras, prepared) = EvalCommand.Prepare(result, console, model, data, split, dataOptions, supersample);
        RenderOptions options = prepared with { Supersample = samples };
        CheckSupersampledSize(cameras.Max(c => c.Width), cameras.Max(c => c.Height), samples);
        Directory.CreateDirectory(outDir);
        var renderer = new Renderer();
        var used = new HashSet<string>(StringComparer.Ordinal);
        console.Progress($"rendering {cameras.Count} views", p =>
        {
            for (int i = 0; i < cameras.Count; i++)
            {
                Image img = renderer.Render(ply.Gaussians, RenderCamera.From(cameras[i]), options).Color;
                ImageIO.SavePng(Path.Combine(outDir, TrainingSession.RenderFileName(cameras[i], used)), img);
                p.Report((i + 1, cameras.Count));
            }
        });
        console.Line($"wrote {cameras.Count} images to {Path.GetFullPath(outDir)}");
        return 0;
    }

    private static int RenderPath(ParseResult result, Console console, Argument<string> model, Argument<string> data, Option<string> split,
        DataOptions dataOptions, PathOptions o, int samples, string outDir)
    {
        string pathKind = result.GetValue(o.Path)!;
        string modelPath = result.GetValue(model)!;
        string splitName = result.GetValue(split)!;
        // Parse every option before the slow work, so a typo fails at once.
        var layers = SplitList(result.GetValue(o.Outputs)!).Select(FrameLayers.Parse).Distinct().ToList();
        var formats = SplitList(result.GetValue(o.Formats)!).Select(ParseFormat).Distinct().ToList();
        int? frames = Positive(result.GetValue(o.Frames), "--frames");
        double? fps = PositiveNumber(result.GetValue(o.Fps), "--fps");
        double? fov = result.GetValue(o.Fov);
        if (fov is { } f && !(f > 0 && f < 180)) throw new RadiantException($"--fov must be between 0 and 180 degrees (found {f})");
        double? radius = PositiveNumber(result.GetValue(o.Radius), "--radius");
        double? elevation = result.GetValue(o.Elevation);
        if (elevation is { } e && !(e > -90 && e < 90)) throw new RadiantException($"--elevation must be between -90 and 90 degrees (found {e})");
        Vec3? center = result.GetValue(o.Center) is { } cs ? ParseVector(cs, "--center") : null;
        DepthRange? depthRange = result.GetValue(o.DepthRange) is { } dr ? ParseDepthRange(dr) : null;
        var (width, height) = ParseSize(result.GetValue(o.Resolution), Positive(result.GetValue(o.Width), "--width"), Positive(result.GetValue(o.Height), "--height"));

        GaussianPlyData ply = ModelFile.LoadForRendering(modelPath);
        DatasetOptions d = result.GetValue(data) is null ? dataOptions.Read(result) : dataOptions.ReadForModel(result, modelPath, console);
        var (trainCameras, splitCameras, datasetBackground) = LoadCameras(modelPath, result.GetValue(data), splitName, d);
        // Without a dataset: the run's own background (config.json), else white.
        float[] background = datasetBackground ?? d.Background ?? TrainedDataOptions.Find(modelPath)?.Background ?? [1f, 1f, 1f];
        bool isFile = pathKind.ToLowerInvariant() is not ("orbit" or "spiral" or "dataset");
        if (trainCameras.Count == 0 && !isFile)
            throw new RadiantException(modelPath, $"no cameras to build the {pathKind} path from: give the dataset too (radiant render MODEL DATA --path {pathKind}), or a model folder with cameras.json");

        List<CameraPose> trainPoses = trainCameras.Select(CameraPose.FromCamera).ToList();
        SceneFrame? frame = trainPoses.Count > 0 ? SceneFraming.Estimate(trainPoses, center) : null;
        double defaultFov = fov ?? (trainCameras.Count > 0 ? trainCameras.Average(c => c.FovY) * 180 / Math.PI : FallbackFovDegrees);
        Camera? first = trainCameras.FirstOrDefault();

        CameraPath? file = null;
        IReadOnlyList<Keyframe> keyframes;
        switch (pathKind.ToLowerInvariant())
        {
            case "orbit":
            case "spiral":
            {
                int n = frames ?? DefaultOrbitFrames;
                if (n < 2) throw new RadiantException($"--frames must be at least 2 for an {pathKind}");
                double r = radius ?? frame!.Radius, el = elevation ?? frame!.ElevationDegrees;
                keyframes = pathKind.Equals("orbit", StringComparison.OrdinalIgnoreCase)
                    ? OrbitPaths.Orbit(frame!, n, r, el, defaultFov, fps ?? DefaultFps)
                    : OrbitPaths.Spiral(frame!, n, r, el, defaultFov, fps ?? DefaultFps);
                frames = n;
                console.Line(string.Create(CultureInfo.InvariantCulture,
                    $"{pathKind} around {frame!.Center} ({(center is not null ? "--center" : frame.CenterFromAxes ? "nearest point to the cameras' optical axes" : "camera centroid")}), up {frame.Up}, radius {r:0.###}, elevation {Math.Round(el, 1) + 0.0:0.#}°"));
                break;
            }
            case "dataset":
            {
                if (splitCameras.Count < 2) throw new RadiantException(modelPath, $"the {splitName} cameras number {splitCameras.Count}: a dataset path needs at least 2 (choose another --split)");
                keyframes = splitCameras.Select(c => new Keyframe(CameraPose.FromCamera(c) with { FovYDegrees = fov ?? c.FovY * 180 / Math.PI })).ToList();
                first = splitCameras[0];
                frames ??= keyframes.Count;
                break;
            }
            default:
            {
                file = CameraPathFile.Read(pathKind, defaultFov, frame?.Up ?? new Vec3(0, 0, 1));
                keyframes = file.Keyframes;
                fps ??= file.Fps;
                width ??= file.Width;
                height ??= file.Height;
                if (frames is null && file.Frames is null && keyframes[0].Time is { } t0 && keyframes[^1].Time is { } t1)
                    frames = (int)Math.Round((t1 - t0) * (fps ?? DefaultFps)) + 1;
                frames ??= file.Frames ?? DefaultOrbitFrames;
                break;
            }
        }
        double videoFps = fps ?? DefaultFps;
        var (w, h) = FrameSize(width, height, first, pathKind);
        var interpolator = new PathInterpolator(keyframes);
        IReadOnlyList<CameraPose> poses = interpolator.Sample(frames!.Value);

        if (result.GetValue(o.SavePath) is { } savePath)
        {
            CameraPathFile.Write(savePath, new CameraPath
            {
                Keyframes = TimedInSeconds(interpolator, frames.Value, videoFps),
                Frames = frames,
                Fps = videoFps,
                Width = w,
                Height = h,
                Up = file?.Up ?? frame?.Up,
            });
            console.Line($"wrote the path ({keyframes.Count} keyframes) to {savePath}");
        }

        var job = new VideoJob
        {
            Cameras = poses.Select((p, i) => p.ToCamera(w, h, $"frame_{i}")).ToList(),
            OutputDir = outDir,
            Fps = videoFps,
            Layers = layers,
            WritePngs = formats.Contains("png"),
            Videos = formats.Where(x => x != "png").Select(x => x == "mp4" ? VideoFormat.Mp4 : VideoFormat.Gif).ToList(),
            DepthRange = depthRange,
        };
        CheckSupersampledSize(w, h, samples);
        // With the model's 2D filter (Mip or dilation), as eval and the split's renders.
        RenderOptions options = ply.RenderOptions(background) with { Supersample = samples };
        PathVideoRenderer.Result written = console.Progress($"rendering {poses.Count} frames at {w}x{h}",
            p => PathVideoRenderer.Render(ply.Gaussians, options, job, p));
        if (written.DepthRange is { } range)
            console.Line(string.Create(CultureInfo.InvariantCulture, $"depth colours span {range.Near:0.###} (yellow) to {range.Far:0.###} (violet)"));
        if (job.Videos.Contains(VideoFormat.Mp4) && (w % 2 == 1 || h % 2 == 1))
            console.Line($"note: the MP4 is {w & ~1}x{h & ~1} (H.264 in yuv420p needs even sizes; the last column/row is dropped)");
        foreach (string writtenFile in written.Files) console.Line($"wrote {writtenFile}");
        return 0;
    }

    private static void CheckSupersampledSize(int width, int height, int samples)
    {
        if ((long)Math.Max(width, height) * samples > Renderer.MaxImageSide)
            throw new RadiantException($"--supersample {samples} would render {width}x{height} images at {(long)width * samples}x{(long)height * samples} px, " +
                                       $"above the renderer's {Renderer.MaxImageSide} px a side: give a smaller --supersample or size");
    }

    /// <summary>
    /// Cameras to frame a path with (the training split, or all) and the --split cameras (for --path
    /// dataset): from DATA, else from the model's cameras.json; empty when neither exists.
    /// </summary>
    private static (IReadOnlyList<Camera> Train, IReadOnlyList<Camera> Split, float[]? Background) LoadCameras(string modelPath, string? dataPath, string split, DatasetOptions options)
    {
        if (dataPath is not null)
        {
            Dataset ds = DatasetLoader.Load(dataPath, options);
            IReadOnlyList<Camera> train = ds.Train.Count > 0 ? ds.Train : ds.AllCameras.ToList();
            return (train, ds.Split(split), ds.Background);
        }
        string? json = TrainingCamerasFile.FindFor(modelPath);
        if (json is null) return ([], [], null);
        var all = TrainingCamerasFile.Read(json);
        bool hasSplits = all.Any(c => c.Split is not null);
        List<Camera> Where(string s) => all.Where(c => !hasSplits || s == "all" || string.Equals(c.Split, s, StringComparison.OrdinalIgnoreCase)).Select(c => c.Camera).ToList();
        List<Camera> trainCams = Where("train");
        return (trainCams.Count > 0 ? trainCams : all.Select(c => c.Camera).ToList(), Where(split.ToLowerInvariant()), null);
    }

    /// <summary>The keyframes with times in seconds at <paramref name="fps"/>, so that the saved file replays the same frames.</summary>
    private static List<Keyframe> TimedInSeconds(PathInterpolator path, int frames, double fps)
    {
        double duration = Math.Max(1, frames - 1) / fps, span = path.End - path.Start;
        return path.Keyframes.Select((k, i) => k with { Time = (path.Times[i] - path.Start) / span * duration }).ToList();
    }

    private static (int Width, int Height) FrameSize(int? width, int? height, Camera? reference, string pathKind)
    {
        if (width is { } w && height is { } h) return (w, h);
        if (reference is null) throw new RadiantException(pathKind, "no frame size: give --resolution WxH (or width and height in the path file), or DATA / a model folder with cameras.json");
        double aspect = (double)reference.Width / reference.Height;
        if (width is { } w2) return (w2, Math.Max(1, (int)Math.Round(w2 / aspect)));
        if (height is { } h2) return (Math.Max(1, (int)Math.Round(h2 * aspect)), h2);
        return (reference.Width, reference.Height);
    }

    private static (int? Width, int? Height) ParseSize(string? resolution, int? width, int? height)
    {
        if (resolution is null) return (width, height);
        string[] parts = resolution.ToLowerInvariant().Split('x');
        if (parts.Length == 2 && int.TryParse(parts[0], out int w) && int.TryParse(parts[1], out int h) && w > 0 && h > 0) return (w, h);
        throw new RadiantException($"--resolution '{resolution}' is not WxH with positive whole numbers (e.g. 800x600)");
    }

    private static string ParseFormat(string name) => name.Trim().ToLowerInvariant() switch
    {
        "png" => "png",
        "mp4" => "mp4",
        "gif" => "gif",
        _ => throw new RadiantException($"unknown format '{name}' (use png, mp4, gif)"),
    };

    private static Vec3 ParseVector(string text, string option)
    {
        double[] v = ParseNumbers(text, 3, option, "x,y,z");
        return new Vec3(v[0], v[1], v[2]);
    }

    private static DepthRange ParseDepthRange(string text)
    {
        double[] v = ParseNumbers(text, 2, "--depth-range", "NEAR,FAR");
        if (!(v[1] > v[0])) throw new RadiantException($"--depth-range '{text}': FAR must be greater than NEAR");
        return new DepthRange((float)v[0], (float)v[1]);
    }

    private static double[] ParseNumbers(string text, int count, string option, string shape)
    {
        string[] parts = text.Split(',');
        var values = new double[parts.Length];
        if (parts.Length != count || !parts.Select((p, i) => double.TryParse(p.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]) && double.IsFinite(values[i])).All(ok => ok))
            throw new RadiantException($"{option} '{text}' is not {shape} ({count} finite numbers)");
        return values;
    }

    private static List<string> SplitList(string text) =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList() is { Count: > 0 } list
            ? list : throw new RadiantException($"'{text}' names nothing");

    private static int? Positive(int? value, string option) =>
        value is { } v && v < 1 ? throw new RadiantException($"{option} must be 1 or more (found {v})") : value;

    private static double? PositiveNumber(double? value, string option) =>
        value is { } v && !(v > 0 && double.IsFinite(v)) ? throw new RadiantException($"{option} must be a positive number (found {v})") : value;
}
