using System.Text.Json;
using OrleansSpotify.Abstractions;
using OrleansSpotify.Import.OwnFormat;
using OrleansSpotify.Storage.Export;
using OrleansSpotify.Storage.Stats;
using OrleansSpotify.Storage.Tests.Stats;

namespace OrleansSpotify.Storage.Tests.Export;

/// <summary>
/// The json export is a lossless copy: the stats fixture's three years of generated plays (about 7,000), stored, exported, read
/// back by the importer's reader and stored into an empty database as the exact plays it yields, give every stored
/// field and every stat (summary, tops, timeline, heatmap, streaks, sessions, discoveries, the year review) again.
/// (The import job's own round trip — through the storage grain's ImportAsync — is Part J's test.)
/// The source stores the plays shuffled, so its catalogue row ids follow no order the export carries: ranking ties
/// (name, then Spotify URI or id) and album subtitles (the artist primary on most tracks, ties by name) must not
/// depend on row ids for the stats to match.
/// </summary>
public sealed class ExportRoundTripTests(StatsFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ExportedPlaysStoredAgainInAnEmptyDatabaseGiveEveryStatAgain()
    {
        using var source = new TestDatabase();
        using var target = new TestDatabase();
        foreach (var db in new[] { source, target })
        {
            db.Accounts.Upsert("alex", "alex", "Alex", TestDatabase.T0, TestDatabase.T0);
        }

        // Stored in a shuffled order (fixed seed): the source's row ids follow no order the export carries.
        var records = fixture.Records(StatsFixture.Alex).ToList();
        new Random(20251202).Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(records));
        using (var writer = new PlayWriter(source.Database))
        {
            writer.Write([.. records.Select(p => new PendingPlay("alex", p))]);
        }

        var account = new ExportAccount("alex", "Alex");
        var json = PlayExportWriter.For(ExportFormat.Json);
        using var file = new MemoryStream();
        await json.WriteAsync(new ExportDocument([account], TestDatabase.T0, "1.0.0"), new PlayExport(source.Database).Read([account], json.Order, Ct), file, Ct);
        file.Position = 0;

        using (var writer = new PlayWriter(target.Database))
        {
            var batch = new List<PendingPlay>();
            await foreach (var play in new OrleansSpotifyExportReader().ReadAsync(file, "orleans-spotify-alex.json", Ct))
            {
                batch.Add(new PendingPlay("alex", play.Exact!));
                if (batch.Count == 5_000)
                {
                    Assert.All(writer.Write(batch), Assert.True);
                    batch.Clear();
                }
            }

            Assert.All(writer.Write(batch), Assert.True);
        }

        Assert.True(records.Count > 5_000, $"only {records.Count} plays");
        Assert.Equal(Plays(source), Plays(target));
        foreach (var zone in new[] { "UTC", "Europe/Berlin", "Asia/Kathmandu" })
        {
            Assert.Equal(AllStats(source, zone), AllStats(target, zone));
        }
    }

    private static List<string> Plays(TestDatabase db) =>
        [.. new PlayExport(db.Database).Read([new ExportAccount("alex", "Alex")], ExportOrder.EndOfPlay, Ct).Select(p => JsonSerializer.Serialize(new
        {
            p.Play.PlayedAt,
            p.Play.MsPlayed,
            p.Play.ContextUri,
            p.Play.ContextType,
            p.Play.Source,
            Track = p.Play.Track with { Artists = [] },
            Artists = p.Play.Track.Artists.ToArray(),
        }))];

    /// <summary>Every stat over all time in the zone, as JSON (the answers name catalogue entries by Spotify id and name, not by row id).</summary>
    private static List<string> AllStats(TestDatabase db, string zone)
    {
        var names = new CatalogCache(db.Database);
        var engine = new StatsEngine(new PlayLogReader(db.Database).Load("alex")!, names.Current(), names, StatsFixture.Zone(zone), StatsFixture.Now);
        var all = new StatsRequest(null, null, zone, Limit: 50);
        var months = all with { Bucket = TimelineBucket.Month };
        return
        [
            JsonSerializer.Serialize(engine.Summary(all)),
            JsonSerializer.Serialize(engine.Top(TopKind.Tracks, all)),
            JsonSerializer.Serialize(engine.Top(TopKind.Artists, all with { By = TopOrder.Time })),
            JsonSerializer.Serialize(engine.Top(TopKind.Albums, all)),
            JsonSerializer.Serialize(engine.Timeline(months)),
            JsonSerializer.Serialize(engine.Heatmap(all)),
            JsonSerializer.Serialize(engine.Streaks(all)),
            JsonSerializer.Serialize(engine.Sessions(all)),
            JsonSerializer.Serialize(engine.Discoveries(all)),
            JsonSerializer.Serialize(engine.YearReview(2025, all)),
        ];
    }
}
