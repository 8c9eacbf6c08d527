using Radiant.Rendering;

namespace Radiant.Tests.Rendering;

public class KernelPoolTests
{
    /// <summary>
    /// Every job runs every worker index once, whether the workers are still spinning for it (no
    /// pause), have just given up spinning (about the spin time) or have long been blocked; a lost
    /// wake-up would hang, which the timeout turns into a failure.
    /// </summary>
    [Fact]
    public async Task Jobs_reach_every_worker_after_any_pause()
    {
        var pool = new KernelPool(3);
        var work = Task.Run(() =>
        {
            int[] pausesUs = [0, 0, 50, 900, 1000, 1100, 3000, 0, 20000, 0];
            for (int round = 0; round < 40; round++)
            {
                var ran = new int[pool.Workers];
                pool.Run(w => Interlocked.Increment(ref ran[w]));
                Assert.All(ran, count => Assert.Equal(1, count));
                Thread.Sleep(TimeSpan.FromMicroseconds(pausesUs[round % pausesUs.Length]));
            }
        });
        // (WaitAsync rethrows an assertion failure from the rounds.)
        try { await work.WaitAsync(TimeSpan.FromSeconds(60)); }
        catch (TimeoutException) { Assert.Fail("a job never reached a worker"); }
    }

    [Fact]
    public void A_worker_exception_reaches_the_caller_and_the_pool_keeps_working()
    {
        var pool = new KernelPool(2);
        var error = Assert.Throws<InvalidOperationException>(() => pool.Run(w => { if (w == 1) throw new InvalidOperationException("worker 1"); }));
        Assert.Equal("worker 1", error.Message);
        int total = 0;
        pool.Run(w => Interlocked.Add(ref total, w + 1));
        Assert.Equal(3, total);
    }
}
