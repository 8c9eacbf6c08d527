using Radiant.Data;

namespace Radiant.Capture;

/// <summary>How <see cref="PhotoCapture"/> poses a capture.</summary>
public sealed record CaptureOptions
{
    /// <summary>Frames a second kept from a video (the sharpest of each window); null with <see cref="Frames"/> null: 2.</summary>
    public double? Fps { get; init; }
    /// <summary>Target frame count from a video instead of <see cref="Fps"/>.</summary>
    public int? Frames { get; init; }
    /// <summary>COLMAP camera model shared by all photos: OPENCV (default; k1 k2 p1 p2), SIMPLE_RADIAL, RADIAL, PINHOLE, SIMPLE_PINHOLE.</summary>
    public string CameraModel { get; init; } = "OPENCV";
    /// <summary>
    /// Horizontal field of view in degrees when known: COLMAP's starting focal length instead of its
    /// guess of 1.2 × the larger side (about 45°), which it keeps when the photos do not pin the
    /// focal down (EXIF focal lengths, which phone JPEGs carry, serve the same purpose).
    /// </summary>
    public double? FovXDegrees { get; init; }
    /// <summary>With <see cref="FovXDegrees"/>: keep that focal length (and zero distortion) fixed while mapping, for a calibrated camera.</summary>
    public bool FixedIntrinsics { get; init; }
    /// <summary>auto (sequential for a video, exhaustive up to <see cref="ExhaustiveLimit"/> photos), exhaustive or sequential.</summary>
    public string Matcher { get; init; } = "auto";
    /// <summary>Sequential matching: each photo is matched with this many following ones (COLMAP's default 10).</summary>
    public int Overlap { get; init; } = 10;
    /// <summary>Reduced copies written as <c>images_N/</c>.</summary>
    public int[] Downscales { get; init; } = [2, 4, 8];
    /// <summary>Centre, scale and orient the model (<see cref="SceneNormalization"/>); false keeps COLMAP's frame.</summary>
    public bool Normalize { get; init; } = true;
    public string Colmap { get; init; } = ColmapRunner.DefaultProgram;
    public string Ffmpeg { get; init; } = "ffmpeg";
    /// <summary>libheif's decoder for HEIC/HEIF photos (<see cref="HeifPhotos"/>).</summary>
    public string HeifConvert { get; init; } = HeifPhotos.DefaultProgram;
    /// <summary>COLMAP's random seed (its RANSAC and mapper choices); a repeated mapping attempt uses the next ones.</summary>
    public int Seed { get; init; }
    /// <summary>
    /// Mapper runs in all: while the largest model leaves out more than a tenth of the photos, the
    /// mapper runs again with the next seed, and the attempt that registers the most is kept (<see cref="ColmapMapping"/>).
    /// </summary>
    public int MappingAttempts { get; init; } = 3;
    /// <summary>
    /// Keep the lens COLMAP estimated only when it moves some point by at least this many pixels
    /// (<see cref="Undistortion.LargestShift"/>); below it the photos get a pinhole camera, the lens
    /// dropped. Either way the photos are kept byte for byte (see <see cref="PosedPhotos"/>). Undistortion
    /// resamples, which blurs every pixel of every photo; ignoring a real lens misplaces the edges.
    /// Measured, 400×400 photos of the unbounded sample taken through a barrel lens and scored on the
    /// pinhole truth: a 2 px lens ignored 30.94 dB, undistorted by COLMAP 31.72 dB, by Radiant's loader
    /// 32.32 dB; a 4 px lens ignored 28.73 dB. On the 800×800 sample, for which COLMAP fit a spurious
    /// 1.24 px lens to a true pinhole, ignoring it scored 30.93 dB, Radiant's loader 30.75 dB and COLMAP's
    /// undistorter (which also cropped to 799 px) 29.64 dB. So the costs cross near 1 px (a judgment
    /// between those points). 0 always keeps the lens.
    /// </summary>
    public double UndistortAbove { get; init; } = 1;
    /// <summary>
    /// Where the lens is kept (<see cref="UndistortAbove"/>), write photos undistorted by COLMAP's
    /// image_undistorter with a PINHOLE camera instead, for tools that read only pinhole cameras.
    /// </summary>
    public bool Pinhole { get; init; }

    public const int ExhaustiveLimit = 150;
    /// <summary>Photos per block of exhaustive matching (COLMAP's --ExhaustiveMatching.block_size, 50 by default): each block reports progress.</summary>
    public const int ExhaustiveBlockSize = 20;
    public static readonly string[] CameraModels = ["OPENCV", "SIMPLE_RADIAL", "RADIAL", "PINHOLE", "SIMPLE_PINHOLE"];
}
