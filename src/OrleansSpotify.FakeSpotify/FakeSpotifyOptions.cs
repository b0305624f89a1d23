using Microsoft.Extensions.Logging;

namespace OrleansSpotify.FakeSpotify;

/// <summary>How the fake Spotify behaves. Every property may be changed while the server runs.</summary>
public sealed class FakeSpotifyOptions
{
    /// <summary>The only client id the accounts service accepts.</summary>
    public string ClientId { get; set; } = "fake-client-id";

    /// <summary>
    /// When set, the token endpoint accepts <c>Authorization: Basic base64(id:secret)</c> (a confidential client).
    /// PKCE public clients send <c>client_id</c> and <c>code_verifier</c> in the body instead.
    /// </summary>
    public string? ClientSecret { get; set; }

    /// <summary>
    /// Whether a refresh of a non-PKCE (confidential) grant returns a new <c>refresh_token</c>
    /// (the old one is then revoked). When false the response has no <c>refresh_token</c> and the old one stays valid.
    /// </summary>
    public bool ConfidentialRefreshReturnsRefreshToken { get; set; }

    /// <summary>Access-token lifetime; <c>expires_in</c> is its whole seconds.</summary>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Hard expiry of every refresh token, counted from the user's authorization (refreshing does not extend it).</summary>
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(183);

    /// <summary>A play shows in recently-played only once its end plus this delay has passed.</summary>
    public TimeSpan RecentlyPlayedDelay { get; set; } = TimeSpan.Zero;

    /// <summary>
    /// SPOTIFY.md §9.9 quirk mode: a play enters recently-played only when it reached the track's end
    /// (short plays that reached the end are included, skips of 30 s or more are excluded).
    /// </summary>
    public bool ShortPlayQuirk { get; set; }

    /// <summary>Currently-playing answers 204 during a private session (older docs); otherwise 200 as usual.</summary>
    public bool PrivateSessionReturns204 { get; set; } = true;

    /// <summary>Registered redirect URIs; empty accepts any valid loopback-IP <c>http</c> or <c>https</c> URI.</summary>
    public IList<string> RegisteredRedirectUris { get; } = new List<string>();

    /// <summary>
    /// Demo switch: <c>/authorize</c> accepts any absolute <c>http</c>/<c>https</c> redirect URI (a LAN address, any
    /// port), ignoring Spotify's rules and <see cref="RegisteredRedirectUris"/>. Off by default: tests get Spotify's rules.
    /// </summary>
    public bool AllowAnyRedirectUri { get; set; }

    /// <summary>When set, <c>/authorize</c> signs this user in without showing a page (tests). Null shows a chooser page (demo).</summary>
    public string? AutoApproveUserId { get; set; }

    /// <summary>Numeric quirk (SPOTIFY.md §9.20): write <c>duration_ms</c>, <c>total_tracks</c>, <c>disc_number</c> and <c>track_number</c> as <c>x.0</c>.</summary>
    public bool FloatNumbers { get; set; }

    /// <summary>Future-removal mode (SPOTIFY.md §9.19): artist objects carry no <c>genres</c> field.</summary>
    public bool OmitArtistGenres { get; set; }

    /// <summary>
    /// Web API endpoints check the token's scopes: currently-playing needs <c>user-read-currently-playing</c> or
    /// <c>user-read-playback-state</c>, the playback state <c>user-read-playback-state</c> and recently-played
    /// <c>user-read-recently-played</c>. A missing scope answers 403 "Insufficient client scope".
    /// </summary>
    public bool EnforceScopes { get; set; } = true;

    /// <summary>
    /// When set, no 429 asks for a longer <c>Retry-After</c> than this (queued faults and the rate-limit window
    /// alike; the window itself is not shortened). A benchmark on a compressed clock keeps the client's waits short.
    /// </summary>
    public TimeSpan? MaxRetryAfter { get; set; }

    /// <summary>The request log keeps at most this many entries, dropping the oldest.</summary>
    public int MaxLoggedRequests { get; set; } = 10_000;

    /// <summary>Logging of the underlying ASP.NET Core host; by default it logs nothing.</summary>
    public Action<ILoggingBuilder>? ConfigureLogging { get; set; }
}
