using Radiant.Mathematics;

namespace Radiant.CameraPaths;

/// <summary>
/// A camera path as a path file holds it: keyframes in order, plus the defaults it was made with
/// (frame count, frame rate, image size, the up direction look-at keyframes were resolved with),
/// which the command line may override.
/// </summary>
public sealed record CameraPath
{
    public required IReadOnlyList<Keyframe> Keyframes { get; init; }
    public int? Frames { get; init; }
    public double? Fps { get; init; }
    public int? Width { get; init; }
    public int? Height { get; init; }
    public Vec3? Up { get; init; }
}
