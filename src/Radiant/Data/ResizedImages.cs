using Radiant.Imaging;

namespace Radiant.Data;

/// <summary>
/// Photos resized after the poses were made (a smaller copy put in place of the originals): when
/// the first photo of a group of cameras that share intrinsics is the group's stated size scaled
/// uniformly (each side within a pixel of the rounding), every camera of the group is taken at that
/// photo's size with its intrinsics scaled to it, as the reference trainer does by keeping the field
/// of view. Any other mismatch is left for the image loader to report. One photo's header is read
/// per group.
/// </summary>
internal static class ResizedImages
{
    /// <summary>Fits the cameras in place; <paramref name="group"/> gives camera i's group (cameras of one group share their intrinsics).</summary>
    public static void Fit<TKey>(List<Camera> cameras, Func<int, TKey> group) where TKey : notnull
    {
        TKey[] keys = Enumerable.Range(0, cameras.Count).Select(group).ToArray();   // from the stated cameras, before any is fitted
        var sizeByGroup = new Dictionary<TKey, (int Width, int Height)?>();
        for (int i = 0; i < cameras.Count; i++)
        {
            Camera c = cameras[i];
            TKey key = keys[i];
            if (!sizeByGroup.TryGetValue(key, out var size))
            {
                var (w, h) = ImageIO.ReadSize(c.ImagePath, applyOrientation: !c.StoredOrientation);
                double scale = (double)w / c.Width;
                bool uniform = (w, h) != (c.Width, c.Height) && Math.Abs(c.Height * scale - h) <= 1;
                sizeByGroup[key] = size = uniform ? (w, h) : null;
            }
            if (size is { } fitted) cameras[i] = c.ResizedTo(fitted.Width, fitted.Height);
        }
    }
}
