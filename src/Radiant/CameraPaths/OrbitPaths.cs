using Radiant.Mathematics;

namespace Radiant.CameraPaths;

/// <summary>
/// Closed paths around a <see cref="SceneFrame"/>'s centre, one keyframe per frame (so a saved path
/// replays exactly), looking at the centre with the frame's up direction up in the image. Keyframe
/// times are seconds at <c>fps</c>.
/// </summary>
public static class OrbitPaths
{
    /// <summary>Turns of a spiral.</summary>
    public const int SpiralTurns = 2;
    /// <summary>A spiral's elevation swings this many degrees below and above the requested elevation.</summary>
    public const double SpiralAmplitudeDegrees = 15;
    /// <summary>Elevations are kept this far from the poles, where "up" and the viewing direction meet.</summary>
    public const double MaxElevationDegrees = 89;

    /// <summary>
    /// One turn around the up axis at constant <paramref name="radius"/> and elevation, starting at
    /// the first training camera's azimuth: position = c + r (cos e (cos φ a + sin φ b) + sin e u),
    /// φ = 2π i / frames (the last frame stops one step short of the first, so the video loops).
    /// </summary>
    public static IReadOnlyList<Keyframe> Orbit(SceneFrame frame, int frames, double radius, double elevationDegrees, double fovYDegrees, double fps) =>
        Generate(frame, frames, radius, fovYDegrees, fps, s => (2 * Math.PI * s, elevationDegrees));

    /// <summary>
    /// <see cref="SpiralTurns"/> turns while the elevation rises from e − A to e + A and falls back
    /// (e − A cos 2πs, A = <see cref="SpiralAmplitudeDegrees"/>), a closed loop that shows the scene
    /// from below and above its usual viewpoints.
    /// </summary>
    public static IReadOnlyList<Keyframe> Spiral(SceneFrame frame, int frames, double radius, double elevationDegrees, double fovYDegrees, double fps) =>
        Generate(frame, frames, radius, fovYDegrees, fps,
            s => (2 * Math.PI * SpiralTurns * s, elevationDegrees - SpiralAmplitudeDegrees * Math.Cos(2 * Math.PI * s)));

    private static List<Keyframe> Generate(SceneFrame frame, int frames, double radius, double fovYDegrees, double fps, Func<double, (double Azimuth, double ElevationDegrees)> at)
    {
        if (frames < 2) throw new ArgumentOutOfRangeException(nameof(frames), "an orbit needs at least 2 frames");
        if (!(radius > 0)) throw new ArgumentOutOfRangeException(nameof(radius), "the radius must be positive");
        Vec3 u = frame.Up, a = frame.StartDirection, b = u.Cross(a);
        var keys = new List<Keyframe>(frames);
        for (int i = 0; i < frames; i++)
        {
            var (phi, elevationDegrees) = at((double)i / frames);
            double e = Math.Clamp(elevationDegrees, -MaxElevationDegrees, MaxElevationDegrees) * Math.PI / 180;
            Vec3 direction = (a * Math.Cos(phi) + b * Math.Sin(phi)) * Math.Cos(e) + u * Math.Sin(e);
            CameraPose pose = CameraPose.LookAt(frame.Center + direction * radius, frame.Center, u, fovYDegrees);
            keys.Add(new Keyframe(pose, i / fps));
        }
        return keys;
    }
}
