using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansSpotify.Abstractions;
using OrleansSpotify.Storage;
using OrleansSpotify.Storage.Import;
using OrleansSpotify.Storage.Metadata;

namespace OrleansSpotify.Grains;

/// <summary>
/// Looks up what imports leave out, one request per tick at <see cref="MetadataOptions.RequestsPerMinute"/>, the most
/// played tracks first (<see cref="TrackLookupStore.Pending"/>), through the listener of a signed-in member (whose token
/// and the app-wide Retry-After gate it then uses), as the <see cref="GenreGrain"/> does for genres:
/// <list type="bullet">
/// <item>a track with a Spotify id but no duration, album id or art (extended history): <c>GET /tracks/{id}</c>;</item>
/// <item>a track known only by name (account data): <c>GET /search?type=track&amp;q=track:"…" artist:"…"</c>, and only a
/// result whose title and primary artist are the row's (<see cref="NameKey"/>) is taken — nothing is guessed.</item>
/// </list>
/// What Spotify answers is stored by the storage grain (<see cref="IStorageGrain.StoreTrackMetadataAsync"/>: a name-only
/// track is folded into the real one there). A track Spotify does not find is not asked about again for
/// <see cref="MetadataOptions.NotFoundRetryAfter"/>. A 429 pauses the fetcher until its Retry-After. Idles when nothing
/// is pending; imports (the storage grain) and the silo's start wake it.
/// </summary>
public sealed partial class MetadataGrain(
    TrackLookupStore store,
    AccountStore accounts,
    IOptions<MetadataOptions> options,
    TimeProvider timeProvider,
    ILogger<MetadataGrain> logger) : Grain, IMetadataGrain
{
    /// <summary>Tracks read per look at the pending list (one pass over the plays counts them).</summary>
    private const int PageSize = 50;

    private readonly MetadataOptions _options = options.Value;
    private readonly Queue<PendingTrackLookup> _queue = new();
    private bool _stale = true;
    private IGrainTimer? _timer;
    private int _nextAccount;

    private TimeSpan Interval => TimeSpan.FromMinutes(1) / _options.RequestsPerMinute;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (_options.RequestsPerMinute == 0)
        {
            // Turned off: no timer, so waking it does nothing and no lookup is ever sent.
            return Task.CompletedTask;
        }

        _timer = this.RegisterGrainTimer(TickAsync, new GrainTimerCreationOptions
        {
            DueTime = Interval,
            Period = Timeout.InfiniteTimeSpan,
            Interleave = false,
            KeepAlive = true,
        });
        return Task.CompletedTask;
    }

    Task IMetadataGrain.WakeAsync()
    {
        // New tracks may be more played than those in the page read before: read the pending list again.
        _stale = true;
        _timer?.Change(Interval, Timeout.InfiniteTimeSpan);
        return Task.CompletedTask;
    }

    private async Task TickAsync(CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        TimeSpan next;
        try
        {
            next = await LookUpOneAsync(now);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // A full disk or read-only database, a listener or storage grain that did not answer: try again later (the
            // pending list is read again, so the track is not lost); the fetcher must not stop.
            _stale = true;
            next = _options.FailureRetryInterval;
            LogTickFailed(logger, exception, next);
        }

        _timer?.Change(next, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Looks up one track; returns when to look up the next.</summary>
    private async Task<TimeSpan> LookUpOneAsync(DateTimeOffset now)
    {
        if (_stale || _queue.Count == 0)
        {
            _queue.Clear();
            foreach (var pending in await Task.Run(() => store.Pending(PageSize, now)))
            {
                _queue.Enqueue(pending);
            }

            _stale = false;
        }

        if (!_queue.TryPeek(out var track))
        {
            return _options.IdleCheckInterval;
        }

        if (track.IsNameOnly && string.IsNullOrWhiteSpace(track.ArtistName))
        {
            // Nothing to check a search result's artist against: never asked, never guessed.
            await LaterAsync(track, now + _options.NotFoundRetryAfter);
            return TimeSpan.Zero;
        }

        var members = await Task.Run(accounts.ListActiveKeys);
        if (members.Count == 0)
        {
            return _options.IdleCheckInterval;
        }

        var listener = GrainFactory.GetGrain<IListenerGrain>(members[_nextAccount++ % members.Count]);
        var lookup = track.IsNameOnly
            ? await listener.SearchTracksAsync(track.Name, track.ArtistName, _options.SearchLimit)
            : await listener.LookUpTrackAsync(track.SpotifyId!);
        switch (lookup.Status)
        {
            case TrackLookupStatus.Found when Accept(track, lookup) is { } found:
                var stored = await GrainFactory.GetGrain<IStorageGrain>(Constants.StorageGrainKey).StoreTrackMetadataAsync(track.TrackId, found);
                _queue.Dequeue();
                LogStored(logger, track.TrackId, found.Uri, stored.Folded);
                return Interval;
            case TrackLookupStatus.Found or TrackLookupStatus.NotFound:
                LogNotFound(logger, track.TrackId, track.IsNameOnly, _options.NotFoundRetryAfter);
                await LaterAsync(track, now + _options.NotFoundRetryAfter);
                return Interval;
            case TrackLookupStatus.RateLimited when lookup.RetryAt is { } retryAt && retryAt > now:
                LogPaused(logger, retryAt);
                return retryAt - now;
            case TrackLookupStatus.NoToken or TrackLookupStatus.RateLimited:
                // Another member's listener next time (or the Retry-After window has passed by now).
                return Interval;
            default:
                await LaterAsync(track, now + _options.RetryAfterFailure);
                return Interval;
        }
    }

    private async Task LaterAsync(PendingTrackLookup track, DateTimeOffset retryAt)
    {
        await Task.Run(() => store.Later(track.TrackId, track.Attempts + 1, retryAt));
        _queue.Dequeue();
    }

    /// <summary>
    /// The track to store: by id, Spotify's answer under the stored track's own id and URI (a relinked answer does
    /// not change which track the plays are of); by name, the first result whose title and primary artist are the
    /// row's once normalised; null when none is.
    /// </summary>
    private static TrackInfo? Accept(PendingTrackLookup track, TrackLookup lookup)
    {
        if (!track.IsNameOnly)
        {
            return lookup.Tracks.IsDefaultOrEmpty ? null : lookup.Tracks[0] with { Uri = track.Uri, SpotifyId = track.SpotifyId };
        }

        var title = NameKey.Normalise(track.Name);
        var artist = NameKey.Normalise(track.ArtistName);
        return (lookup.Tracks.IsDefault ? [] : lookup.Tracks).FirstOrDefault(t =>
            title.Length > 0
            && NameKey.Normalise(t.Name) == title
            && !t.Artists.IsDefaultOrEmpty
            && NameKey.Normalise(t.Artists[0].Name) == artist);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A metadata lookup failed; the next in {Delay}")]
    private static partial void LogTickFailed(ILogger logger, Exception exception, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Information, Message = "Metadata lookups pause until {RetryAt} (Spotify rate limit)")]
    private static partial void LogPaused(ILogger logger, DateTimeOffset retryAt);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Track {TrackId} is now {Uri} (folded into a stored track: {Folded})")]
    private static partial void LogStored(ILogger logger, long trackId, string uri, bool folded);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Spotify does not know track {TrackId} (searched by name: {ByName}); not asked again for {Wait}")]
    private static partial void LogNotFound(ILogger logger, long trackId, bool byName, TimeSpan wait);
}
