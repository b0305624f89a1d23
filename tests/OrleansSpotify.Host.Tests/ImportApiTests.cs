using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using OrleansSpotify.FakeSpotify;
using OrleansSpotify.Testing;

namespace OrleansSpotify.Host.Tests;

/// <summary>
/// POST /api/accounts/{id}/imports, GET /api/imports/{job}, GET /api/accounts/{id}/imports over the real Host: an
/// upload answers 202 with the job's Location, the job reaches done with its report, the member's dashboard hears
/// its progress (and nobody else's does), the stats include the plays; every refusal is problem details (a bad file
/// names the file and the record) and stores nothing; malformed multipart bodies are 4xx, never 5xx.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class ImportApiTests(ImportApiTests.Fixture shared) : IClassFixture<ImportApiTests.Fixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AnUploadedZipIsAcceptedAndItsJobReachesDoneWithTheReportHeardOnlyByItsMember()
    {
        await using var spotify = await Spotify();
        await using var app = new HostApplication(SignInTests.SpotifySettings(spotify));
        var alexCookies = new CookieContainer();
        var samCookies = new CookieContainer();
        using var alex = app.CreateBrowser(alexCookies);
        using var sam = app.CreateBrowser(samCookies);
        var alexId = await DemoSignIn.AsAsync(alex, "alex");
        var samId = await DemoSignIn.AsAsync(sam, "sam");
        await using var alexHub = app.CreateHubConnection(alexCookies);
        await using var samHub = app.CreateHubConnection(samCookies);
        var alexHears = new HubRecorder(alexHub);
        var samHears = new HubRecorder(samHub);
        await alexHub.StartAsync(Ct);
        await samHub.StartAsync(Ct);

        using var upload = Files(("my_spotify_data.zip", ExtendedZip(600)));
        var response = await alex.PostAsync($"/api/accounts/{alexId}/imports", upload, Ct);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var jobId = accepted.GetProperty("id").GetString()!;
        Assert.Equal($"/api/imports/{jobId}", response.Headers.Location?.OriginalString);
        Assert.Equal(alexId, accepted.GetProperty("accountId").GetString());
        Assert.Contains(accepted.GetProperty("state").GetString(), new[] { "queued", "running", "done" });
        Assert.Equal(600, accepted.GetProperty("rows").GetInt64());
        Assert.All(accepted.GetProperty("files").EnumerateArray(), f => Assert.Equal("extended-history", f.GetProperty("format").GetString()));
        Assert.Contains(accepted.GetProperty("skippedEntries").EnumerateArray(), e => e.GetProperty("name").GetString()!.EndsWith(".pdf", StringComparison.Ordinal));

        var done = await alexHears.WaitForAsync("importProgress", p => p.GetProperty("id").GetString() == jobId && p.GetProperty("state").GetString() == "done", seconds: 60);
        Assert.Equal(600, done.Payload.GetProperty("read").GetInt64());
        var job = await alex.GetFromJsonAsync<JsonElement>(response.Headers.Location!, Ct);
        Assert.Equal("done", job.GetProperty("state").GetString());
        Assert.Equal(job.GetProperty("rows").GetInt64(), job.GetProperty("read").GetInt64());
        Assert.Equal(
            job.GetProperty("read").GetInt64(),
            job.GetProperty("imported").GetInt64() + job.GetProperty("merged").GetInt64() + job.GetProperty("duplicates").GetInt64() + job.GetProperty("skipped").GetInt64());
        Assert.True(job.GetProperty("imported").GetInt64() > 400, job.ToString());
        Assert.Equal(job.GetProperty("skipped").GetInt64(), job.GetProperty("skippedByReason").EnumerateObject().Sum(r => r.Value.GetInt64()));
        Assert.NotNull(job.GetProperty("finishedAt").GetString());

        // The stats include the plays as soon as the job is done.
        var summary = await alex.GetFromJsonAsync<JsonElement>($"/api/accounts/{alexId}/stats/summary", Ct);
        Assert.True(summary.GetProperty("plays").GetInt64() > 300, summary.ToString());

        var list = await alex.GetFromJsonAsync<JsonElement>($"/api/accounts/{alexId}/imports", Ct);
        Assert.Equal(jobId, Assert.Single(list.EnumerateArray()).GetProperty("id").GetString());

        // Sam hears Alex's account change (sent to every member after the import's messages, in order) but never its import.
        Assert.Equal(HttpStatusCode.OK, (await alex.PutAsJsonAsync("/api/me/sharing", new { shareStats = true }, Ct)).StatusCode);
        await samHears.WaitForAsync("accountChanged", p => p.GetProperty("id").GetString() == alexId);
        Assert.Empty(samHears.Of("importProgress"));
        Assert.Equal(HttpStatusCode.NotFound, (await sam.GetAsync($"/api/imports/{jobId}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await sam.GetAsync($"/api/accounts/{alexId}/imports", Ct)).StatusCode);
        Assert.Empty((await sam.GetFromJsonAsync<JsonElement>($"/api/accounts/{samId}/imports", Ct)).EnumerateArray());
    }

    [Fact]
    public async Task EveryRefusalIsProblemDetailsNamingTheFileAndRecordAndStoresNothing()
    {
        await using var spotify = await Spotify();
        var settings = SignInTests.SpotifySettings(spotify);
        settings["Import:MaxUploadBytes"] = "300000";
        await using var app = new HostApplication(settings);
        using var alex = app.CreateBrowser();
        using var sam = app.CreateBrowser();
        using var nobody = app.CreateBrowser();
        var alexId = await DemoSignIn.AsAsync(alex, "alex");
        var samId = await DemoSignIn.AsAsync(sam, "sam");
        var path = $"/api/accounts/{alexId}/imports";
        var good = ExtendedZip(100);

        await AssertProblemAsync(await nobody.PostAsync(path, Files(("my_spotify_data.zip", good)), Ct), HttpStatusCode.Unauthorized);
        var theirs = await AssertProblemAsync(await sam.PostAsync(path, Files(("my_spotify_data.zip", good)), Ct), HttpStatusCode.Forbidden);
        Assert.Contains("imports only into their own account", theirs.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await AssertProblemAsync(await alex.PostAsync("/api/accounts/nobody-here/imports", Files(("my_spotify_data.zip", good)), Ct), HttpStatusCode.NotFound);
        await AssertProblemAsync(await alex.PostAsync(path, new ByteArrayContent(good) { Headers = { ContentType = new MediaTypeHeaderValue("application/zip") } }, Ct), HttpStatusCode.UnsupportedMediaType);
        await AssertProblemAsync(await alex.PostAsync(path, JsonContent.Create(new { files = "x" }), Ct), HttpStatusCode.UnsupportedMediaType);
        using (var other = new MultipartFormDataContent { { new StringContent("hello"), "comment" } })
        {
            await AssertProblemAsync(await alex.PostAsync(path, other, Ct), HttpStatusCode.BadRequest);
        }

        await AssertProblemAsync(await alex.PostAsync(path, Files(("Streaming_History_Audio_2020.json", new byte[400_000])), Ct), HttpStatusCode.RequestEntityTooLarge);

        // A cross-site form post riding on the member's cookie is refused before anything is read.
        using (var crossSite = new HttpRequestMessage(HttpMethod.Post, path) { Content = Files(("my_spotify_data.zip", good)) })
        {
            crossSite.Headers.Add("Origin", "https://evil.example");
            await AssertProblemAsync(await alex.SendAsync(crossSite, Ct), HttpStatusCode.Forbidden);
        }

        // Bad files: 422 with the reader's message, the file and the record (null when the file as a whole is bad).
        var truncated = Encoding.UTF8.GetBytes("""[{"ts": "2024-01-01T00:00:00Z", "ms_played": 1000, "spotify_track_uri": "spotify:track:x", "master_metadata_track_name": "X"}, {"ts": "2024-01""");
        var row = await AssertProblemAsync(await alex.PostAsync(path, Files(("my_spotify_data.zip", good), ("Streaming_History_Audio_2024.json", truncated)), Ct), HttpStatusCode.UnprocessableEntity);
        Assert.Equal("Streaming_History_Audio_2024.json", row.GetProperty("file").GetString());
        Assert.Equal(1, row.GetProperty("record").GetInt64());
        Assert.StartsWith("Streaming_History_Audio_2024.json, record 1: ", row.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var badValue = Encoding.UTF8.GetBytes("""[{"ts": "yesterday", "ms_played": 1000, "spotify_track_uri": "spotify:track:x"}]""");
        var value = await AssertProblemAsync(await alex.PostAsync(path, Files(("endsong_0.json", badValue)), Ct), HttpStatusCode.UnprocessableEntity);
        Assert.Equal(("endsong_0.json", 0L), (value.GetProperty("file").GetString(), value.GetProperty("record").GetInt64()));

        var unknown = await AssertProblemAsync(await alex.PostAsync(path, Files(("notes.json", Encoding.UTF8.GetBytes("""{"hello": "world"}"""))), Ct), HttpStatusCode.UnprocessableEntity);
        Assert.Equal("notes.json", unknown.GetProperty("file").GetString());
        Assert.Equal(JsonValueKind.Null, unknown.GetProperty("record").ValueKind);

        var traversal = await AssertProblemAsync(await alex.PostAsync(path, Files(("evil.zip", Zip(("../../Streaming_History_Audio_2020.json", "[]"u8.ToArray())))), Ct), HttpStatusCode.UnprocessableEntity);
        Assert.Equal("evil.zip", traversal.GetProperty("file").GetString());
        Assert.Contains("leaves the archive", traversal.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var bomb = await AssertProblemAsync(await alex.PostAsync(path, Files(("bomb.zip", Bomb())), Ct), HttpStatusCode.UnprocessableEntity);
        Assert.Equal("bomb.zip/Streaming_History_Audio_2020.json", bomb.GetProperty("file").GetString());

        var notAZip = await AssertProblemAsync(await alex.PostAsync(path, Files(("my_spotify_data.zip", "PK\u0003\u0004 not really"u8.ToArray())), Ct), HttpStatusCode.UnprocessableEntity);
        Assert.Equal("my_spotify_data.zip", notAZip.GetProperty("file").GetString());

        // Nothing of any of them was recorded or stored, for Alex or for Sam.
        Assert.Empty((await alex.GetFromJsonAsync<JsonElement>($"/api/accounts/{alexId}/imports", Ct)).EnumerateArray());
        Assert.Empty((await sam.GetFromJsonAsync<JsonElement>($"/api/accounts/{samId}/imports", Ct)).EnumerateArray());
        Assert.Equal(0, (await alex.GetFromJsonAsync<JsonElement>($"/api/accounts/{alexId}/stats/summary", Ct)).GetProperty("plays").GetInt64());
        Assert.Equal(0, (await sam.GetFromJsonAsync<JsonElement>($"/api/accounts/{samId}/stats/summary", Ct)).GetProperty("plays").GetInt64());
        await AssertProblemAsync(await alex.GetAsync("/api/imports/0123456789abcdef0123456789abcdef", Ct), HttpStatusCode.NotFound);
        await AssertProblemAsync(await alex.GetAsync("/api/imports/..%2F..%2Fetc", Ct), HttpStatusCode.NotFound);
    }

    public static TheoryData<string, string, byte[]> MalformedBodies()
    {
        const string Boundary = "b0undary";
        static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text.ReplaceLineEndings("\r\n"));
        var json = """[{"ts": "2024-01-01T00:00:00Z", "ms_played": 200000, "spotify_track_uri": "spotify:track:fuzz", "master_metadata_track_name": "Fuzz", "master_metadata_album_artist_name": "Fuzzer"}]""";
        var invalidName = Bytes($"--{Boundary}\nContent-Disposition: form-data; name=\"files\"; filename=\"").Concat(new byte[] { 0xFF, 0xFE, 0xC3, 0x28, 0x00, 0x2F }).Concat(Bytes($".json\"\nContent-Type: application/json\n\n{json}\n--{Boundary}--\n")).ToArray();
        var invalidStarName = Bytes($"--{Boundary}\nContent-Disposition: form-data; name=\"files\"; filename*=UTF-8''%FF%FE%C3%28.json\n\n{json}\n--{Boundary}--\n");
        return new TheoryData<string, string, byte[]>
        {
            { "invalid UTF-8 in the file name", $"multipart/form-data; boundary={Boundary}", invalidName },
            { "invalid percent-encoded UTF-8 in filename*", $"multipart/form-data; boundary={Boundary}", invalidStarName },
            { "an empty part", $"multipart/form-data; boundary={Boundary}", Bytes($"--{Boundary}\nContent-Disposition: form-data; name=\"files\"; filename=\"Streaming_History_Audio_2020.json\"\n\n\n--{Boundary}--\n") },
            { "an empty part without a file name", $"multipart/form-data; boundary={Boundary}", Bytes($"--{Boundary}\nContent-Disposition: form-data; name=\"files\"\n\n\n--{Boundary}--\n") },
            { "no parts at all", $"multipart/form-data; boundary={Boundary}", Bytes($"--{Boundary}--\n") },
            { "an empty body", $"multipart/form-data; boundary={Boundary}", [] },
            { "no end boundary", $"multipart/form-data; boundary={Boundary}", Bytes($"--{Boundary}\nContent-Disposition: form-data; name=\"files\"; filename=\"x.json\"\n\n{json}") },
            { "another boundary than declared", $"multipart/form-data; boundary={Boundary}", Bytes($"--other\nContent-Disposition: form-data; name=\"files\"; filename=\"x.json\"\n\n{json}\n--other--\n") },
            { "no boundary", "multipart/form-data", Bytes($"--{Boundary}\n\n{json}\n--{Boundary}--\n") },
            { "a boundary of 200 characters", "multipart/form-data; boundary=" + new string('b', 200), Bytes($"--{Boundary}--\n") },
            { "a part header of 100 KB", $"multipart/form-data; boundary={Boundary}", Bytes($"--{Boundary}\nContent-Disposition: form-data; name=\"files\"; filename=\"{new string('a', 100_000)}.json\"\n\n{json}\n--{Boundary}--\n") },
            { "a part without headers", $"multipart/form-data; boundary={Boundary}", Bytes($"--{Boundary}\n\n{json}\n--{Boundary}--\n") },
            { "a garbled Content-Disposition", $"multipart/form-data; boundary={Boundary}", Bytes($"--{Boundary}\nContent-Disposition: ;;;=\"\n\n{json}\n--{Boundary}--\n") },
            { "a file name that is a path", $"multipart/form-data; boundary={Boundary}", Bytes($"--{Boundary}\nContent-Disposition: form-data; name=\"files\"; filename=\"../../../../etc/passwd\"\n\n{json}\n--{Boundary}--\n") },
            { "a file name of dots", $"multipart/form-data; boundary={Boundary}", Bytes($"--{Boundary}\nContent-Disposition: form-data; name=\"files\"; filename=\"..\"\n\n{json}\n--{Boundary}--\n") },
        };
    }

    [Theory]
    [MemberData(nameof(MalformedBodies))]
    public async Task AMalformedMultipartBodyIsAnsweredWithoutAServerError(string what, string contentType, byte[] body)
    {
        var app = shared;
        using var content = new ByteArrayContent(body);
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        var response = await app.Alex.PostAsync($"/api/accounts/{app.AlexId}/imports", content, Ct);

        Assert.True((int)response.StatusCode is 202 or (>= 400 and < 500), $"{what}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task AHugeContentLengthClaimIsRefusedBeforeTheBodyIsRead()
    {
        var app = shared;
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes("--b\r\n"));
        content.Headers.TryAddWithoutValidation("Content-Type", "multipart/form-data; boundary=b");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/accounts/{app.AlexId}/imports") { Content = content };
        content.Headers.ContentLength = 1L << 50;

        var response = await app.Alex.SendAsync(request, Ct);

        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
    }

    private static async Task<FakeSpotifyServer> Spotify()
    {
        var spotify = await FakeSpotifyServer.StartAsync(new FakeSpotifyOptions(), TimeProvider.System, cancellationToken: Ct);
        spotify.AddUser("alex", "Alex", accountId: "acc-alex");
        spotify.AddUser("sam", "Sam", accountId: "acc-sam");
        return spotify;
    }

    private static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        return problem;
    }

    private static MultipartFormDataContent Files(params (string Name, byte[] Content)[] files)
    {
        var content = new MultipartFormDataContent();
        foreach (var (name, bytes) in files)
        {
            content.Add(new ByteArrayContent(bytes), "files", name);
        }

        return content;
    }

    private static byte[] ExtendedZip(int rows)
    {
        using var zip = new MemoryStream();
        new ExportGenerator(seed: 30).WriteExtendedZip(zip, rows, new DateTimeOffset(2022, 5, 1, 0, 0, 0, TimeSpan.Zero), rowsPerFile: 250);
        return zip.ToArray();
    }

    private static byte[] Zip(params (string Name, byte[] Content)[] entries)
    {
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                using var entry = zip.CreateEntry(name).Open();
                entry.Write(content);
            }
        }

        return stream.ToArray();
    }

    /// <summary>A history file of 8 MB of spaces: under the entry limit, but inflating about 1,000 times its size.</summary>
    private static byte[] Bomb()
    {
        var padded = new byte[8 * 1024 * 1024];
        padded.AsSpan().Fill((byte)' ');
        padded[0] = (byte)'[';
        padded[^1] = (byte)']';
        return Zip(("Streaming_History_Audio_2020.json", padded));
    }

    /// <summary>One Host for the fuzz cases, with Alex signed in (each case starts nothing of its own).</summary>
    public sealed class Fixture : IAsyncLifetime
    {
        private FakeSpotifyServer? _spotify;
        private HostApplication? _app;

        internal HttpClient Alex { get; private set; } = null!;

        internal string AlexId { get; private set; } = null!;

        public async ValueTask InitializeAsync()
        {
            _spotify = await Spotify();
            _app = new HostApplication(SignInTests.SpotifySettings(_spotify));
            Alex = _app.CreateBrowser();
            AlexId = await DemoSignIn.AsAsync(Alex, "alex");
        }

        public async ValueTask DisposeAsync()
        {
            Alex?.Dispose();
            if (_app is not null)
            {
                await _app.DisposeAsync();
            }

            if (_spotify is not null)
            {
                await _spotify.DisposeAsync();
            }
        }
    }
}
