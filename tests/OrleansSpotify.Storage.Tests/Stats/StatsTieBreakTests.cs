using System.Text.Json;
using OrleansSpotify.Abstractions;
using OrleansSpotify.Storage.Stats;

namespace OrleansSpotify.Storage.Tests.Stats;

/// <summary>
/// Answers do not depend on the order the catalogue was filled in (row ids): two databases holding the same plays,
/// with tracks, artists and albums first stored in opposite orders, give the same top lists — ties broken by name,
/// then Spotify URI or id — and the same album subtitles (the artist primary on most of the album's tracks, ties by name).
/// </summary>
public sealed class StatsTieBreakTests
{
    private static readonly ArtistInfo Zed = new("zed", "Zed");
    private static readonly ArtistInfo Abba = new("abba", "Abba");
    private static readonly ArtistInfo Mid = new(null, "Mid");
    private static readonly AlbumInfo Beta = new("beta", "Beta", "album", null, null);
    private static readonly AlbumInfo Alpha = new("alpha", "Alpha", "album", null, null);
    private static readonly AlbumInfo Gamma = new("gamma", "Gamma", "album", null, null);

    // Every track is played once in each month for the same time, so every count and time below ties.
    private static readonly TrackInfo[] Tracks =
    [
        Track(1, "Hotel", Beta, Zed),
        Track(2, "Echo", Beta, Abba),
        Track(3, "Alpha", Alpha, Mid),
        Track(4, "Golf", Alpha, Mid),
        Track(5, "Bravo", Alpha, Abba),
        Track(6, "Delta", Beta, Zed),
        Track(7, "Charlie", Gamma, Abba),
        Track(8, "Foxtrot", Gamma, Zed),
    ];

    [Fact]
    public void TheSamePlaysStoredInAnotherOrderGiveTheSameTopListsAndSubtitles()
    {
        using var forward = Stored(Tracks);
        using var backward = Stored([.. Tracks.Reverse()]);
        var february = new StatsRequest(new DateTimeOffset(2025, 2, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2025, 3, 1, 0, 0, 0, TimeSpan.Zero), "UTC");
        foreach (var request in new[] { february, february with { Limit = 3 }, february with { By = TopOrder.Time, Limit = 1 }, new StatsRequest(null, null, "UTC") })
        {
            foreach (var kind in new[] { TopKind.Tracks, TopKind.Artists, TopKind.Albums })
            {
                Assert.Equal(JsonSerializer.Serialize(Top(forward, kind, request)), JsonSerializer.Serialize(Top(backward, kind, request)));
            }
        }

        var tracks = Top(forward, TopKind.Tracks, february);
        Assert.Equal(["Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot", "Golf", "Hotel"], tracks.Items.Select(i => i.Name));
        Assert.Equal([1, 2, 3, 4, 5, 6, 7, 8], tracks.Items.Select(i => i.PreviousRank ?? 0));
        Assert.Equal(["Alpha", "Bravo", "Charlie"], Top(backward, TopKind.Tracks, february with { Limit = 3 }).Items.Select(i => i.Name));
        Assert.Equal(["Abba", "Zed", "Mid"], Top(backward, TopKind.Artists, february).Items.Select(i => i.Name));
        var albums = Top(backward, TopKind.Albums, february).Items;
        Assert.Equal(["Alpha", "Beta", "Gamma"], albums.Select(i => i.Name));
        Assert.Equal(["Mid", "Zed", "Abba"], albums.Select(i => i.Subtitle));
    }

    private static TopList Top(TestDatabase db, TopKind kind, StatsRequest request)
    {
        var names = new CatalogCache(db.Database);
        var engine = new StatsEngine(new PlayLogReader(db.Database).Load("alex")!, names.Current(), names, TimeZoneInfo.Utc, StatsFixture.Now);
        return engine.Top(kind, request);
    }

    /// <summary>One play per track on 10 January and one on 10 February, written a play at a time in the given order of tracks.</summary>
    private static TestDatabase Stored(IReadOnlyList<TrackInfo> order)
    {
        var db = new TestDatabase();
        db.Accounts.Upsert("alex", "alex", "Alex", TestDatabase.T0, TestDatabase.T0);
        using var writer = new PlayWriter(db.Database);
        foreach (var month in new[] { 1, 2 })
        {
            foreach (var track in order)
            {
                var index = Array.IndexOf(Tracks, track);
                var at = new DateTimeOffset(2025, month, 10, 12, 0, 0, TimeSpan.Zero).AddMinutes(index * 5);
                Assert.All(writer.Write([new PendingPlay("alex", new PlayRecord(at, track, 200_000, null, null, PlaySource.ImportExtendedHistory))]), Assert.True);
            }
        }

        return db;
    }

    private static TrackInfo Track(int n, string name, AlbumInfo album, ArtistInfo artist) =>
        new($"spotify:track:t{n}", $"t{n}", name, 200_000, false, false, null, album, [artist]);
}
