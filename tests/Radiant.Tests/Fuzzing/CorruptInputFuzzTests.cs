using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Radiant.CameraPaths;
using Radiant.Data;
using Radiant.Data.Multiscale;
using Radiant.Export;
using Radiant.Export.Compact;
using Radiant.Imaging;
using Radiant.Logging;
using Radiant.Mathematics;
using Radiant.Sample;
using Radiant.Tests.Data;
using Radiant.Tests.Export;
using Radiant.Tests.Export.Compact;
using Radiant.Tests.Imaging;
using Radiant.Tests.Support;
using Radiant.Training;

namespace Radiant.Tests.Fuzzing;

/// <summary>
/// Every reader of untrusted files, given seeded mutations of a valid file (<see cref="Mutations"/>),
/// either loads it or throws one <see cref="RadiantException"/>, which the CLI prints as one
/// "error: PATH: PROBLEM" line; anything else (an index out of range, an overflow, a decoder's own
/// exception type) would reach the user as an internal error. Each format's unmutated seed must
/// load, so a broken seed cannot make the test pass by refusing everything. RADIANT_FUZZ_CASES
/// sets the cases per format (default 150; e.g. 5000 for a longer search).
/// </summary>
public sealed class CorruptInputFuzzTests(CorruptInputFuzzTests.Seeds seeds) : IClassFixture<CorruptInputFuzzTests.Seeds>
{
    private static int Cases => int.TryParse(Environment.GetEnvironmentVariable("RADIANT_FUZZ_CASES"), out int n) && n > 0 ? n : 150;

    public static TheoryData<string> Images() =>
        ["rgba8.png", "rgb16-key.png", "palette4-trns.png", "gray1.png", "gray2-interlaced.png", "graya16-interlaced.png", "palette8-interlaced.png",
         "ffmpeg-420.jpg", "cjpeg-grey.jpg", "prog-420.jpg", "restart-blocks-422.jpg", "prog-restart-420.jpg", "cjpeg-odd-sampling.jpg"];

    [Theory]
    [MemberData(nameof(Images))]
    public void Images_load_or_fail_with_one_error(string name)
    {
        byte[] seed = File.ReadAllBytes(seeds.File(name));
        bool png = name.EndsWith(".png", StringComparison.Ordinal);
        Fuzz(name, seed, Mutate, path => { ImageIO.ReadSize(path); ImageIO.Load(path); }, Path.GetExtension(name));

        // PNGs mostly with their checksums kept valid (else nearly every change stops at a CRC); the
        // first 8 bytes (a PNG's signature, a JPEG's SOI and first marker) kept in half of the cases.
        (byte[], string) Mutate(Mutations m, byte[] data)
        {
            if (png && m.Next(4) != 0) return (m.Png(data, out string what), what);
            return (m.Bytes(data, out string change, keepPrefix: m.Next(2) * 8), change);
        }
    }

    public static TheoryData<string> Models() => ["model.ply", "model-ascii.ply", "model.splat", "model.spz", "model.compressed.ply", "model.rgc", "stored.rgc"];

    [Theory]
    [MemberData(nameof(Models))]
    public void Model_files_load_or_fail_with_one_error(string name)
    {
        byte[] seed = File.ReadAllBytes(seeds.File(name));
        string extension = name.EndsWith(".compressed.ply", StringComparison.Ordinal) ? ".compressed.ply" : Path.GetExtension(name);
        int header = HeaderLength(seed);
        Fuzz(name, seed, (m, data) =>
        {
            if (header > 0 && m.Next(2) == 0)
            {
                string text = m.Lines(Encoding.ASCII.GetString(data, 0, header), out string what);
                return ([.. Encoding.ASCII.GetBytes(text), .. data.AsSpan(header)], $"header: {what}");
            }
            byte[] changed = m.Bytes(data, out string change);
            if (name == "stored.rgc" && changed.Length >= RadiantCompactFile.HeaderBytes && m.Next(4) != 0)
            {
                // Both checksums made right again (payload CRC-32C at 32, header CRC-32C at 36), so the payload's decoding is reached.
                BinaryPrimitives.WriteUInt32LittleEndian(changed.AsSpan(32), Crc32C.Compute(changed.AsSpan(RadiantCompactFile.HeaderBytes)));
                BinaryPrimitives.WriteUInt32LittleEndian(changed.AsSpan(36), Crc32C.Compute(changed.AsSpan(0, 36)));
                change += ", checksums recomputed";
            }
            return (changed, change);
        }, path => ModelFile.LoadForRendering(path), extension);
    }

