using Radiant.Data;
using Radiant.Model;
using Radiant.Rendering;

namespace Radiant.Video;

/// <summary>
/// The depth interval a depth video maps onto its colour map, fixed for the whole video so that
/// colours do not flicker from frame to frame.
/// </summary>
public readonly record struct DepthRange(float Near, float Far)
{
    /// <summary>Frames sampled along the path by <see cref="Estimate"/>, and the fraction of their side they are rendered at.</summary>
    public const int SampleFrames = 8;
    public const int SampleDivisor = 4;
    /// <summary>Percentiles of the sampled depths that become near and far (robust to a few stray Gaussians).</summary>
    public const double LowPercentile = 0.02, HighPercentile = 0.98;

    /// <summary>1 at <see cref="Near"/>, 0 at <see cref="Far"/>, clamped.</summary>
    public float Closeness(float depth) => Math.Clamp((Far - depth) / (Far - Near), 0f, 1f);

    /// <summary>
    /// Renders up to <see cref="SampleFrames"/> cameras spread along the path at 1/<see cref="SampleDivisor"/>
    /// of their size and takes the 2nd and 98th percentile of the depth of pixels more than half opaque.
    /// </summary>
    public static DepthRange Estimate(GaussianSet gaussians, IReadOnlyList<Camera> cameras, RenderOptions options)
    {
        var renderer = new Renderer();
        options = options with { ExpectedDepth = true };
        var depths = new List<float>();
        int samples = Math.Min(SampleFrames, cameras.Count);
        for (int s = 0; s < samples; s++)
        {
            Camera c = cameras[samples == 1 ? 0 : s * (cameras.Count - 1) / (samples - 1)];
            Camera small = c.ResizedTo(Math.Max(16, c.Width / SampleDivisor), Math.Max(16, c.Height / SampleDivisor));
            RenderResult r = renderer.Render(gaussians, RenderCamera.From(small), options);
            for (int i = 0; i < r.Alpha.Length; i++)
                if (r.Alpha[i] > 0.5f) depths.Add(r.Depth[i] / r.Alpha[i]);
        }
        if (depths.Count == 0) return new DepthRange(0, 1);
        depths.Sort();
        float near = depths[(int)(LowPercentile * (depths.Count - 1))];
        float far = depths[(int)(HighPercentile * (depths.Count - 1))];
        if (!(far > near)) far = near + Math.Max(1e-3f, Math.Abs(near) * 0.01f);
        return new DepthRange(near, far);
    }
}
