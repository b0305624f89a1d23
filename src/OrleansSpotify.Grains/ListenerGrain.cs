using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansSpotify.Abstractions;
using OrleansSpotify.Spotify;
using OrleansSpotify.Spotify.Models;
using OrleansSpotify.Storage;

namespace OrleansSpotify.Grains;

/// <summary>
/// Polls one account. A grain timer drives the fast cadence (currently-playing every few seconds while
/// something plays, backing off while idle); recently-played is re-read when the track changes, when
/// playback stops, and periodically, and its plays go to the <see cref="IStorageGrain"/>. The cursor
/// advances only after the storage grain has committed them. A reminder is the watchdog that reactivates
/// the listener after a deactivation or a crash. Every change of what the account plays (another item,
/// play/pause, idle, a jump in progress) and of its status is announced through <see cref="IListeningEvents"/>.
/// </summary>
public sealed partial class ListenerGrain(
    [PersistentState(Constants.ListenerStateName, Constants.GrainStorage)] IPersistentState<ListenerState> state,
    ISpotifyApiClient spotify,
    SpotifyAuthorizedCaller caller,
    AccountStore accounts,
    PlayQueries plays,
    IListeningEvents events,
    IOptions<ListenerOptions> options,
    TimeProvider timeProvider,
    ILogger<ListenerGrain> logger) : Grain, IListenerGrain, IRemindable, ISpotifyTokenHolder
{
    /// <summary>A progress further than this from what elapsed time predicts is a seek: announced like a change.</summary>
    private const long ProgressJumpMs = 3_000;

    private readonly ListenerOptions _options = options.Value;
    private IGrainTimer? _timer;
    private NowPlaying? _nowPlaying;

    // The live state is kept in memory only: after a (re)activation the account starts idle, "since" its latest
    // recorded play, and the first poll brings it up to date.
    private LiveState? _live;
    private DateTimeOffset? _lastSeenPlaying;
    private string? _playingKey;
    private DateTimeOffset? _playingSince;
    private bool _emptyOnce;
    private DateTimeOffset? _latestPlayAt;
    private bool _latestPlayRead;
    private DateTimeOffset? _nextPollAt;
    private DateTimeOffset _lastStateWrite;

    private string AccountKey => this.GetPrimaryKeyString();

    private ListenerState S => state.State;

    SpotifyTokens ISpotifyTokenHolder.Tokens => new(S.AccessToken ?? "", S.AccessTokenExpiresAt, S.RefreshToken ?? "", S.Scope ?? "");

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (IsPolling(S.Status))
        {
            StartTimer(DueAfterActivation());
        }

        return Task.CompletedTask;
    }

    async Task IListenerGrain.AuthorizeAsync(SpotifyGrant grant)
    {
        S.AccessToken = grant.AccessToken;
        S.AccessTokenExpiresAt = grant.AccessTokenExpiresAt;
        S.RefreshToken = grant.RefreshToken;
        S.Scope = grant.Scope;
        S.AuthorizedAt = grant.AuthorizedAt;
        S.ConsecutiveFailures = 0;
        S.Status = AccountStatus.Active;
        S.StatusDetail = null;
        await WriteStateAsync();
        accounts.SetStatus(AccountKey, AccountStatus.Active, null, timeProvider.GetUtcNow());
        Announce(e => e.AccountChanged(AccountKey));
        LogAuthorized(logger, AccountKey);
        await this.RegisterOrUpdateReminder(Constants.ListenerWatchdogReminder, _options.WatchdogPeriod, _options.WatchdogPeriod);
        StartTimer(DueAfterActivation());
    }

    async Task IListenerGrain.EnsurePollingAsync()
    {
        if (!IsPolling(S.Status))
        {
            return;
        }

        await this.RegisterOrUpdateReminder(Constants.ListenerWatchdogReminder, _options.WatchdogPeriod, _options.WatchdogPeriod);
        if (_timer is null)
        {
            StartTimer(DueAfterActivation());
        }
    }

    async Task IListenerGrain.StopAsync()
    {
        await SetStatusAsync(AccountStatus.Stopped, "Stopped by a household member.");
        await StopPollingAsync();
        _nowPlaying = null;
        ObserveLive(null, timeProvider.GetUtcNow(), immediate: true);
    }

    Task<ListenerStatus> IListenerGrain.GetStatusAsync() => Task.FromResult(new ListenerStatus(
        S.Status,
        S.StatusDetail,
        S.AuthorizedAt,
        S.LastSuccessfulPollAt,
        _nextPollAt,
        S.IdleCount,
        S.Cursor,
        S.NextAllowedCallAt,
        S.LastTrackId,
        S.ConsecutiveFailures,
        S.PollCount));

    Task<NowPlaying?> IListenerGrain.GetNowPlayingAsync() => Task.FromResult(_nowPlaying);

    // Idle "since" is worked out on each call: plays committed after the last poll may have moved it.
    Task<LiveState> IListenerGrain.GetLiveStateAsync() => Task.FromResult(_live is { State: not PlaybackState.Idle } live ? live : IdleState());

    async Task<ArtistLookup> IListenerGrain.LookUpArtistAsync(string spotifyArtistId)
    {
        if (!IsPolling(S.Status) || S.RefreshToken is null)
        {
            return new ArtistLookup(ArtistLookupStatus.NoToken, null, null);
        }

        try
        {
            var artist = await caller.CallAsync(this, (token, ct) => spotify.GetArtistAsync(token, spotifyArtistId, ct));
            return new ArtistLookup(ArtistLookupStatus.Found, artist.Genres, null);
        }
        catch (SpotifyRateLimitedException exception)
        {
            return new ArtistLookup(ArtistLookupStatus.RateLimited, null, exception.RetryAt);
        }
        catch (SpotifyException exception) when (exception.StatusCode is 400 or 404)
        {
            return new ArtistLookup(ArtistLookupStatus.NotFound, null, null);
        }
        catch (SpotifyInvalidGrantException)
        {
            return new ArtistLookup(ArtistLookupStatus.NoToken, null, null);
        }
        catch (SpotifyException)
        {
            return new ArtistLookup(ArtistLookupStatus.Failed, null, null);
        }
    }

    async Task IRemindable.ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != Constants.ListenerWatchdogReminder)
        {
            return;
        }

        if (!IsPolling(S.Status))
        {
            await UnregisterWatchdogAsync();
            return;
        }

        // The watchdog also restarts a timer that should have fired long ago.
        var now = timeProvider.GetUtcNow();
        if (_timer is null || _nextPollAt is null || _nextPollAt < now - _options.WatchdogPeriod)
        {
            StartTimer(DueAfterActivation());
        }
    }

    async Task ISpotifyTokenHolder.SaveTokensAsync(SpotifyTokens tokens, CancellationToken cancellationToken)
    {
        // Durable before use: with PKCE the previous refresh token is dead once Spotify rotated it.
        S.AccessToken = tokens.AccessToken;
        S.AccessTokenExpiresAt = tokens.ExpiresAt;
        S.RefreshToken = tokens.RefreshToken;
        S.Scope = tokens.Scope;
        await WriteStateAsync();
        LogTokensRefreshed(logger, AccountKey, tokens.ExpiresAt);
    }

    /// <summary>
    /// One poll, then the next is scheduled, whatever fails: a write outside the poll's own error handling (its state,
    /// the account's status, on a full disk or a read-only database) is logged and polling goes on after a back-off.
    /// The plays' cursor moves only after the plays are committed, so nothing read meanwhile is lost.
    /// </summary>
    private async Task PollAsync(CancellationToken cancellationToken)
    {
        try
        {
            await PollCoreAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            S.ConsecutiveFailures++;
            var next = Jittered(_options.FailureBackoff(S.ConsecutiveFailures));
            LogPollWriteFailed(logger, exception, AccountKey, next);
            if (IsPolling(S.Status))
            {
                Schedule(next);
            }
        }
    }

    private async Task PollCoreAsync(CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        if (!IsPolling(S.Status))
        {
            _nextPollAt = null;
            return;
        }

        if (S.NextAllowedCallAt is { } notBefore && notBefore > now)
        {
            Schedule(notBefore - now);
            return;
        }

        var before = Snapshot();
        TimeSpan next;
        try
        {
            next = await PollOnceAsync(now, cancellationToken);
            S.ConsecutiveFailures = 0;
            S.LastSuccessfulPollAt = now;
            if (S.Status != AccountStatus.Active)
            {
                await SetStatusAsync(AccountStatus.Active, null);
            }
            else
            {
                S.StatusDetail = null;
            }
        }
        catch (SpotifyInvalidGrantException exception)
        {
            LogNeedsReauth(logger, AccountKey, exception.Description);
            _nowPlaying = null;
            ObserveLive(null, now, immediate: true);
            await SetStatusAsync(AccountStatus.NeedsReauth, "Spotify revoked the sign-in (" + exception.Description + "). Sign in again to resume.");
            await StopPollingAsync();
            return;
        }
        catch (SpotifyRateLimitedException exception)
        {
            S.NextAllowedCallAt = exception.RetryAt;
            S.StatusDetail = exception.QuotaExceeded
                ? $"Spotify's quota for this app is exhausted; polling resumes at {exception.RetryAt:u}."
                : $"Rate limited by Spotify until {exception.RetryAt:u}.";
            LogRateLimited(logger, AccountKey, exception.RetryAt, exception.QuotaExceeded, exception.Sent);
            next = exception.RetryAt > now ? exception.RetryAt - now : _options.IdleMinInterval;
        }
        catch (SpotifyForbiddenException exception)
        {
            LogBlocked(logger, AccountKey, exception.Message);
            await SetStatusAsync(AccountStatus.Blocked, "Spotify refuses this account: " + exception.Message);
            next = _options.BlockedRetryInterval;
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // 5xx and timeouts after the client's retries, malformed answers, a storage failure or a grain-call
            // timeout: the cursor has not moved, so the next read brings the same plays again.
            S.ConsecutiveFailures++;
            next = Jittered(_options.FailureBackoff(S.ConsecutiveFailures));
            LogPollFailed(logger, exception, AccountKey, S.ConsecutiveFailures, next);
        }

        S.PollCount++;
        if (Snapshot() != before || now - _lastStateWrite >= TimeSpan.FromMinutes(1))
        {
            await WriteStateAsync();
        }

        Schedule(next);
    }

    /// <summary>One successful poll; returns the delay until the next one.</summary>
    private async Task<TimeSpan> PollOnceAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var current = await caller.CallAsync(this, (token, ct) => spotify.GetCurrentlyPlayingAsync(token, ct), cancellationToken);
        var playing = current is { IsPlaying: true };
        var itemKey = current is null ? null : current.Item?.Uri ?? current.Item?.Name ?? current.CurrentlyPlayingType;
        var progress = current?.ProgressMs ?? 0;

        var trackChanged = playing && (itemKey != S.LastTrackId || progress + 5_000 < S.LastProgressMs);
        var stopped = S.WasPlaying && !playing;
        var sinceHistory = S.LastHistoryReadAt is { } last ? now - last : TimeSpan.MaxValue;
        var historyDue = sinceHistory >= (playing ? _options.HistoryIntervalWhileActive : _options.HistoryIntervalWhileIdle);

        _nowPlaying = current is null ? null : ToNowPlaying(current, now);
        ObserveLive(current is null || (!current.IsPlaying && current.Item is null) ? null : _nowPlaying, now);
        if (trackChanged || stopped || historyDue)
        {
            await ReadHistoryAsync(now, cancellationToken);
        }

        if (playing)
        {
            S.IdleCount = 0;
            S.LastTrackId = itemKey;
            S.LastProgressMs = progress;
        }
        else
        {
            S.IdleCount++;
        }

        S.WasPlaying = playing;
        return playing ? _options.ActiveInterval : _options.IdleInterval(S.IdleCount);
    }

    private async Task ReadHistoryAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        // Always the latest 50, not "after the cursor": Spotify backfills offline plays with older timestamps,
        // and the inserts are idempotent, so an overlapping re-read costs nothing.
        var page = await caller.CallAsync(this, (token, ct) => spotify.GetRecentlyPlayedAsync(token, 50, ct), cancellationToken);
        var plays = page.Items
            .Where(item => item.Track.IsTrack && !string.IsNullOrEmpty(item.Track.Uri))
            .Select(ToPlayRecord)
            .ToImmutableArray();

        if (plays.Length > 0)
        {
            var storage = GrainFactory.GetGrain<IStorageGrain>(Constants.StorageGrainKey);
            var added = await storage.RecordPlaysAsync(AccountKey, plays);
            var newest = plays.Max(p => p.PlayedAt);
            if (S.Cursor is null || newest > S.Cursor)
            {
                S.Cursor = newest;
            }

            if (_latestPlayAt is null || newest > _latestPlayAt)
            {
                _latestPlayAt = newest;
            }

            if (added > 0)
            {
                LogPlaysRecorded(logger, AccountKey, added, plays.Length);
            }
        }

        S.LastHistoryReadAt = now;
    }

    private static PlayRecord ToPlayRecord(PlayHistoryItem item)
    {
        var track = item.Track;
        var album = track.Album is { } a
            ? new AlbumInfo(a.Id, a.Name, a.AlbumType, a.ReleaseDate, a.Images.Count > 0 ? a.Images[0].Url : null)
            : null;
        var info = new TrackInfo(
            track.Uri!,
            track.Id,
            track.Name,
            track.DurationMs,
            track.Explicit,
            track.IsLocal,
            track.Isrc,
            album,
            [.. track.Artists.Select(artist => new ArtistInfo(artist.Id, artist.Name))]);
        return new PlayRecord(item.PlayedAt, info, null, item.Context?.Uri, item.Context?.Type, PlaySource.RecentlyPlayed);
    }

    private static NowPlaying ToNowPlaying(CurrentlyPlaying current, DateTimeOffset now)
    {
        var item = current.Item;
        var images = item?.Album?.Images ?? item?.Show?.Images ?? [];
        return new NowPlaying(
            item?.Type ?? current.CurrentlyPlayingType,
            current.IsPlaying,
            current.ProgressMs,
            item?.DurationMs,
            item?.Uri,
            item?.Name,
            item is null ? [] : item.IsEpisode && item.Show is { } show ? [show.Name] : [.. item.Artists.Select(a => a.Name)],
            item?.Album?.Name ?? item?.Show?.Name,
            images.Count > 0 ? images[0].Url : null,
            current.Context?.Uri,
            item?.IsLocal ?? false,
            now);
    }

    private async Task SetStatusAsync(AccountStatus status, string? detail)
    {
        var changed = S.Status != status;
        S.Status = status;
        S.StatusDetail = detail;
        await WriteStateAsync();
        if (changed)
        {
            accounts.SetStatus(AccountKey, status, detail, timeProvider.GetUtcNow());
            Announce(e => e.AccountChanged(AccountKey));
        }
    }

    /// <summary>
    /// Takes in what a poll saw (<paramref name="item"/> null: nothing, or nothing loaded) and announces the live
    /// state when it differs from the last one: another item, playing/paused/idle, or a progress that is more than
    /// <see cref="ProgressJumpMs"/> away from what the time since the last poll predicts. <paramref name="immediate"/>:
    /// idle for certain (stopped, signed out), not a poll that may have caught a blip.
    /// </summary>
    private void ObserveLive(NowPlaying? item, DateTimeOffset now, bool immediate = false)
    {
        var previous = _live ?? IdleState();
        if (item is null && !immediate && previous.State != PlaybackState.Idle && !_emptyOnce)
        {
            // Spotify now and then answers 204 in the middle of playback: idle only once a second poll agrees, so a
            // blip neither flickers every screen nor restarts the track's "since".
            _emptyOnce = true;
            return;
        }

        _emptyOnce = false;
        var state = item is null ? PlaybackState.Idle : item.IsPlaying ? PlaybackState.Playing : PlaybackState.Paused;
        var sameItem = previous.Item is { } before && item is not null && ItemKey(before) == ItemKey(item);
        var jumped = sameItem && ProgressJumped(previous, item!, now);
        DateTimeOffset? since;
        switch (state)
        {
            case PlaybackState.Playing:
                // Another item, or a replay of the same one (progress far behind the last), starts a new "since";
                // a pause and resume of the same item keeps it.
                var restarted = sameItem && item!.ProgressMs + 5_000 < previous.Item!.ProgressMs;
                if (_playingSince is null || _playingKey != ItemKey(item!) || restarted)
                {
                    _playingKey = ItemKey(item!);
                    _playingSince = now;
                }

                since = _playingSince;
                _lastSeenPlaying = now;
                break;
            case PlaybackState.Paused:
                since = sameItem && previous.State == PlaybackState.Paused ? previous.Since : now;
                break;
            default:
                _playingKey = null;
                _playingSince = null;
                since = _lastSeenPlaying ?? LatestPlayAt();
                break;
        }

        var live = new LiveState(AccountKey, state, since, item);
        _live = live;
        if (state != previous.State || (!sameItem && state != PlaybackState.Idle) || jumped)
        {
            Announce(e => e.NowPlayingChanged(live));
        }
    }

    private static bool ProgressJumped(LiveState previous, NowPlaying item, DateTimeOffset now)
    {
        if (previous.Item?.ProgressMs is not { } before || item.ProgressMs is not { } progress)
        {
            return false;
        }

        var elapsed = previous.State == PlaybackState.Playing ? (long)(now - previous.Item.ObservedAt).TotalMilliseconds : 0;
        return Math.Abs(progress - (before + elapsed)) > ProgressJumpMs;
    }

    private static string? ItemKey(NowPlaying item) => item.Uri ?? item.Name ?? item.ItemType;

    private LiveState IdleState() => new(AccountKey, PlaybackState.Idle, _lastSeenPlaying ?? LatestPlayAt(), null);

    private DateTimeOffset? LatestPlayAt()
    {
        if (!_latestPlayRead)
        {
            _latestPlayRead = true;
            try
            {
                var stored = plays.LatestPlayedAt(AccountKey);
                if (stored is not null && (_latestPlayAt is null || stored > _latestPlayAt))
                {
                    _latestPlayAt = stored;
                }
            }
            catch (Exception exception)
            {
                _latestPlayRead = false;
                LogLatestPlayFailed(logger, exception, AccountKey);
            }
        }

        return _latestPlayAt;
    }

    /// <summary>Live events never fail or hold up a poll: a failing publisher is logged and otherwise ignored.</summary>
    private void Announce(Action<IListeningEvents> announce)
    {
        try
        {
            announce(events);
        }
        catch (Exception exception)
        {
            LogAnnounceFailed(logger, exception, AccountKey);
        }
    }

    private async Task StopPollingAsync()
    {
        _timer?.Dispose();
        _timer = null;
        _nextPollAt = null;
        await UnregisterWatchdogAsync();
    }

    private async Task UnregisterWatchdogAsync()
    {
        var reminder = await this.GetReminder(Constants.ListenerWatchdogReminder);
        if (reminder is not null)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    private void StartTimer(TimeSpan dueTime)
    {
        _timer?.Dispose();
        _timer = this.RegisterGrainTimer(PollAsync, new GrainTimerCreationOptions
        {
            DueTime = dueTime,
            Period = Timeout.InfiniteTimeSpan,
            Interleave = false,
            KeepAlive = true,
        });
        _nextPollAt = timeProvider.GetUtcNow() + dueTime;
    }

    private void Schedule(TimeSpan delay)
    {
        if (delay < TimeSpan.Zero)
        {
            delay = TimeSpan.Zero;
        }

        if (_timer is null)
        {
            StartTimer(delay);
            return;
        }

        _timer.Change(delay, Timeout.InfiniteTimeSpan);
        _nextPollAt = timeProvider.GetUtcNow() + delay;
    }

    private TimeSpan DueAfterActivation()
    {
        var now = timeProvider.GetUtcNow();
        return S.NextAllowedCallAt is { } notBefore && notBefore > now ? notBefore - now : TimeSpan.Zero;
    }

    private TimeSpan Jittered(TimeSpan delay)
    {
        var factor = 1 + (((Random.Shared.NextDouble() * 2) - 1) * _options.Jitter);
        return TimeSpan.FromTicks((long)(delay.Ticks * factor));
    }

    private async Task WriteStateAsync()
    {
        await state.WriteStateAsync();
        _lastStateWrite = timeProvider.GetUtcNow();
    }

    private (AccountStatus, int, string?, DateTimeOffset?, DateTimeOffset?, int, bool, string?) Snapshot() =>
        (S.Status, S.IdleCount, S.LastTrackId, S.Cursor, S.NextAllowedCallAt, S.ConsecutiveFailures, S.WasPlaying, S.StatusDetail);

    private static bool IsPolling(AccountStatus status) => status is AccountStatus.Active or AccountStatus.Blocked;

    [LoggerMessage(Level = LogLevel.Information, Message = "Account {Account} signed in; polling starts")]
    private static partial void LogAuthorized(ILogger logger, string account);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Account {Account}: access token refreshed, valid until {ExpiresAt}")]
    private static partial void LogTokensRefreshed(ILogger logger, string account, DateTimeOffset expiresAt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Account {Account} needs to sign in again: {Reason}. Its polling stops; other accounts continue")]
    private static partial void LogNeedsReauth(ILogger logger, string account, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Account {Account}: Spotify rate limit until {RetryAt} (quota exceeded: {Quota}, request sent: {Sent})")]
    private static partial void LogRateLimited(ILogger logger, string account, DateTimeOffset retryAt, bool quota, bool sent);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Account {Account} is refused by Spotify: {Reason}")]
    private static partial void LogBlocked(ILogger logger, string account, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Account {Account}: poll failed ({Failures} in a row); next try in {Delay}")]
    private static partial void LogPollFailed(ILogger logger, Exception exception, string account, int failures, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Error, Message = "Account {Account}: could not save the poll's outcome (is the database writable?); polling goes on, next try in {Delay}")]
    private static partial void LogPollWriteFailed(ILogger logger, Exception exception, string account, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Account {Account}: could not announce a live change")]
    private static partial void LogAnnounceFailed(ILogger logger, Exception exception, string account);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Account {Account}: could not read the time of its latest play")]
    private static partial void LogLatestPlayFailed(ILogger logger, Exception exception, string account);

    [LoggerMessage(Level = LogLevel.Information, Message = "Account {Account}: {Added} new plays recorded ({Read} read from recently-played)")]
    private static partial void LogPlaysRecorded(ILogger logger, string account, int added, int read);
}
