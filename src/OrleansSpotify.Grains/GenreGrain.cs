using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansSpotify.Abstractions;
using OrleansSpotify.Storage;

namespace OrleansSpotify.Grains;

/// <summary>
/// Fetches the genres of artists that have none cached, most played first, one <c>GET /artists/{id}</c> per tick at
/// <see cref="GenreOptions.RequestsPerMinute"/>, through the listener of a signed-in member (whose token and
/// the app-wide Retry-After gate it then uses). Idles when nothing is pending; new plays wake it. Its SQLite reads and
/// writes run on the thread pool and are awaited (Microsoft.Data.Sqlite is synchronous), as the storage grain writes
/// plays: the tick's turn yields meanwhile.
/// </summary>
public sealed partial class GenreGrain(
    GenreStore store,
    GenreCatalog catalog,
    AccountStore accounts,
    IOptions<GenreOptions> options,
    TimeProvider timeProvider,
    ILogger<GenreGrain> logger) : Grain, IGenreGrain
{
    private readonly GenreOptions _options = options.Value;
    private IGrainTimer? _timer;
    private int _nextAccount;

    private TimeSpan Interval => TimeSpan.FromMinutes(1) / _options.RequestsPerMinute;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _timer = this.RegisterGrainTimer(TickAsync, new GrainTimerCreationOptions
        {
            DueTime = Interval,
            Period = Timeout.InfiniteTimeSpan,
            Interleave = false,
            KeepAlive = true,
        });
        return Task.CompletedTask;
    }

    Task IGenreGrain.WakeAsync()
    {
        _timer?.Change(Interval, Timeout.InfiniteTimeSpan);
        return Task.CompletedTask;
    }

    private async Task TickAsync(CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        TimeSpan next;
        try
        {
            next = await FetchOneAsync(now);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // A full disk or read-only database (saving genres), a listener that did not answer: try again later;
            // the fetcher must not stop.
            next = _options.FailureRetryInterval;
            LogFetchFailed(logger, exception, next);
        }

        _timer?.Change(next, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Fetches one artist's genres; returns when to fetch the next.</summary>
    private async Task<TimeSpan> FetchOneAsync(DateTimeOffset now)
    {
        var artist = (await Task.Run(() => store.Pending(1, now))).FirstOrDefault();
        if (artist is null)
        {
            return _options.IdleCheckInterval;
        }

        var members = await Task.Run(accounts.ListActiveKeys);
        if (members.Count == 0)
        {
            return _options.IdleCheckInterval;
        }

        var member = members[_nextAccount++ % members.Count];
        var lookup = await GrainFactory.GetGrain<IListenerGrain>(member).LookUpArtistAsync(artist.SpotifyId);
        switch (lookup.Status)
        {
            case ArtistLookupStatus.Found:
                await Task.Run(() => store.Save(artist.ArtistId, lookup.Genres, now));
                catalog.Invalidate();
                return Interval;
            case ArtistLookupStatus.NotFound:
                await Task.Run(() => store.Save(artist.ArtistId, null, now));
                catalog.Invalidate();
                return Interval;
            case ArtistLookupStatus.RateLimited when lookup.RetryAt is { } retryAt && retryAt > now:
                LogPaused(logger, retryAt);
                return retryAt - now;
            case ArtistLookupStatus.NoToken:
                return Interval;
            default:
                await Task.Run(() => store.Failed(artist.ArtistId, artist.Attempts + 1, now + _options.RetryAfterFailure));
                return Interval;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A genre lookup failed; the next in {Delay}")]
    private static partial void LogFetchFailed(ILogger logger, Exception exception, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Information, Message = "Genre lookups pause until {RetryAt} (Spotify rate limit)")]
    private static partial void LogPaused(ILogger logger, DateTimeOffset retryAt);
}
