using System.Globalization;

namespace Radiant.Data.Colmap;

/// <summary>
/// COLMAP's text sparse model: lines starting with <c>#</c> are comments, fields are separated by spaces.
/// <list type="bullet">
/// <item>cameras.txt: <c>CAMERA_ID MODEL WIDTH HEIGHT PARAMS[]</c></item>
/// <item>images.txt: two lines per image, <c>IMAGE_ID QW QX QY QZ TX TY TZ CAMERA_ID NAME</c> then
/// <c>POINTS2D[] as (X, Y, POINT3D_ID)</c> (the second line may be empty)</item>
/// <item>points3D.txt: <c>POINT3D_ID X Y Z R G B ERROR TRACK[] as (IMAGE_ID, POINT2D_IDX)</c></item>
/// </list>
/// Every malformed line is an error naming the file and the line number.
/// </summary>
internal static class ColmapText
{
    public static List<ColmapCameraEntry> ReadCameras(string path)
    {
        var cameras = new List<ColmapCameraEntry>();
        foreach (var (lineNumber, line) in Lines(path))
        {
            if (IsBlankOrComment(line)) continue;
            var f = new Fields(path, lineNumber, line);
            f.Expect(4, "CAMERA_ID MODEL WIDTH HEIGHT PARAMS[]");
            uint cameraId = f.UInt32(0, "CAMERA_ID");
            string modelName = f[1];
            ColmapCameraModel model = ColmapCameraModel.ByName(modelName)
                ?? throw new RadiantException(path, $"line {lineNumber}: " + ColmapCameraModel.UnsupportedMessage(cameraId, $"unknown '{modelName}'"));
            if (!model.Supported) throw new RadiantException(path, $"line {lineNumber}: " + ColmapCameraModel.UnsupportedMessage(cameraId, model.Name));
            ulong width = f.UInt64(2, "WIDTH"), height = f.UInt64(3, "HEIGHT");
            if (f.Count != 4 + model.ParamCount)
                throw f.Error($"the {model.Name} camera model has {model.ParamCount} parameters, but the line has {f.Count - 4}");
            var parameters = new double[model.ParamCount];
            for (int k = 0; k < parameters.Length; k++) parameters[k] = f.Double(4 + k, $"parameter {k}");
            string source = $"line {lineNumber}";
            cameras.Add(new ColmapCameraEntry(cameraId, model,
                ColmapReader.CheckImageSize(path, source, width, "width"),
                ColmapReader.CheckImageSize(path, source, height, "height"),
                parameters, source));
        }
        return cameras;
    }

    public static List<ColmapImageEntry> ReadImages(string path)
    {
        var images = new List<ColmapImageEntry>();
        ColmapImageEntry? pointsLineOf = null;
        foreach (var (lineNumber, line) in Lines(path))
        {
            // The 2D points line follows its image line unconditionally: it may be empty, and is never a comment.
            if (pointsLineOf is not null)
            {
                CheckPointsLine(new Fields(path, lineNumber, line), pointsLineOf);
                pointsLineOf = null;
                continue;
            }
            if (IsBlankOrComment(line)) continue;
            var f = new Fields(path, lineNumber, line);
            f.Expect(10, "IMAGE_ID QW QX QY QZ TX TY TZ CAMERA_ID NAME");
            uint imageId = f.UInt32(0, "IMAGE_ID");
            double qw = f.Double(1, "QW"), qx = f.Double(2, "QX"), qy = f.Double(3, "QY"), qz = f.Double(4, "QZ");
            double tx = f.Double(5, "TX"), ty = f.Double(6, "TY"), tz = f.Double(7, "TZ");
            uint cameraId = f.UInt32(8, "CAMERA_ID");
            string name = f.Rest(9);
            pointsLineOf = new ColmapImageEntry(imageId, qw, qx, qy, qz, tx, ty, tz, cameraId, name, $"line {lineNumber} (image {imageId}, '{name}')");
            images.Add(pointsLineOf);
        }
        return images;
    }

    /// <summary>
    /// The line after an image line holds its 2D points as (X, Y, POINT3D_ID) triples. Checking it
    /// catches a file whose points lines are missing, which would otherwise silently drop every other image.
    /// </summary>
    private static void CheckPointsLine(Fields f, ColmapImageEntry image)
    {
        if (f.Count % 3 != 0)
            throw f.Error($"expected the 2D points of image {image.ImageId} ('{image.Name}') as X Y POINT3D_ID triples (the line may be empty), but it has {f.Count} field(s)");
        for (int i = 0; i < f.Count; i += 3)
        {
            f.Double(i, "X");
            f.Double(i + 1, "Y");
            f.Int64(i + 2, "POINT3D_ID");
        }
    }

