using Radiant.Data;

namespace Radiant.Video;

/// <summary>What <see cref="PathVideoRenderer"/> renders and writes.</summary>
public sealed record VideoJob
{
    /// <summary>One camera per frame, in order.</summary>
    public required IReadOnlyList<Camera> Cameras { get; init; }
    public required string OutputDir { get; init; }
    public double Fps { get; init; } = 30;
    public IReadOnlyList<FrameLayer> Layers { get; init; } = [FrameLayer.Rgb];
    /// <summary>Write OUT/LAYER/frame_0000.png….</summary>
    public bool WritePngs { get; init; } = true;
    public IReadOnlyList<VideoFormat> Videos { get; init; } = [VideoFormat.Mp4];
    /// <summary>Depth interval of the depth layer; null: estimated from the path (<see cref="DepthRange.Estimate"/>).</summary>
    public DepthRange? DepthRange { get; init; }
    public string FfmpegProgram { get; init; } = FfmpegEncoder.DefaultProgram;
}
