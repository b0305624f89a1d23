using OrleansSpotify.Abstractions;
using OrleansSpotify.FakeSpotify;
using OrleansSpotify.Storage;

namespace OrleansSpotify.Host.Demo;

/// <summary>Signs the simulated household in once the silo runs, as if each member had gone through /auth/login.</summary>
public sealed partial class DemoHouseholdSignIn(
    DemoSpotify demo,
    DemoDataStatus status,
    AccountStore accounts,
    IGrainFactory grains,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<DemoHouseholdSignIn> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await SignInAndImportAsync(stoppingToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            // A full disk or read-only database must not stop the host (a background service's failure would).
            LogDemoFailed(logger, exception);
        }
    }

    private async Task SignInAndImportAsync(CancellationToken stoppingToken)
    {
        // Grain calls are possible once the application (and with it the silo) has started.
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        await started.Task.WaitAsync(stoppingToken);

        var fake = await demo.Server.WaitAsync(stoppingToken);
        LogDemo(logger, fake.BaseUri);
        foreach (var user in demo.Users)
        {
            var now = time.GetUtcNow();
            var grant = fake.IssueGrant(user.Id);
            var key = string.IsNullOrEmpty(user.AccountId) ? user.Id : user.AccountId;
            accounts.Upsert(key, user.Id, user.DisplayName, now, now);
            await grains.GetGrain<IListenerGrain>(key).AuthorizeAsync(new SpotifyGrant(
                grant.AccessToken, now.AddSeconds(grant.ExpiresInSeconds), grant.RefreshToken, grant.Scope, now));
        }

        // Then each member's months of history, as if they had imported their Spotify data export.
        var storage = grains.GetGrain<IStorageGrain>(Constants.StorageGrainKey);
        foreach (var user in demo.Users)
        {
            var key = string.IsNullOrEmpty(user.AccountId) ? user.Id : user.AccountId;
            var history = user.Plays
                .Where(p => p.EndedAt < demo.LiveFrom && !p.PrivateSession && p.Item is FakeTrack)
                .Select(ToImportedPlay)
                .ToList();
            foreach (var batch in history.Chunk(1000))
            {
                stoppingToken.ThrowIfCancellationRequested();
                await storage.RecordPlaysAsync(key, [.. batch]);
            }

            LogImported(logger, history.Count, user.DisplayName);
        }

        status.MarkComplete();
    }

    /// <summary>A scripted play as an extended-streaming-history entry: the end time and the milliseconds played.</summary>
    private static PlayRecord ToImportedPlay(ScriptedPlay play)
    {
        var track = (FakeTrack)play.Item;
        var album = new AlbumInfo(track.Album.Id, track.Album.Name, track.Album.AlbumType, track.Album.ReleaseDate, null);
        var info = new TrackInfo(
            track.Uri, track.Id, track.Name, (long)track.Duration.TotalMilliseconds, track.Explicit, false, track.Isrc, album,
            [.. track.Artists.Select(a => new ArtistInfo(a.Id, a.Name))]);
        var contextType = play.ContextUri?.Split(':') switch
        {
            [_, "user", _, "collection"] => "collection",
            [_, var type, _] => type,
            _ => null,
        };
        return new PlayRecord(play.EndedAt, info, (long)play.Played.TotalMilliseconds, play.ContextUri, contextType, PlaySource.ImportExtendedHistory);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Demo: signing the household in or importing its history failed; the service runs on")]
    private static partial void LogDemoFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo: imported {Count} plays of history for {Member}")]
    private static partial void LogImported(ILogger logger, int count, string member);

    [LoggerMessage(Level = LogLevel.Warning, Message = "DEMO MODE: Spotify is simulated by the built-in fake at {FakeSpotify}; all data is demo data. Sign in at /auth/login as one of the demo members.")]
    private static partial void LogDemo(ILogger logger, Uri fakeSpotify);
}
