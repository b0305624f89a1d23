using System.Collections.Immutable;
using OrleansSpotify.Abstractions;
using OrleansSpotify.FakeSpotify;
using OrleansSpotify.Storage.Metadata;
using OrleansSpotify.Testing;
using TimerArmed = OrleansSpotify.Testing.TimerSignallingClock.TimerArmed;

namespace OrleansSpotify.Grains.Tests;

/// <summary>
/// The metadata fetcher against the fake Spotify: imported tracks gain duration, album and art; a track known only by
/// name is folded into the real one; the pace is bounded; a 429 pauses it; names Spotify does not confirm stay unknown.
/// </summary>
public sealed class MetadataTests
{
    private static readonly DateTimeOffset T0 = ListenerHarness.Start;

    /// <summary>13 lookups a minute: a pace no other timer of the silo has (the genre fetcher runs at 1 a minute here).</summary>
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(1) / 13;

    private static readonly TimeSpan FailureRetry = TimeSpan.FromSeconds(7.3);

    private static readonly ListeningDetails Details = new("trackdone", "trackdone", false, false, false, null, false, "android");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task<ListenerHarness> StartAsync() => ListenerHarness.StartAsync(configure: h =>
    {
        h.ConfigureMetadata = o =>
        {
            o.RequestsPerMinute = 13;
            o.FailureRetryInterval = FailureRetry;
        };
        h.ConfigureGenres = o => o.RequestsPerMinute = 1;
    });

    [Fact]
    public async Task ImportedTracksGainDurationAlbumAndArtMostPlayedFirstAtABoundedRate()
    {
        await using var h = await StartAsync();
        var catalog = FakeCatalog.Generate(seed: 8, trackCount: 60, artistCount: 12);
        h.Spotify.AddCatalog(catalog);
        var user = h.Spotify.AddUser("fan", "Fan");
        var listener = await h.SignInAsync(user);
        await h.RunUntilAsync(T0, listener);

        // Four tracks from an extended history (no duration, album named without an id), played 1, 4, 2 and 3 times.
        var tracks = catalog.Tracks.Take(4).ToList();
        int[] counts = [1, 4, 2, 3];
        var rows = tracks.SelectMany((t, i) => Enumerable.Range(0, counts[i]).Select(n =>
            new ImportedPlay(0, ImportedKind.Track, T0.AddDays(-10 + i).AddHours(n), 150_000, t.Uri, t.Name, t.Artists[0].Name, t.Album.Name, Details, null))).ToImmutableArray();
        var armed = await ImportAsync(h, "fan", ImportFormat.ExtendedHistory, rows);
        var store = new TrackLookupStore(h.Database);
        Assert.Equal(4, store.Pending(10, h.Clock.GetUtcNow()).Count);

        while (store.Pending(1, h.Clock.GetUtcNow()).Count > 0)
        {
            armed = await NextTickAsync(h, armed);
        }

        // The fake logs a request once its response is sent: the last may be logged after the fetcher moved on.
        await h.Spotify.WaitForAsync(r => r.Endpoint == "track", 4, TimeSpan.FromSeconds(30), "the four track lookups");
        var lookups = h.Spotify.Requests.Where(r => r.Endpoint == "track").ToList();
        Assert.Equal([tracks[1].Id, tracks[3].Id, tracks[2].Id, tracks[0].Id], lookups.Select(r => r.Path.Split('/')[^1]));
        Assert.All(lookups.Zip(lookups.Skip(1)), pair => Assert.True(pair.Second.At - pair.First.At >= Interval));
        Assert.DoesNotContain(h.Spotify.Requests, r => r.Endpoint == "search");

        var stored = Catalogue(h);
        foreach (var track in tracks)
        {
            Assert.Equal(((long)track.Duration.TotalMilliseconds, track.Album.Id, true, track.Artists[0].Id), stored[track.Uri]);
        }

        var albums = await h.Client.GetGrain<IAccountStatsGrain>("fan").GetTopAsync(TopKind.Albums, new StatsRequest(null, null, "UTC", Limit: 50));
        Assert.Equal(tracks.Select(t => t.Album.Id).Distinct().Order(), albums.Items.Select(a => a.SpotifyId).Order());
        Assert.All(albums.Items, a => Assert.NotNull(a.ImageUrl));
    }

