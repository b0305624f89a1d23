using OrleansSpotify.Abstractions;
using OrleansSpotify.Storage;

namespace OrleansSpotify.Host.Demo;

/// <summary>Signs the simulated household in once the silo runs, as if each member had gone through /auth/login.</summary>
public sealed partial class DemoHouseholdSignIn(
    DemoSpotify demo,
    AccountStore accounts,
    IGrainFactory grains,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<DemoHouseholdSignIn> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
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
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "DEMO MODE: Spotify is simulated by the built-in fake at {FakeSpotify}; all data is demo data. Sign in at /auth/login as one of the demo members.")]
    private static partial void LogDemo(ILogger logger, Uri fakeSpotify);
}
