namespace Radiant.Plotting;

/// <summary>One curve of a panel: points in data coordinates, drawn as a line and/or dots; a null name keeps it out of the legend.</summary>
public sealed record Series(string? Name, double[] X, double[] Y, Rgb Color, double LineWidth = 2, double DotRadius = 0, float Alpha = 1);