    [Fact]
    public void Checkpoints_load_or_fail_with_one_error()
    {
        byte[] seed = File.ReadAllBytes(seeds.File("run", TrainingCheckpoint.FileName));
        Fuzz("checkpoint", seed, (m, data) =>
        {
            byte[] changed = m.Bytes(data, out string what);
            if (changed.Length >= 28 && m.Next(4) != 0)
            {
                // The payload's CRC-32C made right again, so that the sections' parsing is reached.
                long length = Math.Min((long)BinaryPrimitives.ReadUInt64LittleEndian(changed.AsSpan(16)), changed.Length - 28);
                if (length >= 0)
                {
                    BinaryPrimitives.WriteUInt32LittleEndian(changed.AsSpan(24 + (int)length), Crc32C.Compute(changed.AsSpan(24, (int)length)));
                    what += ", CRC recomputed";
                }
            }
            return (changed, what);
        }, path => { var (reader, _) = TrainingCheckpoint.Open(path); TrainingCheckpoint.ReadModel(reader); }, ".ckpt");
    }

    [Fact]
    public void Run_side_files_load_or_fail_with_one_error()
    {
        Fuzz("cameras.json", File.ReadAllBytes(seeds.File("run", "cameras.json")), JsonMutation, path => TrainingCamerasFile.Read(path), ".json");
        Fuzz("path.json", File.ReadAllBytes(seeds.File("path.json")), JsonMutation, path => CameraPathFile.Read(path, 50, new Vec3(0, 0, 1)), ".json");
        string events = Directory.GetFiles(seeds.File("run"), "events.out.tfevents*").Single();
        Fuzz("events", File.ReadAllBytes(events), (m, data) => (m.Bytes(data, out string what), what), path => EventFileReader.Read(path), ".tfevents");
        Fuzz("points.ply", File.ReadAllBytes(seeds.File("model.ply")), (m, data) => (m.Bytes(data, out string what), what), path => PlyPointCloudReader.Read(path), ".ply");
    }

    public static TheoryData<string, string> DatasetFiles() => new()
    {
        { "blender", "transforms_train.json" },
        { "blender", "transforms_test.json" },
        { "nerfstudio", "transforms.json" },
        { "nerfstudio", "points.ply" },
        { "multiscale", "metadata.json" },
        { "colmap-bin", "sparse/0/cameras.bin" },
        { "colmap-bin", "sparse/0/images.bin" },
        { "colmap-bin", "sparse/0/points3D.bin" },
        { "colmap-txt", "sparse/0/cameras.txt" },
        { "colmap-txt", "sparse/0/images.txt" },
        { "colmap-txt", "sparse/0/points3D.txt" },
        { "llff", "poses_bounds.npy" },
    };

    [Theory]
    [MemberData(nameof(DatasetFiles))]
    public void Datasets_load_or_fail_with_one_error(string dataset, string file)
    {
        string root = seeds.File(dataset), target = Path.Combine(root, file);
        byte[] seed = File.ReadAllBytes(target);
        Func<Mutations, byte[], (byte[], string)> mutate = Path.GetExtension(file) switch
        {
            ".json" => JsonMutation,
            ".txt" => (m, data) => (Encoding.UTF8.GetBytes(m.Lines(Encoding.UTF8.GetString(data), out string what)), what),
            _ => (m, data) => (m.Bytes(data, out string what), what),
        };
        try
        {
            Fuzz($"{dataset}/{file}", seed, mutate, _ =>
            {
                Dataset ds = DatasetLoader.Load(root);
                Assert.NotEmpty(ds.Train);
            }, target: target);
        }
        finally { File.WriteAllBytes(target, seed); }
    }

