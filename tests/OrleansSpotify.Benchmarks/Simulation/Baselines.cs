using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using OrleansSpotify.FakeSpotify;

namespace OrleansSpotify.Benchmarks.Simulation;

/// <summary>
/// A baseline tracker for one member: a loop in the benchmark process that calls the fake Spotify over HTTP when it is
/// due on the simulated clock (the driver calls <see cref="StepAsync"/> at <see cref="NextDue"/>). It signs in with its
/// own fake user (the same scripted week), refreshes its token on a 401 and counts nothing itself: the fake's request
/// log, keyed by user, counts every call.
/// </summary>
public abstract class BaselinePoller(int member, string userId, HttpClient http, FakeSpotifyServer spotify)
{
    private string _accessToken = "";
    private string _refreshToken = "";

    public int Member { get; } = member;

    public string UserId { get; } = userId;

    public DateTimeOffset NextDue { get; protected set; }

    public List<RecordedPlay> Recorded { get; } = [];

    /// <summary>When the tracker showed a new item playing (null for a tracker without a live view).</summary>
    public List<Sighting>? Sightings { get; protected init; }

    public void SignIn(DateTimeOffset now)
    {
        var grant = spotify.IssueGrant(UserId);
        _accessToken = grant.AccessToken;
        _refreshToken = grant.RefreshToken;
        NextDue = now;
    }

    /// <summary>The tracker is down until <paramref name="until"/>: no poll before then.</summary>
    public void Defer(DateTimeOffset until)
    {
        if (NextDue < until)
        {
            NextDue = until;
        }
    }

    /// <summary>One poll at <paramref name="now"/>; sets <see cref="NextDue"/>.</summary>
    public abstract Task StepAsync(DateTimeOffset now);

    /// <summary>A GET of the Web API; the body is null for 204 and errors (then the status says which).</summary>
    protected async Task<(HttpStatusCode Status, JsonDocument? Body)> GetAsync(string path)
    {
        for (var attempt = 0; ; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(spotify.ApiBaseUrl, path));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _accessToken);
            using var response = await http.SendAsync(request);
            if (response.StatusCode == HttpStatusCode.Unauthorized && attempt == 0)
            {
                await RefreshAsync();
                continue;
            }

            if (response.StatusCode != HttpStatusCode.OK)
            {
                return (response.StatusCode, null);
            }

            return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStreamAsync()));
        }
    }

    private async Task RefreshAsync()
    {
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = _refreshToken,
            ["client_id"] = spotify.Options.ClientId,
        });
        using var response = await http.PostAsync(new Uri(spotify.AccountsBaseUrl, "api/token"), form);
        response.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStreamAsync());
        _accessToken = body.RootElement.GetProperty("access_token").GetString()!;
        if (body.RootElement.TryGetProperty("refresh_token", out var refresh))
        {
            _refreshToken = refresh.GetString()!;
        }
    }

    /// <summary>The item's URI as the scorer knows it (tracks, local files and episodes), or null for no item.</summary>
    protected static string? ItemUri(JsonElement root) =>
        root.TryGetProperty("item", out var item) && item.ValueKind == JsonValueKind.Object && item.TryGetProperty("uri", out var uri)
            ? uri.GetString()
            : null;

    protected static string? ItemId(JsonElement root) =>
        root.TryGetProperty("item", out var item) && item.ValueKind == JsonValueKind.Object
            && item.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String
            ? id.GetString()
            : null;

    protected static bool IsPlaying(JsonElement root) => root.TryGetProperty("is_playing", out var playing) && playing.GetBoolean();

    protected static long Long(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? (long)value.GetDouble() : 0;
}

/// <summary>
/// The single-user script this project grew from: currently-playing every 5 s; a play is stored when the track id
/// differs from the last stored one (so a repeat of the same track is lost), stamped with the time it was first seen;
/// idle polls back off (5 s for the first minute, then 15 s, then 60 s after five idle minutes); 30 s after an error.
/// Items without an id (local files, episodes without <c>additional_types</c>) are never stored.
/// </summary>
public sealed class ClassicScript : BaselinePoller
{
    private string? _lastStoredId;
    private string? _shown;
    private int _idleCount;

    public ClassicScript(int member, string userId, HttpClient http, FakeSpotifyServer spotify)
        : base(member, userId, http, spotify) => Sightings = [];

    public override async Task StepAsync(DateTimeOffset now)
    {
        var (status, body) = await GetAsync("me/player/currently-playing");
        using (body)
        {
            if (status is not (HttpStatusCode.OK or HttpStatusCode.NoContent))
            {
                NextDue = now + TimeSpan.FromSeconds(30);
                return;
            }

            var playing = body is not null && IsPlaying(body.RootElement) && ItemUri(body.RootElement) is not null;
            if (!playing)
            {
                _shown = null;
                _idleCount++;
                NextDue = now + (_idleCount < 12 ? TimeSpan.FromSeconds(5) : _idleCount < 60 ? TimeSpan.FromSeconds(15) : TimeSpan.FromSeconds(60));
                return;
            }

            _idleCount = 0;
            var root = body!.RootElement;
            var uri = ItemUri(root)!;
            if (uri != _shown)
            {
                _shown = uri;
                Sightings!.Add(new Sighting(Member, uri, now));
            }

            if (ItemId(root) is { } id && id != _lastStoredId)
            {
                _lastStoredId = id;
                Recorded.Add(new RecordedPlay(Member, uri, now));
            }

            NextDue = now + TimeSpan.FromSeconds(5);
        }
    }
}

