using Radiant.Data;
using Radiant.Mathematics;

namespace Radiant.Sample;

/// <summary>
/// Where the sample scene's cameras are: on a sphere about the origin, all looking at it with world z
/// up (Blender's convention), spread evenly over an elevation band from a little below the horizon to
/// near the top by a Fibonacci (golden-angle) spiral. Test views sit in the gaps between train views.
/// Every pose is a pure function of the options (no random state).
/// </summary>
public static class SampleCameras
{
    public const double MinElevationDegrees = -12;
    public const double MaxElevationDegrees = 78;

    private static readonly double GoldenAngle = Math.PI * (3 - Math.Sqrt(5));

    /// <summary>OpenGL camera-to-world poses (rotation columns: right, up, back; camera looks down −z) of the train views.</summary>
    public static IReadOnlyList<(Mat3 Rotation, Vec3 Position)> TrainPoses(int count, double distance, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        double phase = SeedPhase(seed);
        var directions = new Vec3[count];
        for (int i = 0; i < count; i++) directions[i] = SpiralDirection(i, count, phase);
        return InSpreadOrder(directions, distance);
    }

    /// <summary>
    /// Poses of the test views: points on the train views' spiral taken between train points (at
    /// fractional spiral positions), which on a Fibonacci lattice fall into the gaps between train
    /// views. Of a few fixed offsets along the spiral, the one leaving the test views farthest from
    /// every train view is used (for the defaults, about half the train spacing).
    /// </summary>
    public static IReadOnlyList<(Mat3 Rotation, Vec3 Position)> TestPoses(int count, int trainCount, double distance, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(trainCount, 1);
        double phase = SeedPhase(seed);
        var train = new Vec3[trainCount];
        for (int i = 0; i < trainCount; i++) train[i] = SpiralDirection(i, trainCount, phase);

        double bestOffset = 0, bestSeparation = double.NegativeInfinity;
        foreach (double offset in TestOffsets)
        {
            double separation = double.PositiveInfinity;
            for (int j = 0; j < count; j++)
            {
                Vec3 d = SpiralDirection(TestSpiralPosition(j, count, trainCount, offset), trainCount, phase);
                foreach (Vec3 t in train) separation = Math.Min(separation, (d - t).Length);
            }
            if (separation > bestSeparation) { bestSeparation = separation; bestOffset = offset; }
        }

        var directions = new Vec3[count];
        for (int j = 0; j < count; j++) directions[j] = SpiralDirection(TestSpiralPosition(j, count, trainCount, bestOffset), trainCount, phase);
        return InSpreadOrder(directions, distance);
    }

    /// <summary>
    /// Poses for the directions, ordered farthest-point first: start from the middle of the spiral, then
    /// always take the direction farthest from all taken so far (ties to the lower index). Any first
    /// few views are then spread over the whole band, not sorted by elevation (tools often train on a
    /// prefix of the views).
    /// </summary>
    private static (Mat3, Vec3)[] InSpreadOrder(Vec3[] directions, double distance)
    {
        int n = directions.Length;
        var poses = new (Mat3, Vec3)[n];
        if (n == 0) return poses;
        var gap = new double[n];
        Array.Fill(gap, double.PositiveInfinity);
        var taken = new bool[n];
        int next = n / 2;
        for (int k = 0; k < n; k++)
        {
            taken[next] = true;
            poses[k] = PoseAt(directions[next], distance);
            int farthest = -1;
            for (int i = 0; i < n; i++)
            {
                if (taken[i]) continue;
                gap[i] = Math.Min(gap[i], (directions[i] - directions[next]).Length);
                if (farthest < 0 || gap[i] > gap[farthest]) farthest = i;
            }
            next = farthest;
        }
        return poses;
    }


    private static readonly double[] TestOffsets = [0, 0.5, 0.25, 0.75];

    /// <summary>Test view j's position on the train spiral: evenly spread over the spiral, shifted by <paramref name="offset"/> (the defaults land half-way between train views).</summary>
    private static double TestSpiralPosition(int j, int count, int trainCount, double offset) =>
        Math.Clamp((j + 0.5) * trainCount / count - 0.5 + offset, -0.5, trainCount - 0.5);

    /// <summary>
    /// Unit direction at position <paramref name="s"/> (0 … n − 1 for the n points) of a Fibonacci spiral
    /// over the elevation band: uniform in z = sin(elevation), which is uniform in area, and turning by
    /// the golden angle from one point to the next.
    /// </summary>
    private static Vec3 SpiralDirection(double s, int n, double phase)
    {
        double zLo = Math.Sin(MinElevationDegrees * Math.PI / 180), zHi = Math.Sin(MaxElevationDegrees * Math.PI / 180);
        double z = zLo + (zHi - zLo) * (s + 0.5) / n;
        double horizontal = Math.Sqrt(1 - z * z);
        double azimuth = phase + s * GoldenAngle;
        return new Vec3(horizontal * Math.Cos(azimuth), horizontal * Math.Sin(azimuth), z);
    }

    private static (Mat3, Vec3) PoseAt(Vec3 direction, double distance) => LookAt(distance * direction, Vec3.Zero, new Vec3(0, 0, 1));

    /// <summary>OpenGL camera-to-world pose of a camera at <paramref name="eye"/> looking at <paramref name="target"/> with <paramref name="up"/> roughly up in the image.</summary>
    public static (Mat3 Rotation, Vec3 Position) LookAt(Vec3 eye, Vec3 target, Vec3 up)
    {
        Vec3 forward = (target - eye).Normalized();
        Vec3 right = forward.Cross(up);
        if (right.Length < 1e-9) right = forward.Cross(new Vec3(0, 1, 0));
        right = right.Normalized();
        Vec3 camUp = right.Cross(forward);
        return (Mat3.FromColumns(right, camUp, -forward), eye);
    }

    /// <summary>Blender focal length in pixels: 0.5 · width / tan(0.5 · camera_angle_x).</summary>
    public static double Focal(int width, double cameraAngleX) => 0.5 * width / Math.Tan(0.5 * cameraAngleX);

    /// <summary>Our camera (OpenCV world-to-camera, principal point at the image centre) for an OpenGL camera-to-world pose.</summary>
    public static Camera ToCamera(Mat3 cameraToWorld, Vec3 position, int width, int height, double cameraAngleX, string name, string imagePath)
    {
        (Mat3 rotation, Vec3 translation) = Camera.PoseFromOpenGLCameraToWorld(cameraToWorld, position, name);
        double f = Focal(width, cameraAngleX);
        return new Camera
        {
            Name = name, Width = width, Height = height, Fx = f, Fy = f, Cx = width / 2.0, Cy = height / 2.0,
            Rotation = rotation, Translation = translation, ImagePath = imagePath,
        };
    }

    /// <summary>Azimuth offset in [0, 2π) from the seed (SplitMix64 finaliser; seed 0 gives 0).</summary>
    private static double SeedPhase(int seed)
    {
        if (seed == 0) return 0;
        ulong z = (ulong)(uint)seed + 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return 2 * Math.PI * ((z >> 11) * (1.0 / (1UL << 53)));
    }
}