    private static (byte[], string) JsonMutation(Mutations m, byte[] data) =>
        (Encoding.UTF8.GetBytes(m.Json(Encoding.UTF8.GetString(data), out string what)), what);

    /// <summary>
    /// Loads the seed, then <see cref="Cases"/> mutations of it, each written to a file (<paramref name="target"/>,
    /// or a fresh one with <paramref name="extension"/>); collects every exception that is not a RadiantException.
    /// </summary>
    private void Fuzz(string name, byte[] seed, Func<Mutations, byte[], (byte[] Data, string What)> mutate, Action<string> load,
                      string extension = "", string? target = null)
    {
        string path = target ?? seeds.File("work", $"{name.Replace('/', '_')}{extension}");
        File.WriteAllBytes(path, seed);
        load(path);   // the seed itself is valid

        var mutations = new Mutations(StableHash(name));
        var failures = new List<string>();
        int loaded = 0, refused = 0;
        for (int i = 0; i < Cases; i++)
        {
            var (data, what) = mutate(mutations, seed);
            File.WriteAllBytes(path, data);
            try { load(path); loaded++; }
            catch (RadiantException) { refused++; }
            catch (Exception e) when (e is not Xunit.Sdk.XunitException)
            {
                failures.Add($"case {i} ({what}): {e.GetType().Name}: {e.Message.Split('\n')[0]} {e.StackTrace?.Split('\n').FirstOrDefault()?.Trim()}");
            }
        }
        Assert.True(failures.Count == 0, $"{name}: {failures.Count} of {Cases} mutations escaped as other exceptions ({loaded} loaded, {refused} refused):\n" + string.Join("\n", failures.Take(5)));
        Assert.True(refused > 0, $"{name}: no mutation was refused; the mutations do not reach the reader");
    }

    private static int StableHash(string s)
    {
        int h = 17;
        foreach (char c in s) h = h * 31 + c;
        return h;
    }

    /// <summary>Bytes up to and including a PLY header's "end_header\n", or 0.</summary>
    private static int HeaderLength(byte[] data)
    {
        ReadOnlySpan<byte> end = "end_header\n"u8;
        int at = data.AsSpan(0, Math.Min(data.Length, 8192)).IndexOf(end);
        return at < 0 ? 0 : at + end.Length;
    }

    /// <summary>One valid file of every kind, written once for the class.</summary>
    public sealed class Seeds : IDisposable
    {
        private readonly TempDir _dir = new("fuzz");

        public string File(params string[] parts) => _dir.File(parts);

        public Seeds()
        {
            Directory.CreateDirectory(File("work"));
            WriteImages();
            WriteModels();
            WriteRun();
            WriteDatasets();
        }

        private void WriteImages()
        {
            (string Name, int ColorType, int Depth, bool Transparency, bool Interlaced)[] pngs =
            [
                ("rgba8.png", 6, 8, false, false), ("rgb16-key.png", 2, 16, true, false), ("palette4-trns.png", 3, 4, true, false),
                ("gray1.png", 0, 1, false, false), ("gray2-interlaced.png", 0, 2, false, true), ("graya16-interlaced.png", 4, 16, false, true),
                ("palette8-interlaced.png", 3, 8, true, true),
            ];
            foreach (var (name, colorType, depth, transparency, interlaced) in pngs)
                System.IO.File.WriteAllBytes(File(name), PngTestWriter.Write(PngTestPatterns.Make(colorType, depth, transparency, 13, 11, interlaced,
                    PngTestImage.MixedFilters, seed: colorType * 17 + depth, extraChunks: true)));

            string ppm = File("source.ppm");
            JpegTestSupport.WritePpm(ppm, JpegTestSupport.MakeSource(37, 29), 37, 29);
            foreach (string variant in new[] { "ffmpeg-420", "cjpeg-grey", "prog-420", "restart-blocks-422", "prog-restart-420", "cjpeg-odd-sampling" })
                System.IO.File.Move(JpegTestSupport.Encode(_dir, ppm, variant), File(variant + ".jpg"), overwrite: true);
        }

