using Radiant.Benchmarks;
using Radiant.Data;
using Radiant.Imaging;
using Radiant.Mathematics;
using Radiant.Model;
using Radiant.Rendering;
using Radiant.Training;

namespace Radiant.Tests.Training;

/// <summary>A training view's mask (kept in 16 bits with its target) reaches the loss: pixels it weighs 0 do not train the model.</summary>
public class TrainingMaskTests
{
    private const int Size = 32;

    private static GaussianSet Train(Image target, float[]? mask)
    {
        (GaussianSet g, RenderCamera rc) = RendererBenchmark.RandomScene(2_000, Size, Size, seed: 3);
        var camera = new Camera
        {
            Name = "v", Width = Size, Height = Size, Fx = rc.Fx, Fy = rc.Fy, Cx = rc.Cx, Cy = rc.Cy,
            Rotation = Mat3.Identity, Translation = new Vec3(0, 0, RendererBenchmark.DefaultCameraDistance), ImagePath = "",
        };
        var trainer = new Trainer(g, [new TrainingView(camera, rc, target, mask)], sceneExtent: 4, background: [1, 1, 1],
                                  new TrainingOptions { Iterations = 100, Densify = false, Seed = 1 });
        for (int i = 0; i < 5; i++) trainer.Step();
        return trainer.Gaussians;
    }

    [Fact]
    public void Pixels_the_mask_weighs_zero_do_not_change_what_is_learned()
    {
        // Two targets that differ only in columns 0–9, a mask of 0 on columns 0–15: SSIM's 11-pixel
        // windows about the weighted pixels (columns 16 on) reach column 11 at most, so nothing the
        // loss weighs sees the difference.
        var a = new Image(Size, Size, 3);
        for (int c = 0; c < 3; c++)
            for (int y = 0; y < Size; y++)
                for (int x = 0; x < Size; x++)
                    a[c, x, y] = 0.5f + 0.4f * MathF.Sin(0.3f * x * (c + 1) + 0.2f * y);
        Image b = a.Clone();
        for (int c = 0; c < 3; c++)
            for (int y = 0; y < Size; y++)
                for (int x = 0; x < 10; x++)
                    b[c, x, y] = 1 - a[c, x, y];
        var mask = new float[Size * Size];
        for (int y = 0; y < Size; y++)
            for (int x = 16; x < Size; x++)
                mask[y * Size + x] = 1;

        GaussianSet withA = Train(a, mask), withB = Train(b, mask);
        Assert.Equal(withA.Means, withB.Means);
        Assert.Equal(withA.Sh, withB.Sh);
        // Without the mask the two targets train different models.
        Assert.NotEqual(Train(a, null).Sh, Train(b, null).Sh);
    }
}
