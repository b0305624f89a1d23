using System.Text.Json;
using OrleansSpotify.Abstractions;
using OrleansSpotify.Import.OwnFormat;
using OrleansSpotify.Storage.Export;
using OrleansSpotify.Storage.Import;
using OrleansSpotify.Storage.Stats;

namespace OrleansSpotify.Storage.Tests.Export;

/// <summary>
/// The json export of an instance that holds more than polled music — podcast episodes and audiobook chapters,
/// skips, tracks known only by name (account data), tracks an extended-history import catalogued without duration or
/// album id, polled plays that gained an imported ms_played — imported into an empty database through the storage
/// grain's import path (<see cref="PlayImporter"/> with the rows the json reader yields), gives every stat again:
/// every answer of the account stats grain (genres aside: they come from Spotify, not from plays), the podcasts, and
/// every play as the export reads it.
/// </summary>
public sealed class ImportedExportRoundTripTests
{
    private static readonly DateTimeOffset T0 = TestDatabase.T0;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AnInstanceWithEpisodesSkipsAndNameOnlyTracksIsReproducedByItsJsonExport()
    {
        using var source = new TestDatabase();
        using var target = new TestDatabase();
        foreach (var db in new[] { source, target })
        {
            db.Accounts.Upsert("alex", "alex", "Alex", T0, T0);
        }

        Fill(source);
        var account = new ExportAccount("alex", "Alex");
        var json = PlayExportWriter.For(ExportFormat.Json);
        using var file = new MemoryStream();
        await json.WriteAsync(new ExportDocument([account], T0, "1.0.0"), new PlayExport(source.Database).Read([account], json.Order, Ct), file, Ct);
        file.Position = 0;

        using (var writer = new PlayWriter(target.Database))
        using (var importer = new PlayImporter(writer))
        {
            var rows = new List<ImportedPlay>();
            await foreach (var row in new OrleansSpotifyExportReader().ReadAsync(file, "orleans-spotify-alex.json", Ct))
            {
                rows.Add(row);
            }

            // Two batches, as a job would send them (the second meets the catalogue the first created).
            var first = importer.Import("alex", ImportFormat.OrleansSpotify, rows[..(rows.Count / 2)]);
            var second = importer.Import("alex", ImportFormat.OrleansSpotify, rows[(rows.Count / 2)..]);
            Assert.Equal(rows.Count, first.Imported + second.Imported);
            Assert.Contains(rows, r => r.Kind == ImportedKind.Episode);
            Assert.Contains(rows, r => r.Kind == ImportedKind.Audiobook);
        }

        Assert.Equal(Plays(source), Plays(target));
        Assert.Equal(Catalogue(source), Catalogue(target));
        var sourceStats = AllStats(source);
        Assert.Contains("\"Episodes\":{\"Plays\":4", sourceStats[^1], StringComparison.Ordinal);
        Assert.Equal(sourceStats, AllStats(target));
    }

    /// <summary>Polled music, then an extended-history import (new tracks, skips, episodes, a merge) and an account-data import (name-only tracks).</summary>
    private static void Fill(TestDatabase db)
    {
        using var writer = new PlayWriter(db.Database);
        using var importer = new PlayImporter(writer);
        var known = TestDatabase.Track("k1", "Known Song", "Band");
        var other = TestDatabase.Track("k2", "Other Song", "Band", "Guest");
        writer.Write([
            new PendingPlay("alex", TestDatabase.Play(known, T0)),
            new PendingPlay("alex", TestDatabase.Play(other, T0.AddMinutes(5))),
            new PendingPlay("alex", TestDatabase.Play(known, T0.AddDays(1))),
        ]);

        var details = new ListeningDetails("trackdone", "trackdone", false, false, false, null, false, "android");
        importer.Import("alex", ImportFormat.ExtendedHistory, [
            // The polled play of k1 gains its real ms_played.
            new(0, ImportedKind.Track, T0.AddSeconds(20), 190_000, "spotify:track:k1", "Known Song", "Band", "Album k1", details, null),
            // New tracks: no duration, an album named without an id; one a skip.
            new(1, ImportedKind.Track, T0.AddDays(-3), 180_000, "spotify:track:n1", "New One", "Newcomer", "First Record", details, null),
            new(2, ImportedKind.Track, T0.AddDays(-3).AddMinutes(4), 12_000, "spotify:track:n2", "New Two", "Newcomer", "First Record", details with { Skipped = true }, null),
            new(3, ImportedKind.Track, T0.AddDays(-2), 200_000, "spotify:track:n2", "New Two", "Newcomer", "First Record", details, null),
            new(4, ImportedKind.Track, T0.AddDays(-10), 5_000, "spotify:track:k2", "Other Song", "Band", "Album k2", details, null),
            // Podcasts and an audiobook.
            new(5, ImportedKind.Episode, T0.AddDays(-4), 1_500_000, "spotify:episode:e1", "Episode One", "The Show", "The Show", details, null),
            new(6, ImportedKind.Episode, T0.AddDays(-4).AddHours(1), 1_200_000, "spotify:episode:e2", "Episode Two", "The Show", "The Show", details, null),
            new(7, ImportedKind.Episode, T0.AddDays(-1), 900_000, "spotify:episode:e3", "Other Episode", "Another Show", "Another Show", details, null),
            new(8, ImportedKind.Audiobook, T0.AddDays(-6), 600_000, "spotify:episode:c1", "Chapter 1", null, "A Book", details, null),
        ]);

        importer.Import("alex", ImportFormat.AccountData, [
            new(0, ImportedKind.Track, T0.AddDays(-20), 210_000, null, "Lost Song", "Old Band", null, null, null),
            new(1, ImportedKind.Track, T0.AddDays(-19), 210_000, null, "Lost Song", "Old Band", null, null, null),
            new(2, ImportedKind.Track, T0.AddDays(-19).AddMinutes(10), 20_000, null, "Other Lost", "Old Band", null, null, null),
            // Matched by name to a known track.
            new(3, ImportedKind.Track, T0.AddDays(-18), 150_000, null, "Other Song", "Band", null, null, null),
            new(4, ImportedKind.Episode, T0.AddDays(-17), 1_000_000, null, "Named Episode", "The Show", null, null, null),
        ]);
    }

