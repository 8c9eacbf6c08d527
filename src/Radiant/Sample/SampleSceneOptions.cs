using System.Globalization;

namespace Radiant.Sample;

/// <summary>What <see cref="SampleScene.Write"/> renders: view counts, image size, camera placement seed and anti-aliasing.</summary>
public sealed record SampleSceneOptions
{
    public int TrainViews { get; init; } = 100;
    public int TestViews { get; init; } = 25;
    /// <summary>The validation split is the first this many test views (same images, as a convenience for tools that expect one).</summary>
    public int ValViews { get; init; } = 5;
    public int Width { get; init; } = 200;
    public int Height { get; init; } = 200;
    /// <summary>Turns both camera sequences about the vertical axis; the same seed always gives the same cameras.</summary>
    public int Seed { get; init; }
    /// <summary>Stratified supersampling: this many samples along each axis of a pixel (3 → 9 rays a pixel, box filtered).</summary>
    public int SamplesPerAxis { get; init; } = 3;
    /// <summary>Distance of every camera from the origin (NeRF-synthetic cameras sit at about 4.03).</summary>
    public double CameraDistance { get; init; } = 4.0;
    /// <summary>Horizontal field of view in radians; the default is NeRF-synthetic's.</summary>
    public double CameraAngleX { get; init; } = 0.6911112070083618;

    /// <summary>
    /// When above 0, each training view is written as an opaque photo over white (alpha 1) whose colour is
    /// scaled by a gain of its own, exp(J·z₀ + J/2·z_c) per channel c (z standard normal): an exposure and
    /// a white balance that change from photo to photo, as a phone's automatic settings do. Test views keep the true colours.
    /// </summary>
    public double ExposureJitter { get; init; }

    /// <summary>
    /// When above 0, the poses written for the training views are off by a small random rigid motion,
    /// while their images are rendered from the true poses (as a capture whose poses COLMAP recovered
    /// slightly wrong): each camera turned by a rotation vector of J degrees standard deviation per axis
    /// and moved by J·π/180 × the camera distance per axis. Test views keep the true poses.
    /// </summary>
    public double PoseJitter { get; init; }

    public void Validate()
    {
        if (TrainViews < 1) throw new RadiantException($"sample scene: train view count {TrainViews} must be at least 1");
        if (TestViews < 1) throw new RadiantException($"sample scene: test view count {TestViews} must be at least 1");
        if (ValViews < 0 || ValViews > TestViews) throw new RadiantException($"sample scene: val view count {ValViews} must be between 0 and the test view count {TestViews}");
        if (Width < 1 || Height < 1 || Width > 16384 || Height > 16384) throw new RadiantException($"sample scene: image size {Width}x{Height} is out of range");
        if (SamplesPerAxis is < 1 or > 16) throw new RadiantException($"sample scene: samples per axis {SamplesPerAxis} must be 1–16");
        if (!(CameraDistance > SampleScene.BoundingRadius * 1.5) || !double.IsFinite(CameraDistance))
            throw new RadiantException($"sample scene: camera distance {CameraDistance} must exceed {SampleScene.BoundingRadius * 1.5:0.##}");
        if (!(ExposureJitter >= 0 && ExposureJitter <= 2)) throw new RadiantException($"sample scene: exposure jitter {ExposureJitter} must be between 0 and 2");
        if (!(PoseJitter >= 0 && PoseJitter <= 10)) throw new RadiantException($"sample scene: pose jitter {PoseJitter} must be between 0 and 10 degrees");
        if (!(CameraAngleX > 0.01 && CameraAngleX < 3)) throw new RadiantException($"sample scene: camera angle {CameraAngleX} rad is out of range");
    }

    /// <summary>A file-name-safe string that identifies these options (for the cache folder).</summary>
    internal string CacheKey => string.Create(CultureInfo.InvariantCulture,
        $"{Width}x{Height}-tr{TrainViews}-te{TestViews}-va{ValViews}-s{Seed}-ss{SamplesPerAxis}-d{CameraDistance:R}-a{CameraAngleX:R}{(ExposureJitter > 0 ? "-j" + ExposureJitter.ToString("R", CultureInfo.InvariantCulture) : "")}{(PoseJitter > 0 ? "-p" + PoseJitter.ToString("R", CultureInfo.InvariantCulture) : "")}");
}
