using Radiant.Mathematics;

namespace Radiant.CameraPaths;

/// <summary>
/// Where the training cameras look and how they stand: the look-at centre, the up direction, the
/// mean distance and elevation of the cameras around the centre, and the horizontal direction from
/// the centre to the first camera (where orbits start).
/// </summary>
/// <param name="CenterFromAxes">True when the centre is the point nearest to the optical axes, false when it is the camera centroid (the fallback) or given by the user.</param>
public sealed record SceneFrame(Vec3 Center, Vec3 Up, double Radius, double ElevationDegrees, Vec3 StartDirection, bool CenterFromAxes);
