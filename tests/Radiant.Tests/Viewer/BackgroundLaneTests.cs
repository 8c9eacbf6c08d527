using Radiant.Viewer;

namespace Radiant.Tests.Viewer;

public class BackgroundLaneTests
{
    [Fact]
    public async Task Work_runs_on_one_thread_of_the_lowest_priority()
    {
        using var lane = new BackgroundLane("test-lane");
        int first = await lane.Run(() => Environment.CurrentManagedThreadId);
        int second = await lane.Run(() => Environment.CurrentManagedThreadId);
        Assert.Equal(first, second);
        Assert.NotEqual(Environment.CurrentManagedThreadId, first);
        Assert.True(lane.Lowered);
        if (OperatingSystem.IsLinux())
        {
            // /proc/thread-self/stat, counting fields from 1: 19 is the nice value (index 16 after the ")" of the name, which is field 2).
            static int Nice(string stat) => int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[16]);
            // Field 41 is the scheduling policy: 5 = SCHED_IDLE, 0 = SCHED_OTHER.
            static int Policy(string stat) => int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[38]);
            string laneStat = await lane.Run(() => File.ReadAllText("/proc/thread-self/stat"));
            string ownStat = File.ReadAllText("/proc/thread-self/stat");
            Assert.Equal(19, Nice(laneStat));
            Assert.Equal(5, Policy(laneStat));
            Assert.True(Nice(ownStat) < 19, "only the lane thread is lowered");
            Assert.Equal(0, Policy(ownStat));
        }
    }

    [Fact]
    public async Task An_exception_reaches_the_caller_and_the_lane_goes_on()
    {
        using var lane = new BackgroundLane("test-lane");
        await Assert.ThrowsAsync<InvalidOperationException>(() => lane.Run<int>(() => throw new InvalidOperationException("x")));
        Assert.Equal(42, await lane.Run(() => 42));
    }
}
