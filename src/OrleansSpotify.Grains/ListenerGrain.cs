using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansSpotify.Abstractions;
using OrleansSpotify.Spotify;
using OrleansSpotify.Storage;

namespace OrleansSpotify.Grains;

/// <summary>
/// Polls one account. A grain timer drives the cadence the <see cref="PollPlanner"/> plans (<c>/me/player</c> around the
/// moments that matter while something plays, a long back-off while idle, paced by the quota governor's budget);
/// recently-played is read when the planner says so, reconciled with the <see cref="LivePlayCapture"/>'s observations
/// (skips, repeats, local files, episodes, real <c>ms_played</c>), and the plays go to the <see cref="IStorageGrain"/>. The cursor advances only after the storage grain has
/// committed them. A <see cref="ListenerWatchdog"/> reminder reactivates the listener after a deactivation or a crash.
/// A failed poll is a <see cref="PollFailure"/>; the status goes through the <see cref="AccountStatusWriter"/>; what the
/// account plays goes through a <see cref="LiveStateTracker"/>, whose changes are announced through <see cref="IListeningEvents"/>.
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
    private LivePlayCapture _capture = null!;
    private PollPlanner _planner = null!;
    private PollTimer _poll = null!;
    private ListenerWatchdog _watchdog = null!;
    private ListenerAnnouncer _announce = null!;
    private AccountStatusWriter _status = null!;
    private NowPlaying? _nowPlaying;
    private LatestPlayTime _latestPlay = null!;
    private DateTimeOffset _lastStateWrite;

    private string AccountKey => this.GetPrimaryKeyString();

    private ListenerState S => state.State;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _tokens = new ListenerTokenHolder(state, WriteStateAsync, AccountKey, logger);
        _live = new LiveStateTracker(AccountKey);
        _capture = new LivePlayCapture(S, _options);
        _planner = new PollPlanner(_options);
        _latestPlay = new LatestPlayTime(plays, AccountKey, logger);
        _poll = new PollTimer(this, PollAsync, timeProvider);
        _watchdog = new ListenerWatchdog(this, _options.WatchdogPeriod);
        _announce = new ListenerAnnouncer(events, AccountKey, logger);
        _status = new AccountStatusWriter(state, WriteStateAsync, accounts, _announce, timeProvider, AccountKey);
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
        await _status.SetAsync(AccountStatus.Active, null, announceAlways: true);
        ListenerLog.Authorized(logger, AccountKey);
        await _watchdog.RegisterAsync();
        _poll.Start(DueAfterActivation());
    }

    async Task IListenerGrain.EnsurePollingAsync()
    {
        if (!IsPolling(S.Status))
        {
            return;
        }

        await _watchdog.RegisterAsync();
        if (!_poll.IsRunning)
        {
            _poll.Start(DueAfterActivation());
        }
    }

    async Task IListenerGrain.StopAsync()
    {
        await _status.SetAsync(AccountStatus.Stopped, "Stopped by a household member.");
        await StopPollingAsync();
        await ObserveAsync(null, null, timeProvider.GetUtcNow(), immediate: true);
    }

    Task<ListenerStatus> IListenerGrain.GetStatusAsync() => Task.FromResult(S.ToStatus(_poll.NextPollAt));

    Task<NowPlaying?> IListenerGrain.GetNowPlayingAsync() => Task.FromResult(_nowPlaying);

    async Task<LiveState> IListenerGrain.GetLiveStateAsync() =>
        _live.Current(_live.NeedsLatestPlay ? await _latestPlay.GetAsync() : null);

    /// <summary>An artist's genres for the genre grain, with this account's token while it polls.</summary>
    Task<ArtistLookup> IListenerGrain.LookUpArtistAsync(string spotifyArtistId) =>
        IsPolling(S.Status) && _tokens.HasRefreshToken
            ? ArtistLookups.LookUpAsync(caller, spotify, _tokens, spotifyArtistId)
            : Task.FromResult(new ArtistLookup(ArtistLookupStatus.NoToken, null, null));

    /// <summary>A track by id for the metadata grain, with this account's token while it polls.</summary>
    Task<TrackLookup> IListenerGrain.LookUpTrackAsync(string spotifyTrackId) =>
        IsPolling(S.Status) && _tokens.HasRefreshToken
            ? TrackLookups.LookUpAsync(caller, spotify, _tokens, spotifyTrackId)
            : Task.FromResult(new TrackLookup(TrackLookupStatus.NoToken, [], null));

    /// <summary>A track search for the metadata grain, with this account's token while it polls.</summary>
    Task<TrackLookup> IListenerGrain.SearchTracksAsync(string title, string? artist, int limit) =>
        IsPolling(S.Status) && _tokens.HasRefreshToken
            ? TrackLookups.SearchAsync(caller, spotify, _tokens, title, artist, limit)
            : Task.FromResult(new TrackLookup(TrackLookupStatus.NoToken, [], null));

    async Task IRemindable.ReceiveReminder(string reminderName, TickStatus status)
    {
        if (!ListenerWatchdog.IsWatchdog(reminderName))
        {
            return;
        }

        if (!IsPolling(S.Status))
        {
            await _watchdog.UnregisterAsync();
            return;
        }

        if (_watchdog.MustRestartPolling(_poll, timeProvider.GetUtcNow()))
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
            var next = _options.JitteredFailureBackoff(S.ConsecutiveFailures, Random.Shared.NextDouble());
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

        if (S.RateLimitLeft(now) is { } wait)
        {
            _poll.Schedule(wait);
            return;
        }

        TimeSpan next;
        try
        {
            next = await PollOnceAsync(now, cancellationToken);
            S.ConsecutiveFailures = 0;
            S.LastSuccessfulPollAt = now;
            await _status.ActiveAgainAsync();
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Whatever failed, the cursor has not moved past an uncommitted play: the next read brings the same plays again.
            var failure = PollFailure.Of(exception, now, S.ConsecutiveFailures, _options, Random.Shared.NextDouble());
            failure.Log(logger, AccountKey, exception);
            switch (failure.Kind)
            {
                case PollFailureKind.SignInRevoked:
                    await ObserveAsync(null, null, now, immediate: true);
                    await _status.SetAsync(AccountStatus.NeedsReauth, failure.Detail);
                    await StopPollingAsync();
                    return;
                case PollFailureKind.RateLimited:
                    S.NextAllowedCallAt = failure.NotBefore;
                    S.StatusDetail = failure.Detail;
                    break;
                case PollFailureKind.Refused:
                    await _status.SetAsync(AccountStatus.Blocked, failure.Detail);
                    break;
            }

            S.ConsecutiveFailures = failure.ConsecutiveFailures;
            next = failure.Next!.Value;
        }

        S.PollCount++;
        if (S.HasUnsavedChanges || now - _lastStateWrite >= SaveAtLeastEvery)
        {
            await WriteStateAsync();
        }

        _poll.Schedule(next);
    }

    /// <summary>
    /// One successful poll; returns the delay until the next one. The <see cref="PollPlanner"/> decides the cadence and
    /// when recently-played is read; the <see cref="LivePlayCapture"/> turns what <c>/me/player</c> shows into plays.
    /// </summary>
    private async Task<TimeSpan> PollOnceAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var budget = await BudgetAsync();
        if (PollPlanner.PauseLeft(budget, now) is { } paused)
        {
            return paused;
        }

        if (budget is { Exhausted: true })
        {
            var (read, wake) = _planner.WhileExhausted(now, S.LastHistoryReadAt);
            if (read)
            {
                await ReadHistoryAsync(now, cancellationToken);
            }

            return wake;
        }

        var player = await caller.CallAsync(_tokens, (token, ct) => spotify.GetPlaybackStateAsync(token, ct), cancellationToken);
        var current = player?.Playback;
        var privateSession = player?.IsPrivateSession ?? false;
        var seen = SpotifyPlayMapper.ToNowPlaying(current, now);
        var track = current?.Item is { Uri: { Length: > 0 } } item ? SpotifyPlayMapper.ToTrackInfo(item) : null;
        var live = _capture.Observe(LivePlayCapture.ToObservation(SpotifyPlayMapper.ToLiveItem(current, seen), track, privateSession), now);

        // A private session records nothing and shows nothing.
        var nowPlaying = privateSession ? null : seen;
        await ObserveAsync(nowPlaying, privateSession ? null : SpotifyPlayMapper.ToLiveItem(current, nowPlaying), now, immediate: privateSession);

        var playing = current is { IsPlaying: true };
        var activity = playing ? PlayerActivity.Playing : SpotifyPlayMapper.ToLiveItem(current, seen) is null ? PlayerActivity.Nothing : PlayerActivity.Paused;
        if (_planner.HistoryDue(activity, now, S.LastHistoryReadAt, S.PlaysEndedSinceHistory, _capture.SettledAt(), budget))
        {
            await ReadHistoryAsync(now, cancellationToken);
        }
        else if (_capture.ReadyWithoutHistory() is { Length: > 0 } ready)
        {
            await StoreAsync([.. ready.Select(p => p.ToLivePlay())], ready);
        }

        S.RecordPlayback(playing, seen is null ? null : ItemKey.Of(seen).Value, current?.ProgressMs ?? 0);
        var view = new PollView(activity, current?.ProgressMs, current?.Item?.DurationMs, _capture.Current?.WatchSkips ?? live.FreshStart);
        return _planner.NextPoll(view, S.IdleCount, now, S.LastHistoryReadAt, _capture.SettledAt(), budget, Random.Shared.NextDouble());
    }

    private async Task ReadHistoryAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        // Always the latest 50, not "after the cursor": Spotify backfills offline plays with older timestamps,
        // and the inserts are idempotent, so an overlapping re-read costs nothing.
        var page = await caller.CallAsync(_tokens, (token, ct) => spotify.GetRecentlyPlayedAsync(token, 50, ct), cancellationToken);
        var read = SpotifyPlayMapper.ToPlays(page);

        // Gap detection (issue 11, part C): a full read that does not reach back to what is stored, recorded before its plays commit.
        await HistoryGapRecorder.CheckAsync(ServiceProvider, AccountKey, page, S.Cursor, now, logger);

        // Live observations of the same listening: a listed one is that play (with its real ms_played), an unlisted one
        // with evidence is a live play; episodes and local files that ended go with them.
        var reconciled = _capture.Reconcile(read, now);
        var ready = _capture.ReadyWithoutHistory();
        await StoreAsync([.. reconciled.Listed, .. reconciled.Live, .. ready.Select(p => p.ToLivePlay())], [.. reconciled.Settled, .. ready]);
        if (read.Length > 0)
        {
            // Only now, with the plays committed (durable), does the cursor move: a crash or a failure before this
            // line leaves it where it was, and the next read brings the same plays again.
            var newest = read.Max(p => p.PlayedAt);
            S.AdvanceCursor(newest);
            _latestPlay.Saw(newest);
        }

        S.PlaysEndedSinceHistory = 0;
        S.LastHistoryReadAt = now;
    }

    /// <summary>Stores <paramref name="plays"/>; once committed, the live observations they settle leave the pending list.</summary>
    private async Task StoreAsync(ImmutableArray<PlayRecord> plays, IReadOnlyList<LiveEndedPlay> settled)
    {
        if (plays.Length > 0)
        {
            var added = await GrainFactory.GetGrain<IStorageGrain>(Constants.StorageGrainKey).RecordPlaysAsync(AccountKey, plays);
            if (added > 0)
            {
                ListenerLog.PlaysRecorded(logger, AccountKey, added, plays.Length);
            }
        }

        _capture.Stored(settled);
    }

    /// <summary>The deployment's budget from the quota governor; null when it cannot say (the listener then spends as if unpaced).</summary>
    private async Task<QuotaBudget?> BudgetAsync()
    {
        try
        {
            return await GrainFactory.GetGrain<ISpotifyQuotaGrain>(Constants.QuotaGovernorKey).GetBudgetAsync();
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            ListenerLog.BudgetUnavailable(logger, exception, AccountKey);
            return null;
        }
    }

    /// <summary>What a poll saw (<paramref name="liveItem"/>: what the live state sees of it) goes to the tracker; a change is announced.</summary>
    private async Task ObserveAsync(NowPlaying? nowPlaying, NowPlaying? liveItem, DateTimeOffset now, bool immediate = false)
    {
        _nowPlaying = nowPlaying;
        var latestPlay = liveItem is null && _live.NeedsLatestPlay ? await _latestPlay.GetAsync() : null;
        if (_live.Observe(liveItem, now, latestPlay, immediate) is { } changed)
        {
            _announce.NowPlayingChanged(changed);
        }
    }

    private async Task StopPollingAsync()
    {
        _poll.Stop();
        await _watchdog.UnregisterAsync();
    }

    private TimeSpan DueAfterActivation() => S.RateLimitLeft(timeProvider.GetUtcNow()) ?? TimeSpan.Zero;

    private async Task WriteStateAsync()
    {
        await state.WriteStateAsync();
        S.MarkSaved();
        _lastStateWrite = timeProvider.GetUtcNow();
    }

    private static bool IsPolling(AccountStatus status) => status is AccountStatus.Active or AccountStatus.Blocked;
}
