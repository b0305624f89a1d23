using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace OrleansSpotify.FakeSpotify;

/// <summary>
/// Spotify's object shapes as a Development Mode app sees them after February 2026: no <c>popularity</c>,
/// <c>available_markets</c>, <c>linked_from</c>, <c>album_group</c>, <c>label</c> or artist <c>followers</c>;
/// <c>external_ids.isrc</c> kept (SPOTIFY.md §8).
/// </summary>
internal sealed class SpotifyJson(FakeSpotifyState state)
{
    private const string OpenSpotify = "https://open.spotify.com/";
    private const string ImageHost = "https://i.scdn.co/image/";

    private static readonly (string Prefix, int Size)[] AlbumImageSizes =
        [("ab67616d0000b273", 640), ("ab67616d00001e02", 300), ("ab67616d00004851", 64)];

    private static readonly (string Prefix, int Size)[] ArtistImageSizes =
        [("ab6761610000e5eb", 640), ("ab67616100005174", 320), ("ab6761610000f178", 160)];

    private static readonly (string Prefix, int Size)[] ShowImageSizes =
        [("ab6765630000ba8a", 640), ("ab67656300005f1f", 300), ("ab6765630000f68d", 64)];

    /// <summary>ISO-8601 UTC with milliseconds, as in <c>played_at</c>: <c>2026-11-25T10:15:30.123Z</c>.</summary>
    public static string Timestamp(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public JsonObject User(FakeUser user)
    {
        var json = new JsonObject
        {
            ["display_name"] = user.DisplayName,
            ["external_urls"] = ExternalUrls("user/" + user.Id),
            ["href"] = Href("users/" + user.Id),
            ["id"] = user.Id,
            ["images"] = new JsonArray(),
            ["type"] = "user",
            ["uri"] = user.Uri,
        };
        if (user.AccountId is not null)
        {
            json["account_id"] = user.AccountId;
        }

        return json;
    }

    public JsonObject Track(FakeTrack track) => new()
    {
        ["album"] = SimplifiedAlbum(track.Album),
        ["artists"] = Array(track.Artists, SimplifiedArtist),
        ["disc_number"] = Integer(track.DiscNumber),
        ["duration_ms"] = Integer(Milliseconds(track.Duration)),
        ["explicit"] = track.Explicit,
        ["external_ids"] = track.Isrc is null ? new JsonObject() : new JsonObject { ["isrc"] = track.Isrc },
        ["external_urls"] = ExternalUrls("track/" + track.Id),
        ["href"] = Href("tracks/" + track.Id),
        ["id"] = track.Id,
        ["is_local"] = false,
        ["name"] = track.Name,
        ["preview_url"] = null,
        ["track_number"] = Integer(track.TrackNumber),
        ["type"] = "track",
        ["uri"] = track.Uri,
    };

    /// <summary>A local file (tekore #200 capture, Dev Mode fields removed): every id, href and album URI is null.</summary>
    public JsonObject LocalTrack(FakeLocalTrack track) => new()
    {
        ["album"] = new JsonObject
        {
            ["album_type"] = null,
            ["artists"] = new JsonArray(),
            ["external_urls"] = new JsonObject(),
            ["href"] = null,
            ["id"] = null,
            ["images"] = new JsonArray(),
            ["name"] = track.AlbumName,
            ["release_date"] = null,
            ["release_date_precision"] = null,
            ["type"] = "album",
            ["uri"] = null,
        },
        ["artists"] = new JsonArray(new JsonObject
        {
            ["external_urls"] = new JsonObject(),
            ["href"] = null,
            ["id"] = null,
            ["name"] = track.ArtistName,
            ["type"] = "artist",
            ["uri"] = null,
        }),
        ["disc_number"] = Integer(0),
        ["duration_ms"] = Integer(Milliseconds(track.Duration)),
        ["explicit"] = false,
        ["external_ids"] = new JsonObject(),
        ["external_urls"] = new JsonObject(),
        ["href"] = null,
        ["id"] = null,
        ["is_local"] = true,
        ["name"] = track.Name,
        ["preview_url"] = null,
        ["track_number"] = Integer(0),
        ["type"] = "track",
        ["uri"] = track.Uri,
    };

    public JsonObject Episode(FakeEpisode episode)
    {
        var description = $"In this episode of {episode.ShowName}: {episode.Name}.";
        return new JsonObject
        {
            ["audio_preview_url"] = null,
            ["description"] = description,
            ["duration_ms"] = Integer(Milliseconds(episode.Duration)),
            ["explicit"] = false,
            ["external_urls"] = ExternalUrls("episode/" + episode.Id),
            ["href"] = Href("episodes/" + episode.Id),
            ["html_description"] = $"<p>{System.Net.WebUtility.HtmlEncode(description)}</p>",
            ["id"] = episode.Id,
            ["images"] = Images(ShowImageSizes, episode.ShowId),
            ["is_externally_hosted"] = false,
            ["is_playable"] = true,
            ["language"] = "en",
            ["languages"] = new JsonArray("en"),
            ["name"] = episode.Name,
            ["release_date"] = EpisodeReleaseDate(episode.Id),
            ["release_date_precision"] = "day",
            ["show"] = new JsonObject
            {
                ["copyrights"] = new JsonArray(),
                ["description"] = $"{episode.ShowName}, a podcast.",
                ["explicit"] = false,
                ["external_urls"] = ExternalUrls("show/" + episode.ShowId),
                ["href"] = Href("shows/" + episode.ShowId),
                ["html_description"] = $"<p>{System.Net.WebUtility.HtmlEncode(episode.ShowName)}, a podcast.</p>",
                ["id"] = episode.ShowId,
                ["images"] = Images(ShowImageSizes, episode.ShowId),
                ["is_externally_hosted"] = false,
                ["languages"] = new JsonArray("en"),
                ["media_type"] = "audio",
                ["name"] = episode.ShowName,
                ["total_episodes"] = Integer(100),
                ["type"] = "show",
                ["uri"] = episode.ShowUri,
            },
            ["type"] = "episode",
            ["uri"] = episode.Uri,
        };
    }

    /// <summary>The full artist object of <c>GET /v1/artists/{id}</c> (no followers or popularity in Dev Mode).</summary>
    public JsonObject Artist(FakeArtist artist, IReadOnlyList<string> genres)
    {
        var json = new JsonObject
        {
            ["external_urls"] = ExternalUrls("artist/" + artist.Id),
            ["genres"] = new JsonArray([.. genres.Select(static g => (JsonNode?)g)]),
            ["href"] = Href("artists/" + artist.Id),
            ["id"] = artist.Id,
            ["images"] = Images(ArtistImageSizes, artist.Id),
            ["name"] = artist.Name,
            ["type"] = "artist",
            ["uri"] = artist.Uri,
        };
        if (state.Options.OmitArtistGenres)
        {
            json.Remove("genres");
        }

        return json;
    }

    public JsonObject SimplifiedArtist(FakeArtist artist) => new()
    {
        ["external_urls"] = ExternalUrls("artist/" + artist.Id),
        ["href"] = Href("artists/" + artist.Id),
        ["id"] = artist.Id,
        ["name"] = artist.Name,
        ["type"] = "artist",
        ["uri"] = artist.Uri,
    };

    public JsonObject SimplifiedAlbum(FakeAlbum album) => new()
    {
        ["album_type"] = album.AlbumType,
        ["artists"] = Array(album.Artists, SimplifiedArtist),
        ["external_urls"] = ExternalUrls("album/" + album.Id),
        ["href"] = Href("albums/" + album.Id),
        ["id"] = album.Id,
        ["images"] = Images(AlbumImageSizes, album.Id),
        ["name"] = album.Name,
        ["release_date"] = album.ReleaseDate,
        ["release_date_precision"] = album.ReleaseDate.Length switch
        {
            4 => "year",
            7 => "month",
            _ => "day",
        },
        ["total_tracks"] = Integer(album.TotalTracks),
        ["type"] = "album",
        ["uri"] = album.Uri,
    };

    /// <summary>
    /// A ContextObject for a <c>spotify:album|playlist|artist|show:ID</c> URI, or Liked Songs'
    /// <c>spotify:user:ID:collection</c>; null for a null URI.
    /// </summary>
    public JsonObject? Context(string? uri)
    {
        if (uri is null)
        {
            return null;
        }

        var parts = uri.Split(':');
        if (parts is ["spotify", "user", _, "collection"])
        {
            return ContextObject("collection", Href("me/tracks"), ExternalUrls("collection/tracks"), uri);
        }

        if (parts is ["spotify", var type and ("album" or "playlist" or "artist" or "show"), var id])
        {
            return ContextObject(type, Href($"{type}s/{id}"), ExternalUrls($"{type}/{id}"), uri);
        }

        return ContextObject(parts.Length > 1 ? parts[1] : "unknown", null, new JsonObject(), uri);
    }

    /// <summary>An integer, written as <c>x.0</c> when <see cref="FakeSpotifyOptions.FloatNumbers"/> is on.</summary>
    public JsonNode Integer(long value) =>
        state.Options.FloatNumbers ? JsonValue.Create(decimal.Add(value, 0.0m)) : JsonValue.Create(value);

    private static long Milliseconds(TimeSpan duration) => (long)duration.TotalMilliseconds;

    private static JsonObject ContextObject(string type, string? href, JsonObject externalUrls, string uri) => new()
    {
        ["type"] = type,
        ["href"] = href,
        ["external_urls"] = externalUrls,
        ["uri"] = uri,
    };

    private static JsonArray Array<T>(IEnumerable<T> items, Func<T, JsonObject> map) =>
        new([.. items.Select(item => (JsonNode?)map(item))]);

    private static JsonObject ExternalUrls(string path) => new() { ["spotify"] = OpenSpotify + path };

    private static JsonArray Images((string Prefix, int Size)[] sizes, string id)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id)))[..24];
        return new JsonArray([.. sizes.Select(s => (JsonNode?)new JsonObject
        {
            ["height"] = s.Size,
            ["url"] = ImageHost + s.Prefix + hash,
            ["width"] = s.Size,
        })]);
    }

    private static string EpisodeReleaseDate(string id)
    {
        var days = SHA256.HashData(Encoding.UTF8.GetBytes(id))[0] + 30;
        return new DateOnly(2026, 10, 1).AddDays(-days).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    }

    private string Href(string path) => state.ApiBaseUri + path;
}
