using Radiant.Video;

namespace Radiant.Tests.Video;

/// <summary>The path renderer's background writer: writes run in order, and a failure reaches the renderer's thread.</summary>
public class FrameWriterTests
{
    [Fact]
    public void Writes_run_in_the_order_given_on_another_thread()
    {
        var order = new List<int>();
        int caller = Environment.CurrentManagedThreadId;
        bool elsewhere = true;
        using (var writer = new FrameWriter())
        {
            for (int i = 0; i < 50; i++)
            {
                int index = i;
                writer.Add(() =>
                {
                    if (Environment.CurrentManagedThreadId == caller) elsewhere = false;
                    Thread.Sleep(index % 7 == 0 ? 2 : 0);
                    order.Add(index);
                });
            }
            writer.Complete();
        }
        Assert.Equal(Enumerable.Range(0, 50), order);
        Assert.True(elsewhere);
    }

    [Fact]
    public void A_failed_write_stops_the_rest_and_is_thrown_by_the_next_add_or_by_complete()
    {
        var done = new List<int>();
        using var writer = new FrameWriter();
        writer.Add(() => done.Add(0));
        writer.Add(() => throw new IOException("disk full"));
        writer.Add(() => done.Add(2));
        // Later adds fail once the writer has met the failure; Complete always reports it.
        IOException? thrown = null;
        try
        {
            for (int i = 3; i < 1000; i++) { writer.Add(() => done.Add(i)); Thread.Sleep(1); }
        }
        catch (IOException e) { thrown = e; }
        Assert.NotNull(thrown);
        Assert.Equal("disk full", Assert.Throws<IOException>(writer.Complete).Message);
        Assert.Equal([0], done);
    }
}
