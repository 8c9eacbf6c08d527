using Radiant.Model;

namespace Radiant.Rendering;

/// <summary>
/// Each Gaussian's global significance, its summed blending weight over a set of views,
/// S_i = Σ_views Σ_pixels α_i T_i (LightGaussian, Fan et al. 2024, §3.1, with the hit count
/// weighted by the actual weight). It comes from the rasterizer's backward pass without new
/// kernels: the rendered colour is C = Σ c_i α_i T_i + T_final·background, so with
/// dL/dC_red = 1 at every pixel (and 0 for green and blue) the gradient the backward pass
/// accumulates for the red colour of Gaussian i is exactly Σ_pixels α_i T_i.
/// </summary>
public static class GaussianContribution
{
    public static double[] Compute(GaussianSet g, IReadOnlyList<RenderCamera> cameras, RenderOptions options,
                                   IProgress<(int Done, int Total)>? progress = null)
    {
        var significance = new double[g.Count];
        var renderer = new Renderer();
        float[] dColor = [];
        for (int v = 0; v < cameras.Count; v++)
        {
            RenderCamera cam = cameras[v];
            RenderResult r = renderer.Render(g, cam, options);
            // A supersampled view was rasterised k times larger: each sample is 1/k² of a pixel.
            int k = r.Samples, pixels = cam.Width * k * cam.Height * k;
            float weight = 1f / (k * k);
            if (dColor.Length != 3 * pixels || dColor[0] != weight)
            {
                dColor = new float[3 * pixels];
                dColor.AsSpan(0, pixels).Fill(weight); // red plane: dL/dC_red = 1 per pixel
            }
            renderer.Rasterizer.Backward(dColor, []);
            int[] radii = r.Radii;
            for (int i = 0; i < g.Count; i++)
                if (radii[i] > 0) significance[i] += renderer.Rasterizer.Gradient(i).R;
            progress?.Report((v + 1, cameras.Count));
        }
        return significance;
    }
}
