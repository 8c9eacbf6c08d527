namespace Radiant.Data;

/// <summary>A coloured point cloud (e.g. COLMAP points3D): positions xyz and colours rgb, interleaved.</summary>
public sealed class PointCloud
{
    public float[] Positions { get; }
    public byte[] Colors { get; }
    public int Count => Positions.Length / 3;

    public PointCloud(float[] positions, byte[] colors)
    {
        if (positions.Length % 3 != 0 || colors.Length != positions.Length)
            throw new ArgumentException("point cloud needs 3 floats and 3 colour bytes per point");
        Positions = positions;
        Colors = colors;
    }
}
