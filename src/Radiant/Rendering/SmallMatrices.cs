namespace Radiant.Rendering;

/// <summary>Single-precision 3-vector for the per-Gaussian kernels.</summary>
internal readonly record struct Vec3f(float X, float Y, float Z);
