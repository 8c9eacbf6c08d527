namespace Radiant.Imaging.Jpeg;

/// <summary>
/// The TIFF structure of an EXIF block (TIFF 6.0 §2, Exif 2.3 §4.6): a byte order mark, IFD0, and
/// directories of 12-byte entries (tag, type, count, value or offset). Reads integer tags only; a
/// damaged block reads as "no tag", never as an error (metadata must not fail a photo).
/// </summary>
internal readonly ref struct ExifTiff
{
    private readonly ReadOnlySpan<byte> _tiff;
    private readonly bool _little;

    /// <summary>IFD0 tags read here: the orientation, and the pointer to the Exif sub-IFD.</summary>
    public const ushort OrientationTag = 0x0112, ExifIfdPointerTag = 0x8769;
    /// <summary>Exif sub-IFD: the lens's focal length in 35 mm film terms, in mm (SHORT).</summary>
    public const ushort FocalLengthIn35mmFilmTag = 0xA405;

    private ExifTiff(ReadOnlySpan<byte> tiff, bool little) { _tiff = tiff; _little = little; }

    /// <summary>Opens the TIFF structure of an APP1 segment body ("Exif\0\0" and the TIFF header).</summary>
    public static bool TryOpenApp1(ReadOnlySpan<byte> app1, out ExifTiff exif)
    {
        exif = default;
        return app1.Length >= 14 && app1[..6].SequenceEqual("Exif\0\0"u8) && TryOpen(app1[6..], out exif);
    }

    /// <summary>Opens a TIFF structure ("II" or "MM", 42, the offset of IFD0).</summary>
    public static bool TryOpen(ReadOnlySpan<byte> tiff, out ExifTiff exif)
    {
        exif = default;
        if (tiff.Length < 8) return false;
        bool little;
        if (tiff[0] == 'I' && tiff[1] == 'I') little = true;
        else if (tiff[0] == 'M' && tiff[1] == 'M') little = false;
        else return false;
        exif = new ExifTiff(tiff, little);
        return exif.U16(2) == 42;
    }

    /// <summary>The offset of IFD0.</summary>
    public uint Ifd0 => U32(4);

    /// <summary>
    /// The value of tag <paramref name="tag"/> in the directory at <paramref name="ifd"/> when it is a single
    /// SHORT (3) or LONG (4), whose value sits in the first bytes of the entry's value field; null when
    /// the tag is absent, of another type, or the directory runs past the block.
    /// </summary>
    public uint? Integer(uint ifd, ushort tag)
    {
        if (ifd > (uint)_tiff.Length - 2) return null;
        int entries = U16((int)ifd);
        for (int i = 0; i < entries; i++)
        {
            long e = ifd + 2 + 12L * i;
            if (e + 12 > _tiff.Length) return null;
            int at = (int)e;
            if (U16(at) != tag) continue;
            return U16(at + 2) switch { 3 => (uint)U16(at + 8), 4 => U32(at + 8), _ => null };
        }
        return null;
    }

    /// <summary>The orientation tag of IFD0 (1..8), or 0 when there is no valid one.</summary>
    public int Orientation => Integer(Ifd0, OrientationTag) is uint v and >= 1 and <= 8 ? (int)v : 0;

    /// <summary>FocalLengthIn35mmFilm from the Exif sub-IFD in mm, or null when absent (or 0: unknown).</summary>
    public int? FocalLengthIn35mmFilm =>
        Integer(Ifd0, ExifIfdPointerTag) is uint exifIfd && Integer(exifIfd, FocalLengthIn35mmFilmTag) is uint f and > 0 and < 10000 ? (int)f : null;

    private int U16(int i) => _little ? _tiff[i] | _tiff[i + 1] << 8 : _tiff[i] << 8 | _tiff[i + 1];

    private uint U32(int i) =>
        _little ? (uint)(_tiff[i] | _tiff[i + 1] << 8 | _tiff[i + 2] << 16 | _tiff[i + 3] << 24) : (uint)(_tiff[i] << 24 | _tiff[i + 1] << 16 | _tiff[i + 2] << 8 | _tiff[i + 3]);
}
