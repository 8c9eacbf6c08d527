using System.Diagnostics;
using System.Globalization;
using Radiant.Data;
using Radiant.Data.Colmap;

namespace Radiant.Capture;

/// <summary>
/// From a folder of photos or a video to a posed COLMAP dataset Radiant (and other 3DGS tools) can
/// train on. The output folder gets:
/// <list type="bullet">
/// <item><c>input/</c>: the frames picked from a video (<see cref="VideoFrameExtractor"/>), or the photos
/// when some are stored sideways with an EXIF rotation (<see cref="UprightPhotos"/>) or as HEIC/HEIF
/// (<see cref="HeifPhotos"/>; <see cref="InputPhotos"/>);</item>
/// <item><c>distorted/database.db</c>, <c>distorted/sparse/N/</c>: COLMAP's features, matches and
/// models with the lens model it estimated (the reference 3DGS convert.py layout);</item>
/// <item><c>images/</c>, <c>sparse/0/</c>: the photos and the model (text format), normalised by
/// <see cref="SceneNormalization"/>, the transform in <c>transform.json</c>. The photos are copies of the
/// input, with the lens COLMAP estimated or, when it is slight, a PINHOLE camera; or undistorted by
/// COLMAP to a PINHOLE camera on request (<see cref="PosedPhotos"/>);</item>
/// <item><c>images_2/</c>, <c>images_4/</c>, <c>images_8/</c>: reduced copies (<see cref="ImagePyramid"/>);</item>
/// <item><c>colmap.log</c>: everything COLMAP printed.</item>
/// </list>
/// </summary>
public static class PhotoCapture
{
    public const string TransformFile = "transform.json";
    public const string LogFile = "colmap.log";

    /// <summary>Runs one named stage with a progress reporter (the CLI shows a bar per stage).</summary>
    public delegate void StageRunner(string title, Action<IProgress<(int Done, int Total)>> work);

