using Radiant.CameraPaths;
using Radiant.Mathematics;
using Radiant.Tests.Support;

namespace Radiant.Tests.CameraPaths;

public class CameraPathFileTests
{
    private static readonly Vec3 Up = new(0, 0, 1);

    [Fact]
    public void Write_then_read_gives_the_same_path()
    {
        using var dir = new TempDir("path");
        string file = dir.File("path.json");
        var written = new CameraPath
        {
            Keyframes = PathTestPoses.Irregular(timed: true),
            Frames = 77,
            Fps = 24,
            Width = 321,
            Height = 123,
            Up = new Vec3(0.1, -0.2, 0.97).Normalized(),
        };
        CameraPathFile.Write(file, written);
        CameraPath read = CameraPathFile.Read(file, 10, Up);
        Assert.Equal(written.Frames, read.Frames);
        Assert.Equal(written.Fps, read.Fps);
        Assert.Equal(written.Width, read.Width);
        Assert.Equal(written.Height, read.Height);
        Assert.True((written.Up.Value - read.Up!.Value).Length < 1e-15);   // re-normalised on read
        Assert.Equal(written.Keyframes.Count, read.Keyframes.Count);
        for (int i = 0; i < read.Keyframes.Count; i++)
        {
            Keyframe a = written.Keyframes[i], b = read.Keyframes[i];
            Assert.Equal(a.Pose.Position, b.Pose.Position);   // JSON keeps doubles exactly (shortest round-trip form)
            Assert.True(Quaternion.AngleBetween(a.Pose.Orientation, b.Pose.Orientation) < 1e-7);
            Assert.Equal(a.Pose.FovYDegrees, b.Pose.FovYDegrees);
            Assert.Equal(a.Time, b.Time);
        }
    }

    [Fact]
    public void Look_at_keyframes_and_a_bare_list_are_read()
    {
        using var dir = new TempDir("path");
        string file = dir.File("path.json");
        File.WriteAllText(file, """
            [ {"position": [4, 0, 0], "look_at": [0, 0, 0]},
              {"position": [0, 4, 0], "look_at": [0, 0, 0], "fov": 30, "up": [0, 0, -1]} ]
            """);
        CameraPath path = CameraPathFile.Read(file, 45, Up);
        Assert.Null(path.Frames);
        CameraPose a = path.Keyframes[0].Pose, b = path.Keyframes[1].Pose;
        Assert.Equal(45, a.FovYDegrees);
        Assert.Equal(30, b.FovYDegrees);
        Assert.True((a.Forward - new Vec3(-1, 0, 0)).Length < 1e-9);
        Assert.True((a.Up - Up).Length < 1e-9);
        Assert.True((b.Up - new Vec3(0, 0, -1)).Length < 1e-9);
    }

    [Theory]
    [InlineData("{\"keyframes\": [", "malformed JSON")]
    [InlineData("{\"frames\": 3}", "keyframes is missing")]
    [InlineData("[{\"position\": [0,0,0], \"quaternion\": [1,0,0,0]}]", "at least 2 keyframes, found 1")]
    [InlineData("[{\"quaternion\": [1,0,0,0]}, {\"position\": [1,0,0], \"quaternion\": [1,0,0,0]}]", "keyframes[0].position is missing")]
    [InlineData("[{\"position\": [0,0,0]}, {\"position\": [1,0,0], \"quaternion\": [1,0,0,0]}]", "keyframes[0] needs a quaternion")]
    [InlineData("[{\"position\": [0,NaN,0], \"quaternion\": [1,0,0,0]}, {\"position\": [1,0,0], \"quaternion\": [1,0,0,0]}]", "keyframes[0].position[1] is NaN")]
    [InlineData("[{\"position\": [0,0,0], \"quaternion\": [0,0,0,0]}, {\"position\": [1,0,0], \"quaternion\": [1,0,0,0]}]", "keyframes[0].quaternion has zero length")]
    [InlineData("[{\"position\": [0,0,0], \"look_at\": [0,0,5]}, {\"position\": [1,0,0], \"quaternion\": [1,0,0,0]}]", "keyframes[0]: the up vector is parallel")]
    [InlineData("[{\"position\": [0,0,0], \"quaternion\": [1,0,0,0], \"time\": 1}, {\"position\": [1,0,0], \"quaternion\": [1,0,0,0], \"time\": 0.5}]", "keyframe times must increase")]
    [InlineData("[{\"position\": [0,0,0], \"quaternion\": [1,0,0,0], \"fov\": 200}, {\"position\": [1,0,0], \"quaternion\": [1,0,0,0]}]", "fov must be between 0 and 180")]
    public void Bad_files_give_one_error_naming_the_file(string json, string problem)
    {
        using var dir = new TempDir("path");
        string file = dir.File("bad.json");
        File.WriteAllText(file, json);
        var e = Assert.Throws<RadiantException>(() => CameraPathFile.Read(file, 40, Up));
        Assert.Equal(file, e.Path);
        Assert.Contains(problem, e.Problem);
        Assert.DoesNotContain("\n", e.Message);
    }
}
