using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OrleansSpotify.Host.Demo;

namespace OrleansSpotify.Host.Tests;

[Collection(HostCollection.Name)]
public sealed class DemoDataCompleteTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task InfoSaysTheDemoDataIsIncompleteWhileTheImportRunsAndCompleteOnceItsHistoryIsIn()
    {
        // The import cannot finish while the test holds the demo database's write lock, taken as the host has
        // started (before the import, which waits for ApplicationStarted, writes anything).
        var writeLock = new DemoDatabaseWriteLock();
        await using var app = new HostApplication(
            new Dictionary<string, string?> { ["Demo"] = "true" },
            waitForDemoData: false,
            testServices: services => services.AddSingleton<IHostedService>(sp => writeLock.For(sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<Storage.StorageOptions>>().Value)));
        using var browser = app.CreateBrowser();
        await writeLock.Taken.WaitAsync(TimeSpan.FromMinutes(1), Ct);

        var during = await browser.GetFromJsonAsync<JsonElement>("/api/info", Ct);
        Assert.True(during.GetProperty("demo").GetBoolean());
        Assert.False(during.GetProperty("demoDataComplete").GetBoolean());

        writeLock.Release();
        await app.Services.GetRequiredService<DemoDataStatus>().Completed.WaitAsync(Testing.DemoData.ImportTimeout, Ct);
        var after = await browser.GetFromJsonAsync<JsonElement>("/api/info", Ct);
        Assert.True(after.GetProperty("demoDataComplete").GetBoolean());

    }

    [Fact]
    public async Task OutsideDemoModeThereIsNoDemoDataToWaitFor()
    {
        await using var app = new HostApplication(new Dictionary<string, string?> { ["Spotify:ClientId"] = "client" });
        using var browser = app.CreateBrowser();

        var info = await browser.GetFromJsonAsync<JsonElement>("/api/info", Ct);
        Assert.False(info.GetProperty("demo").GetBoolean());
        Assert.Equal(JsonValueKind.Null, info.GetProperty("demoDataComplete").ValueKind);
    }

    /// <summary>Holds the demo database's write lock from the moment the host has started until released.</summary>
    private sealed class DemoDatabaseWriteLock
    {
        private readonly TaskCompletionSource _taken = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private SqliteConnection? _connection;

        public Task Taken => _taken.Task;

        public IHostedService For(Storage.StorageOptions options) => new Holder(this, options);

        public void Release()
        {
            using var commit = _connection!.CreateCommand();
            commit.CommandText = "COMMIT";
            commit.ExecuteNonQuery();
            _connection.Dispose();
        }

        private sealed class Holder(DemoDatabaseWriteLock owner, Storage.StorageOptions options) : IHostedLifecycleService
        {
            public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

            public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

            // Runs after every hosted service (the silo among them) has started and before ApplicationStarted fires.
            public async Task StartedAsync(CancellationToken cancellationToken)
            {
                var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = options.DatabasePath, Pooling = false, DefaultTimeout = 60 }.ToString());
                await connection.OpenAsync(cancellationToken);
                await using var begin = connection.CreateCommand();
                begin.CommandText = "PRAGMA busy_timeout = 60000; BEGIN IMMEDIATE";
                await begin.ExecuteNonQueryAsync(cancellationToken);
                owner._connection = connection;
                owner._taken.TrySetResult();
            }

            public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

            public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

            public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        }
    }
}

[Collection(HostCollection.Name)]
public sealed class DemoDirectoryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ASecondDemoOnARunningDemosDirectoryIsRefusedAndLeavesItsDataAlone()
    {
        await using var first = new HostApplication(new Dictionary<string, string?> { ["Demo"] = "true" });
        using var browser = first.CreateBrowser();
        var database = Path.Combine(first.DataDirectory, "demo", "orleans-spotify.db");
        Assert.True(File.Exists(database));

        // A demo starts afresh by deleting its folder: not while another demo runs there.
        await using var second = new HostApplication(new Dictionary<string, string?> { ["Demo"] = "true", ["Storage:DataDirectory"] = first.DataDirectory }, waitForDemoData: false);
        var refused = Assert.ThrowsAny<Exception>(() => second.Services);
        Assert.Contains("is using the data directory", refused.ToString(), StringComparison.Ordinal);

        Assert.True(File.Exists(database), "the refused demo deleted the running demo's database");
        var info = await browser.GetFromJsonAsync<JsonElement>("/api/info", Ct);
        Assert.True(info.GetProperty("demoDataComplete").GetBoolean());
    }
}
