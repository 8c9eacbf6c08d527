namespace Radiant.Imaging.Jpeg;

/// <summary>Marker codes (T.81 B.1.1.3, Table B.1): the byte that follows 0xFF.</summary>
internal static class JpegMarkers
{
    public const byte TEM = 0x01;
    public const byte SOF0 = 0xC0;   // baseline DCT, Huffman
    public const byte SOF1 = 0xC1;   // extended sequential DCT, Huffman
    public const byte SOF2 = 0xC2;   // progressive DCT, Huffman
    public const byte SOF3 = 0xC3;   // lossless (sequential), Huffman
    public const byte DHT = 0xC4;    // define Huffman tables
    public const byte JPG = 0xC8;    // reserved for JPEG extensions
    public const byte DAC = 0xCC;    // define arithmetic coding conditioning
    public const byte RST0 = 0xD0;   // restart with modulo 8 count 0..7 (RST0..RST7)
    public const byte RST7 = 0xD7;
    public const byte SOI = 0xD8;
    public const byte EOI = 0xD9;
    public const byte SOS = 0xDA;
    public const byte DQT = 0xDB;
    public const byte DNL = 0xDC;
    public const byte DRI = 0xDD;
    public const byte DHP = 0xDE;
    public const byte EXP = 0xDF;
    public const byte APP0 = 0xE0;   // JFIF
    public const byte APP1 = 0xE1;   // Exif
    public const byte APP14 = 0xEE;  // Adobe
    public const byte COM = 0xFE;

    /// <summary>SOFn markers: C0..CF except DHT (C4), JPG (C8) and DAC (CC).</summary>
    public static bool IsStartOfFrame(byte m) => m is >= 0xC0 and <= 0xCF && m != DHT && m != JPG && m != DAC;

    public static bool IsRestart(byte m) => m is >= RST0 and <= RST7;

    /// <summary>Why a frame type other than SOF0/1/2 is refused (Table B.1 process names).</summary>
    public static string UnsupportedFrameReason(byte m) => m switch
    {
        0xC3 => "lossless JPEG (SOF3) is not supported",
        0xC5 or 0xC6 or 0xC7 => $"hierarchical (differential) JPEG (SOF{m - 0xC0}) is not supported",
        0xC9 or 0xCA or 0xCB or 0xCD or 0xCE or 0xCF => $"arithmetic-coded JPEG (SOF{m - 0xC0}) is not supported",
        _ => $"JPEG frame type 0x{m:X2} is not supported",
    };
}
