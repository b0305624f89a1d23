using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using OrleansSpotify.FakeSpotify;

namespace OrleansSpotify.Host.Tests.Secrets;

/// <summary>
/// One full run of the Host under a permissive umask (0): a member signs in through the fake Spotify, the listener
/// polls, its access token is expired by the fake and refreshed, every GET endpoint of /api/* is called, the Host stops.
/// Every log entry (any level) is collected; the database and its WAL are read as raw bytes while the Host runs and
/// after it stopped. The tests below check what each of those holds.
/// </summary>
public sealed class FullRun : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public IReadOnlyList<string> Tokens { get; private set; } = [];

    public int TokenRequests { get; private set; }

    public CollectingLoggerProvider Logs { get; } = new();

    public Dictionary<string, byte[]> Files { get; } = [];

    public Dictionary<string, UnixFileMode> Modes { get; } = [];

    public List<(string Path, HttpStatusCode Status, string Body)> Answers { get; } = [];

    public async ValueTask InitializeAsync()
    {
        await using var spotify = await Household.StartSpotifyAsync();
        using (Umask.Permissive())
        {
            await using var app = new HostApplication(Household.Settings(spotify));
            var logged = app.WithWebHostBuilder(builder => builder.ConfigureLogging(logging => logging
                .AddProvider(Logs)
                .AddFilter<CollectingLoggerProvider>(null, LogLevel.Trace)));
            var cookies = new CookieContainer();
            using var browser = Household.Browser(logged, cookies);
            await Household.SignInAsync(browser);
            var polled = await Household.AnsweredAsync(spotify, "currently-playing");

            // The fake expires alex's access token: the next poll gets 401, the listener refreshes and saves the new pair.
            spotify.GetUser("alex").ExpireAccessTokens();
            var refreshed = await Household.AnsweredAsync(spotify, "token", polled);
            await Household.AnsweredAsync(spotify, "currently-playing", refreshed);
            TokenRequests = spotify.Requests.Count(r => r.Endpoint == "token" && r.StatusCode == 200);

            await CallEveryGetEndpointAsync(browser);

            var database = Path.Combine(app.DataDirectory, "orleans-spotify.db");
            Files["db (running)"] = SecretScan.ReadRaw(database);
            Files["wal (running)"] = SecretScan.ReadRaw(database + "-wal");
            if (!OperatingSystem.IsWindows())
            {
                RecordModes(app.DataDirectory);
            }

            await logged.DisposeAsync();
            SqliteConnection.ClearAllPools();
            Files["db (stopped)"] = SecretScan.ReadRaw(database);
            Files["wal (stopped)"] = SecretScan.ReadRaw(database + "-wal");
        }

        Tokens = spotify.IssuedTokens;
        Figures.Write($"full run: {Tokens.Count} tokens issued ({TokenRequests} token grants), {Logs.Entries.Count} log entries (all levels), {Answers.Count} GET /api answers, "
            + $"{string.Join(", ", Files.Select(f => $"{f.Key} {f.Value.Length} bytes"))} scanned: no token found is asserted by SecretsAtRestTests");
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private void RecordModes(string dataDirectory)
    {
        Modes["data directory"] = File.GetUnixFileMode(dataDirectory);
        Modes["keys"] = File.GetUnixFileMode(Path.Combine(dataDirectory, "keys"));
        foreach (var file in Directory.EnumerateFiles(dataDirectory).Concat(Directory.EnumerateFiles(Path.Combine(dataDirectory, "keys"))))
        {
            Modes[Path.GetRelativePath(dataDirectory, file)] = File.GetUnixFileMode(file);
        }
    }

    /// <summary>Every GET of /api/* in the OpenAPI document, with the member's account, a share token and an import job of theirs.</summary>
    private async Task CallEveryGetEndpointAsync(HttpClient browser)
    {
        using var create = new HttpRequestMessage(HttpMethod.Post, "/api/me/share-tokens")
        {
            Content = JsonContent.Create(new { label = "scan", includeRecent = true }),
        };
        create.Headers.Add("Origin", HostApplication.Origin.GetLeftPart(UriPartial.Authority));
        var created = await browser.SendAsync(create, Ct);
        created.EnsureSuccessStatusCode();
        var shareToken = (await created.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("token").GetString()!;

        // An import of one small history file, so that the import endpoints answer with a real job too.
        using var upload = new HttpRequestMessage(HttpMethod.Post, $"/api/accounts/{Household.AccountKey}/imports")
        {
            Content = new MultipartFormDataContent
            {
                {
                    new StringContent(
                        """[{"ts":"2024-03-01T10:00:00Z","ms_played":200000,"master_metadata_track_name":"Scan","master_metadata_album_artist_name":"Scanner","spotify_track_uri":"spotify:track:4uLU6hMCjMI75M1A2tKUQC"}]""",
                        System.Text.Encoding.UTF8,
                        "application/json"),
                    "files",
                    "Streaming_History_Audio_2024.json"
                },
            },
        };
        upload.Headers.Add("Origin", HostApplication.Origin.GetLeftPart(UriPartial.Authority));
        var accepted = await browser.SendAsync(upload, Ct);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, accepted.StatusCode);
        var jobId = (await accepted.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetString()!;

        var document = await browser.GetFromJsonAsync<JsonElement>("/openapi/v1.json", Ct);
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            if (!path.Name.StartsWith("/api/", StringComparison.Ordinal) || !path.Value.TryGetProperty("get", out _))
            {
                continue;
            }

            var url = path.Name
                .Replace("{id}", Household.AccountKey, StringComparison.Ordinal)
                .Replace("{token}", Uri.EscapeDataString(shareToken), StringComparison.Ordinal)
                .Replace("{jobId}", Uri.EscapeDataString(jobId), StringComparison.Ordinal);
            Assert.DoesNotContain('{', url);
            var response = await browser.GetAsync(url, Ct);
            Answers.Add((url, response.StatusCode, await response.Content.ReadAsStringAsync(Ct)));
        }
    }
}

