using System.Globalization;
using System.Text;
using Radiant.Mathematics;

namespace Radiant.Capture;

/// <summary>
/// x' = s R x + t: a similarity of world space. A world-to-camera pose (Rc, tc), x_c = Rc x + tc,
/// becomes (Rc Rᵀ, s tc − Rc Rᵀ t), which maps x' to s x_c: the same image, since a pinhole
/// projection divides by depth and the scale cancels.
/// </summary>
public readonly record struct SimilarityTransform(double Scale, Mat3 Rotation, Vec3 Translation)
{
    public static readonly SimilarityTransform Identity = new(1, Mat3.Identity, Vec3.Zero);

    public Vec3 Apply(Vec3 x) => Rotation * x * Scale + Translation;

    public (Mat3 Rotation, Vec3 Translation) ApplyToPose(Mat3 worldToCamera, Vec3 translation)
    {
        Mat3 r = worldToCamera * Rotation.Transposed();
        return (r, translation * Scale - r * Translation);
    }

    /// <summary>x = Rᵀ (x' − t) / s.</summary>
    public SimilarityTransform Inverse()
    {
        Mat3 rt = Rotation.Transposed();
        return new SimilarityTransform(1 / Scale, rt, -(rt * Translation) / Scale);
    }

    /// <summary>
    /// <c>transform.json</c>: scale, rotation (rows), translation, the 4×4 matrix [sR t; 0 1] and its
    /// inverse, for tools that want to map the normalised scene back to COLMAP's original frame.
    /// </summary>
    public string ToJson(string description)
    {
        static string Num(double v) => v.ToString("R", CultureInfo.InvariantCulture);
        static string Matrix(SimilarityTransform s)
        {
            var rows = new List<string>();
            for (int r = 0; r < 3; r++)
                rows.Add($"[{Num(s.Scale * s.Rotation[r, 0])}, {Num(s.Scale * s.Rotation[r, 1])}, {Num(s.Scale * s.Rotation[r, 2])}, {Num(s.Translation[r])}]");
            rows.Add("[0, 0, 0, 1]");
            return "[" + string.Join(", ", rows) + "]";
        }
        var sb = new StringBuilder();
        sb.Append("{\n");
        sb.Append($"  \"description\": \"{description.Replace("\"", "'")}\",\n");
        sb.Append($"  \"scale\": {Num(Scale)},\n");
        sb.Append($"  \"rotation\": [[{Num(Rotation.M00)}, {Num(Rotation.M01)}, {Num(Rotation.M02)}], [{Num(Rotation.M10)}, {Num(Rotation.M11)}, {Num(Rotation.M12)}], [{Num(Rotation.M20)}, {Num(Rotation.M21)}, {Num(Rotation.M22)}]],\n");
        sb.Append($"  \"translation\": [{Num(Translation.X)}, {Num(Translation.Y)}, {Num(Translation.Z)}],\n");
        sb.Append($"  \"matrix\": {Matrix(this)},\n");
        sb.Append($"  \"inverse_matrix\": {Matrix(Inverse())}\n");
        sb.Append("}\n");
        return sb.ToString();
    }
}