    public static CaptureSummary Run(string input, string output, CaptureOptions options, StageRunner stage, Action<string> note, CancellationToken cancel = default)
    {
        if (!CaptureOptions.CameraModels.Contains(options.CameraModel))
            throw new RadiantException($"--camera-model must be one of {string.Join(", ", CaptureOptions.CameraModels)} (got {options.CameraModel})");
        if (options.Matcher is not ("auto" or "exhaustive" or "sequential"))
            throw new RadiantException($"--matcher must be auto, exhaustive or sequential (got {options.Matcher})");
        if (options.Overlap < 1) throw new RadiantException($"--overlap must be positive (got {options.Overlap})");
        if (options.MappingAttempts < 1) throw new RadiantException($"--mapping-attempts must be at least 1 (got {options.MappingAttempts})");
        if (!(options.UndistortAbove >= 0)) throw new RadiantException($"--undistort-above must be 0 or more pixels (got {options.UndistortAbove})");
        if (options.FixedIntrinsics && options.FovXDegrees is null) throw new RadiantException("--fixed-intrinsics needs --fov (the focal length to keep)");
        CaptureInput source = CaptureInput.Open(input);
        if (File.Exists(output)) throw new RadiantException(output, "is a file, not a folder");
        if (Directory.Exists(output) && Directory.EnumerateFileSystemEntries(output).Any())
            throw new RadiantException(output, "folder is not empty (choose a new folder; nothing was written)");
        // Photos are checked before anything is written (HEIC/HEIF ones when they are decoded); a video's frames once they are extracted.
        List<string> heif = source.Images.Where(HeifPhotos.IsHeif).ToList();
        if (!source.IsVideo)
        {
            CaptureInput.CheckCount(source.Path, source.Images.Count);
            CaptureInput.ReadSizes(source.Images.Except(heif));
            if (heif.Count > 0) HeifPhotos.EnsureAvailable(options.HeifConvert);
        }
        output = Path.GetFullPath(output);
        string log = Path.Combine(output, LogFile);
        var colmap = new ColmapRunner(options.Colmap, log);
        colmap.EnsureAvailable();
        Directory.CreateDirectory(output);

        var times = new List<(string, double)>();
        void Timed(string title, Action<IProgress<(int Done, int Total)>> work)
        {
            var clock = Stopwatch.StartNew();
            stage(title, work);
            times.Add((title, clock.Elapsed.TotalSeconds));
        }

        string imageDir = source.Path;
        List<string> images = source.Images.ToList();
        int?[]? focal35 = null;   // the EXIF focal lengths of photos rewritten as PNG, which COLMAP then cannot read
        if (source.IsVideo)
        {
            imageDir = Path.Combine(output, "input");
            Timed("frames", p => images = VideoFrameExtractor.Extract(source.Path, imageDir, options.Fps, options.Frames, options.Ffmpeg, p, note, cancel));
        }
        else if (UprightPhotos.Rotated(images.Except(heif)) is var rotated && rotated.Count + heif.Count > 0)
        {
            imageDir = Path.Combine(output, "input");
            if (heif.Count > 0)
                note($"{heif.Count} of {images.Count} photos are HEIC/HEIF, which COLMAP cannot read: they are decoded to PNG in input/ and posed from there");
            if (rotated.Count > 0)
                note($"{rotated.Count} of {images.Count} photos are stored sideways with an EXIF rotation (phone portrait shots), which COLMAP ignores: upright copies are written to input/ and posed instead");
            Timed(heif.Count > 0 ? "decoding photos" : "upright photos", p =>
            {
                InputPhotos.Result written = InputPhotos.Write(images, rotated, heif, imageDir, options.HeifConvert, p, cancel);
                (images, focal35) = (written.Paths, written.FocalLength35mm);
            });
        }
        var sizes = CaptureInput.CheckImages(imageDir, images);
        bool oneSize = sizes.Distinct().Count() == 1;
        if (!oneSize) note("the photos differ in size: COLMAP estimates one camera per photo instead of one shared camera");

        string distorted = Path.Combine(output, "distorted");
        string database = Path.Combine(distorted, "database.db");
        string models = Path.Combine(distorted, "sparse");
        Directory.CreateDirectory(models);
        string list = Path.Combine(distorted, "image_list.txt");
        AtomicFile.WriteAllText(list, string.Join('\n', images.Select(Path.GetFileName)) + "\n");
        string seed = options.Seed.ToString(CultureInfo.InvariantCulture);

        List<string> extractArgs =
        [
            "--database_path", database, "--image_path", imageDir, "--image_list_path", list,
            "--ImageReader.camera_model", options.CameraModel, "--ImageReader.single_camera", oneSize ? "1" : "0",
            "--SiftExtraction.use_gpu", "0", "--random_seed", seed,
        ];
        if (options.FovXDegrees is { } fov)
        {
            if (!oneSize) throw new RadiantException(imageDir, "--fov needs photos of one size (they share one camera)");
            extractArgs.AddRange(["--ImageReader.camera_params", InitialCameraParams(options.CameraModel, sizes[0].Width, sizes[0].Height, fov)]);
        }
        else if (oneSize && focal35 is [int f35, ..] && focal35.All(f => f == f35))
        {
            // COLMAP would have started from the photos' EXIF focal length; their PNG copies lack it, so it is
            // given as COLMAP derives it (CIPA: f = f35 / 43.27 mm × the image diagonal in pixels).
            var (w, h) = sizes[0];
            double f = f35 / 43.27 * Math.Sqrt((double)w * w + (double)h * h);
            extractArgs.AddRange(["--ImageReader.camera_params", InitialCameraParams(options.CameraModel, w, h, 2 * Math.Atan(w / 2.0 / f) * 180 / Math.PI)]);
            note(FormattableString.Invariant($"the photos' EXIF focal length ({f35} mm in 35 mm terms, {f:0} px), which their PNG copies lack, is given to COLMAP as its starting focal length"));
        }
        Timed("features", p => colmap.Run("feature_extractor", extractArgs, images.Count, p, cancel));

        string matcher = options.Matcher == "auto" ? (source.IsVideo || images.Count > CaptureOptions.ExhaustiveLimit ? "sequential" : "exhaustive") : options.Matcher;
        List<string> matchArgs = ["--database_path", database, "--SiftMatching.use_gpu", "0", "--random_seed", seed];
        // No vocabulary tree: loop detection would need one, so sequential matching only looks ahead.
        if (matcher == "sequential") matchArgs.AddRange(["--SequentialMatching.overlap", options.Overlap.ToString(CultureInfo.InvariantCulture), "--SequentialMatching.loop_detection", "0"]);
        int matchSteps = images.Count;
        if (matcher == "exhaustive")
        {
            // Blocks smaller than COLMAP's 50 photos, so that progress moves every minute or two
            // (a block of 50 photos is about 1,200 pairs: 8 minutes on 2 cores); the pairs are the same.
            matchArgs.AddRange(["--ExhaustiveMatching.block_size", CaptureOptions.ExhaustiveBlockSize.ToString(CultureInfo.InvariantCulture)]);
            int blocks = (images.Count + CaptureOptions.ExhaustiveBlockSize - 1) / CaptureOptions.ExhaustiveBlockSize;
            matchSteps = blocks * blocks;
        }
        Timed($"matching ({matcher})", p => colmap.Run($"{matcher}_matcher", matchArgs, matchSteps, p, cancel));

        List<string> mapArgs = ["--database_path", database, "--image_path", imageDir];
        if (options.FixedIntrinsics) mapArgs.AddRange(["--Mapper.ba_refine_focal_length", "0", "--Mapper.ba_refine_extra_params", "0"]);
        var (best, modelCount, registered) = ColmapMapping.Run(colmap, mapArgs, models, images.Count, options.MappingAttempts, options.Seed, Timed, note, cancel);
        if (modelCount > 1)
            note($"COLMAP made {modelCount} separate models (the photos fall into groups it could not connect); keeping the largest, {Path.GetFileName(best)}, with {registered.Count} photos");
        var unregistered = images.Select(Path.GetFileName).Where(n => !registered.Contains(n!)).Select(n => n!).ToList();
        if (registered.Count < CaptureInput.MinimumImages)
            throw new RadiantException(log, $"COLMAP registered only {registered.Count} of {images.Count} photos; they need more overlap and texture. The log ends:{Environment.NewLine}{ColmapRunner.Tail(log)}");
        if (unregistered.Count > 0)
            note($"{unregistered.Count} of {images.Count} photos did not register and are left out: {Names(unregistered)}");

        // A work folder with images/ and the text model (the photos as they are or undistorted, see PosedPhotos), moved into place below.
        string work = Path.Combine(output, ".posing");
        string text = PosedPhotos.Write(colmap, best, imageDir, registered, work, options, Timed, note, cancel);

        Dataset posed = ColmapReader.Read(work, new DatasetOptions());
        SimilarityTransform transform = options.Normalize ? SceneNormalization.Estimate(posed.AllCameras.ToList(), posed.Points) : SimilarityTransform.Identity;
        ColmapTextTransform.Apply(text, Path.Combine(output, "sparse", "0"), transform);
        AtomicFile.WriteAllText(Path.Combine(output, TransformFile), transform.ToJson(
            "x_normalised = matrix * x_colmap (x' = scale * rotation * x + translation), applied to sparse/0; inverse_matrix maps back to distorted/sparse"));
        Directory.Move(Path.Combine(work, "images"), Path.Combine(output, "images"));
        Directory.Delete(work, recursive: true);

        if (options.Downscales.Length > 0)
            Timed($"images_{string.Join('/', options.Downscales)}", p => ImagePyramid.Write(Path.Combine(output, "images"), options.Downscales, p, cancel));

        return new CaptureSummary(output, images.Count, registered.Count, unregistered, modelCount, posed.Points?.Count ?? 0, transform, times);
    }

