using Radiant.Imaging;
using Radiant.Tests.Support;
using static Radiant.Tests.Imaging.JpegTestSupport;

namespace Radiant.Tests.Imaging;

/// <summary>ImageIO.LoadTransient: photos of one size decode into one array, with the same pixels as a plain load.</summary>
public class TransientLoadTests
{
    [Fact]
    public void Same_size_jpegs_reuse_the_array_and_decode_exactly()
    {
        using var dir = new TempDir("transient");
        string Jpeg(string name, int w, int h, int seed)
        {
            string ppm = dir.File(name + ".ppm");
            WritePpm(ppm, MakeSource(w, h, seed), w, h);
            string jpeg = dir.File(name + ".jpg");
            Cjpeg(ppm, jpeg, "-quality", "90");
            return jpeg;
        }
        string a = Jpeg("a", 70, 40, 1), b = Jpeg("b", 70, 40, 2), other = Jpeg("c", 50, 30, 3);

        // On a thread of its own, so that no other test's transient array is in play.
        Exception? failure = null;
        var worker = new Thread(() =>
        {
            try
            {
                Image first = ImageIO.LoadTransient(a);
                Assert.Equal(ImageIO.Load(a).Data, first.Data);
                float[] array = first.Data;
                Image second = ImageIO.LoadTransient(b);
                Assert.Same(array, second.Data);
                Assert.Equal(ImageIO.Load(b).Data, second.Data);
                Image third = ImageIO.LoadTransient(other);   // fewer samples: a new array
                Assert.NotSame(array, third.Data);
                Assert.Equal((50, 30), (third.Width, third.Height));
                Assert.Equal(ImageIO.Load(other).Data, third.Data);
            }
            catch (Exception e) { failure = e; }
        });
        worker.Start();
        worker.Join();
        if (failure is not null) throw failure;
    }
}
