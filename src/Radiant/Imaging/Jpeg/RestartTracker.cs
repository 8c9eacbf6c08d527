namespace Radiant.Imaging.Jpeg;

/// <summary>
/// Restart-interval bookkeeping shared by the scan decoders (T.81 §B.2.4.4, F.2.1.3.1): every
/// <c>interval</c> MCUs the entropy-coded data is cut by an RSTn marker (n = 0..7, cycling), after
/// which the DC predictions start again from zero.
/// </summary>
internal struct RestartTracker
{
    private readonly int _interval;
    private int _todo, _next;

    public RestartTracker(int interval)
    {
        _interval = interval;
        _todo = interval;
    }

    /// <summary>Call before each MCU: consumes the RSTn marker at an interval boundary and returns true there.</summary>
    public bool BeforeMcu(ref JpegBitReader reader, JpegComponent[] components)
    {
        if (_interval <= 0) return false;
        bool restarted = false;
        if (_todo == 0)
        {
            reader.Restart(_next);
            _next = (_next + 1) & 7;
            _todo = _interval;
            foreach (JpegComponent c in components) c.DcPredictor = 0;
            restarted = true;
        }
        _todo--;
        return restarted;
    }
}
