using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OrleansSpotify.Abstractions;
using OrleansSpotify.FakeSpotify;
using OrleansSpotify.Grains.Import;
using OrleansSpotify.Storage;

namespace OrleansSpotify.Grains.Tests;

/// <summary>
/// The gap lifecycle through the real listener and the fake Spotify: 60 offline plays backfilled while nobody reads
/// pile up past the 50 a read returns, the gap is recorded with the exact window (only once, however often the
/// overlapping history is re-read), and an import of a Spotify export spanning it closes it and brings the lost plays.
/// </summary>
public sealed class HistoryGapLifecycleTests
{
    private static readonly FakeCatalog Catalog = FakeCatalog.Generate(seed: 23, trackCount: 120, artistCount: 40);
    private static readonly DateTimeOffset T0 = ListenerHarness.Start;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SixtyBackfilledOfflinePlaysLeaveAGapThatAnImportCoveringItCloses()
    {
        await using var h = await ListenerHarness.StartAsync();
        var user = new Script(h.Spotify.AddUser("gappy", "Gappy"));
        var key = ListenerHarness.AccountKey(user.User);
        var gaps = new HistoryGapStore(h.Database);

        // Ten plays before the listener starts: its first read holds fewer than 50, and nothing was stored before it.
        user.Session(T0.AddHours(-1), Catalog.Tracks.Take(10));
        var listener = await h.SignInAsync(user.User);
        await h.RunUntilAsync(T0.AddMinutes(1), listener);
        Assert.Equal(10, h.StoredPlays(user.User).Count);
        Assert.Empty(gaps.List(key));

        // A flight: 60 plays offline, backfilled at T0+6h with their own (older) times.
        var landed = T0.AddHours(6);
        var offlineEnd = user.Session(T0.AddHours(1), Catalog.Tracks.Skip(10).Take(60), visibleFrom: landed);
        Assert.True(offlineEnd < landed);

        // The listener was not polling meanwhile (its next poll fires once, after the backfill) and reads the newest 50.
        h.JumpTo(landed.AddMinutes(1));
        await h.RunUntilAsync(landed.AddMinutes(2), listener);

        var expected = user.Expected(landed);
        Assert.Equal(70, expected.Count);
        var stored = h.StoredPlays(user.User);
        Assert.Equal(60, stored.Count);
        var lost = expected.Skip(10).Take(10).ToList();
        Assert.All(lost, play => Assert.DoesNotContain(play, stored));

        // The window: from the newest play stored before the read to the oldest play it returned.
        var gap = Assert.Single(gaps.List(key));
        Assert.Equal((expected[9].PlayedAt, expected[20].PlayedAt), (gap.From, gap.To));
        Assert.InRange(gap.DetectedAt, landed.AddMinutes(1), landed.AddMinutes(2));
        Assert.Null(gap.ClosedBy);
        Assert.All(lost, play => Assert.InRange(play.PlayedAt, gap.From, gap.To));

        // Later reads overlap what is stored: no other gap, the same one unchanged.
        await h.RunUntilAsync(landed.AddHours(2), listener);
        Assert.Equal([gap], gaps.List(key));
        Assert.Equal([gap], gaps.OpenWithin(key, T0, landed));

        // A Spotify export of the whole day spans it: once its job is done, the gap is closed and the lost plays are stored.
        var launcher = h.SiloServices.GetRequiredService<ImportJobLauncher>();
        var job = await launcher.CreateAsync(key, [("Streaming_History_Audio_2026.json", new MemoryStream(ExtendedHistory(user.Plays)))], Ct);
        var done = await h.Events.ImportEndedAsync(job.JobId);
        Assert.Equal(ImportJobState.Done, done.State);

        var closed = Assert.Single(gaps.List(key));
        Assert.Equal(gap with { ClosedBy = HistoryGap.ClosedByImport }, closed);
        Assert.Empty(gaps.OpenWithin(key, null, null));
        var after = h.StoredPlays(user.User);
        Assert.Equal(70, after.Count);
        Assert.Equal(expected.Select(p => p.Uri), after.Select(p => p.Uri));
        Assert.All(expected.Zip(after), pair => Assert.InRange(pair.First.PlayedAt - pair.Second.PlayedAt, TimeSpan.Zero, TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task AnImportThatDoesNotSpanTheWholeWindowOrIsThisServicesOwnExportLeavesTheGapOpen()
    {
        await using var h = await ListenerHarness.StartAsync();
        var user = new Script(h.Spotify.AddUser("halfway", "Halfway"));
        var key = ListenerHarness.AccountKey(user.User);
        var gaps = new HistoryGapStore(h.Database);
        user.Session(T0.AddHours(-1), Catalog.Tracks.Take(5));
        var listener = await h.SignInAsync(user.User);
        await h.RunUntilAsync(T0.AddMinutes(1), listener);
        var landed = T0.AddHours(6);
        user.Session(T0.AddHours(1), Catalog.Tracks.Skip(5).Take(55), visibleFrom: landed);
        h.JumpTo(landed.AddMinutes(1));
        await h.RunUntilAsync(landed.AddMinutes(2), listener);
        var gap = Assert.Single(gaps.List(key));
        var launcher = h.SiloServices.GetRequiredService<ImportJobLauncher>();

        // A Spotify export that starts after the gap's start (the first lost play onwards) does not span it.
        var late = user.Plays.Where(p => p.EndedAt > gap.From).ToList();
        var job = await launcher.CreateAsync(key, [("Streaming_History_Audio_2026.json", new MemoryStream(ExtendedHistory(late)))], Ct);
        Assert.Equal(ImportJobState.Done, (await h.Events.ImportEndedAsync(job.JobId)).State);
        Assert.Null(Assert.Single(gaps.List(key)).ClosedBy);

        // This service's own json export spans the whole day but only holds the plays stored here.
        using var json = new MemoryStream();
        var writer = Storage.Export.PlayExportWriter.For(Storage.Export.ExportFormat.Json);
        var account = new Storage.Export.ExportAccount(key, "Halfway");
        await writer.WriteAsync(new Storage.Export.ExportDocument([account], T0, "1.0.0"), new Storage.Export.PlayExport(h.Database).Read([account], writer.Order, Ct), json, Ct);
        json.Position = 0;
        job = await launcher.CreateAsync(key, [("orleans-spotify-halfway.json", json)], Ct);
        Assert.Equal(ImportJobState.Done, (await h.Events.ImportEndedAsync(job.JobId)).State);
        Assert.Equal([gap], gaps.List(key));
    }

    /// <summary>The plays as Spotify's extended streaming history lists them (times to the second).</summary>
    internal static byte[] ExtendedHistory(IEnumerable<ScriptedPlay> plays)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartArray();
            foreach (var play in plays)
            {
                var track = (FakeTrack)play.Item;
                json.WriteStartObject();
                json.WriteString("ts", play.EndedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
                json.WriteString("platform", "android");
                json.WriteNumber("ms_played", (long)play.Played.TotalMilliseconds);
                json.WriteString("conn_country", "DE");
                json.WriteString("master_metadata_track_name", track.Name);
                json.WriteString("master_metadata_album_artist_name", track.Artists[0].Name);
                json.WriteString("master_metadata_album_album_name", track.Album.Name);
                json.WriteString("spotify_track_uri", track.Uri);
                json.WriteString("reason_start", "trackdone");
                json.WriteString("reason_end", "trackdone");
                json.WriteBoolean("shuffle", false);
                json.WriteBoolean("skipped", false);
                json.WriteBoolean("offline", play.VisibleFrom is not null);
                json.WriteBoolean("incognito_mode", false);
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        return stream.ToArray();
    }
}
