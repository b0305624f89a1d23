using System.Collections.Immutable;
using System.Text.Json;
using OrleansSpotify.Abstractions;
using OrleansSpotify.Import.OwnFormat;
using OrleansSpotify.Storage.Export;

namespace OrleansSpotify.Grains.Tests;

/// <summary>
/// The json export's round trip through the running service: an instance filled through the storage grain (polled
/// plays, an extended-history import with new tracks, skips, podcast episodes, an audiobook chapter and a play merged
/// into a polled one, an account-data import with name-only tracks), exported as json, imported into an empty instance
/// through <see cref="IStorageGrain.ImportAsync"/> as the reader yields it, answers every question of the account and
/// household stats grains (genres aside: they come from Spotify, not from the plays) and the podcasts the same.
/// </summary>
public sealed class JsonExportRoundTripTests
{
    private static readonly DateTimeOffset T0 = ListenerHarness.Start;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AJsonExportImportedIntoAnEmptyInstanceAnswersEveryStatTheSame()
    {
        await using var source = await ListenerHarness.StartAsync();
        source.Accounts.Upsert("alex", "alex", "Alex", T0, T0);
        await FillAsync(source.Client.GetGrain<IStorageGrain>(Constants.StorageGrainKey));

        var account = new ExportAccount("alex", "Alex");
        var json = PlayExportWriter.For(ExportFormat.Json);
        using var file = new MemoryStream();
        await json.WriteAsync(new ExportDocument([account], T0, "1.0.0"), new PlayExport(source.Database).Read([account], json.Order, Ct), file, Ct);
        file.Position = 0;
        var expected = await AnswersAsync(source);

        await using var target = await ListenerHarness.StartAsync();
        target.Accounts.Upsert("alex", "alex", "Alex", T0, T0);
        var storage = target.Client.GetGrain<IStorageGrain>(Constants.StorageGrainKey);
        var batch = ImmutableArray.CreateBuilder<ImportedPlay>();
        var imported = 0;
        await foreach (var row in new OrleansSpotifyExportReader().ReadAsync(file, "orleans-spotify-alex.json", Ct))
        {
            batch.Add(row);
            if (batch.Count == 7)
            {
                imported += (await storage.ImportAsync("alex", ImportFormat.OrleansSpotify, batch.DrainToImmutable())).Imported;
            }
        }

        imported += (await storage.ImportAsync("alex", ImportFormat.OrleansSpotify, batch.DrainToImmutable())).Imported;

        Assert.Equal(source.Queries.CountPlays("alex"), imported);
        var actual = await AnswersAsync(target);
        Assert.Contains("\"Audiobooks\":{\"Plays\":1", expected[^1], StringComparison.Ordinal);
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i], actual[i]);
        }
    }

    /// <summary>Polled music, an extended-history import (new tracks, skips, episodes, an audiobook, a merge) and an account-data import (name-only tracks).</summary>
    private static async Task FillAsync(IStorageGrain storage)
    {
        TrackInfo Polled(string id, string name, params string[] artists) => new(
            "spotify:track:" + id, id, name, 200_000, false, false, "ISRC" + id,
            new AlbumInfo("album-" + id, "Album " + id, "album", "2020-01-01", "https://img/" + id),
            [.. artists.Select(a => new ArtistInfo("artist-" + a, a))]);
        var known = Polled("k1", "Known Song", "Band");
        var other = Polled("k2", "Other Song", "Band", "Guest");
        await storage.RecordPlaysAsync("alex", [
            new PlayRecord(T0.AddDays(-1), known, null, "spotify:album:album-k1", "album", PlaySource.RecentlyPlayed),
            new PlayRecord(T0.AddDays(-1).AddMinutes(5), other, null, null, null, PlaySource.RecentlyPlayed),
            new PlayRecord(T0.AddHours(-2), known, null, "spotify:playlist:p1", "playlist", PlaySource.RecentlyPlayed),
        ]);

        var d = new ListeningDetails("trackdone", "trackdone", false, false, false, null, false, "android");
        await storage.ImportAsync("alex", ImportFormat.ExtendedHistory, [
            new(0, ImportedKind.Track, T0.AddDays(-1).AddSeconds(-30), 190_000, "spotify:track:k1", "Known Song", "Band", "Album k1", d, null),
            new(1, ImportedKind.Track, T0.AddDays(-40), 180_000, "spotify:track:n1", "New One", "Newcomer", "First Record", d, null),
            new(2, ImportedKind.Track, T0.AddDays(-40).AddMinutes(4), 12_000, "spotify:track:n2", "New Two", "Newcomer", "First Record", d with { Skipped = true }, null),
            new(3, ImportedKind.Track, T0.AddDays(-39), 200_000, "spotify:track:n2", "New Two", "Newcomer", "First Record", d, null),
            new(4, ImportedKind.Track, T0.AddDays(-400), 240_000, "spotify:track:k2", "Other Song", "Band", "Album k2", d, null),
            new(5, ImportedKind.Episode, T0.AddDays(-4), 1_500_000, "spotify:episode:e1", "Episode One", "The Show", "The Show", d, null),
            new(6, ImportedKind.Episode, T0.AddDays(-4).AddHours(1), 1_200_000, "spotify:episode:e2", "Episode Two", "The Show", "The Show", d, null),
            new(7, ImportedKind.Audiobook, T0.AddDays(-6), 600_000, "spotify:episode:c1", "Chapter 1", null, "A Book", d, null),
        ]);
        await storage.ImportAsync("alex", ImportFormat.AccountData, [
            new(0, ImportedKind.Track, T0.AddDays(-20), 210_000, null, "Lost Song", "Old Band", null, null, null),
            new(1, ImportedKind.Track, T0.AddDays(-19), 210_000, null, "Lost Song", "Old Band", null, null, null),
            new(2, ImportedKind.Track, T0.AddDays(-19).AddMinutes(10), 20_000, null, "Other Lost", "Old Band", null, null, null),
            new(3, ImportedKind.Track, T0.AddDays(-18), 150_000, null, "Other Song", "Band", null, null, null),
            new(4, ImportedKind.Episode, T0.AddDays(-17), 1_000_000, null, "Named Episode", "The Show", null, null, null),
        ]);
    }

    /// <summary>Every answer of the account's and the household's stats grains but genres, in two zones and two ranges; the podcasts last.</summary>
    private static async Task<List<string>> AnswersAsync(ListenerHarness h)
    {
        var account = h.Client.GetGrain<IAccountStatsGrain>("alex");
        var household = h.Client.GetGrain<IHouseholdStatsGrain>(Constants.HouseholdKey);
        var answers = new List<string>();
        void Add(object answer) => answers.Add(JsonSerializer.Serialize(answer, answer.GetType()));
        foreach (var zone in new[] { "UTC", "Asia/Kathmandu" })
        {
            foreach (var request in new[] { new StatsRequest(null, null, zone, Limit: 50), new StatsRequest(T0.AddDays(-30), T0, zone, Limit: 50, Bucket: TimelineBucket.Week) })
            {
                foreach (IStatsReader reader in new IStatsReader[] { account, household })
                {
                    Add(await reader.GetSummaryAsync(request));
                    foreach (var kind in new[] { TopKind.Tracks, TopKind.Artists, TopKind.Albums })
                    {
                        Add(await reader.GetTopAsync(kind, request));
                        Add(await reader.GetTopAsync(kind, request with { By = TopOrder.Time }));
                    }

                    Add(await reader.GetHeatmapAsync(request));
                    Add(await reader.GetTimelineAsync(request));
                }

                Add(await account.GetStreaksAsync(request));
                Add(await account.GetDiscoveriesAsync(request));
                Add(await account.GetSessionsAsync(request));
                Add(await account.GetYearReviewAsync(2026, request));
                Add(await account.GetYearReviewAsync(2025, request));
                Add(await household.GetLeaderboardAsync(request));
            }
        }

        Add(h.Queries.GetListeningBeyondMusic("alex", null, null, 10)!);
        return answers;
    }
}
