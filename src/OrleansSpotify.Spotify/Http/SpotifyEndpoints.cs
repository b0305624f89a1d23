namespace OrleansSpotify.Spotify.Http;

/// <summary>The names calls are counted under: one per Web API endpoint we use, plus the token endpoint (not Web API quota).</summary>
public static class SpotifyEndpoints
{
    public const string Me = "me";
    public const string CurrentlyPlaying = "currently-playing";
    public const string Player = "player";
    public const string RecentlyPlayed = "recently-played";
    public const string Artists = "artists";
    public const string Tracks = "tracks";
    public const string Search = "search";
    public const string Other = "other";

    /// <summary>accounts.spotify.com's <c>/api/token</c> (sign-in exchanges and refreshes): counted apart, not against the budget.</summary>
    public const string Token = "token";

    /// <summary>Every endpoint name, in the order the usage lists them.</summary>
    public static IReadOnlyList<string> All { get; } = [Me, CurrentlyPlaying, Player, RecentlyPlayed, Artists, Tracks, Search, Other, Token];

    /// <summary>True for the Web API endpoints (everything but <see cref="Token"/>): what Spotify's quota counts.</summary>
    public static bool CountsAgainstQuota(string endpoint) => endpoint != Token;

    /// <summary>
    /// The endpoint of a Web API request from its path (whatever the base URL's prefix, e.g. <c>/v1/</c>):
    /// <c>…/me</c>, <c>…/me/player</c>, <c>…/me/player/currently-playing</c>, <c>…/me/player/recently-played</c>,
    /// <c>…/artists/{id}</c>, <c>…/tracks/{id}</c> (or <c>…/tracks</c>), <c>…/search</c>; anything else is <see cref="Other"/>.
    /// </summary>
    public static string Classify(Uri? uri)
    {
        if (uri is null)
        {
            return Other;
        }

        var path = (uri.IsAbsoluteUri ? uri.AbsolutePath : uri.OriginalString.Split('?', 2)[0]).TrimEnd('/');
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return segments switch
        {
            [.., "me"] => Me,
            [.., "me", "player"] => Player,
            [.., "me", "player", "currently-playing"] => CurrentlyPlaying,
            [.., "me", "player", "recently-played"] => RecentlyPlayed,
            [.., "artists", _] => Artists,
            [.., "tracks", _] or [.., "tracks"] => Tracks,
            [.., "search"] => Search,
            _ => Other,
        };
    }
}
