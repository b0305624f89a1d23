using OrleansSpotify.Abstractions;
using OrleansSpotify.FakeSpotify;
using OrleansSpotify.Storage;

namespace OrleansSpotify.Grains.Tests;

public sealed class GenreTests
{
    private static readonly DateTimeOffset T0 = ListenerHarness.Start;

    [Fact]
    public async Task GenresAreFetchedOneArtistAtATimeAtABoundedRateAndUnknownsAreNeverInvented()
    {
        await using var h = await ListenerHarness.StartAsync();
        var catalog = FakeCatalog.Generate(seed: 5, trackCount: 120, artistCount: 30);
        h.Spotify.AddCatalog(catalog);
        var user = new Script(h.Spotify.AddUser("fan", "Fan"));
        user.Session(T0.AddMinutes(-50), catalog.Tracks.Take(12));
        var listener = await h.SignInAsync(user.User);
        await h.RunUntilAsync(T0.AddMinutes(1), listener);
        Assert.Equal(12, h.StoredPlays(user.User).Count);

        var artists = catalog.Tracks.Take(12).SelectMany(t => t.Artists).Select(a => a.Id).Distinct().ToList();
        var store = new GenreStore(h.Database);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (store.Pending(1, h.Clock.GetUtcNow()).Count > 0 && DateTime.UtcNow < deadline)
        {
            h.Clock.Advance(TimeSpan.FromSeconds(3));
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        Assert.Empty(store.Pending(10, h.Clock.GetUtcNow()));
        var lookups = h.Spotify.Requests.Where(r => r.Endpoint == "artist").ToList();
        Assert.Equal(artists.Order(), lookups.Select(r => r.Path.Split('/')[^1]).Order());
        Assert.All(lookups.Zip(lookups.Skip(1)), pair => Assert.True(pair.Second.At - pair.First.At >= TimeSpan.FromSeconds(3)));

        // Oracle: each play counts for every genre of its primary artist; artists without genres are unknown.
        var plays = catalog.Tracks.Take(12).ToList();
        var expected = plays
            .SelectMany(t => catalog.GenresOf(t.Artists[0].Id).Select(g => (Genre: g, Ms: (long)t.Duration.TotalMilliseconds)))
            .GroupBy(x => x.Genre)
            .Select(g => (Name: g.Key, Plays: (long)g.Count(), Ms: g.Sum(x => x.Ms)))
            .OrderByDescending(g => g.Plays).ThenByDescending(g => g.Ms).ThenBy(g => g.Name, StringComparer.Ordinal)
            .ToList();
        var unknown = plays.Where(t => catalog.GenresOf(t.Artists[0].Id).Count == 0).ToList();

        var stats = await h.Client.GetGrain<IAccountStatsGrain>("fan").GetGenresAsync(new StatsRequest(null, null, "UTC", Limit: 500));
        Assert.Equal(expected.Select(e => (e.Name, e.Plays, e.Ms)), stats.Items.Select(i => (i.Name, i.Plays, i.Time.TotalMs)));
        Assert.Equal(unknown.Count, stats.UnknownPlays);
        Assert.Equal(unknown.Sum(t => (long)t.Duration.TotalMilliseconds), stats.UnknownTime.TotalMs);
    }

    [Fact]
    public async Task AGenreTheDatabaseRefusedIsFetchedAgainLaterAndTheFetcherGoesOn()
    {
        await using var h = await ListenerHarness.StartAsync(configure: h => h.ConfigureStorage = o => o.BusyTimeout = TimeSpan.FromMilliseconds(100));
        var catalog = FakeCatalog.Generate(seed: 6, trackCount: 40, artistCount: 10);
        h.Spotify.AddCatalog(catalog);
        var user = new Script(h.Spotify.AddUser("fan", "Fan"));
        user.Session(T0.AddMinutes(-30), catalog.Tracks.Take(6));
        var listener = await h.SignInAsync(user.User);
        await h.RunUntilAsync(T0, listener);   // the first poll stores the plays; the fetcher's first tick is 3 s away
        Assert.Equal(6, h.StoredPlays(user.User).Count);
        var store = new GenreStore(h.Database);
        var artists = store.Pending(100, h.Clock.GetUtcNow()).Count;
        Assert.True(artists > 0);
        var ct = TestContext.Current.CancellationToken;

        // Another process holds the write lock: the first lookup's genres cannot be saved, and the fetcher tries the
        // same artist again a while later (the lock is held until then, so the first save surely failed).
        using (var holder = new Microsoft.Data.Sqlite.SqliteConnection(h.StorageOptions.ConnectionString))
        {
            holder.Open();
            using var transaction = holder.BeginTransaction(deferred: false);
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (h.Spotify.Requests.Count(r => r.Endpoint == "artist") < 2)
            {
                Assert.True(DateTime.UtcNow < deadline, "The genre fetcher made no lookup.");
                h.Clock.Advance(TimeSpan.FromSeconds(3));
                await Task.Delay(20, ct);
            }

            transaction.Rollback();
        }

        // Writable again: the fetcher, which must not have stopped, fetches every artist (the refused one again).
        var until = DateTime.UtcNow.AddSeconds(60);
        while (store.Pending(1, h.Clock.GetUtcNow()).Count > 0 && DateTime.UtcNow < until)
        {
            h.Clock.Advance(TimeSpan.FromSeconds(3));
            await Task.Delay(20, ct);
        }

        Assert.Empty(store.Pending(10, h.Clock.GetUtcNow()));
        var lookups = h.Spotify.Requests.Where(r => r.Endpoint == "artist").ToList();
        Assert.Equal(lookups[0].Path, lookups[1].Path);
        Assert.True(lookups[1].At - lookups[0].At >= new GenreOptions().FailureRetryInterval);
        Assert.InRange(lookups.Count, artists + 1, artists + 2);
        Assert.Equal(artists, lookups.Select(r => r.Path).Distinct().Count());
    }
}
