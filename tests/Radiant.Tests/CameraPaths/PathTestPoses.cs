using Radiant.CameraPaths;
using Radiant.Mathematics;

namespace Radiant.Tests.CameraPaths;

/// <summary>Keyframes for interpolation tests: an irregular, non-planar set of poses with varied spacing.</summary>
internal static class PathTestPoses
{
    public static List<Keyframe> Irregular(bool timed)
    {
        Vec3[] positions = [new(4, 0, 1), new(3, 2.5, 1.4), new(0.5, 4, 0.8), new(-2, 3.2, 2.2), new(-4, 0.3, 1.1), new(-3.5, -1, 0.6)];
        double[] times = [0, 0.8, 2.0, 2.5, 3.9, 4.4];
        var up = new Vec3(0, 0, 1);
        return positions.Select((p, i) => new Keyframe(
            CameraPose.LookAt(p, new Vec3(0.1 * i, -0.2 * i, 0.3), up, 40 + 3 * i), timed ? times[i] : null)).ToList();
    }
}