/// <summary>
/// Your Spotify: recently-played (limit 50) every 120 s, each item stored once (deduplicated by <c>played_at</c>),
/// stamped with its <c>played_at</c>. No live view.
/// </summary>
public sealed class YourSpotify(int member, string userId, HttpClient http, FakeSpotifyServer spotify)
    : BaselinePoller(member, userId, http, spotify)
{
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

    public override async Task StepAsync(DateTimeOffset now)
    {
        NextDue = now + TimeSpan.FromSeconds(120);
        var (_, body) = await GetAsync("me/player/recently-played?limit=50");
        using (body)
        {
            if (body is null)
            {
                return;
            }

            foreach (var item in body.RootElement.GetProperty("items").EnumerateArray())
            {
                var playedAt = item.GetProperty("played_at").GetString()!;
                if (_seen.Add(playedAt))
                {
                    Recorded.Add(new RecordedPlay(Member, item.GetProperty("track").GetProperty("uri").GetString()!, DateTimeOffset.Parse(playedAt, System.Globalization.CultureInfo.InvariantCulture)));
                }
            }
        }
    }
}

/// <summary>
/// multi-scrobbler's Spotify source (FoxxMD/multi-scrobbler <c>src/backend/sources/SpotifySource.ts</c>): polls the
/// playback state (<c>GET /me/player</c>, which it prefers when the scope allows) every 10 s (<c>DEFAULT_POLLING_INTERVAL</c>),
/// 30 s while nothing plays; ignores private sessions (<c>device.is_private_session</c>); asks no <c>additional_types</c>,
/// so episodes come without an item. A play is scrobbled when the player moves to another item (or stops) and the
/// listened time passed its threshold: 50 % of the duration or 240 s (<c>DEFAULT_SCROBBLE_PERCENT_THRESHOLD</c>,
/// <c>DEFAULT_SCROBBLE_DURATION_THRESHOLD</c>, the Last.fm rule), stamped with the time the play ended (it marks its
/// timestamp <c>SCROBBLE_TS_SOC_END</c>). The same track played again in a row stays one play (issue #691).
/// </summary>
public sealed class MultiScrobbler : BaselinePoller
{
    private string? _current;
    private long _durationMs;
    private long _lastProgress;
    private DateTimeOffset _lastPoll;
    private bool _lastPlaying;
    private long _listenedMs;

    public MultiScrobbler(int member, string userId, HttpClient http, FakeSpotifyServer spotify)
        : base(member, userId, http, spotify) => Sightings = [];

    public override async Task StepAsync(DateTimeOffset now)
    {
        var (status, body) = await GetAsync("me/player");
        using (body)
        {
            string? uri = null;
            var playing = false;
            long progress = 0;
            long duration = 0;
            if (body is { } document
                && !(document.RootElement.TryGetProperty("device", out var device) && device.GetProperty("is_private_session").GetBoolean()))
            {
                uri = ItemUri(document.RootElement);
                playing = IsPlaying(document.RootElement);
                progress = Long(document.RootElement, "progress_ms");
                duration = uri is null ? 0 : Long(document.RootElement.GetProperty("item"), "duration_ms");
            }

            if (status is not (HttpStatusCode.OK or HttpStatusCode.NoContent))
            {
                NextDue = now + TimeSpan.FromSeconds(30);
                return;
            }

            if (uri != _current)
            {
                Finish(now);
                _current = uri;
                _durationMs = duration;
                _listenedMs = 0;
                _lastProgress = progress;
                if (uri is not null && playing)
                {
                    Sightings!.Add(new Sighting(Member, uri, now));
                }
            }
            else if (uri is not null)
            {
                // Listened time grows with the progress, as far as the wall time since the last poll allows (seeks count no more).
                var advanced = progress - _lastProgress;
                var wall = (long)(now - _lastPoll).TotalMilliseconds;
                if (_lastPlaying && advanced > 0)
                {
                    _listenedMs += Math.Min(advanced, wall);
                }

                _lastProgress = progress;
            }

            _lastPoll = now;
            _lastPlaying = playing;
            NextDue = now + (uri is not null && playing ? TimeSpan.FromSeconds(10) : TimeSpan.FromSeconds(30));
        }
    }

    private void Finish(DateTimeOffset now)
    {
        if (_current is null || _durationMs <= 0)
        {
            return;
        }

        if (_listenedMs >= Math.Min(240_000, _durationMs / 2))
        {
            Recorded.Add(new RecordedPlay(Member, _current, now));
        }
    }
}
