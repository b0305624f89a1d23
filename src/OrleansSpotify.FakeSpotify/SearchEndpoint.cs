using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace OrleansSpotify.FakeSpotify;

/// <summary>
/// <c>GET /v1/search</c> over the tracks the catalog endpoints serve, with a Dev Mode app's limits since February 2026
/// (<c>limit</c> 0–10, default 5; <c>offset</c> at most 1000; SPOTIFY.md §6.6). <c>q</c> holds free words and the field
/// filters <c>track:</c>, <c>artist:</c>, <c>album:</c>, <c>isrc:</c> and <c>year:</c> (a value in double quotes may hold
/// spaces); a track matches when every word is in its name, an artist's name or its album's name, and every filter in
/// its field (case and diacritics ignored). Other types asked for (<c>album</c>, <c>artist</c> …) come back as empty
/// pages: this catalog is searched for tracks only. Bad parameters are 400s with Spotify's messages.
/// </summary>
internal sealed class SearchEndpoint(FakeSpotifyState state, ApiAuthenticator authenticator)
{
    public const int MaxLimit = 10;
    public const int DefaultLimit = 5;
    public const int MaxOffset = 1000;

    private static readonly string[] Types = ["album", "artist", "playlist", "track", "show", "episode", "audiobook"];

    public async Task SearchAsync(HttpContext context)
    {
        if (await authenticator.AuthenticateAsync(context, []) is null)
        {
            return;
        }

        var query = context.Request.Query;
        var q = query["q"].ToString();
        if (string.IsNullOrWhiteSpace(q))
        {
            await SpotifyResponses.ApiErrorAsync(context, StatusCodes.Status400BadRequest, SpotifyMessages.NoSearchQuery);
            return;
        }

        var typeText = query["type"].ToString();
        if (string.IsNullOrEmpty(typeText))
        {
            await SpotifyResponses.ApiErrorAsync(context, StatusCodes.Status400BadRequest, SpotifyMessages.MissingSearchType);
            return;
        }

        var types = typeText.Split(',');
        if (types.Any(t => !Types.Contains(t, StringComparer.Ordinal)))
        {
            await SpotifyResponses.ApiErrorAsync(context, StatusCodes.Status400BadRequest, SpotifyMessages.BadSearchType);
            return;
        }

        if (!TryRead(query["limit"].ToString(), DefaultLimit, MaxLimit, out var limit))
        {
            await SpotifyResponses.ApiErrorAsync(context, StatusCodes.Status400BadRequest, SpotifyMessages.InvalidLimit);
            return;
        }

        if (!TryRead(query["offset"].ToString(), 0, MaxOffset, out var offset))
        {
            await SpotifyResponses.ApiErrorAsync(context, StatusCodes.Status400BadRequest, SpotifyMessages.InvalidOffset);
            return;
        }

        var filter = Parse(q);
        var body = new JsonObject();
        foreach (var type in types.Distinct(StringComparer.Ordinal))
        {
            var matches = type == "track" ? [.. state.AllTracks().Where(filter.Matches)] : new List<FakeTrack>();
            body[type + "s"] = Page(context, matches, type, limit, offset);
        }

        await SpotifyResponses.JsonAsync(context, StatusCodes.Status200OK, body);
    }

    /// <summary>A paging object: <c>href</c>, <c>limit</c>, <c>next</c>, <c>offset</c>, <c>previous</c>, <c>total</c>, <c>items</c>.</summary>
    private JsonObject Page(HttpContext context, List<FakeTrack> matches, string type, int limit, int offset)
    {
        var items = matches.Skip(offset).Take(limit).Select(t => (JsonNode?)state.Json.Track(t)).ToArray();
        string Link(int at) => state.ApiBaseUri + "search?" + string.Create(CultureInfo.InvariantCulture,
            $"query={Uri.EscapeDataString(context.Request.Query["q"].ToString())}&type={type}&offset={at}&limit={limit}");
        return new JsonObject
        {
            ["href"] = Link(offset),
            ["limit"] = limit,
            ["next"] = limit > 0 && offset + limit < matches.Count ? Link(offset + limit) : null,
            ["offset"] = offset,
            ["previous"] = offset > 0 && limit > 0 ? Link(Math.Max(0, offset - limit)) : null,
            ["total"] = matches.Count,
            ["items"] = new JsonArray(items),
        };
    }

    private static bool TryRead(string text, int fallback, int max, out int value)
    {
        if (string.IsNullOrEmpty(text))
        {
            value = fallback;
            return true;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value <= max;
    }

    /// <summary>Splits <c>q</c> into free words and field filters; a quoted value may hold spaces.</summary>
    internal static SearchFilter Parse(string q)
    {
        var terms = new List<(string? Field, string Value)>();
        var i = 0;
        while (i < q.Length)
        {
            while (i < q.Length && char.IsWhiteSpace(q[i]))
            {
                i++;
            }

            if (i == q.Length)
            {
                break;
            }

            string? field = null;
            var colon = q.IndexOf(':', i);
            var space = IndexOfSpace(q, i);
            if (colon > i && colon < space && q[i] != '"')
            {
                field = q[i..colon].ToLowerInvariant();
                i = colon + 1;
            }

            string value;
            if (i < q.Length && q[i] == '"')
            {
                var close = q.IndexOf('"', i + 1);
                var end = close < 0 ? q.Length : close;
                value = q[(i + 1)..end];
                i = close < 0 ? q.Length : close + 1;
            }
            else
            {
                var end = IndexOfSpace(q, i);
                value = q[i..end];
                i = end;
            }

            if (value.Length > 0)
            {
                terms.Add((field, value));
            }
        }

        return new SearchFilter(terms);
    }

    private static int IndexOfSpace(string text, int from)
    {
        for (var i = from; i < text.Length; i++)
        {
            if (char.IsWhiteSpace(text[i]))
            {
                return i;
            }
        }

        return text.Length;
    }

    /// <summary>Lower case without diacritics: how the fake compares names.</summary>
    internal static string Fold(string text)
    {
        var decomposed = text.Normalize(NormalizationForm.FormKD);
        var folded = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
            {
                folded.Append(char.ToLowerInvariant(c));
            }
        }

        return folded.ToString();
    }

    internal sealed class SearchFilter(IReadOnlyList<(string? Field, string Value)> terms)
    {
        private readonly List<(string? Field, string Value)> _terms = [.. terms.Select(t => (t.Field, Fold(t.Value)))];

        public bool Matches(FakeTrack track)
        {
            var name = Fold(track.Name);
            var artists = track.Artists.Select(a => Fold(a.Name)).ToList();
            var album = Fold(track.Album.Name);
            foreach (var (field, value) in _terms)
            {
                var ok = field switch
                {
                    "track" => name.Contains(value, StringComparison.Ordinal),
                    "artist" => artists.Any(a => a.Contains(value, StringComparison.Ordinal)),
                    "album" => album.Contains(value, StringComparison.Ordinal),
                    "isrc" => string.Equals(track.Isrc, value, StringComparison.OrdinalIgnoreCase),
                    "year" => track.Album.ReleaseDate.StartsWith(value, StringComparison.Ordinal),
                    null => name.Contains(value, StringComparison.Ordinal) || album.Contains(value, StringComparison.Ordinal)
                        || artists.Any(a => a.Contains(value, StringComparison.Ordinal)),
                    _ => true,
                };
                if (!ok)
                {
                    return false;
                }
            }

            return true;
        }
    }
}