    [Fact]
    public async Task ANameOnlyTrackIsFoldedIntoThePolledOneAndNamesSpotifyDoesNotConfirmStayUnknown()
    {
        await using var h = await StartAsync();
        var catalog = FakeCatalog.Generate(seed: 9, trackCount: 60, artistCount: 12);
        h.Spotify.AddCatalog(catalog);
        var user = h.Spotify.AddUser("fan", "Fan");
        var script = new Script(user);
        var song = catalog.Tracks.First(t => t.Name.Contains(' ', StringComparison.Ordinal));
        var prefix = song.Name[..song.Name.IndexOf(' ', StringComparison.Ordinal)];
        Assert.DoesNotContain(catalog.Tracks, t => Storage.Import.NameKey.Normalise(t.Name) == Storage.Import.NameKey.Normalise(prefix));

        // Account data first (the song is not stored yet, so it is kept by name), then the song is polled once.
        h.Accounts.Upsert("fan", "fan", "Fan", T0, T0);
        var armed = await ImportAsync(h, "fan", ImportFormat.AccountData, [
            new(0, ImportedKind.Track, T0.AddDays(-5), 200_000, null, song.Name.ToUpperInvariant(), song.Artists[0].Name, null, null, null),
            new(1, ImportedKind.Track, T0.AddDays(-4), 200_000, null, song.Name.ToUpperInvariant(), song.Artists[0].Name, null, null, null),
            // A search finds the song for this one, but its title is not the row's: not taken.
            new(2, ImportedKind.Track, T0.AddDays(-3), 200_000, null, prefix, song.Artists[0].Name, null, null, null),
            // Nothing like it in the catalogue.
            new(3, ImportedKind.Track, T0.AddDays(-2), 200_000, null, "A Song Nobody Wrote", "Nobody At All", null, null, null),
        ]);
        script.Session(T0.AddMinutes(-20), [song]);
        var listener = await h.SignInAsync(user);
        await h.RunUntilAsync(T0, listener);
        Assert.Single(h.StoredPlays(user), p => p.Uri == song.Uri);
        var stats = h.Client.GetGrain<IAccountStatsGrain>("fan");
        var before = await stats.GetTopAsync(TopKind.Tracks, new StatsRequest(null, null, "UTC", Limit: 50));
        Assert.Equal(2, before.Items.Count(i => Storage.Import.NameKey.Normalise(i.Name) == Storage.Import.NameKey.Normalise(song.Name)));

        var store = new TrackLookupStore(h.Database);
        while (store.Pending(1, h.Clock.GetUtcNow()).Count > 0)
        {
            armed = await NextTickAsync(h, armed);
        }

        await h.Spotify.WaitForAsync(r => r.Endpoint == "search", 3, TimeSpan.FromSeconds(30), "the three searches");
        var searches = h.Spotify.Requests.Where(r => r.Endpoint == "search").ToList();
        Assert.Equal(3, searches.Count);
        Assert.All(searches, s => Assert.Contains("limit=5", s.Query, StringComparison.Ordinal));
        var top = await stats.GetTopAsync(TopKind.Tracks, new StatsRequest(null, null, "UTC", Limit: 50));
        var folded = Assert.Single(top.Items, i => Storage.Import.NameKey.Normalise(i.Name) == Storage.Import.NameKey.Normalise(song.Name));
        Assert.Equal((song.Id, song.Name, 3L), (folded.SpotifyId, folded.Name, folded.Plays));
        Assert.Equal(5L, (await stats.GetSummaryAsync(new StatsRequest(null, null, "UTC"))).Plays);

        // The two names Spotify did not confirm are still known by name only, and are not asked about again for a while.
        var nameOnly = Catalogue(h).Where(t => t.Key.StartsWith("spotify:imported:", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, nameOnly.Count);
        Assert.All(nameOnly, t => Assert.Null(t.Value.Album));
        Assert.Empty(store.Pending(10, h.Clock.GetUtcNow().AddDays(29)));
        Assert.Equal(2, store.Pending(10, h.Clock.GetUtcNow().AddDays(31)).Count);
    }

    [Fact]
    public async Task A429PausesTheFetcherUntilItsRetryAfter()
    {
        await using var h = await StartAsync();
        var catalog = FakeCatalog.Generate(seed: 10, trackCount: 40, artistCount: 10);
        h.Spotify.AddCatalog(catalog);
        var user = h.Spotify.AddUser("fan", "Fan");
        var listener = await h.SignInAsync(user);
        await h.RunUntilAsync(T0, listener);
        var tracks = catalog.Tracks.Take(2).ToList();
        var armed = await ImportAsync(h, "fan", ImportFormat.ExtendedHistory,
            [.. tracks.Select((t, i) => new ImportedPlay(0, ImportedKind.Track, T0.AddDays(-3).AddHours(i), 150_000, t.Uri, t.Name, t.Artists[0].Name, t.Album.Name, Details, null))]);
        var pause = TimeSpan.FromSeconds(40);
        h.Spotify.Faults.EnqueueRateLimit(FakeEndpoint.Track, pause);

        // The first lookup is answered 429 "Retry-After: 40": the fetcher's next tick is 40 s away, not one interval.
        var paused = await NextTickAsync(h, armed, a => a.Due == pause);
        await h.Spotify.WaitForAsync(r => r.Endpoint == "track", 1, TimeSpan.FromSeconds(30), "the rate-limited lookup");
        var limited = Assert.Single(h.Spotify.Requests, r => r.Endpoint == "track");
        Assert.Equal(429, limited.StatusCode);

        var store = new TrackLookupStore(h.Database);
        armed = await NextTickAsync(h, paused);
        while (store.Pending(1, h.Clock.GetUtcNow()).Count > 0)
        {
            armed = await NextTickAsync(h, armed);
        }

        await h.Spotify.WaitForAsync(r => r.Endpoint == "track", 3, TimeSpan.FromSeconds(30), "the lookups after the pause");
        var lookups = h.Spotify.Requests.Where(r => r.Endpoint == "track").ToList();
        Assert.Equal(3, lookups.Count);
        Assert.Equal(lookups[0].Path, lookups[1].Path);
        Assert.True(lookups[1].At - lookups[0].At >= pause);
        Assert.All(lookups.Skip(1), r => Assert.Equal(200, r.StatusCode));
        Assert.All(tracks, t => Assert.Equal((long)t.Duration.TotalMilliseconds, Catalogue(h)[t.Uri].Duration));
    }

    /// <summary>Imports through the storage grain and returns the metadata fetcher's timer as the import's wake armed it.</summary>
    private static async Task<TimerArmed> ImportAsync(ListenerHarness h, string account, ImportFormat format, ImmutableArray<ImportedPlay> rows)
    {
        Task<ImportBatchResult>? import = null;
        var armed = await h.Clock.ArmedAfterAsync(
            () => import = h.Client.GetGrain<IStorageGrain>(Constants.StorageGrainKey).ImportAsync(account, format, rows),
            a => a.Due == Interval,
            TimeSpan.FromSeconds(30),
            "the import to wake the metadata fetcher",
            Ct);
        Assert.Equal(rows.Length, (await import!).Imported);
        return armed;
    }

    /// <summary>
    /// Advances the clock to when the fetcher's timer (last armed as <paramref name="armed"/>) is due and waits until it
    /// is armed again (<paramref name="match"/>; by default one interval or the failure wait): that tick has finished,
    /// its answer stored. The clock never moves while a lookup is in flight (see GenreTests).
    /// </summary>
    private static async Task<TimerArmed> NextTickAsync(ListenerHarness h, TimerArmed armed, Func<TimerArmed, bool>? match = null)
    {
        var now = h.Clock.GetUtcNow();
        var step = armed.At + armed.Due - now;
        step = step < TimeSpan.Zero ? TimeSpan.Zero : step;
        var after = now + step;
        match ??= a => a.Due == Interval || a.Due == FailureRetry;
        return await h.Clock.ArmedAfterAsync(
            () => h.Clock.Advance(step),
            a => a.At >= after && match(a),
            TimeSpan.FromSeconds(30),
            $"the metadata fetcher to finish the tick due at {after:O}",
            Ct);
    }

    /// <summary>Every track by URI: duration, album Spotify id, whether the album has art, primary artist's Spotify id.</summary>
    private static Dictionary<string, (long Duration, string? Album, bool Art, string? Artist)> Catalogue(ListenerHarness h)
    {
        using var connection = h.Database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT t.uri, t.duration_ms, al.spotify_id, al.image_url IS NOT NULL,
                   (SELECT ar.spotify_id FROM track_artists ta JOIN artists ar ON ar.id = ta.artist_id WHERE ta.track_id = t.id AND ta.position = 0)
            FROM tracks t LEFT JOIN albums al ON al.id = t.album_id;
            """;
        using var reader = command.ExecuteReader();
        var tracks = new Dictionary<string, (long, string?, bool, string?)>(StringComparer.Ordinal);
        while (reader.Read())
        {
            tracks[reader.GetString(0)] = (reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetInt64(3) != 0, reader.IsDBNull(4) ? null : reader.GetString(4));
        }

        return tracks;
    }
}
