using System.Text.Encodings.Web;
using System.Text.RegularExpressions;

namespace OrleansSpotify.Host.Web;

/// <summary>
/// index.html / embed.html as built (Vite, <c>base: './'</c>) made right for the request's path base: the relative
/// asset links (<c>src="./assets/…"</c>, <c>href="./favicon.svg"</c>) become <c>{PathBase}/…</c> — they must not stay
/// relative, since the same page is served at deep URLs such as <c>/music/accounts/alex/history</c> — and
/// <c>&lt;meta name="base-path" content=""&gt;</c> gets the path base, from which the app builds its API, hub and
/// sign-in URLs and its router's basename.
/// </summary>
public static partial class AppPage
{
    /// <summary>The page for <paramref name="pathBase"/>; null when it has no base-path meta tag (an outdated build).</summary>
    public static string? Render(string html, PathString pathBase)
    {
        if (!BasePathMeta().IsMatch(html))
        {
            return null;
        }

        var prefix = HtmlEncoder.Default.Encode(pathBase.ToUriComponent());
        var rendered = RelativeLink().Replace(html, match => match.Groups["attr"].Value + prefix + "/");
        return BasePathMeta().Replace(rendered, match => match.Groups["open"].Value + prefix + "\"", 1);
    }

    [GeneratedRegex("(?<attr>\\s(?:src|href)=\")\\./", RegexOptions.CultureInvariant)]
    private static partial Regex RelativeLink();

    [GeneratedRegex("(?<open><meta\\s+name=\"base-path\"\\s+content=\")[^\"]*\"", RegexOptions.CultureInvariant)]
    private static partial Regex BasePathMeta();
}