    private static List<string> Plays(TestDatabase db) =>
        [.. new PlayExport(db.Database).Read([new ExportAccount("alex", "Alex")], ExportOrder.EndOfPlay, Ct).Select(p => JsonSerializer.Serialize(new
        {
            p.Play.PlayedAt,
            p.Play.MsPlayed,
            p.Play.ContextUri,
            p.Play.Source,
            Track = p.Play.Track with { Artists = [] },
            Artists = p.Play.Track.Artists.ToArray(),
            p.Kind,
            p.Collection,
        }))];

    /// <summary>The catalogue as names (row ids may differ): tracks with kind, collection, album and artists.</summary>
    private static List<string> Catalogue(TestDatabase db)
    {
        using var connection = db.Database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT t.uri, t.name, t.kind, t.collection_name, t.duration_ms, al.name, al.spotify_id,
                   (SELECT group_concat(ar.name || '/' || coalesce(ar.spotify_id, '-'), ', ') FROM track_artists ta JOIN artists ar ON ar.id = ta.artist_id WHERE ta.track_id = t.id)
            FROM tracks t LEFT JOIN albums al ON al.id = t.album_id ORDER BY t.uri;
            """;
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add(string.Join('|', Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "null" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))));
        }

        return rows;
    }

    /// <summary>Every answer of the account stats grain but genres, over all time and over a range, as JSON; the podcasts last.</summary>
    private static List<string> AllStats(TestDatabase db)
    {
        var names = new CatalogCache(db.Database);
        var answers = new List<string>();
        foreach (var zone in new[] { "UTC", "Asia/Kathmandu" })
        {
            var engine = new StatsEngine(new PlayLogReader(db.Database).Load("alex")!, names.Current(), names, TimeZoneInfo.FindSystemTimeZoneById(zone), T0.AddDays(2));
            foreach (var request in new[] { new StatsRequest(null, null, zone, Limit: 50), new StatsRequest(T0.AddDays(-5), T0.AddDays(2), zone, Limit: 50) })
            {
                answers.Add(JsonSerializer.Serialize(engine.Summary(request)));
                foreach (var kind in new[] { TopKind.Tracks, TopKind.Artists, TopKind.Albums })
                {
                    answers.Add(JsonSerializer.Serialize(engine.Top(kind, request)));
                    answers.Add(JsonSerializer.Serialize(engine.Top(kind, request with { By = TopOrder.Time })));
                }

                answers.Add(JsonSerializer.Serialize(engine.Timeline(request with { Bucket = TimelineBucket.Day })));
                answers.Add(JsonSerializer.Serialize(engine.Heatmap(request)));
                answers.Add(JsonSerializer.Serialize(engine.Streaks(request)));
                answers.Add(JsonSerializer.Serialize(engine.Sessions(request)));
                answers.Add(JsonSerializer.Serialize(engine.Discoveries(request)));
                answers.Add(JsonSerializer.Serialize(engine.YearReview(2026, request)));
            }
        }

        answers.Add(JsonSerializer.Serialize(db.Queries.GetListeningBeyondMusic("alex", null, null, 10)));
        return answers;
    }
}
