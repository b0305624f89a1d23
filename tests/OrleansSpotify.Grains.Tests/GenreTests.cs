using OrleansSpotify.Abstractions;
using OrleansSpotify.FakeSpotify;
using OrleansSpotify.Storage;
using TimerArmed = OrleansSpotify.Testing.TimerSignallingClock.TimerArmed;

namespace OrleansSpotify.Grains.Tests;

public sealed class GenreTests
{
    private static readonly DateTimeOffset T0 = ListenerHarness.Start;

    /// <summary>The fetcher's pace at the default 20 lookups a minute, and its wait after a failed tick.</summary>
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(1) / new GenreOptions().RequestsPerMinute;
    private static readonly TimeSpan FailureRetry = new GenreOptions().FailureRetryInterval;

    [Fact]
    public async Task GenresAreFetchedOneArtistAtATimeAtABoundedRateAndUnknownsAreNeverInvented()
    {
        await using var h = await ListenerHarness.StartAsync();
        var catalog = FakeCatalog.Generate(seed: 5, trackCount: 120, artistCount: 30);
        h.Spotify.AddCatalog(catalog);
        var user = new Script(h.Spotify.AddUser("fan", "Fan"));
        user.Session(T0.AddMinutes(-50), catalog.Tracks.Take(12));
        var listener = await h.SignInAsync(user.User);
        // Only to the first poll: the fetcher's ticks (3 s apart) must not run while the clock is advanced for the
        // listener, or a lookup in flight could outlive its attempt timeout on this clock and be sent again.
        await h.RunUntilAsync(T0, listener);
        Assert.Equal(12, h.StoredPlays(user.User).Count);

        var artists = catalog.Tracks.Take(12).SelectMany(t => t.Artists).Select(a => a.Id).Distinct().ToList();
        var store = new GenreStore(h.Database);
        var armed = new TimerArmed(Interval, h.Clock.GetUtcNow());
        while (store.Pending(1, h.Clock.GetUtcNow()).Count > 0)
        {
            armed = await NextTickAsync(h, armed);
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
        var armed = new TimerArmed(Interval, h.Clock.GetUtcNow());

        // Another process holds the write lock: the first lookup's genres cannot be saved, and the fetcher tries the
        // same artist again a while later (the lock is held until then, so the first save surely failed).
        using (var holder = new Microsoft.Data.Sqlite.SqliteConnection(h.StorageOptions.ConnectionString))
        {
            holder.Open();
            using var transaction = holder.BeginTransaction(deferred: false);
            while (h.Spotify.Requests.Count(r => r.Endpoint == "artist") < 2)
            {
                armed = await NextTickAsync(h, armed);
            }

            transaction.Rollback();
        }

        // Writable again: the fetcher, which must not have stopped, fetches every artist (the refused one again).
        while (store.Pending(1, h.Clock.GetUtcNow()).Count > 0)
        {
            armed = await NextTickAsync(h, armed);
        }

        Assert.Empty(store.Pending(10, h.Clock.GetUtcNow()));
        var lookups = h.Spotify.Requests.Where(r => r.Endpoint == "artist").ToList();
        Assert.Equal(lookups[0].Path, lookups[1].Path);
        Assert.True(lookups[1].At - lookups[0].At >= new GenreOptions().FailureRetryInterval);
        Assert.InRange(lookups.Count, artists + 1, artists + 2);
        Assert.Equal(artists, lookups.Select(r => r.Path).Distinct().Count());
    }
    /// <summary>
    /// Advances the clock to when the genre fetcher's timer (last armed as <paramref name="armed"/>) is due, and waits
    /// until the fetcher has armed it again at or after that time: the tick the advance fired (or one still running when
    /// it was taken) has finished — its lookup answered, its genres saved or refused. The clock never moves while a
    /// lookup is in flight, so no HTTP attempt timeout (on the same fake clock) can expire under a slow machine and
    /// turn one lookup into several. Listener timers are never due in 3 s or exactly a minute, Polly's in 10 s.
    /// </summary>
    private static async Task<TimerArmed> NextTickAsync(ListenerHarness h, TimerArmed armed)
    {
        var now = h.Clock.GetUtcNow();
        var step = armed.At + armed.Due - now;
        step = step < TimeSpan.Zero ? TimeSpan.Zero : step;
        var after = now + step;
        return await h.Clock.ArmedAfterAsync(
            () => h.Clock.Advance(step),
            a => a.At >= after && (a.Due == Interval || a.Due == FailureRetry),
            TimeSpan.FromSeconds(30),
            $"the genre fetcher to finish the tick due at {after:O}",
            TestContext.Current.CancellationToken);
    }
}