        private void WriteModels()
        {
            var model = CompactTestModels.Random(60, 3);
            GaussianPly.Write(File("model.ply"), model, mipFilter2D: true);
            var small = TestPly.RandomSet(20, 1, 5);
            System.IO.File.WriteAllBytes(File("model-ascii.ply"), TestPly.Build(Radiant.Formats.Ply.PlyFormat.Ascii, TestPly.StandardProps(1), 20,
                (i, property) => TestPly.Value(small, i, property)));
            foreach (string name in new[] { "model.splat", "model.spz", "model.compressed.ply", "model.rgc" })
                ModelFormats.Write(File(name), model);
            RadiantCompactFile.Write(File("stored.rgc"), model, new CompactOptions { Codec = CompactCodec.Stored, ShCodebookEntries = 0 });
        }

        /// <summary>A 4-iteration run: checkpoint, cameras.json, event file.</summary>
        private void WriteRun()
        {
            string scene = File("sample");
            SampleScene.Write(scene, new SampleSceneOptions { Width = 24, Height = 24, TrainViews = 4, TestViews = 1, ValViews = 0, SamplesPerAxis = 1 });
            var settings = new TrainingRunSettings { DataPath = scene, Init = "random:200", CheckpointEvery = 0, Options = new TrainingOptions { Iterations = 4 } };
            TrainingSession.Run(settings, File("run"), new QuietObserver());
            System.IO.File.WriteAllText(File("path.json"), """
                {"version": 1, "frames": 10, "fps": 24, "width": 32, "height": 24, "up": [0, 0, 1], "keyframes": [
                  {"position": [3, 0, 1], "look_at": [0, 0, 0], "fov": 40},
                  {"position": [0, 3, 1], "quaternion": [0.5, 0.5, -0.5, 0.5]},
                  {"position": [-3, 0, 1], "look_at": [0, 0, 0], "up": [0, 0, 1]}]}
                """);
        }

        private void WriteDatasets()
        {
            BlenderTestScene.Create(File("blender"), train: 4, val: 1, test: 2);
            MultiscaleWriter.Write(File("blender"), File("multiscale"));
            ColmapTestScene.Circle().WriteDataset(File("colmap-bin"), binary: true);
            ColmapTestScene.Circle().WriteDataset(File("colmap-txt"), binary: false);

            // nerfstudio: OPENCV distortion, per-frame intrinsics on one frame, a point cloud.
            NerfstudioReaderTests.Create(File("nerfstudio"), n: 5,
                top: "\"camera_model\": \"OPENCV\", \"fl_x\": 20, \"fl_y\": 20, \"cx\": 8, \"cy\": 6, \"w\": 16, \"h\": 12, \"k1\": 0.01, \"k2\": -0.002, \"p1\": 0.001, \"p2\": 0, \"ply_file_path\": \"points.ply\",",
                frameExtra: i => i == 1 ? "\"fl_x\": 21, \"fl_y\": 21.5," : "");
            System.IO.File.Copy(File("model.ply"), File("nerfstudio", "points.ply"));

            // LLFF: forward-facing poses with near and far bounds.
            var poses = LlffReaderTests.Poses(5);
            Directory.CreateDirectory(File("llff"));
            System.IO.File.WriteAllBytes(File("llff", "poses_bounds.npy"), NpyTestFile.Build(LlffReaderTests.Rows(poses), [poses.Count, 17]));
            for (int i = 0; i < poses.Count; i++) ColmapReaderTests.WritePng(File("llff", "images", $"IMG_{i:0000}.png"), 40, 30);
        }

        public void Dispose() => _dir.Dispose();
    }
}
