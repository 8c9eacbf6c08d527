namespace Radiant.Viewer;

/// <summary>One point of the live curves: the iteration's loss, the running training PSNR and the Gaussian count.</summary>
public readonly record struct TrainingPoint(int Iteration, float Loss, float Psnr, int Gaussians);
