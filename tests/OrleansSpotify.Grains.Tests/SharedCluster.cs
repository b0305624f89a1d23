using OrleansSpotify.Abstractions;

namespace OrleansSpotify.Grains.Tests;

/// <summary>
/// One silo (a <see cref="ListenerHarness"/>) shared by the tests that never move time: their plays carry fixed
/// timestamps and their questions fixed periods, so the harness clock simply stands at <see cref="ListenerHarness.Start"/>.
/// Tests that advance the clock, restart the silo or need their own silo settings start their own harness.
/// The collection's tests run one after another; each uses account keys and track ids of its own, and a test that asks
/// the household (which spans every sharing account in the database) claims it first.
/// </summary>
public sealed class SharedCluster : IAsyncLifetime
{
    public ListenerHarness Harness { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Harness = await ListenerHarness.StartAsync();

    public ValueTask DisposeAsync() => Harness.DisposeAsync();

    /// <summary>
    /// Makes the household exactly <paramref name="members"/> (accounts the caller has created): every other account
    /// in the shared database, left by earlier tests, stops sharing, as a member who goes private does.
    /// </summary>
    public async Task ClaimHouseholdAsync(params string[] members)
    {
        var now = Harness.Clock.GetUtcNow();
        foreach (var account in Harness.Accounts.List())
        {
            Harness.Accounts.SetSharing(account.AccountKey, members.Contains(account.AccountKey, StringComparer.Ordinal), now);
        }

        await Harness.Client.GetGrain<IHouseholdStatsGrain>(Constants.HouseholdKey).ChangedAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class SharedClusterCollection : ICollectionFixture<SharedCluster>
{
    public const string Name = "Shared cluster";
}
