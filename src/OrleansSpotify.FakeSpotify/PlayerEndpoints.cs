using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace OrleansSpotify.FakeSpotify;

/// <summary>
/// The player read endpoints (SPOTIFY.md §1–3, §9): currently-playing, playback state and recently-played,
/// all answered from the user's scripted timeline at the injected clock's now.
/// </summary>
internal sealed class PlayerEndpoints(FakeSpotifyState state, ApiAuthenticator authenticator)
{
    /// <summary>How many plays recently-played retains.</summary>
    public const int RetainedPlays = 50;

    private const int DefaultLimit = 20;

    private static readonly string[] CurrentlyPlayingScopes = ["user-read-currently-playing", "user-read-playback-state"];
    private static readonly string[] PlaybackStateScopes = ["user-read-playback-state"];
    private static readonly string[] RecentlyPlayedScopes = ["user-read-recently-played"];

    public static void Map(IEndpointRouteBuilder routes, FakeSpotifyState state, ApiAuthenticator authenticator)
    {
        var endpoints = new PlayerEndpoints(state, authenticator);
        routes.MapGet("/v1/me/player/currently-playing", endpoints.CurrentlyPlayingAsync)
            .WithMetadata(FakeRoute.Api("currently-playing", FakeEndpoint.CurrentlyPlaying));
        routes.MapGet("/v1/me/player", endpoints.PlaybackStateAsync)
            .WithMetadata(FakeRoute.Api("player", FakeEndpoint.Player));
        routes.MapGet("/v1/me/player/recently-played", endpoints.RecentlyPlayedAsync)
            .WithMetadata(FakeRoute.Api("recently-played", FakeEndpoint.RecentlyPlayed));
    }

    private async Task CurrentlyPlayingAsync(HttpContext context)
    {
        if (await authenticator.AuthenticateAsync(context, CurrentlyPlayingScopes) is not { } user)
        {
            return;
        }

        await AnswerPlaybackAsync(context, Playback(context, user, withDevice: false));
    }

    private async Task PlaybackStateAsync(HttpContext context)
    {
        if (await authenticator.AuthenticateAsync(context, PlaybackStateScopes) is not { } user)
        {
            return;
        }

        await AnswerPlaybackAsync(context, Playback(context, user, withDevice: true));
    }

    private static Task AnswerPlaybackAsync(HttpContext context, JsonObject? body)
    {
        if (body is null)
        {
            SpotifyResponses.NoContent(context);
            return Task.CompletedTask;
        }

        return SpotifyResponses.JsonAsync(context, StatusCodes.Status200OK, body);
    }

    /// <summary>The playback body, or null for a 204 (nothing playing, private session, intermittent 204).</summary>
    private JsonObject? Playback(HttpContext context, FakeUser user, bool withDevice)
    {
        var quirk = context.Items.TryGetValue(RequestPipeline.PlaybackQuirkKey, out var value) ? value as FakeFault? : null;
        var withEpisodes = context.Request.Query["additional_types"].ToString()
            .Split(',', StringSplitOptions.TrimEntries)
            .Contains("episode", StringComparer.OrdinalIgnoreCase);

        lock (state.Gate)
        {
            var now = state.Now;
            var play = user.PlayingAt(now);
            if (quirk == FakeFault.UnknownItemType)
            {
                return UnknownItem(user, play, now, withDevice);
            }

            if (play is null)
            {
                return null;
            }

            if (!withDevice && play.PrivateSession && state.Options.PrivateSessionReturns204)
            {
                return null;
            }

            if ((!withDevice || state.Faults.Intermittent204OnPlayer) && state.Faults.NextIntermittent204())
            {
                return null;
            }

            var (type, item) = play.Item switch
            {
                FakeTrack track => ("track", state.Json.Track(track)),
                FakeLocalTrack local => ("track", state.Json.LocalTrack(local)),
                FakeEpisode episode => ("episode", withEpisodes ? state.Json.Episode(episode) : null),
                FakeAd => ("ad", (JsonObject?)null),
                _ => ("unknown", null),
            };
            var (position, isPlaying) = play.ProgressAfter(now - play.StartedAt);
            long? progress = quirk == FakeFault.NullProgress ? null : (long)position.TotalMilliseconds;

            var body = withDevice ? DeviceFields(user, play) : new JsonObject();
            body["timestamp"] = play.StartedAt.ToUnixTimeMilliseconds();
            body["context"] = state.Json.Context(play.ContextUri);
            body["progress_ms"] = progress;
            body["item"] = item;
            body["currently_playing_type"] = type;
            body["actions"] = Actions();
            body["is_playing"] = isPlaying;
            return body;
        }
    }

    private JsonObject UnknownItem(FakeUser user, ScriptedPlay? play, DateTimeOffset now, bool withDevice)
    {
        var body = withDevice && play is not null ? DeviceFields(user, play) : new JsonObject();
        body["timestamp"] = (play?.StartedAt ?? now).ToUnixTimeMilliseconds();
        body["context"] = state.Json.Context(play?.ContextUri);
        body["progress_ms"] = play is null ? 0 : (long)(now - play.StartedAt).TotalMilliseconds;
        body["item"] = null;
        body["currently_playing_type"] = "unknown";
        body["actions"] = Actions();
        body["is_playing"] = true;
        return body;
    }

