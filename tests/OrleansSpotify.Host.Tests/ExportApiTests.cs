using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OrleansSpotify.Abstractions;
using OrleansSpotify.FakeSpotify;
using OrleansSpotify.Host.Tests.Secrets;
using OrleansSpotify.Import.OwnFormat;
using OrleansSpotify.Storage;

namespace OrleansSpotify.Host.Tests;

/// <summary>
/// GET /api/accounts/{id}/export and /api/household/export: a member exports only their own plays, the household
/// export has what members share (a private member's plays only for them), bad formats are problem details, the
/// json answer has the names the OpenAPI document declares, and 200,000 plays stream through with about one flush
/// of bytes held by the server.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class ExportApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);

    private static TrackInfo Track(string id, string name, params string[] artists) => new(
        "spotify:track:" + id, id, name, 180_000, false, false, null,
        new AlbumInfo("album" + id, "Album " + id, "album", "2020", null),
        [.. artists.Select(a => new ArtistInfo("artist" + string.Concat(a.Where(char.IsAsciiLetterOrDigit)), a))]);

    [Fact]
    public async Task AMemberExportsTheirOwnPlaysAndTheHouseholdWhatItShares()
    {
        await using var spotify = await FakeSpotifyServer.StartAsync(new FakeSpotifyOptions(), TimeProvider.System, cancellationToken: Ct);
        foreach (var name in new[] { "alex", "sam", "robin" })
        {
            spotify.AddUser(name, char.ToUpperInvariant(name[0]) + name[1..], accountId: "acc-" + name);
        }

        await using var app = new HostApplication(LiveTests.FastPolling(spotify));
        using var alex = app.CreateBrowser();
        using var sam = app.CreateBrowser();
        using var robin = app.CreateBrowser();
        using var stranger = app.CreateBrowser();
        await DemoSignIn.AsAsync(alex, "alex");
        await DemoSignIn.AsAsync(sam, "sam");
        await DemoSignIn.AsAsync(robin, "robin");
        Assert.Equal(HttpStatusCode.OK, (await robin.PutAsJsonAsync("/api/me/sharing", new { shareStats = false }, Ct)).StatusCode);
        using (var writer = new PlayWriter(app.Services.GetRequiredService<SqliteDatabase>()))
        {
            writer.Write([
                new PendingPlay("acc-alex", new PlayRecord(T0, Track("a1", "Ça, \"va\"", "Zaz"), null, "spotify:playlist:p", "playlist", PlaySource.RecentlyPlayed)),
                new PendingPlay("acc-alex", new PlayRecord(T0.AddMinutes(5), Track("a2", "Two", "Duo A", "Duo B"), 95_000, null, null, PlaySource.ImportExtendedHistory)),
                new PendingPlay("acc-sam", new PlayRecord(T0.AddMinutes(1), Track("s1", "Sam's", "Solo"), 12_000, null, null, PlaySource.RecentlyPlayed)),
                new PendingPlay("acc-robin", new PlayRecord(T0.AddMinutes(2), Track("r1", "Secret", "Hidden"), null, null, null, PlaySource.RecentlyPlayed)),
            ]);
        }

        // Alex's own: json read back by our importer's reader, the file named for Alex and the day.
        var json = await alex.GetAsync("/api/accounts/acc-alex/export?format=json", Ct);
        Assert.Equal(HttpStatusCode.OK, json.StatusCode);
        Assert.Equal("application/json", json.Content.Headers.ContentType!.MediaType);
        Assert.Equal("attachment", json.Content.Headers.ContentDisposition!.DispositionType);
        Assert.True(json.Headers.CacheControl?.NoStore, "an export is not cached");
        Assert.Matches(@"^orleans-spotify-acc-alex-\d{8}\.json$", json.Content.Headers.ContentDisposition.FileNameStar ?? json.Content.Headers.ContentDisposition.FileName);
        var bytes = await json.Content.ReadAsByteArrayAsync(Ct);
        var plays = new List<ImportedPlay>();
        await foreach (var play in new OrleansSpotifyExportReader().ReadAsync(new MemoryStream(bytes), "alex.json", Ct))
        {
            plays.Add(play);
        }

        Assert.Equal(["Ça, \"va\"", "Two"], plays.Select(p => p.Name));
        Assert.Equal([null, 95_000L], plays.Select(p => p.Exact!.MsPlayed));
        Assert.Equal(["Duo A", "Duo B"], plays[1].Exact!.Track.Artists.Select(a => a.Name));
        Assert.Equal("spotify:playlist:p", plays[0].Exact!.ContextUri);

        // The document has exactly the names the OpenAPI document declares for it.
        var openApi = await alex.GetFromJsonAsync<JsonElement>("/openapi/v1.json", Ct);
        using (var document = JsonDocument.Parse(bytes))
        {
            AssertSameNames(openApi, "ExportDocumentView", document.RootElement);
        }

        // csv and listenbrainz.
        var csv = await alex.GetAsync("/api/accounts/acc-alex/export?format=csv", Ct);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        var rows = (await csv.Content.ReadAsStringAsync(Ct)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, rows.Length);
        Assert.Contains(",\"Ça, \"\"va\"\"\",Zaz,", rows[1], StringComparison.Ordinal);
        var zip = await alex.GetAsync("/api/accounts/acc-alex/export?format=ListenBrainz", Ct);
        Assert.Equal("application/zip", zip.Content.Headers.ContentType!.MediaType);
        using (var archive = new ZipArchive(new MemoryStream(await zip.Content.ReadAsByteArrayAsync(Ct)), ZipArchiveMode.Read))
        {
            var entry = Assert.Single(archive.Entries);
            Assert.Equal("listens/2026/3.jsonl", entry.FullName);
            Assert.Equal(2, new StreamReader(entry.Open()).ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        }

        // Someone else's export, shared or private, is refused; unknown accounts, bad formats and strangers too.
        await AssertProblemAsync(await alex.GetAsync("/api/accounts/acc-sam/export?format=json", Ct), HttpStatusCode.Forbidden);
        await AssertProblemAsync(await alex.GetAsync("/api/accounts/acc-robin/export?format=csv", Ct), HttpStatusCode.Forbidden);
        await AssertProblemAsync(await alex.GetAsync("/api/accounts/nobody/export?format=csv", Ct), HttpStatusCode.NotFound);
        await AssertProblemAsync(await stranger.GetAsync("/api/accounts/acc-alex/export?format=csv", Ct), HttpStatusCode.Unauthorized);
        await AssertProblemAsync(await stranger.GetAsync("/api/household/export?format=csv", Ct), HttpStatusCode.Unauthorized);
        foreach (var bad in new[] { "", "?format=", "?format=xml", "?format=json,csv" })
        {
            foreach (var path in new[] { "/api/accounts/acc-alex/export", "/api/household/export" })
            {
                var problem = await AssertProblemAsync(await alex.GetAsync(path + bad, Ct), HttpStatusCode.BadRequest);
                Assert.True(problem.GetProperty("errors").TryGetProperty("format", out _), $"{path}{bad}: {problem}");
            }
        }

        // The household: Alex gets Alex and Sam (by name), Robin gets all three.
        Assert.Equal(["acc-alex", "acc-sam"], await HouseholdAccountsAsync(alex));
        Assert.Equal(["acc-alex", "acc-robin", "acc-sam"], await HouseholdAccountsAsync(robin));
        var household = await sam.GetAsync("/api/household/export?format=csv", Ct);
        Assert.Matches(@"^orleans-spotify-household-\d{8}\.csv$", household.Content.Headers.ContentDisposition!.FileNameStar ?? household.Content.Headers.ContentDisposition.FileName);
        var householdRows = (await household.Content.ReadAsStringAsync(Ct)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["acc-alex", "acc-alex", "acc-sam"], householdRows.Skip(1).Select(r => r.Split(',')[0]));
        Assert.DoesNotContain(householdRows, r => r.Contains("Secret", StringComparison.Ordinal));
        var householdZip = await robin.GetAsync("/api/household/export?format=listenbrainz", Ct);
        using (var archive = new ZipArchive(new MemoryStream(await householdZip.Content.ReadAsByteArrayAsync(Ct)), ZipArchiveMode.Read))
        {
            Assert.Equal(["listenbrainz_acc-alex.zip", "listenbrainz_acc-robin.zip", "listenbrainz_acc-sam.zip"], archive.Entries.Select(e => e.FullName));
        }
    }

    [Fact]
    public async Task TwoHundredThousandPlaysStreamWithAboutOneFlushHeldByTheServer()
    {
        await using var spotify = await FakeSpotifyServer.StartAsync(new FakeSpotifyOptions(), TimeProvider.System, cancellationToken: Ct);
        spotify.AddUser("alex", "Alex", accountId: "acc-alex");
        var logs = new CollectingLoggerProvider();
        await using var app = new HostApplication(
            LiveTests.FastPolling(spotify),
            testServices: services => services.AddLogging(logging => logging.AddProvider(logs)));
        using var alex = app.CreateBrowser();
        await DemoSignIn.AsAsync(alex, "alex");
        const int Count = 200_000;
        var tracks = Enumerable.Range(0, 1_000).Select(i => Track("t" + i, "Track " + i, "Artist " + (i % 90))).ToArray();
        using (var writer = new PlayWriter(app.Services.GetRequiredService<SqliteDatabase>()))
        {
            for (var batch = 0; batch < Count; batch += 20_000)
            {
                writer.Write([.. Enumerable.Range(batch, 20_000).Select(i => new PendingPlay("acc-alex", new PlayRecord(
                    T0.AddSeconds(-181L * i), tracks[i % tracks.Length], i % 2 == 0 ? null : 30_000 + i, null, null, PlaySource.ImportExtendedHistory)))]);
            }
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var response = await alex.GetAsync("/api/accounts/acc-alex/export?format=json", HttpCompletionOption.ResponseHeadersRead, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(response.Content.Headers.ContentLength);
        var body = new CountingReadStream(await response.Content.ReadAsStreamAsync(Ct));
        long read = 0;
        await foreach (var play in new OrleansSpotifyExportReader().ReadAsync(body, "alex.json", Ct))
        {
            Assert.Equal(read++, play.Record);
        }

        clock.Stop();
        Assert.Equal(Count, read);
        var entry = Assert.Single(logs.Entries, e => e.Contains("Exported ", StringComparison.Ordinal));
        var held = int.Parse(Value(entry, "HeldBytes"), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(body.Bytes.ToString(System.Globalization.CultureInfo.InvariantCulture), Value(entry, "Bytes"));
        Assert.Equal(Count.ToString(System.Globalization.CultureInfo.InvariantCulture), Value(entry, "Plays"));
        Assert.True(held <= 2 * Storage.Export.ExportSink.FlushThreshold, $"{held} bytes held at once for a {body.Bytes}-byte export");
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"json export over HTTP: {Count} plays, {body.Bytes / 1e6:F1} MB in {clock.Elapsed.TotalSeconds:F2} s " +
            $"({Count / clock.Elapsed.TotalSeconds:F0} plays/s, read back by the importer's reader), at most {held / 1024} KB held by the server");
    }

    private static string Value(string entry, string key) =>
        entry.Split(" | ").Single(p => p.StartsWith(key + "=", StringComparison.Ordinal))[(key.Length + 1)..].Trim();

    private static async Task<string[]> HouseholdAccountsAsync(HttpClient browser)
    {
        var document = await browser.GetFromJsonAsync<JsonElement>("/api/household/export?format=json", Ct);
        return [.. document.GetProperty("accounts").EnumerateArray().Select(a => a.GetProperty("id").GetString()!)];
    }

    private static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        return problem;
    }

    /// <summary>The value's property names are the schema's, recursively (objects and arrays of objects).</summary>
    private static void AssertSameNames(JsonElement openApi, string schemaName, JsonElement value)
    {
        var schema = openApi.GetProperty("components").GetProperty("schemas").GetProperty(schemaName);
        var properties = schema.GetProperty("properties");
        Assert.Equal(
            properties.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal),
            value.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        foreach (var property in value.EnumerateObject())
        {
            var declared = properties.GetProperty(property.Name);
            var reference = Reference(declared) ?? (declared.TryGetProperty("items", out var items) ? Reference(items) : null);
            if (reference is null)
            {
                continue;
            }

            foreach (var item in property.Value.ValueKind == JsonValueKind.Array ? property.Value.EnumerateArray().ToArray() : [property.Value])
            {
                if (item.ValueKind == JsonValueKind.Object)
                {
                    AssertSameNames(openApi, reference, item);
                }
            }
        }
    }

    private static string? Reference(JsonElement schema)
    {
        if (schema.TryGetProperty("$ref", out var direct))
        {
            return direct.GetString()!.Split('/')[^1];
        }

        foreach (var composite in new[] { "oneOf", "anyOf" })
        {
            if (schema.TryGetProperty(composite, out var options))
            {
                return options.EnumerateArray().Select(Reference).FirstOrDefault(r => r is not null);
            }
        }

        return null;
    }

    /// <summary>Counts the bytes read through it.</summary>
    private sealed class CountingReadStream(Stream inner) : Stream
    {
        public long Bytes { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => Bytes; set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = inner.Read(buffer, offset, count);
            Bytes += n;
            return n;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var n = await inner.ReadAsync(buffer, cancellationToken);
            Bytes += n;
            return n;
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
