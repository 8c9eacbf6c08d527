namespace Radiant.Formats.Ply;

/// <summary>PLY body encodings, from the header's <c>format &lt;ascii|binary_little_endian|binary_big_endian&gt; 1.0</c> line.</summary>
public enum PlyFormat { Ascii, BinaryLittleEndian, BinaryBigEndian }

/// <summary>PLY scalar types: Turk's spec names (char uchar short ushort int uint float double) and the sized aliases (int8 … float64).</summary>
public enum PlyType : byte { Int8, UInt8, Int16, UInt16, Int32, UInt32, Float32, Float64 }

/// <summary>Sizes and names of the PLY scalar types.</summary>
public static class PlyTypes
{
    /// <summary>Bytes a value takes in a binary body (the spec packs values with no padding).</summary>
    public static int SizeOf(PlyType t) => t switch
    {
        PlyType.Int8 or PlyType.UInt8 => 1,
        PlyType.Int16 or PlyType.UInt16 => 2,
        PlyType.Int32 or PlyType.UInt32 or PlyType.Float32 => 4,
        _ => 8,
    };

    /// <summary>The spec's own name for a type, as a header writes it.</summary>
    public static string NameOf(PlyType t) => t switch
    {
        PlyType.Int8 => "char", PlyType.UInt8 => "uchar", PlyType.Int16 => "short", PlyType.UInt16 => "ushort",
        PlyType.Int32 => "int", PlyType.UInt32 => "uint", PlyType.Float32 => "float", _ => "double",
    };

    /// <summary>A type from either spelling, or null for an unknown name.</summary>
    public static PlyType? Parse(string s) => s switch
    {
        "char" or "int8" => PlyType.Int8,
        "uchar" or "uint8" => PlyType.UInt8,
        "short" or "int16" => PlyType.Int16,
        "ushort" or "uint16" => PlyType.UInt16,
        "int" or "int32" => PlyType.Int32,
        "uint" or "uint32" => PlyType.UInt32,
        "float" or "float32" => PlyType.Float32,
        "double" or "float64" => PlyType.Float64,
        _ => null,
    };
}
