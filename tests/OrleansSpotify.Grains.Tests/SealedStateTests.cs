using Microsoft.Data.Sqlite;
using OrleansSpotify.Abstractions;
using OrleansSpotify.Storage;

namespace OrleansSpotify.Grains.Tests;

public sealed class SealedStateTests
{
    [Fact]
    public async Task TheListenersStateIsStoredSealedAndARestartedSiloOpensIt()
    {
        await using var h = await ListenerHarness.StartAsync();
        var user = h.Spotify.AddUser("sam", "Sam", accountId: "acc-sam");
        var grant = h.Spotify.IssueGrant("sam");
        var key = ListenerHarness.AccountKey(user);
        h.Accounts.Upsert(key, user.Id, user.DisplayName, h.Clock.GetUtcNow(), h.Clock.GetUtcNow());
        var listener = h.Client.GetGrain<IListenerGrain>(key);
        await listener.AuthorizeAsync(new SpotifyGrant(grant.AccessToken, h.Clock.GetUtcNow().AddHours(1), grant.RefreshToken, grant.Scope, h.Clock.GetUtcNow()));

        var stored = new GrainStateStore(h.Database).Read(Constants.ListenerStateName, $"listener/{key}");
        Assert.NotNull(stored);
        Assert.True(SealedPayload.IsSealed(stored.Payload));
        foreach (var token in new[] { grant.AccessToken, grant.RefreshToken })
        {
            Assert.True(stored.Payload.AsSpan().IndexOf(System.Text.Encoding.UTF8.GetBytes(token)) < 0, "a token is in the stored payload");
        }

        // A new silo (same data directory, same key ring) opens the sealed state: the account is still signed in.
        await h.RestartSiloAsync(kill: false);
        var status = await h.Client.GetGrain<IListenerGrain>(key).GetStatusAsync();
        Assert.Equal(AccountStatus.Active, status.Status);
        Assert.Equal(h.Clock.GetUtcNow(), status.AuthorizedAt);
        SqliteConnection.ClearAllPools();
    }

    [Fact]
    public async Task AStateTheKeyRingCannotOpenStartsSignedOutAndANewSignInReplacesIt()
    {
        await using var h = await ListenerHarness.StartAsync();
        var user = h.Spotify.AddUser("sam", "Sam", accountId: "acc-sam");
        var key = ListenerHarness.AccountKey(user);
        await h.SignInAsync(user);

        // The key ring is lost while the silo is down: the sealed state can no longer be opened.
        await h.Cluster.StopSiloAsync(h.Cluster.Silos[0], TestContext.Current.CancellationToken);
        SqliteConnection.ClearAllPools();
        Directory.Delete(Path.Combine(h.StorageOptions.DataDirectory, "keys"), recursive: true);
        await h.Cluster.StartAdditionalSiloAsync();
        await h.Cluster.InitializeClientAsync(TestContext.Current.CancellationToken);

        var listener = h.Client.GetGrain<IListenerGrain>(key);
        var status = await listener.GetStatusAsync();
        Assert.Equal(AccountStatus.Stopped, status.Status);
        Assert.Null(status.AuthorizedAt);

        await h.SignInAsync(user);
        Assert.Equal(AccountStatus.Active, (await listener.GetStatusAsync()).Status);
        Assert.True(SealedPayload.IsSealed(new GrainStateStore(h.Database).Read(Constants.ListenerStateName, $"listener/{key}")!.Payload));
        SqliteConnection.ClearAllPools();
    }
}
