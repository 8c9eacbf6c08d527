using Radiant.Mathematics;

namespace Radiant.CameraPaths;

/// <summary>
/// A smooth camera path through keyframes: positions on a Catmull–Rom spline, orientations on the
/// same spline built from quaternion slerps (so the camera turns smoothly through each keyframe
/// instead of changing its angular velocity abruptly), field of view linear between keyframes.
/// <para>Knots are the keyframes' times when the file gives them (all or none), else centripetal
/// (<see cref="CatmullRom.CentripetalKnots"/>). Frames are spaced uniformly in that time, so the
/// path is C¹ in time, not only in shape. The end segments use a mirrored neighbour
/// (P₋₁ = 2P₀ − P₁), so two keyframes give a straight line at constant speed.</para>
/// </summary>
public sealed class PathInterpolator
{
    private readonly Vec3[] _positions;
    private readonly Quaternion[] _orientations;
    private readonly double[] _fovs;
    private readonly double[] _knots;   // with one mirrored knot at each end: _knots[i + 1] belongs to keyframe i

    public IReadOnlyList<Keyframe> Keyframes { get; }
    /// <summary>The time of each keyframe (given or centripetal).</summary>
    public IReadOnlyList<double> Times { get; }
    public double Start => Times[0];
    public double End => Times[^1];

    public PathInterpolator(IReadOnlyList<Keyframe> keyframes)
    {
        int n = keyframes.Count;
        if (n < 2) throw new ArgumentException($"a camera path needs at least 2 keyframes, found {n}");
        Keyframes = keyframes;
        int timed = keyframes.Count(k => k.Time is not null);
        if (timed != 0 && timed != n) throw new ArgumentException($"{timed} of {n} keyframes have a time: give a time to all of them or to none");
        double[] times = timed == n ? keyframes.Select(k => k.Time!.Value).ToArray()
                                    : CatmullRom.CentripetalKnots(keyframes.Select(k => k.Pose.Position).ToList());
        for (int i = 0; i + 1 < n; i++)
            if (!(times[i + 1] > times[i])) throw new ArgumentException($"keyframe times must increase: keyframe {i + 1} has time {times[i + 1]} after {times[i]}");
        Times = times;

        // Padded arrays: index 0 and n + 1 are the mirrored neighbours of the ends.
        _positions = new Vec3[n + 2];
        _orientations = new Quaternion[n + 2];
        _fovs = new double[n];
        _knots = new double[n + 2];
        for (int i = 0; i < n; i++)
        {
            CameraPose p = keyframes[i].Pose;
            _positions[i + 1] = p.Position;
            Quaternion q = p.Orientation.Normalized();
            // q and −q are one rotation: keep neighbours on the same hemisphere so that every slerp takes the short way.
            if (i > 0 && q.Dot(_orientations[i]) < 0) q = -q;
            _orientations[i + 1] = q;
            _fovs[i] = p.FovYDegrees;
            _knots[i + 1] = times[i];
        }
        _positions[0] = CatmullRom.Lerp(_positions[2], _positions[1], 2);
        _positions[n + 1] = CatmullRom.Lerp(_positions[n - 1], _positions[n], 2);
        _orientations[0] = Quaternion.Slerp(_orientations[2], _orientations[1], 2);
        _orientations[n + 1] = Quaternion.Slerp(_orientations[n - 1], _orientations[n], 2);
        _knots[0] = 2 * _knots[1] - _knots[2];
        _knots[n + 1] = 2 * _knots[n] - _knots[n - 1];
    }

    /// <summary>The pose at time <paramref name="t"/> (clamped to the path's time range).</summary>
    public CameraPose Evaluate(double t)
    {
        t = Math.Clamp(t, Start, End);
        int n = Keyframes.Count;
        int s = 0;   // segment s runs from keyframe s to keyframe s + 1
        while (s < n - 2 && t >= Times[s + 1]) s++;
        int k = s + 1; // padded index of keyframe s
        Vec3 position = CatmullRom.Evaluate(_positions[k - 1], _positions[k], _positions[k + 1], _positions[k + 2],
            _knots[k - 1], _knots[k], _knots[k + 1], _knots[k + 2], t, CatmullRom.Lerp);
        Quaternion orientation = CatmullRom.Evaluate(_orientations[k - 1], _orientations[k], _orientations[k + 1], _orientations[k + 2],
            _knots[k - 1], _knots[k], _knots[k + 1], _knots[k + 2], t, Quaternion.Slerp);
        double w = (t - Times[s]) / (Times[s + 1] - Times[s]);
        double fov = _fovs[s] + (_fovs[s + 1] - _fovs[s]) * w;
        return new CameraPose(position, orientation, fov);
    }

    /// <summary>
    /// <paramref name="frames"/> poses spaced uniformly in time from the first keyframe to the last.
    /// As many frames as keyframes are taken at the keyframes' own times, so that such a path
    /// reproduces its keyframes exactly (a saved orbit or a dataset's cameras "as is").
    /// </summary>
    public IReadOnlyList<CameraPose> Sample(int frames)
    {
        if (frames < 1) throw new ArgumentOutOfRangeException(nameof(frames), "at least one frame");
        if (frames == Keyframes.Count) return Times.Select(Evaluate).ToList();
        if (frames == 1) return [Evaluate(Start)];
        return Enumerable.Range(0, frames).Select(i => Evaluate(Start + (End - Start) * i / (frames - 1))).ToList();
    }
}