    /// <summary>The fields <c>GET /me/player</c> adds: device, shuffle and repeat state.</summary>
    private static JsonObject DeviceFields(FakeUser user, ScriptedPlay play) => new()
    {
        ["device"] = new JsonObject
        {
            ["id"] = Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes("device:" + user.Id))),
            ["is_active"] = true,
            ["is_private_session"] = play.PrivateSession,
            ["is_restricted"] = false,
            ["name"] = user.DisplayName + "'s MacBook Pro",
            ["type"] = "Computer",
            ["volume_percent"] = 64,
            ["supports_volume"] = true,
        },
        ["shuffle_state"] = false,
        ["smart_shuffle"] = false,
        ["repeat_state"] = user.IsRepeatOfPrevious(play) ? "track" : "off",
    };

    private static JsonObject Actions() => new() { ["disallows"] = new JsonObject { ["resuming"] = true } };

    private async Task RecentlyPlayedAsync(HttpContext context)
    {
        if (await authenticator.AuthenticateAsync(context, RecentlyPlayedScopes) is not { } user)
        {
            return;
        }

        var query = context.Request.Query;
        var limit = DefaultLimit;
        if (query.ContainsKey("limit")
            && (!int.TryParse(query["limit"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out limit)
                || limit is < 1 or > RetainedPlays))
        {
            await SpotifyResponses.ApiErrorAsync(context, StatusCodes.Status400BadRequest, SpotifyMessages.InvalidLimit);
            return;
        }

        if (query.ContainsKey("after") && query.ContainsKey("before"))
        {
            await SpotifyResponses.ApiErrorAsync(context, StatusCodes.Status400BadRequest, "Only one of 'after' or 'before' can be specified");
            return;
        }

        if (!TryCursor(query, "after", out var after) || !TryCursor(query, "before", out var before))
        {
            await SpotifyResponses.ApiErrorAsync(context, StatusCodes.Status400BadRequest, "Invalid cursor: 'after' and 'before' are unix milliseconds");
            return;
        }

        JsonObject body;
        lock (state.Gate)
        {
            var retained = user.VisibleHistory(state.Now, RetainedPlays);
            body = RecentlyPlayedPage(retained, limit, after, before);
        }

        await SpotifyResponses.JsonAsync(context, StatusCodes.Status200OK, body);
    }

    /// <summary>
    /// One page of the retained history (newest first). <c>before</c> pages back in time from the newest play
    /// older than the cursor; <c>after</c> pages forward, taking the oldest plays newer than the cursor.
    /// </summary>
    private JsonObject RecentlyPlayedPage(List<ScriptedPlay> retained, int limit, long? after, long? before)
    {
        static long PlayedAt(ScriptedPlay play) => play.EndedAt.ToUnixTimeMilliseconds();

        List<ScriptedPlay> candidates;
        List<ScriptedPlay> page;
        if (after is { } afterMs)
        {
            candidates = [.. retained.Where(p => PlayedAt(p) > afterMs)];
            page = candidates[Math.Max(0, candidates.Count - limit)..];
        }
        else
        {
            candidates = before is { } beforeMs ? [.. retained.Where(p => PlayedAt(p) < beforeMs)] : retained;
            page = candidates[..Math.Min(limit, candidates.Count)];
        }

        var href = PageUri(limit, after, before);
        if (page.Count == 0)
        {
            return new JsonObject
            {
                ["items"] = new JsonArray(),
                ["next"] = null,
                ["cursors"] = null,
                ["limit"] = limit,
                ["href"] = href,
            };
        }

        var newest = PlayedAt(page[0]);
        var oldest = PlayedAt(page[^1]);
        string? next = null;
        if (candidates.Count > page.Count)
        {
            next = after is null ? PageUri(limit, null, oldest) : PageUri(limit, newest, null);
        }

        return new JsonObject
        {
            ["items"] = new JsonArray([.. page.Select(play => (JsonNode?)new JsonObject
            {
                ["track"] = state.Json.Track((FakeTrack)play.Item),
                ["played_at"] = SpotifyJson.Timestamp(play.EndedAt),
                ["context"] = state.Json.Context(play.ContextUri),
            })]),
            ["next"] = next,
            ["cursors"] = new JsonObject
            {
                ["after"] = newest.ToString(CultureInfo.InvariantCulture),
                ["before"] = oldest.ToString(CultureInfo.InvariantCulture),
            },
            ["limit"] = limit,
            ["href"] = href,
        };
    }

    private string PageUri(int limit, long? after, long? before)
    {
        var cursor = (after, before) switch
        {
            ({ } a, _) => string.Create(CultureInfo.InvariantCulture, $"after={a}&"),
            (_, { } b) => string.Create(CultureInfo.InvariantCulture, $"before={b}&"),
            _ => "",
        };
        return string.Create(CultureInfo.InvariantCulture, $"{state.ApiBaseUri}me/player/recently-played?{cursor}limit={limit}");
    }

    private static bool TryCursor(IQueryCollection query, string name, out long? cursor)
    {
        cursor = null;
        if (!query.ContainsKey(name))
        {
            return true;
        }

        if (!long.TryParse(query[name].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            return false;
        }

        cursor = value;
        return true;
    }
}