    /// <summary>
    /// COLMAP's parameter list for a camera of horizontal field of view <paramref name="fovX"/>:
    /// f = (W/2) / tan(fov/2), principal point at the centre, no distortion, in the order of
    /// <paramref name="model"/> (SIMPLE_PINHOLE f,cx,cy; PINHOLE fx,fy,cx,cy; SIMPLE_RADIAL f,cx,cy,k;
    /// RADIAL f,cx,cy,k1,k2; OPENCV fx,fy,cx,cy,k1,k2,p1,p2).
    /// </summary>
    public static string InitialCameraParams(string model, int width, int height, double fovX)
    {
        if (!(fovX > 1 && fovX < 179)) throw new RadiantException($"--fov must be between 1 and 179 degrees (got {fovX})");
        double f = width / 2.0 / Math.Tan(fovX * Math.PI / 360), cx = width / 2.0, cy = height / 2.0;
        double[] p = model switch
        {
            "SIMPLE_PINHOLE" => [f, cx, cy],
            "PINHOLE" => [f, f, cx, cy],
            "SIMPLE_RADIAL" => [f, cx, cy, 0],
            "RADIAL" => [f, cx, cy, 0, 0],
            "OPENCV" => [f, f, cx, cy, 0, 0, 0, 0],
            _ => throw new ArgumentOutOfRangeException(nameof(model)),
        };
        return string.Join(',', p.Select(v => v.ToString("R", CultureInfo.InvariantCulture)));
    }

    /// <summary>Up to 10 names, then "and N more".</summary>
    public static string Names(IReadOnlyList<string> names) =>
        string.Join(", ", names.Take(10)) + (names.Count > 10 ? $" and {names.Count - 10} more" : "");
}