[Collection(HostCollection.Name)]
public sealed class SecretsAtRestTests(FullRun run) : IClassFixture<FullRun>
{
    [Fact]
    public void TheRunIssuedAndRefreshedTokens()
    {
        // The code exchange and at least one refresh: several access tokens and (rotated) refresh tokens to look for.
        Assert.True(run.TokenRequests >= 2, $"{run.TokenRequests} token requests");
        Assert.True(run.Tokens.Count >= 4, $"{run.Tokens.Count} tokens issued");
    }

    [Fact]
    public void TheDatabaseAndItsWalHoldNoTokenBytes()
    {
        Assert.NotEmpty(run.Files["db (running)"]);
        Assert.NotEmpty(run.Files["wal (running)"]);
        foreach (var (name, bytes) in run.Files)
        {
            Assert.True(SecretScan.FoundIn(bytes, run.Tokens) is [], $"{name} holds tokens: {string.Join(", ", SecretScan.FoundIn(bytes, run.Tokens))}");
        }
    }

    [Fact]
    public void TheLogsOfAFullRunHoldNoToken()
    {
        Assert.True(run.Logs.Entries.Count > 100, $"only {run.Logs.Entries.Count} log entries collected");
        Assert.Contains(run.Logs.Entries, e => e.Contains("refreshed", StringComparison.OrdinalIgnoreCase));
        var leaks = run.Logs.Entries.Where(e => SecretScan.FoundIn(e, run.Tokens) is not []).ToList();
        Assert.True(leaks.Count == 0, $"{leaks.Count} log entries hold a token, e.g. {leaks.FirstOrDefault()?[..Math.Min(200, leaks[0].Length)]}");
    }

    [Fact]
    public void NoGetEndpointOfTheApiAnswersWithAToken()
    {
        Assert.True(run.Answers.Count >= 20, $"only {run.Answers.Count} GET endpoints called");
        Assert.All(run.Answers, answer => Assert.True((int)answer.Status < 500, $"{answer.Path} answered {answer.Status}"));
        Assert.Contains(run.Answers, a => a.Path.EndsWith("/plays", StringComparison.Ordinal) && a.Status == HttpStatusCode.OK);
        foreach (var (path, _, body) in run.Answers)
        {
            Assert.True(SecretScan.FoundIn(body, run.Tokens) is [], $"{path} answers with a token");
        }
    }

    [Fact]
    public void TheDataDirectoryIs0700AndEveryFileIn0600WhateverTheUmask()
    {
        Assert.Equal(PrivateDirectory, run.Modes["data directory"]);
        Assert.Equal(PrivateDirectory, run.Modes["keys"]);
        Assert.Contains("orleans-spotify.db-wal", run.Modes.Keys);
        Assert.Contains("orleans-spotify.db-shm", run.Modes.Keys);
        Assert.Contains(run.Modes.Keys, k => k.StartsWith("keys/key-", StringComparison.Ordinal));
        foreach (var (file, mode) in run.Modes.Where(m => m.Key is not "data directory" and not "keys"))
        {
            Assert.True(mode == PrivateFile, $"{file} is {mode}");
        }
    }

    internal const UnixFileMode PrivateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    internal const UnixFileMode PrivateDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
}
