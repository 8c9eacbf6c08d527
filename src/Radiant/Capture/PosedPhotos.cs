using System.Globalization;
using Radiant.Data;
using Radiant.Data.Colmap;

namespace Radiant.Capture;

/// <summary>
/// What <see cref="PhotoCapture"/> writes once COLMAP has posed the photos: <c>WORK/images/</c> and a
/// text model, in one of three forms chosen by the lens COLMAP estimated
/// (<see cref="Undistortion.LargestShift"/>):
/// <list type="bullet">
/// <item>a lens that moves no point by <see cref="CaptureOptions.UndistortAbove"/> pixels: the photos
/// copied byte for byte, with a PINHOLE camera (the lens dropped; it is mostly COLMAP fitting noise,
/// and resampling would blur every photo);</item>
/// <item>a larger lens (the default): the photos copied byte for byte, with the camera as COLMAP
/// estimated it (OPENCV, SIMPLE_RADIAL, ...), which Radiant's loader undistorts on the photo's own
/// grid by bicubic interpolation (<see cref="Undistortion"/>);</item>
/// <item>a larger lens with <see cref="CaptureOptions.Pinhole"/>: photos undistorted by COLMAP's
/// <c>image_undistorter</c> (bilinear, possibly cropped) with a PINHOLE camera, for tools that read
/// only pinhole cameras (the reference 3DGS).</item>
/// </list>
/// Measured on the unbounded sample through a barrel lens moving points by 1.99 px (400×400, scored on
/// the pinhole truth after 7,000 iterations): lens ignored 30.94 dB, COLMAP's undistorter 31.72 dB,
/// Radiant's loader 32.32 dB.
/// </summary>
public static class PosedPhotos
{
    /// <summary>Writes <c>WORK/images/</c> and the model in text; returns the text model's folder.</summary>
    public static string Write(ColmapRunner colmap, string model, string imageDir, IReadOnlyCollection<string> registered, string work,
        CaptureOptions options, PhotoCapture.StageRunner timed, Action<string> note, CancellationToken cancel)
    {
        string text = Path.Combine(work, "sparse");
        List<string> names = registered.Order(StringComparer.Ordinal).ToList();
        double shift = LensShift(Path.Combine(model, "cameras.bin"));
        if (shift == 0 || shift < options.UndistortAbove)
        {
            note(shift == 0
                ? "the camera has no lens distortion: the photos are used as they are"
                : Invariant($"the lens COLMAP estimated moves no point by more than {shift:0.00} px: the photos are used as they are, with a pinhole camera (undistorting would blur every photo; --undistort-above 0 keeps the lens)"));
            ConvertToText(colmap, model, text, cancel);
            WritePinholeCameras(Path.Combine(text, "cameras.txt"));
            timed("copying photos", p => CopyPhotos(imageDir, names, Path.Combine(work, "images"), p, cancel));
        }
        else if (!options.Pinhole)
        {
            note(Invariant($"the lens COLMAP estimated moves points by up to {shift:0.00} px: the photos are kept as they are, with the lens in sparse/0/cameras.txt, and Radiant undistorts them on load (--pinhole writes undistorted copies with a pinhole camera instead, for tools that read only pinhole cameras)"));
            ConvertToText(colmap, model, text, cancel);
            timed("copying photos", p => CopyPhotos(imageDir, names, Path.Combine(work, "images"), p, cancel));
        }
        else
        {
            note(Invariant($"the lens COLMAP estimated moves points by up to {shift:0.00} px: the photos are undistorted by its image_undistorter to a pinhole camera (--pinhole)"));
            timed("undistorting", p => colmap.Run("image_undistorter",
                ["--image_path", imageDir, "--input_path", model, "--output_path", work, "--output_type", "COLMAP"], registered.Count, p, cancel));
            text = Path.Combine(work, "text");
            ConvertToText(colmap, Path.Combine(work, "sparse"), text, cancel);
        }
        return text;
    }

    private static void ConvertToText(ColmapRunner colmap, string model, string text, CancellationToken cancel)
    {
        Directory.CreateDirectory(text);
        colmap.Run("model_converter", ["--input_path", model, "--output_path", text, "--output_type", "TXT"], 1, null, cancel);
    }

    /// <summary>The largest <see cref="Undistortion.LargestShift"/> of the cameras in a COLMAP cameras.bin.</summary>
    private static double LensShift(string camerasFile) =>
        ColmapBinary.ReadCameras(camerasFile).Max(c =>
        {
            var (fx, fy, cx, cy, lens) = c.Model.Intrinsics(c.Params);
            return Undistortion.LargestShift(lens, fx, fy, cx, cy, c.Width, c.Height);
        });

    /// <summary>Rewrites each camera of a COLMAP cameras.txt as <c>ID PINHOLE W H fx fy cx cy</c>, its distortion dropped.</summary>
    private static void WritePinholeCameras(string camerasTxt)
    {
        var lines = ColmapText.ReadCameras(camerasTxt).Select(c =>
        {
            var (fx, fy, cx, cy, _) = c.Model.Intrinsics(c.Params);
            return ColmapTextWriter.PinholeCameraLine(c.CameraId, c.Width, c.Height, fx, fy, cx, cy);
        });
        AtomicFile.WriteAllText(camerasTxt, ColmapTextWriter.CamerasHeader + string.Concat(lines));
    }

    /// <summary>Copies the named photos (byte for byte: no re-encoding) from <paramref name="from"/> to <paramref name="to"/>.</summary>
    private static void CopyPhotos(string from, List<string> names, string to, IProgress<(int Done, int Total)> progress, CancellationToken cancel)
    {
        for (int i = 0; i < names.Count; i++)
        {
            cancel.ThrowIfCancellationRequested();
            string target = Path.Combine(to, names[i]);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(Path.Combine(from, names[i]), target);
            progress.Report((i + 1, names.Count));
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
