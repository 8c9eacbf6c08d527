using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Radiant.Viewer;

/// <summary>
/// The checks every request passes before routing: a plain request target (no dot segments, no
/// backslashes, no percent-encoding, which is how traversal hides: %2e%2e, %2f, %5c), a short URL,
/// a Host header naming this machine when bound to loopback (against DNS rebinding), and for POST
/// the viewer's own header and a same-origin Origin (so another web page cannot press the buttons).
/// </summary>
public static class RequestGuard
{
    public const string ControlHeader = "X-Radiant-Viewer";
    private const int MaxTargetLength = 512;
    private static readonly string[] LoopbackHosts = ["127.0.0.1", "localhost", "[::1]"];

    /// <summary>Null when the request may go on, else the reason it is refused.</summary>
    public static string? Check(HttpContext context, bool loopbackOnly)
    {
        string raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? "";
        string? problem = CheckTarget(raw);
        if (problem is not null) return problem;
        if (loopbackOnly && !LoopbackHosts.Contains(context.Request.Host.Host, StringComparer.OrdinalIgnoreCase))
            return "Host is not this machine";
        if (HttpMethods.IsPost(context.Request.Method))
        {
            if (context.Request.Headers[ControlHeader] != "1") return $"control requests need the {ControlHeader} header";
            string? origin = context.Request.Headers.Origin;
            if (!string.IsNullOrEmpty(origin) && !string.Equals(origin, $"{context.Request.Scheme}://{context.Request.Host}", StringComparison.OrdinalIgnoreCase))
                return "cross-origin control request";
        }
        return null;
    }

    /// <summary>Checks a raw request target ("/api/model?v=2"): null if plain, else why not.</summary>
    public static string? CheckTarget(string raw)
    {
        if (raw.Length == 0 || raw[0] != '/') return "request target is not an absolute path";
        if (raw.Length > MaxTargetLength) return "request target too long";
        int query = raw.IndexOf('?');
        string path = query < 0 ? raw : raw[..query];
        if (path.Contains("..", StringComparison.Ordinal) || path.Contains("//", StringComparison.Ordinal)) return "dot segments or empty segments in the path";
        foreach (char ch in raw)
            if (!(char.IsAsciiLetterOrDigit(ch) || ch is '/' or '.' or '-' or '_' or '?' or '=' or '&'))
                return $"character '{ch}' not allowed in the request target";
        return null;
    }
}
