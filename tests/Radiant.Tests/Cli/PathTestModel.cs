using System.Text.Json.Nodes;
using Radiant.Data;
using Radiant.Export;
using Radiant.Mathematics;
using Radiant.Model;
using Radiant.Sample;
using Radiant.Tests.Support;

namespace Radiant.Tests.Cli;

/// <summary>
/// A tiny sample-scene dataset (32×32, 6 train and 3 test views) and a model folder beside it: 400
/// random half-opaque Gaussians in point_cloud.ply and a cameras.json in the layout `radiant train` writes.
/// </summary>
internal sealed record PathTestModel(string Data, string ModelDir)
{
    public static readonly SampleSceneOptions Options = new() { Width = 32, Height = 32, TrainViews = 6, TestViews = 3, ValViews = 0, SamplesPerAxis = 1 };

    public static PathTestModel Create(TempDir dir)
    {
        string data = dir.File("scene");
        SampleScene.Write(data, Options);
        string model = dir.File("model");
        Directory.CreateDirectory(model);
        GaussianSet g = GaussianInit.Random(400, new Vec3(-1, -1, -1), new Vec3(1, 1, 1), seed: 5, shDegree: 1);
        Array.Fill(g.OpacityLogits, GaussianSet.Logit(0.6f));
        GaussianPly.Write(Path.Combine(model, "point_cloud.ply"), g);
        var list = new JsonArray();
        foreach (string split in new[] { "train", "test" })
            foreach (Camera c in SampleScene.Cameras(Options, split))
            {
                Mat3 c2w = c.Rotation.Transposed();
                list.Add(new JsonObject
                {
                    ["id"] = list.Count, ["img_name"] = c.Name, ["width"] = c.Width, ["height"] = c.Height,
                    ["position"] = new JsonArray(c.Center.X, c.Center.Y, c.Center.Z),
                    ["rotation"] = new JsonArray(new JsonArray(c2w.M00, c2w.M01, c2w.M02), new JsonArray(c2w.M10, c2w.M11, c2w.M12), new JsonArray(c2w.M20, c2w.M21, c2w.M22)),
                    ["fx"] = c.Fx, ["fy"] = c.Fy, ["cx"] = c.Cx, ["cy"] = c.Cy, ["split"] = split,
                });
            }
        File.WriteAllText(Path.Combine(model, "cameras.json"), list.ToJsonString());
        return new PathTestModel(data, model);
    }
}
