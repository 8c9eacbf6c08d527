namespace Radiant.Video;

/// <summary>Video containers the ffmpeg encoder writes.</summary>
public enum VideoFormat
{
    /// <summary>H.264 in MP4, yuv420p (plays everywhere); odd sizes are cropped by one pixel to even.</summary>
    Mp4,
    /// <summary>Animated GIF with a palette computed from all frames (palettegen/paletteuse).</summary>
    Gif,
}
