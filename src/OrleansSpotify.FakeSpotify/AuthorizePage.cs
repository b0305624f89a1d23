using System.Net;
using System.Text;

namespace OrleansSpotify.FakeSpotify;

/// <summary>The HTML of the fake accounts service: the "sign in as" chooser (demo mode) and error pages.</summary>
internal static class AuthorizePage
{
    private const string Style = """
        body{font-family:system-ui,sans-serif;background:#121212;color:#fff;display:flex;justify-content:center;padding:48px 16px}
        main{max-width:420px;width:100%}h1{font-size:28px}p{color:#b3b3b3}
        a.user{display:block;margin:12px 0;padding:14px 20px;border-radius:500px;background:#1ed760;color:#000;font-weight:700;text-align:center;text-decoration:none}
        a.cancel{display:block;margin-top:24px;color:#b3b3b3;text-align:center}
        code{color:#1ed760}
        """;

    /// <param name="choices">Each user with the link that signs them in.</param>
    public static string Chooser(IEnumerable<(FakeUser User, string Href)> choices, string scope, string cancelHref)
    {
        var html = new StringBuilder();
        html.Append("<main><h1>Fake Spotify</h1><p>Pick the account to sign in with. The app asks for: <code>")
            .Append(Encode(scope.Length == 0 ? "(no scopes)" : scope))
            .Append("</code></p>");
        var any = false;
        foreach (var (user, href) in choices)
        {
            any = true;
            html.Append("<a class=\"user\" href=\"").Append(Encode(href)).Append("\">Sign in as ")
                .Append(Encode(user.DisplayName)).Append("</a>");
        }

        if (!any)
        {
            html.Append("<p>No users exist on this fake server yet.</p>");
        }

        html.Append("<a class=\"cancel\" href=\"").Append(Encode(cancelHref)).Append("\">Cancel</a></main>");
        return Document("Log in - Fake Spotify", html.ToString());
    }

    public static string Error(string message) =>
        Document("Error - Fake Spotify", $"<main><h1>Oops! Something went wrong.</h1><p>{Encode(message)}</p></main>");

    private static string Document(string title, string body) =>
        $"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{Encode(title)}</title><style>{Style}</style></head><body>{body}</body></html>";

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
