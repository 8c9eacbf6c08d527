namespace Radiant.CameraPaths;

/// <summary>One control pose of a camera path, with the time at which the path passes through it (null: chosen by the interpolator).</summary>
public sealed record Keyframe(CameraPose Pose, double? Time = null);
