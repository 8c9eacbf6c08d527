using System.Globalization;

namespace Radiant.Data.Multiscale;

/// <summary>
/// Scales as the multiscale protocol names them: scale s = 2^j is pyramid level j (mip-NeRF's label
/// j, an image 1/s the full size). Parses lists such as "1,2,4,8" and picks the cameras of some levels.
/// </summary>
public static class ScaleLevels
{
    /// <summary>The largest level accepted (scale 1/64).</summary>
    public const int MaxLevel = 6;

    public static int Scale(int level) => 1 << level;

    /// <summary>Levels of a comma-separated list of scales 1, 2, 4, …, in increasing order without repeats; errors name <paramref name="option"/>.</summary>
    public static int[] Parse(string text, string option)
    {
        var levels = new SortedSet<int>();
        foreach (string part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out int s) || s < 1 || (s & (s - 1)) != 0 || s > Scale(MaxLevel))
                throw new RadiantException($"{option} '{text}': '{part}' is not a scale 1, 2, 4, … {Scale(MaxLevel)} (a power of two: image size divided by it)");
            levels.Add(System.Numerics.BitOperations.Log2((uint)s));
        }
        return [.. levels];
    }

    /// <summary>"1,2,4,8" for levels 0..3.</summary>
    public static string Format(IEnumerable<int> levels) => string.Join(",", levels.Select(j => Scale(j).ToString(CultureInfo.InvariantCulture)));

    /// <summary>
    /// The cameras whose multiscale label is one of <paramref name="levels"/> (single-scale datasets
    /// label every camera 0, scale 1). Throws, naming <paramref name="source"/>, if none is left.
    /// </summary>
    public static IReadOnlyList<Camera> Select(IReadOnlyList<Camera> cameras, IReadOnlyCollection<int> levels, string source, string split)
    {
        var kept = cameras.Where(c => levels.Contains(c.ScaleLevel)).ToList();
        if (kept.Count == 0)
        {
            string has = Format(cameras.Select(c => c.ScaleLevel).Distinct().Order());
            throw new RadiantException(source, $"the {split} split has no views at scales {Format(levels)} (its views have scales {(has.Length > 0 ? has : "none")})");
        }
        return kept;
    }
}
