using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OrleansSpotify.Abstractions;
using OrleansSpotify.Host.Backup;
using OrleansSpotify.Host.Import;
using OrleansSpotify.Host.Tests.Secrets;
using OrleansSpotify.Storage;
using OrleansSpotify.Testing;
using Spectre.Console;

namespace OrleansSpotify.Host.Tests.Import;

/// <summary>
/// <c>import --account ID FILE…</c>: the silo in the command's process imports generated exports into a data directory
/// that a later service start shows; it refuses while a service holds the data directory (and a second service on it
/// refuses to start), and answers usage errors and unknown accounts with a message.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class ImportCommandTests : IDisposable
{
    private static readonly DateTimeOffset HistoryStart = new(2023, 3, 1, 8, 0, 0, TimeSpan.Zero);
    private readonly string _root = Path.Combine(Path.GetTempPath(), "orleans-spotify-host-tests", Guid.NewGuid().ToString("N"));

    public ImportCommandTests() => Directory.CreateDirectory(_root);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string Data => Path.Combine(_root, "data");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task ImportsAZipAndAJsonFileThatALaterServiceShows()
    {
        await using var spotify = await Household.StartSpotifyAsync();
        var settings = Household.Settings(spotify);
        SeedAccount(Data, Household.AccountKey, "Alex");
        var zip = Path.Combine(_root, "my_spotify_data.zip");
        IReadOnlyList<GeneratedFile<ExtendedRow>> zipped;
        await using (var file = File.Create(zip))
        {
            zipped = new ExportGenerator(seed: 7).WriteExtendedZip(file, count: 1_200, HistoryStart, rowsPerFile: 500);
        }

        var json = Path.Combine(_root, "StreamingHistory_music_0.json");
        await using (var file = File.Create(json))
        {
            ExportGenerator.WriteAccount(file, ExportGenerator.AccountRowsFrom(new ExportGenerator(seed: 8).ExtendedRows(300, HistoryStart.AddYears(1))).Where(r => !r.IsPodcast));
        }

        var run = await RunAsync(["import", "--account", Household.AccountKey, zip, json, .. Arguments(settings)]);

        Assert.True(run.Code == Commands.Ok, run.Error + run.Output);
        var totalRows = zipped.Sum(f => f.Rows.Count) + CountRows(json);
        foreach (var name in zipped.Select(f => f.Name.Split('/')[^1]).Append("StreamingHistory_music_0.json"))
        {
            Assert.Contains(name, run.Output, StringComparison.Ordinal);
        }

        Assert.Contains("ReadMeFirst_ExtendedStreamingHistory.pdf", run.Output, StringComparison.Ordinal);
        Assert.Contains(totalRows.ToString("N0", CultureInfo.InvariantCulture), run.Output, StringComparison.Ordinal);
        Assert.Matches(@"Done in [0-9.]+ s: [0-9,]+ new plays", run.Output);
        // Nothing of the upload is left behind: the job's folder goes once it is done.
        Assert.Empty(Directory.Exists(Path.Combine(Data, "imports")) ? Directory.GetFileSystemEntries(Path.Combine(Data, "imports")) : []);

        // The service on the same data directory: the job in the member's list, done, and the imported plays in the stats.
        await using var app = new HostApplication(new Dictionary<string, string?>(settings) { ["Storage:DataDirectory"] = Data });
        using var browser = Household.Browser(app, new CookieContainer());
        await Household.SignInAsync(browser);
        var jobs = await browser.GetFromJsonAsync<JsonElement>($"/api/accounts/{Household.AccountKey}/imports", Ct);
        var job = Assert.Single(jobs.EnumerateArray());
        Assert.Equal("done", job.GetProperty("state").GetString());
        Assert.Equal(totalRows, job.GetProperty("rows").GetInt64());
        Assert.Equal(totalRows, job.GetProperty("read").GetInt64());
        var imported = job.GetProperty("imported").GetInt64();
        Assert.True(imported > 1_000, $"only {imported} rows were imported");
        Assert.Contains($"Done in", run.Output, StringComparison.Ordinal);
        Assert.Contains($"{imported.ToString("N0", CultureInfo.InvariantCulture)} new plays", run.Output, StringComparison.Ordinal);

        var summary = await browser.GetFromJsonAsync<JsonElement>($"/api/accounts/{Household.AccountKey}/stats/summary?range=all", Ct);
        Assert.True(summary.GetProperty("plays").GetInt64() > 500, summary.GetRawText());
        Assert.Equal(HistoryStart.Year, summary.GetProperty("firstPlay").GetDateTimeOffset().Year);
    }

    [Fact]
    public async Task RefusesWhileTheServiceRunsOnTheDataDirectoryAndASecondServiceRefusesToStart()
    {
        await using var spotify = await Household.StartSpotifyAsync();
        var settings = new Dictionary<string, string?>(Household.Settings(spotify)) { ["Storage:DataDirectory"] = Data };
        await using var service = new HostApplication(settings);
        _ = service.Services;
        var file = Path.Combine(_root, "Streaming_History_Audio_2023.json");
        new ExportGenerator(seed: 3).WriteExtendedFile(file, 50, HistoryStart);

        // The command as an operator runs it: its own process, the service's configuration.
        var process = await Secrets.HostProcess.RunAsync(["import", "--account", Household.AccountKey, file, .. Arguments(settings)]);

        Assert.Equal(Commands.Failed, process.ExitCode);
        Assert.Contains($"the service is running on the data directory {Data}: stop it, or import from the dashboard", process.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(Data, "imports")), "the refused command stored the file");

        // A second service on the same directory fails at start-up, saying why.
        await using var second = new HostApplication(settings);
        var refused = Assert.ThrowsAny<Exception>(() => second.Services);
        Assert.Contains($"is using the data directory '{Data}'", Flatten(refused), StringComparison.Ordinal);
        Assert.Contains(ServiceLock.FileName, Flatten(refused), StringComparison.Ordinal);

        // The first service still answers.
        using var browser = service.CreateBrowser();
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/healthz", Ct)).StatusCode);
    }

    [Fact]
    public async Task AnUnknownAccountIsRefusedWithTheKnownAccountIds()
    {
        SeedAccount(Data, "acc-alex", "Alex");
        SeedAccount(Data, "acc-sam", "Sam");
        var file = Path.Combine(_root, "Streaming_History_Audio_2023.json");
        new ExportGenerator(seed: 4).WriteExtendedFile(file, 20, HistoryStart);

        var run = await RunAsync(["import", "--account", "acc-nobody", file, .. Arguments(OfflineSettings())]);

        Assert.Equal(Commands.Failed, run.Code);
        Assert.Contains("there is no account 'acc-nobody'. Known accounts: acc-alex (Alex), acc-sam (Sam).", run.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(Data, "imports")) && Directory.GetFileSystemEntries(Path.Combine(Data, "imports")).Length > 0);
    }

    [Fact]
    public async Task ABadFileIsRefusedNamingItAndNothingIsImported()
    {
        SeedAccount(Data, "acc-alex", "Alex");
        var file = Path.Combine(_root, "Streaming_History_Audio_2023.json");
        await File.WriteAllTextAsync(file, """[{"ts":"2023-03-01T08:00:00Z","ms_played":""", Ct);

        var run = await RunAsync(["import", "--account", "acc-alex", file, .. Arguments(OfflineSettings())]);

        Assert.Equal(Commands.Failed, run.Code);
        Assert.Contains("import: nothing was imported:", run.Error, StringComparison.Ordinal);
        Assert.Contains("Streaming_History_Audio_2023.json", run.Error, StringComparison.Ordinal);
        SqliteConnection.ClearAllPools();
        using var connection = new SqliteConnection($"Data Source={Path.Combine(Data, "orleans-spotify.db")};Mode=ReadOnly");
        connection.Open();
        using var count = connection.CreateCommand();
        count.CommandText = "SELECT (SELECT COUNT(*) FROM plays) + (SELECT COUNT(*) FROM import_jobs)";
        Assert.Equal(0L, (long)count.ExecuteScalar()!);
    }

    [Theory]
    [InlineData("import")]
    [InlineData("import", "export.zip")]
    [InlineData("import", "--account")]
    [InlineData("import", "--account", "acc-alex")]
    [InlineData("import", "--account", "acc-alex", "-x", "export.zip")]
    public async Task UsageErrorsExitWithTwoAndTheUsage(params string[] args)
    {
        var run = await RunAsync(args);

        Assert.Equal(Commands.Usage, run.Code);
        Assert.Contains("Usage:", run.Error, StringComparison.Ordinal);
        Assert.Contains("import --account ID FILE...", run.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Data));
    }

    [Fact]
    public async Task AMissingFileIsNamedBeforeAnythingStarts()
    {
        var missing = Path.Combine(_root, "nope.zip");

        var run = await RunAsync(["import", "--account", "acc-alex", missing, $"--Storage:DataDirectory={Data}"]);

        Assert.Equal(Commands.Failed, run.Code);
        Assert.Contains($"{missing}: no such file.", run.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Data));
    }

    /// <summary>The command's arguments for the service's settings (as <c>--Key=value</c>), on this test's data directory and free silo ports.</summary>
    private string[] Arguments(IReadOnlyDictionary<string, string?> settings) =>
    [
        .. settings.Where(s => s.Key != "Storage:DataDirectory").Select(s => $"--{s.Key}={s.Value}"),
        $"--Storage:DataDirectory={Data}",
        $"--Orleans:SiloPort={TestPorts.Free().ToString(CultureInfo.InvariantCulture)}",
        $"--Orleans:GatewayPort={TestPorts.Free().ToString(CultureInfo.InvariantCulture)}",
    ];

    /// <summary>A complete configuration whose Spotify is never asked (the command wakes no listener).</summary>
    private static Dictionary<string, string?> OfflineSettings() => new()
    {
        ["Spotify:ClientId"] = "import-test-client",
        ["Spotify:AccountsBaseUrl"] = "http://127.0.0.1:9/",
        ["Spotify:ApiBaseUrl"] = "http://127.0.0.1:9/v1/",
    };

    private static async Task<(int Code, string Output, string Error)> RunAsync(string[] args)
    {
        await using var output = new StringWriter();
        await using var error = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });
        console.Profile.Width = 200;
        var code = await ImportCommand.RunAsync(args, console, error, Ct);
        SqliteConnection.ClearAllPools();
        return (code, output.ToString(), error.ToString());
    }

    private static void SeedAccount(string directory, string key, string name)
    {
        var database = new SqliteDatabase(Options.Create(new StorageOptions { DataDirectory = directory }), NullLogger<SqliteDatabase>.Instance);
        database.Initialize();
        new AccountStore(database).Upsert(key, key.Replace("acc-", "", StringComparison.Ordinal), name, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow);
    }

    private static int CountRows(string json)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(json));
        return document.RootElement.GetArrayLength();
    }

    private static string Flatten(Exception exception) =>
        exception is AggregateException aggregate ? string.Join('\n', aggregate.Flatten().InnerExceptions.Select(Flatten)) : exception.ToString();
}
