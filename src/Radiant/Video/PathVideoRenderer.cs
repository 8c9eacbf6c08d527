using Radiant.Imaging;
using Radiant.Model;
using Radiant.Rendering;

namespace Radiant.Video;

/// <summary>
/// Renders a camera path frame by frame and writes each requested layer as a PNG sequence
/// (OUT/LAYER/frame_0000.png, …) and as videos (OUT/LAYER.mp4, OUT/LAYER.gif, with ffmpeg's log in
/// OUT/LAYER.FORMAT.log). Every frame is rendered once and streamed to all encoders; frames are
/// written on a thread of their own while the next ones render (<see cref="FrameWriter"/>).
/// </summary>
public static class PathVideoRenderer
{
    public sealed record Result(IReadOnlyList<string> Files, DepthRange? DepthRange, int Frames);

    public static string FrameFileName(int index, int frameCount) =>
        $"frame_{index.ToString($"D{Math.Max(4, (frameCount - 1).ToString().Length)}")}.png";

    public static Result Render(GaussianSet gaussians, RenderOptions options, VideoJob job, IProgress<(int Done, int Total)>? progress = null)
    {
        int frames = job.Cameras.Count;
        if (frames == 0) throw new ArgumentException("no frames to render");
        if (job.Layers.Count == 0) throw new ArgumentException("no output layer");
        if (!job.WritePngs && job.Videos.Count == 0) throw new ArgumentException("neither PNGs nor a video requested");
        int width = job.Cameras[0].Width, height = job.Cameras[0].Height;
        if (job.Cameras.Any(c => c.Width != width || c.Height != height)) throw new ArgumentException("every frame must have the same size");
        Directory.CreateDirectory(job.OutputDir);
        if (job.Videos.Count > 0) FfmpegEncoder.EnsureAvailable(job.FfmpegProgram);

        DepthRange? depthRange = job.Layers.Contains(FrameLayer.Depth) ? job.DepthRange ?? DepthRange.Estimate(gaussians, job.Cameras, options) : null;
        var files = new List<string>();
        var encoders = new List<(FrameLayer Layer, FfmpegEncoder Encoder)>();
        try
        {
            foreach (FrameLayer layer in job.Layers)
            {
                string name = FrameLayers.Name(layer);
                if (job.WritePngs) Directory.CreateDirectory(Path.Combine(job.OutputDir, name));
                foreach (VideoFormat format in job.Videos)
                {
                    string ext = format.ToString().ToLowerInvariant();
                    string video = Path.Combine(job.OutputDir, $"{name}.{ext}");
                    encoders.Add((layer, FfmpegEncoder.Start(video, format, width, height, job.Fps, Path.Combine(job.OutputDir, $"{name}.{ext}.log"), job.FfmpegProgram)));
                }
            }

            var renderer = new Renderer();
            if (depthRange != null) options = options with { ExpectedDepth = true };
            // Each frame's layers are copied into a ring of buffers that the writer thread encodes
            // from while the next frames render (FrameWriter.FramesInFlight frames at most).
            var ring = new Dictionary<FrameLayer, Image[]>();
            Dictionary<FrameLayer, FfmpegEncoder[]> layerEncoders = job.Layers.Distinct()
                .ToDictionary(layer => layer, layer => encoders.Where(e => e.Layer == layer).Select(e => e.Encoder).ToArray());
            using (var writer = new FrameWriter())
            {
                for (int f = 0; f < frames; f++)
                {
                    RenderResult r = renderer.Render(gaussians, RenderCamera.From(job.Cameras[f]), options);
                    foreach (FrameLayer layer in job.Layers)
                    {
                        if (!ring.TryGetValue(layer, out Image[]? buffers))
                            ring[layer] = buffers = new Image[FrameWriter.FramesInFlight];
                        Image frame = buffers[f % buffers.Length] ??= new Image(width, height, 3);
                        Image img = FrameLayers.ToImage(layer, r, depthRange ?? default, frame);
                        if (!ReferenceEquals(img, frame)) img.Data.CopyTo(frame.Data, 0);   // the colour layer is the renderer's own buffer
                        string png = Path.Combine(job.OutputDir, FrameLayers.Name(layer), FrameFileName(f, frames));
                        FfmpegEncoder[] videos = layerEncoders[layer];
                        writer.Add(() =>
                        {
                            if (job.WritePngs) ImageIO.SavePng(png, frame);
                            if (videos.Length == 0) return;
                            byte[] rgb24 = frame.ToInterleaved8();
                            foreach (FfmpegEncoder encoder in videos) encoder.WriteFrame(rgb24);
                        });
                    }
                    progress?.Report((f + 1, frames));
                }
                writer.Complete();
            }
            foreach (var (_, encoder) in encoders)
            {
                encoder.Finish();
                files.Add(encoder.OutputPath);
            }
        }
        finally
        {
            foreach (var (_, encoder) in encoders) encoder.Dispose();
        }
        if (job.WritePngs)
            foreach (FrameLayer layer in job.Layers) files.Add(Path.Combine(job.OutputDir, FrameLayers.Name(layer)) + Path.DirectorySeparatorChar);
        return new Result(files, depthRange, frames);
    }
}
