using System.Globalization;
using System.Text;
using OrleansSpotify.Abstractions;

namespace OrleansSpotify.Host.Embed;

/// <summary>
/// The 400×120 SVG card of a share link: state, track, artists and whose it is. Self-contained (no fonts, images or
/// scripts to fetch: an SVG in an &lt;img&gt; may not load any), every text escaped and cut to fit.
/// </summary>
public static class NowPlayingCard
{
    public const string ContentType = "image/svg+xml";

    private const string Font = "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif";
    private const string Green = "#1db954";

    public static string Render(string displayName, LiveState live, TimeZoneInfo zone, DateTimeOffset now)
    {
        var item = live.State == PlaybackState.Idle ? null : live.Item;
        var state = live.State switch
        {
            PlaybackState.Playing => "Playing",
            PlaybackState.Paused => "Paused",
            _ => live.Since is { } since ? "Idle since " + When(since, zone, now) : "Idle",
        };
        var title = item?.Name ?? (item is null ? "Nothing playing" : item.ItemType == "ad" ? "Advertisement" : "Something");
        var artists = item is null ? "" : string.Join(", ", item.Artists);
        var accent = live.State == PlaybackState.Playing ? Green : "#9a9a9a";
        var label = item is null ? $"{displayName}: {state}" : $"{displayName}: {state}: {title}" + (artists.Length > 0 ? " by " + artists : "");

        var svg = new StringBuilder(1400);
        svg.Append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"400\" height=\"120\" viewBox=\"0 0 400 120\" role=\"img\" aria-label=\"")
            .Append(Escape(label)).Append("\">");
        svg.Append("<title>").Append(Escape(label)).Append("</title>");
        svg.Append("<rect x=\"0.5\" y=\"0.5\" width=\"399\" height=\"119\" rx=\"12\" fill=\"#181818\" stroke=\"#2a2a2a\"/>");
        svg.Append("<rect x=\"12\" y=\"12\" width=\"96\" height=\"96\" rx=\"8\" fill=\"#282828\"/>");
        AppendBars(svg, live.State, accent);
        // Texts are cut to what usually fits, and clipped to the card for wide letters.
        svg.Append("<clipPath id=\"text\"><rect x=\"120\" y=\"0\" width=\"266\" height=\"120\"/></clipPath>");
        svg.Append("<g font-family=\"").Append(Font).Append("\" clip-path=\"url(#text)\">");
        Text(svg, 124, 34, 12, accent, "600", Fit(state, 38));
        Text(svg, 124, 58, 17, "#ffffff", "700", Fit(title, 24));
        Text(svg, 124, 80, 13, "#b3b3b3", "400", Fit(artists, 34));
        Text(svg, 124, 104, 12, "#8a8a8a", "400", Fit(displayName, 38));
        svg.Append("</g></svg>");
        return svg.ToString();
    }

    /// <summary>The card for an unknown or revoked link.</summary>
    public static string Invalid() =>
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"400\" height=\"120\" viewBox=\"0 0 400 120\" role=\"img\" aria-label=\"This link is not valid\">"
        + "<title>This link is not valid</title>"
        + "<rect x=\"0.5\" y=\"0.5\" width=\"399\" height=\"119\" rx=\"12\" fill=\"#181818\" stroke=\"#2a2a2a\"/>"
        + "<g font-family=\"" + Font + "\" text-anchor=\"middle\">"
        + "<text x=\"200\" y=\"58\" font-size=\"17\" font-weight=\"700\" fill=\"#ffffff\">This link is not valid</text>"
        + "<text x=\"200\" y=\"82\" font-size=\"13\" fill=\"#b3b3b3\">It may have been revoked by its owner.</text>"
        + "</g></svg>";

    /// <summary>"14:03" today, "20 Nov" this year, "20 Nov 2025" before, in the member's zone.</summary>
    private static string When(DateTimeOffset since, TimeZoneInfo zone, DateTimeOffset now)
    {
        var local = TimeZoneInfo.ConvertTime(since, zone);
        var today = TimeZoneInfo.ConvertTime(now, zone);
        var format = local.Date == today.Date ? "HH:mm" : local.Year == today.Year ? "d MMM" : "d MMM yyyy";
        return local.ToString(format, CultureInfo.InvariantCulture);
    }

    /// <summary>Three equaliser bars in the art square: tall and green while playing, low and grey otherwise.</summary>
    private static void AppendBars(StringBuilder svg, PlaybackState state, string colour)
    {
        int[] heights = state == PlaybackState.Playing ? [40, 60, 28] : state == PlaybackState.Paused ? [24, 24, 24] : [8, 8, 8];
        for (var i = 0; i < heights.Length; i++)
        {
            var x = 36 + (i * 18);
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x}\" y=\"{88 - heights[i]}\" width=\"12\" height=\"{heights[i]}\" rx=\"2\" fill=\"{colour}\"/>");
        }
    }

    private static void Text(StringBuilder svg, int x, int y, int size, string fill, string weight, string text)
    {
        if (text.Length == 0)
        {
            return;
        }

        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x}\" y=\"{y}\" font-size=\"{size}\" font-weight=\"{weight}\" fill=\"{fill}\">")
            .Append(Escape(text)).Append("</text>");
    }

    /// <summary>Cuts to <paramref name="max"/> text elements (never inside a surrogate pair or a combined character) with an ellipsis.</summary>
    private static string Fit(string text, int max)
    {
        var info = new StringInfo(text.Trim());
        return info.LengthInTextElements <= max ? info.String : info.SubstringByTextElements(0, max - 1).TrimEnd() + "…";
    }

    /// <summary>XML-escapes text, dropping characters XML 1.0 cannot carry (controls, lone surrogates).</summary>
    public static string Escape(string text)
    {
        var escaped = new StringBuilder(text.Length + 16);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                escaped.Append(c).Append(text[++i]);
                continue;
            }

            switch (c)
            {
                case '&': escaped.Append("&amp;"); break;
                case '<': escaped.Append("&lt;"); break;
                case '>': escaped.Append("&gt;"); break;
                case '"': escaped.Append("&quot;"); break;
                case '\'': escaped.Append("&apos;"); break;
                case '\t' or '\n' or '\r': escaped.Append(' '); break;
                default:
                    if (c >= ' ' && !char.IsSurrogate(c) && c is not '\uFFFE' and not '\uFFFF')
                    {
                        escaped.Append(c);
                    }

                    break;
            }
        }

        return escaped.ToString();
    }
}