    public static List<ColmapReader.Point3D> ReadPoints(string path)
    {
        var points = new List<ColmapReader.Point3D>();
        foreach (var (lineNumber, line) in Lines(path))
        {
            if (IsBlankOrComment(line)) continue;
            var f = new Fields(path, lineNumber, line);
            f.Expect(8, "POINT3D_ID X Y Z R G B ERROR TRACK[]");
            if ((f.Count - 8) % 2 != 0) throw f.Error($"the track has an odd number of values ({f.Count - 8}); it is (IMAGE_ID, POINT2D_IDX) pairs");
            ulong pointId = f.UInt64(0, "POINT3D_ID");
            double x = f.Double(1, "X"), y = f.Double(2, "Y"), z = f.Double(3, "Z");
            byte r = f.Byte(4, "R"), g = f.Byte(5, "G"), b = f.Byte(6, "B");
            f.Double(7, "ERROR");
            points.Add(ColmapReader.CheckPoint(path, $"line {lineNumber} (point {pointId})", pointId, x, y, z, r, g, b));
        }
        return points;
    }

    private static bool IsBlankOrComment(string line)
    {
        ReadOnlySpan<char> t = line.AsSpan().TrimStart();
        return t.IsEmpty || t[0] == '#';
    }

    /// <summary>The file's lines with 1-based numbers, streamed (text models of large scenes run to hundreds of MB); CR LF line ends are accepted.</summary>
    private static IEnumerable<(int Number, string Text)> Lines(string path)
    {
        StreamReader reader;
        try { reader = new StreamReader(path, System.Text.Encoding.UTF8); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RadiantException(path, $"cannot read: {e.Message}", e);
        }
        using (reader)
        {
            int number = 0;
            while (reader.ReadLine() is { } line) yield return (++number, line);
        }
    }

    /// <summary>The whitespace-separated fields of one line, with parsers whose errors name the file, line and field.</summary>
    private sealed class Fields
    {
        private readonly string _path;
        private readonly int _lineNumber;
        private readonly string _line;
        private readonly string[] _fields;
        private static readonly char[] Separators = [' ', '\t'];

        public Fields(string path, int lineNumber, string line)
        {
            _path = path;
            _lineNumber = lineNumber;
            _line = line;
            _fields = line.Split(Separators, StringSplitOptions.RemoveEmptyEntries);
        }

        public int Count => _fields.Length;
        public string this[int i] => _fields[i];

        public RadiantException Error(string problem) => new(_path, $"line {_lineNumber}: {problem}");

        public void Expect(int atLeast, string format)
        {
            if (_fields.Length < atLeast)
                throw Error($"expected {format}, but the line has {_fields.Length} field(s) (at least {atLeast} needed)");
        }

        public uint UInt32(int i, string name) =>
            uint.TryParse(_fields[i], NumberStyles.None, CultureInfo.InvariantCulture, out uint v) ? v : throw Bad(i, name, "a non-negative 32-bit integer");

        public ulong UInt64(int i, string name) =>
            ulong.TryParse(_fields[i], NumberStyles.None, CultureInfo.InvariantCulture, out ulong v) ? v : throw Bad(i, name, "a non-negative integer");

        public long Int64(int i, string name) =>
            long.TryParse(_fields[i], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long v) ? v : throw Bad(i, name, "an integer");

        public byte Byte(int i, string name) =>
            byte.TryParse(_fields[i], NumberStyles.None, CultureInfo.InvariantCulture, out byte v) ? v : throw Bad(i, name, "an integer from 0 to 255");

        public double Double(int i, string name) =>
            double.TryParse(_fields[i], NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v : throw Bad(i, name, "a number");

        /// <summary>Field <paramref name="i"/> and everything after it (image names may contain spaces).</summary>
        public string Rest(int i)
        {
            // Skip i fields and the separators after them in the original text.
            int pos = 0;
            for (int k = 0; k < i; k++)
            {
                while (pos < _line.Length && (_line[pos] == ' ' || _line[pos] == '\t')) pos++;
                while (pos < _line.Length && _line[pos] != ' ' && _line[pos] != '\t') pos++;
            }
            return _line[pos..].Trim(' ', '\t');
        }

        private RadiantException Bad(int i, string name, string expected) =>
            Error($"{name} (field {i + 1}) is '{_fields[i]}', expected {expected}");
    }
}
