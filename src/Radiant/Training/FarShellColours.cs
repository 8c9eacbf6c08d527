using Radiant.Data;
using Radiant.Imaging;
using Radiant.Rendering;

namespace Radiant.Training;

/// <summary>
/// Start colours for the far shell (<see cref="TrainingOptions.FarShell"/>) from the photos. A sky or
/// a far landscape looks the same from every camera of a capture, so each shell point takes, per
/// channel, the median of the pixels it projects to in the training views that see it: what stands
/// in front of it hides it from some of those views only, and the median passes over them. A point
/// that no view sees keeps its colour.
/// </summary>
public static class FarShellColours
{
    /// <summary>Sets <paramref name="shell"/>'s colours from <paramref name="views"/>; returns how many points some view sees.</summary>
    public static int FromViews(PointCloud shell, IReadOnlyList<TrainingView> views)
    {
        ArgumentNullException.ThrowIfNull(shell);
        ArgumentNullException.ThrowIfNull(views);
        int seen = 0;
        var samples = new float[3][];
        for (int c = 0; c < 3; c++) samples[c] = new float[views.Count];
        for (int i = 0; i < shell.Count; i++)
        {
            float x = shell.Positions[3 * i], y = shell.Positions[3 * i + 1], z = shell.Positions[3 * i + 2];
            int count = 0;
            foreach (TrainingView view in views)
            {
                if (!PixelOf(view.RenderCamera, x, y, z, out int px, out int py)) continue;
                Unorm16Image target = view.Target;
                int pixel = py * target.Width + px;
                if (view.Mask is { } mask && mask.Data[pixel] < ushort.MaxValue / 2) continue;   // not a pixel of the photo (uncovered by its lens, or masked out)
                for (int c = 0; c < 3; c++) samples[c][count] = target.Data[c * target.PixelCount + pixel] / (float)ushort.MaxValue;
                count++;
            }
            if (count == 0) continue;
            seen++;
            for (int c = 0; c < 3; c++) shell.Colors[3 * i + c] = (byte)Math.Round(255 * Median(samples[c].AsSpan(0, count)));
        }
        return seen;
    }

    /// <summary>The pixel that world point (x, y, z) projects to (pinhole, pixel centres at half-integers), if it lies in front of the camera and inside the image.</summary>
    internal static bool PixelOf(RenderCamera camera, float x, float y, float z, out int px, out int py)
    {
        float[] m = camera.WorldToCamera;
        float cx = m[0] * x + m[1] * y + m[2] * z + m[3];
        float cy = m[4] * x + m[5] * y + m[6] * z + m[7];
        float cz = m[8] * x + m[9] * y + m[10] * z + m[11];
        px = py = -1;
        if (!(cz > 0)) return false;
        float u = camera.Fx * cx / cz + camera.Cx, v = camera.Fy * cy / cz + camera.Cy;
        if (!(u >= 0 && u < camera.Width && v >= 0 && v < camera.Height)) return false;
        px = Math.Min((int)u, camera.Width - 1);
        py = Math.Min((int)v, camera.Height - 1);
        return true;
    }

    /// <summary>The median of <paramref name="values"/> (the mean of the middle two for an even count); reorders them.</summary>
    internal static float Median(Span<float> values)
    {
        values.Sort();
        int n = values.Length;
        return n % 2 == 1 ? values[n / 2] : 0.5f * (values[n / 2 - 1] + values[n / 2]);
    }
}
