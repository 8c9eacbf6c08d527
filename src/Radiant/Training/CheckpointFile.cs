namespace Radiant.Training;

/// <summary>
/// The Radiant checkpoint container, format version 2 (version 2 added the model's 3D smoothing
/// filter, section <c>model/smoothing_variance</c>, without which a run cannot resume exactly). All integers little-endian.
/// <code>
/// offset  size  field
///      0    12  magic "RADIANTCKPT" followed by one 0 byte
///     12     4  u32 format version (2)
///     16     8  u64 payload length P
///     24     P  payload: sections, back to back, until P bytes are used
///   24+P     4  u32 CRC-32C of the payload (see <see cref="Crc32C"/>)
///
/// section:
///   u8  kind (<see cref="CheckpointSectionKind"/>)
///   u16 name length L, then L bytes of UTF-8 name (unique within the file)
///   u64 data length D, then D bytes of data:
///       Float32Array / Int32Array: the elements; ByteArray: the bytes; String: UTF-8;
///       Int32: 4 bytes; Int64: 8 bytes; Float64: 8 bytes (IEEE 754).
/// </code>
/// A reader refuses any other version: the layout after the version field may change with it.
/// </summary>
public static class CheckpointFile
{
    /// <summary>The version this Radiant writes and the only one it reads.</summary>
    public const uint FormatVersion = 2;

    internal static ReadOnlySpan<byte> Magic => "RADIANTCKPT\0"u8;
    internal const int HeaderSize = 24;
    internal const int TrailerSize = 4;
    internal const int MaxNameBytes = ushort.MaxValue;

    internal static string Describe(CheckpointSectionKind kind) => kind switch
    {
        CheckpointSectionKind.Float32Array => "a float array",
        CheckpointSectionKind.Int32Array => "an int array",
        CheckpointSectionKind.ByteArray => "a byte array",
        CheckpointSectionKind.Int32 => "an int",
        CheckpointSectionKind.Int64 => "a long",
        CheckpointSectionKind.Float64 => "a double",
        CheckpointSectionKind.String => "a string",
        _ => $"kind {(int)kind}",
    };

    internal static int ElementSize(CheckpointSectionKind kind) => kind switch
    {
        CheckpointSectionKind.Float32Array or CheckpointSectionKind.Int32Array => 4,
        _ => 1,
    };

    /// <summary>Fixed data length of a scalar kind, or -1 for variable-length kinds.</summary>
    internal static int ScalarSize(CheckpointSectionKind kind) => kind switch
    {
        CheckpointSectionKind.Int32 => 4,
        CheckpointSectionKind.Int64 or CheckpointSectionKind.Float64 => 8,
        _ => -1,
    };

    internal static void RequireLittleEndian()
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("Radiant checkpoints need a little-endian CPU");
    }
}

/// <summary>What a checkpoint section holds (stored as one byte; values are part of the format).</summary>
public enum CheckpointSectionKind : byte
{
    Float32Array = 1,
    Int32Array = 2,
    ByteArray = 3,
    Int32 = 4,
    Int64 = 5,
    Float64 = 6,
    String = 7,
}
