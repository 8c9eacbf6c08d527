using Radiant.Mathematics;

namespace Radiant.Sample;

/// <summary>The analytic shapes the sample scene is built from.</summary>
internal enum PrimitiveKind : byte
{
    /// <summary>Radius Size.X, centred at the origin of its frame.</summary>
    Sphere,
    /// <summary>Half extents Size along the frame's axes.</summary>
    Box,
    /// <summary>Capped cylinder along the frame's z axis: radius Size.X, half height Size.Z.</summary>
    Cylinder,
    /// <summary>Torus in the frame's xy plane (axis z): major radius Size.X, tube radius Size.Y.</summary>
    Torus,
}

/// <summary>Where a ray met a primitive: distance, and the point and normal in the primitive's own frame (textures are defined there).</summary>
internal struct SurfaceHit
{
    public double T;
    /// <summary>Index into <see cref="SceneLayout.Primitives"/>.</summary>
    public int Primitive;
    public Vec3 Local;
    public Vec3 LocalNormal;
    /// <summary>Box: 2·axis + (0 for the + face, 1 for the − face). Cylinder: 0 side, 1 top cap, 2 bottom cap. Otherwise 0.</summary>
    public int Face;
}

/// <summary>
/// One analytic shape placed in the world: a rigid frame (centre + rotation), a size and a material.
/// Intersections are computed in the shape's frame, where each shape is axis-aligned and centred.
/// </summary>
[System.Runtime.CompilerServices.SkipLocalsInit]
internal readonly struct Primitive
{
    public readonly PrimitiveKind Kind;
    public readonly Vec3 Center;
    /// <summary>Rotation taking world directions into the shape's frame (its transpose takes them back).</summary>
    public readonly Mat3 WorldToLocal;
    public readonly Vec3 Size;
    public readonly Material Material;
    /// <summary>Radius of a sphere about <see cref="Center"/> that contains the shape (a cheap early reject).</summary>
    public readonly double BoundRadius;
    /// <summary>True when the frame is not rotated (most shapes), which saves two matrix products a test.</summary>
    private readonly bool _axisAligned;

    private Primitive(PrimitiveKind kind, Vec3 center, Mat3 worldToLocal, Vec3 size, Material material, double boundRadius)
    {
        Kind = kind; Center = center; WorldToLocal = worldToLocal; Size = size; Material = material; BoundRadius = boundRadius;
        _axisAligned = worldToLocal.M00 == 1 && worldToLocal.M11 == 1 && worldToLocal.M22 == 1;
    }

    public static Primitive Sphere(Vec3 center, double radius, Material material) =>
        new(PrimitiveKind.Sphere, center, Mat3.Identity, new Vec3(radius, radius, radius), material, radius);

    public static Primitive Box(Vec3 center, Vec3 halfExtents, Mat3 worldToLocal, Material material) =>
        new(PrimitiveKind.Box, center, worldToLocal, halfExtents, material, halfExtents.Length);

    /// <summary>Upright cylinder (axis = world z) whose base is at <paramref name="bottomZ"/>.</summary>
    public static Primitive Column(double x, double y, double bottomZ, double topZ, double radius, Material material)
    {
        double half = 0.5 * (topZ - bottomZ);
        return new(PrimitiveKind.Cylinder, new Vec3(x, y, bottomZ + half), Mat3.Identity, new Vec3(radius, radius, half), material,
            Math.Sqrt(radius * radius + half * half));
    }

    /// <summary>Cylinder from point <paramref name="a"/> to point <paramref name="b"/> (a rod).</summary>
    public static Primitive Rod(Vec3 a, Vec3 b, double radius, Material material)
    {
        Vec3 axis = b - a;
        double half = 0.5 * axis.Length;
        Mat3 toLocal = FrameWithZ(axis.Normalized());
        return new(PrimitiveKind.Cylinder, 0.5 * (a + b), toLocal, new Vec3(radius, radius, half), material, Math.Sqrt(radius * radius + half * half));
    }

    /// <summary>Torus whose axis is the given unit vector.</summary>
    public static Primitive Torus(Vec3 center, Vec3 axis, double majorRadius, double tubeRadius, Material material) =>
        new(PrimitiveKind.Torus, center, FrameWithZ(axis.Normalized()), new Vec3(majorRadius, tubeRadius, 0), material, majorRadius + tubeRadius);

    /// <summary>A world-to-local rotation whose local z axis is <paramref name="z"/> (x and y chosen deterministically).</summary>
    private static Mat3 FrameWithZ(Vec3 z)
    {
        Vec3 helper = Math.Abs(z.X) < 0.9 ? new Vec3(1, 0, 0) : new Vec3(0, 1, 0);
        Vec3 x = helper.Cross(z).Normalized();
        Vec3 y = z.Cross(x);
        return Mat3.FromRows(x, y, z);
    }

    /// <summary>True if the ray may meet the shape's bounding sphere within (tMin, tMax).</summary>
    public bool MayHit(Vec3 origin, Vec3 dir, double tMin, double tMax)
    {
        Vec3 oc = origin - Center;
        double b = oc.Dot(dir);
        double c = oc.Dot(oc) - BoundRadius * BoundRadius;
        double disc = b * b - c;
        if (disc < 0) return false;
        double s = Math.Sqrt(disc);
        return -b + s > tMin && -b - s < tMax;
    }

    /// <summary>
    /// Nearest intersection of the ray (unit <paramref name="dir"/>) with the shape at t in (tMin, tMax).
    /// On success fills <paramref name="hit"/> (all but <see cref="SurfaceHit.Primitive"/>), its normal pointing out of the shape.
    /// </summary>
    public bool Intersect(Vec3 origin, Vec3 dir, double tMin, double tMax, ref SurfaceHit hit)
    {
        Vec3 p = origin - Center, q = dir;
        if (!_axisAligned) { p = WorldToLocal * p; q = WorldToLocal * q; }
        return Kind switch
        {
            PrimitiveKind.Sphere => IntersectSphere(p, q, tMin, tMax, ref hit),
            PrimitiveKind.Box => IntersectBox(p, q, tMin, tMax, ref hit),
            PrimitiveKind.Cylinder => IntersectCylinder(p, q, tMin, tMax, ref hit),
            _ => IntersectTorus(p, q, tMin, tMax, ref hit),
        };
    }

    /// <summary>Far intersection of the ray with a sphere primitive (where a ray passing through it leaves it).</summary>
    public double SphereExit(Vec3 origin, Vec3 dir)
    {
        Vec3 oc = origin - Center;
        double b = oc.Dot(dir);
        double disc = b * b - (oc.Dot(oc) - Size.X * Size.X);
        return disc < 0 ? double.NegativeInfinity : -b + Math.Sqrt(disc);
    }

    /// <summary>World-space normal from a local one.</summary>
    public Vec3 NormalToWorld(Vec3 localNormal) => _axisAligned ? localNormal : WorldToLocal.Transposed() * localNormal;

    private bool IntersectSphere(Vec3 p, Vec3 q, double tMin, double tMax, ref SurfaceHit hit)
    {
        double r = Size.X;
        double b = p.Dot(q);
        double disc = b * b - (p.Dot(p) - r * r);
        if (disc < 0) return false;
        double s = Math.Sqrt(disc);
        double t = -b - s;
        if (t <= tMin) t = -b + s;
        if (t <= tMin || t >= tMax) return false;
        Vec3 local = p + t * q;
        hit.T = t; hit.Local = local; hit.LocalNormal = local / r; hit.Face = 0;
        return true;
    }

    private bool IntersectBox(Vec3 p, Vec3 q, double tMin, double tMax, ref SurfaceHit hit)
    {
        double tNear = double.NegativeInfinity, tFar = double.PositiveInfinity;
        int axisNear = 0, axisFar = 0;
        for (int axis = 0; axis < 3; axis++)
        {
            double h = Size[axis], pa = p[axis], qa = q[axis];
            if (qa == 0)
            {
                if (pa < -h || pa > h) return false;
                continue;
            }
            double t1 = (-h - pa) / qa, t2 = (h - pa) / qa;
            if (t1 > t2) (t1, t2) = (t2, t1);
            if (t1 > tNear) { tNear = t1; axisNear = axis; }
            if (t2 < tFar) { tFar = t2; axisFar = axis; }
        }
        if (tNear > tFar) return false;
        double t; int faceAxis;
        if (tNear > tMin) { t = tNear; faceAxis = axisNear; }
        else { t = tFar; faceAxis = axisFar; }
        if (t <= tMin || t >= tMax) return false;
        Vec3 local = p + t * q;
        bool positive = local[faceAxis] > 0;
        double sign = positive ? 1 : -1;
        hit.T = t; hit.Local = local;
        hit.LocalNormal = faceAxis switch { 0 => new Vec3(sign, 0, 0), 1 => new Vec3(0, sign, 0), _ => new Vec3(0, 0, sign) };
        hit.Face = 2 * faceAxis + (positive ? 0 : 1);
        return true;
    }

    private bool IntersectCylinder(Vec3 p, Vec3 q, double tMin, double tMax, ref SurfaceHit hit)
    {
        double r = Size.X, h = Size.Z;
        double best = tMax; int face = -1;

        // Side: x² + y² = r² with |z| ≤ h.
        double a = q.X * q.X + q.Y * q.Y;
        if (a > 1e-18)
        {
            double b = p.X * q.X + p.Y * q.Y;
            double c = p.X * p.X + p.Y * p.Y - r * r;
            double disc = b * b - a * c;
            if (disc >= 0)
            {
                double s = Math.Sqrt(disc);
                double t1 = (-b - s) / a, t2 = (-b + s) / a;
                if (t1 > tMin && t1 < best && Math.Abs(p.Z + t1 * q.Z) <= h) { best = t1; face = 0; }
                else if (t2 > tMin && t2 < best && Math.Abs(p.Z + t2 * q.Z) <= h) { best = t2; face = 0; }
            }
        }
        // Caps: z = ±h with x² + y² ≤ r².
        if (q.Z != 0)
        {
            for (int cap = 1; cap <= 2; cap++)
            {
                double zc = cap == 1 ? h : -h;
                double t = (zc - p.Z) / q.Z;
                if (t <= tMin || t >= best) continue;
                double x = p.X + t * q.X, y = p.Y + t * q.Y;
                if (x * x + y * y <= r * r) { best = t; face = cap; }
            }
        }
        if (face < 0) return false;
        Vec3 local = p + best * q;
        hit.T = best; hit.Local = local; hit.Face = face;
        hit.LocalNormal = face switch { 0 => new Vec3(local.X / r, local.Y / r, 0), 1 => new Vec3(0, 0, 1), _ => new Vec3(0, 0, -1) };
        return true;
    }

    /// <summary>
    /// Torus: the ray is clipped to the slab |z| ≤ tube radius and the bounding sphere, culled when its
    /// distance from the axis over that stretch never reaches the tube, and otherwise the quartic
    /// (|x|² + R² − r²)² − 4R²(x² + y²) = 0 is solved on the clipped stretch (parameter shifted to start
    /// at 0, which keeps the coefficients well conditioned).
    /// </summary>
    private bool IntersectTorus(Vec3 p, Vec3 q, double tMin, double tMax, ref SurfaceHit hit)
    {
        double big = Size.X, tube = Size.Y;
        double ta, tb;
        if (q.Z == 0)
        {
            if (Math.Abs(p.Z) > tube) return false;
            ta = double.NegativeInfinity; tb = double.PositiveInfinity;
        }
        else
        {
            ta = (-tube - p.Z) / q.Z; tb = (tube - p.Z) / q.Z;
            if (ta > tb) (ta, tb) = (tb, ta);
        }
        double bs = p.Dot(q);
        double outer = big + tube;
        double disc = bs * bs - (p.Dot(p) - outer * outer);
        if (disc < 0) return false;
        double sq = Math.Sqrt(disc);
        ta = Math.Max(Math.Max(ta, -bs - sq), tMin);
        tb = Math.Min(Math.Min(tb, -bs + sq), tMax);
        if (ta >= tb) return false;

        // Squared distance from the axis, ρ²(t) = a t² + 2 b t + c, is convex: its range over [ta, tb] is cheap.
        double a2 = q.X * q.X + q.Y * q.Y, b2 = p.X * q.X + p.Y * q.Y, c2 = p.X * p.X + p.Y * p.Y;
        double rhoA = (a2 * ta + 2 * b2) * ta + c2, rhoB = (a2 * tb + 2 * b2) * tb + c2;
        double tv = a2 > 0 ? Math.Clamp(-b2 / a2, ta, tb) : ta;
        double rhoMin = (a2 * tv + 2 * b2) * tv + c2;
        double inner = big - tube;
        if (Math.Max(rhoA, rhoB) < inner * inner || rhoMin > outer * outer) return false;

        Vec3 s0 = p + ta * q;
        double k = s0.Dot(s0) + big * big - tube * tube;
        double b = s0.Dot(q);
        double fourR2 = 4 * big * big;
        Span<double> coeffs = stackalloc double[5];
        coeffs[4] = 1;
        coeffs[3] = 4 * b;
        coeffs[2] = 4 * b * b + 2 * k - fourR2 * a2;
        coeffs[1] = 4 * b * k - 2 * fourR2 * (s0.X * q.X + s0.Y * q.Y);
        coeffs[0] = k * k - fourR2 * (s0.X * s0.X + s0.Y * s0.Y);
        double root = PolynomialRoots.SmallestRoot(coeffs, 0, tb - ta);
        if (double.IsNaN(root)) return false;
        double t = ta + root;
        if (t <= tMin || t >= tMax) return false;

        Vec3 local = p + t * q;
        double rho = Math.Sqrt(local.X * local.X + local.Y * local.Y);
        Vec3 ringPoint = rho > 0 ? new Vec3(local.X * big / rho, local.Y * big / rho, 0) : new Vec3(big, 0, 0);
        hit.T = t; hit.Local = local; hit.LocalNormal = (local - ringPoint).Normalized(); hit.Face = 0;
        return true;
    }
}
