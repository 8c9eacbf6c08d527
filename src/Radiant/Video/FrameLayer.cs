namespace Radiant.Video;

/// <summary>What a rendered frame shows.</summary>
public enum FrameLayer
{
    /// <summary>The composited colour.</summary>
    Rgb,
    /// <summary>Expected depth Σ zᵢαᵢTᵢ / α through the viridis map (near yellow, far violet) over black, weighted by α.</summary>
    Depth,
    /// <summary>Accumulated opacity α = 1 − T as grey.</summary>
    Alpha,
}
