using Radiant.Model;
using Radiant.Rendering;

namespace Radiant.Viewer;

/// <summary>
/// The model the viewer serves at one moment: the Gaussians Radiant renders from, how, and the .ply
/// bytes the browser loads. <see cref="Version"/> grows each time a new one is published.
/// </summary>
public sealed record ServedModel(int Version, int Iteration, GaussianSet Gaussians, RenderOptions Options, byte[] Ply);
