using System.Buffers.Binary;
using System.Text;

namespace Radiant.Tests.Data;

/// <summary>
/// Test-side .npy writer following the format description (magic, version, header length, padded
/// dict header ending in a newline, raw data), with every part under the test's control.
/// </summary>
internal static class NpyTestFile
{
    /// <summary>A .npy file of <paramref name="values"/> in the given order as '&lt;f8' or '&lt;f4'.</summary>
    public static byte[] Build(double[] values, int[] shape, string descr = "<f8", int version = 1, bool fortranOrder = false, string? header = null)
    {
        string shapeText = shape.Length == 1 ? $"({shape[0]},)" : "(" + string.Join(", ", shape) + ")";
        header ??= $"{{'descr': '{descr}', 'fortran_order': {(fortranOrder ? "True" : "False")}, 'shape': {shapeText}, }}";
        return Build(header, Data(values, descr), version);
    }

    public static byte[] Data(double[] values, string descr)
    {
        int itemSize = descr == "<f4" ? 4 : 8;
        var data = new byte[values.Length * itemSize];
        for (int i = 0; i < values.Length; i++)
        {
            if (itemSize == 8) BinaryPrimitives.WriteDoubleLittleEndian(data.AsSpan(i * 8), values[i]);
            else BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(i * 4), (float)values[i]);
        }
        return data;
    }

    /// <summary>Magic, version, header length and the header padded with spaces to a 64-byte boundary and ended by '\n', then the data.</summary>
    public static byte[] Build(string header, byte[] data, int version = 1)
    {
        int lengthSize = version == 1 ? 2 : 4;
        int prefix = 6 + 2 + lengthSize;
        int total = prefix + header.Length + 1;
        int padded = (total + 63) / 64 * 64;
        string fullHeader = header + new string(' ', padded - total) + "\n";
        var bytes = new List<byte> { 0x93 };
        bytes.AddRange("NUMPY"u8.ToArray());
        bytes.Add((byte)version);
        bytes.Add(0);
        byte[] len = new byte[lengthSize];
        if (lengthSize == 2) BinaryPrimitives.WriteUInt16LittleEndian(len, (ushort)fullHeader.Length);
        else BinaryPrimitives.WriteUInt32LittleEndian(len, (uint)fullHeader.Length);
        bytes.AddRange(len);
        bytes.AddRange(version == 3 ? Encoding.UTF8.GetBytes(fullHeader) : Encoding.Latin1.GetBytes(fullHeader));
        bytes.AddRange(data);
        return bytes.ToArray();
    }
}
