using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansSpotify.Abstractions;
using OrleansSpotify.Spotify;
using OrleansSpotify.Storage;

namespace OrleansSpotify.Grains;

/// <summary>
/// Polls one account. A grain timer drives the fast cadence (currently-playing every few seconds while
/// something plays, backing off while idle); recently-played is re-read when the track changes, when
/// playback stops, and periodically, and its plays go to the <see cref="IStorageGrain"/>. The cursor
/// advances only after the storage grain has committed them. A reminder is the watchdog that reactivates
/// the listener after a deactivation or a crash. What the account plays goes through a <see cref="LiveStateTracker"/>,
/// whose changes and every change of status are announced through <see cref="IListeningEvents"/>.
/// </summary>
public sealed class ListenerGrain(
    [PersistentState(Constants.ListenerStateName, Constants.GrainStorage)] IPersistentState<ListenerState> state,
    ISpotifyApiClient spotify,
    SpotifyAuthorizedCaller caller,
    AccountStore accounts,
    PlayQueries plays,
    IListeningEvents events,
    IOptions<ListenerOptions> options,
    TimeProvider timeProvider,
    ILogger<ListenerGrain> logger) : Grain, IListenerGrain, IRemindable
{
    private static readonly TimeSpan SaveAtLeastEvery = TimeSpan.FromMinutes(1);

    private readonly ListenerOptions _options = options.Value;
    private ListenerTokenHolder _tokens = null!;
    private LiveStateTracker _live = null!;
    private PollTimer _poll = null!;
    private NowPlaying? _nowPlaying;
    private LatestPlayTime _latestPlay = null!;
    private DateTimeOffset _lastStateWrite;

    private string AccountKey => this.GetPrimaryKeyString();

    private ListenerState S => state.State;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _tokens = new ListenerTokenHolder(state, WriteStateAsync, AccountKey, logger);
        _live = new LiveStateTracker(AccountKey);
        _latestPlay = new LatestPlayTime(plays, AccountKey, logger);
        _poll = new PollTimer(this, PollAsync, timeProvider);
        if (IsPolling(S.Status))
        {
            _poll.Start(DueAfterActivation());
        }

        return Task.CompletedTask;
    }

    async Task IListenerGrain.AuthorizeAsync(SpotifyGrant grant)
    {
        _tokens.Accept(grant);
        S.ConsecutiveFailures = 0;
        await SetStatusAsync(AccountStatus.Active, null, announceAlways: true);
        ListenerLog.Authorized(logger, AccountKey);
        await RegisterWatchdogAsync();
        _poll.Start(DueAfterActivation());
    }

    async Task IListenerGrain.EnsurePollingAsync()
    {
        if (!IsPolling(S.Status))
        {
            return;
        }

        await RegisterWatchdogAsync();
        if (!_poll.IsRunning)
        {
            _poll.Start(DueAfterActivation());
        }
    }

    async Task IListenerGrain.StopAsync()
    {
        await SetStatusAsync(AccountStatus.Stopped, "Stopped by a household member.");
        await StopPollingAsync();
        await ObserveAsync(null, null, timeProvider.GetUtcNow(), immediate: true);
    }

    Task<ListenerStatus> IListenerGrain.GetStatusAsync() => Task.FromResult(new ListenerStatus(
        S.Status, S.StatusDetail, S.AuthorizedAt, S.LastSuccessfulPollAt, _poll.NextPollAt, S.IdleCount, S.Cursor,
        S.NextAllowedCallAt, S.LastTrackId, S.ConsecutiveFailures, S.PollCount));

    Task<NowPlaying?> IListenerGrain.GetNowPlayingAsync() => Task.FromResult(_nowPlaying);

    async Task<LiveState> IListenerGrain.GetLiveStateAsync() =>
        _live.Current(_live.NeedsLatestPlay ? await _latestPlay.GetAsync() : null);

    /// <summary>An artist's genres for the genre grain, with this account's token while it polls.</summary>
    Task<ArtistLookup> IListenerGrain.LookUpArtistAsync(string spotifyArtistId) =>
        IsPolling(S.Status) && _tokens.HasRefreshToken
            ? ArtistLookups.LookUpAsync(caller, spotify, _tokens, spotifyArtistId)
            : Task.FromResult(new ArtistLookup(ArtistLookupStatus.NoToken, null, null));

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
        if (!_poll.IsRunning || _poll.NextPollAt is null || _poll.NextPollAt < timeProvider.GetUtcNow() - _options.WatchdogPeriod)
        {
            _poll.Start(DueAfterActivation());
        }
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
            ListenerLog.PollWriteFailed(logger, exception, AccountKey, next);
            if (IsPolling(S.Status))
            {
                _poll.Schedule(next);
            }
        }
    }

    private async Task PollCoreAsync(CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        if (!IsPolling(S.Status))
        {
            _poll.NoNextPoll();
            return;
        }

        if (S.NextAllowedCallAt is { } notBefore && notBefore > now)
        {
            _poll.Schedule(notBefore - now);
            return;
        }

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
            ListenerLog.NeedsReauth(logger, AccountKey, exception.Description);
            await ObserveAsync(null, null, now, immediate: true);
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
            ListenerLog.RateLimited(logger, AccountKey, exception.RetryAt, exception.QuotaExceeded, exception.Sent);
            next = exception.RetryAt > now ? exception.RetryAt - now : _options.IdleMinInterval;
        }
        catch (SpotifyForbiddenException exception)
        {
            ListenerLog.Blocked(logger, AccountKey, exception.Message);
            await SetStatusAsync(AccountStatus.Blocked, "Spotify refuses this account: " + exception.Message);
            next = _options.BlockedRetryInterval;
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // 5xx and timeouts after the client's retries, malformed answers, a storage failure or a grain-call
            // timeout: the cursor has not moved, so the next read brings the same plays again.
            S.ConsecutiveFailures++;
            next = Jittered(_options.FailureBackoff(S.ConsecutiveFailures));
            ListenerLog.PollFailed(logger, exception, AccountKey, S.ConsecutiveFailures, next);
        }

        S.PollCount++;
        if (S.HasUnsavedChanges || now - _lastStateWrite >= SaveAtLeastEvery)
        {
            await WriteStateAsync();
        }

        _poll.Schedule(next);
    }

    /// <summary>One successful poll; returns the delay until the next one.</summary>
    private async Task<TimeSpan> PollOnceAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var current = await caller.CallAsync(_tokens, (token, ct) => spotify.GetCurrentlyPlayingAsync(token, ct), cancellationToken);
        var nowPlaying = SpotifyPlayMapper.ToNowPlaying(current, now);
        var playing = current is { IsPlaying: true };
        var itemKey = nowPlaying is null ? null : ItemKey.Of(nowPlaying).Value;
        var progress = current?.ProgressMs ?? 0;

        var trackChanged = playing && (itemKey != S.LastTrackId || ItemKey.Restarted(S.LastProgressMs, progress));
        var stopped = S.WasPlaying && !playing;
        var sinceHistory = S.LastHistoryReadAt is { } last ? now - last : TimeSpan.MaxValue;
        var historyDue = sinceHistory >= (playing ? _options.HistoryIntervalWhileActive : _options.HistoryIntervalWhileIdle);

        await ObserveAsync(nowPlaying, SpotifyPlayMapper.ToLiveItem(current, nowPlaying), now);
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
        var page = await caller.CallAsync(_tokens, (token, ct) => spotify.GetRecentlyPlayedAsync(token, 50, ct), cancellationToken);
        var read = SpotifyPlayMapper.ToPlays(page);
        if (read.Length > 0)
        {
            var added = await GrainFactory.GetGrain<IStorageGrain>(Constants.StorageGrainKey).RecordPlaysAsync(AccountKey, read);
            var newest = read.Max(p => p.PlayedAt);
            if (S.Cursor is null || newest > S.Cursor)
            {
                S.Cursor = newest;
            }

            _latestPlay.Saw(newest);
            if (added > 0)
            {
                ListenerLog.PlaysRecorded(logger, AccountKey, added, read.Length);
            }
        }

        S.LastHistoryReadAt = now;
    }

    /// <summary>What a poll saw (<paramref name="liveItem"/>: what the live state sees of it) goes to the tracker; a change is announced.</summary>
    private async Task ObserveAsync(NowPlaying? nowPlaying, NowPlaying? liveItem, DateTimeOffset now, bool immediate = false)
    {
        _nowPlaying = nowPlaying;
        var latestPlay = liveItem is null && _live.NeedsLatestPlay ? await _latestPlay.GetAsync() : null;
        if (_live.Observe(liveItem, now, latestPlay, immediate) is { } changed)
        {
            Announce(e => e.NowPlayingChanged(changed));
        }
    }

    /// <summary>
    /// The one place the account's status is written: the grain's state, then the accounts table the API lists (off the
    /// turn, as the storage grain writes plays: Microsoft.Data.Sqlite is synchronous), then announced when it changed.
    /// </summary>
    private async Task SetStatusAsync(AccountStatus status, string? detail, bool announceAlways = false)
    {
        var changed = S.Status != status;
        S.Status = status;
        S.StatusDetail = detail;
        await WriteStateAsync();
        if (changed || announceAlways)
        {
            var at = timeProvider.GetUtcNow();
            await Task.Run(() => accounts.SetStatus(AccountKey, status, detail, at));
            Announce(e => e.AccountChanged(AccountKey));
        }
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
            ListenerLog.AnnounceFailed(logger, exception, AccountKey);
        }
    }

    private async Task StopPollingAsync()
    {
        _poll.Stop();
        await UnregisterWatchdogAsync();
    }

    private Task RegisterWatchdogAsync() =>
        this.RegisterOrUpdateReminder(Constants.ListenerWatchdogReminder, _options.WatchdogPeriod, _options.WatchdogPeriod);

    private async Task UnregisterWatchdogAsync()
    {
        if (await this.GetReminder(Constants.ListenerWatchdogReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    private TimeSpan DueAfterActivation()
    {
        var now = timeProvider.GetUtcNow();
        return S.NextAllowedCallAt is { } notBefore && notBefore > now ? notBefore - now : TimeSpan.Zero;
    }

    private TimeSpan Jittered(TimeSpan delay) =>
        TimeSpan.FromTicks((long)(delay.Ticks * (1 + (((Random.Shared.NextDouble() * 2) - 1) * _options.Jitter))));

    private async Task WriteStateAsync()
    {
        await state.WriteStateAsync();
        S.MarkSaved();
        _lastStateWrite = timeProvider.GetUtcNow();
    }

    private static bool IsPolling(AccountStatus status) => status is AccountStatus.Active or AccountStatus.Blocked;
}
