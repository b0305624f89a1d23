using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace OrleansSpotify.Host.Tests.Secrets;

[Collection(HostCollection.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class BackupRestoreTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ABackupTakenWhileTheHostWritesRestoresIntoAFreshDirectoryWithItsAccountsPlaysAndWorkingTokens()
    {
        await using var spotify = await Household.StartSpotifyAsync();
        var settings = Household.Settings(spotify);
        var cookies = new CookieContainer();
        var backup = Path.Combine(Path.GetTempPath(), "orleans-spotify-host-tests", $"backup-{Guid.NewGuid():N}.db");
        var restored = Path.Combine(Path.GetTempPath(), "orleans-spotify-host-tests", Guid.NewGuid().ToString("N"), "data");
        string accountsBefore, playsBefore, summaryBefore;
        int writesDuringBackup;
        TimeSpan backupTime;
        try
        {
            await using (var original = new HostApplication(settings))
            {
                using var browser = Household.Browser(original, cookies);
                await Household.SignInAsync(browser);
                await SignInTests.WaitForPlaysAsync(browser, Household.AccountKey, expected: 5);
                accountsBefore = await browser.GetStringAsync("/api/accounts", Ct);
                playsBefore = await browser.GetStringAsync($"/api/accounts/{Household.AccountKey}/plays?limit=100", Ct);
                summaryBefore = await browser.GetStringAsync($"/api/accounts/{Household.AccountKey}/stats/summary", Ct);

                // The backup runs while the Host polls and while the member changes a setting in a loop (writes to accounts).
                using var stop = new CancellationTokenSource();
                var writer = WriteUntilAsync(browser, stop.Token);
                var timer = System.Diagnostics.Stopwatch.StartNew();
                var result = await HostProcess.RunAsync("backup", "--to", backup, $"--Storage:DataDirectory={original.DataDirectory}");
                backupTime = timer.Elapsed;
                await stop.CancelAsync();
                writesDuringBackup = await writer;

                Assert.True(result.ExitCode == 0, result.Error);
                Assert.Contains("Backed up", result.Output, StringComparison.Ordinal);
                Assert.Contains("1 accounts", result.Output, StringComparison.Ordinal);
            }

            Assert.True(writesDuringBackup > 0, "no write ran while the backup was taken");
            Assert.Equal(SecretsAtRestTests.PrivateFile, File.GetUnixFileMode(backup));
            Assert.True(SecretScan.FoundIn(SecretScan.ReadRaw(backup), spotify.IssuedTokens) is [], "the backup holds a token in plaintext");

            var restoreTimer = System.Diagnostics.Stopwatch.StartNew();
            var restore = await HostProcess.RunAsync("restore", "--from", backup, $"--Storage:DataDirectory={restored}");
            Figures.Write($"backup while running: process {backupTime.TotalMilliseconds:F0} ms, {writesDuringBackup} API writes meanwhile, file {new FileInfo(backup).Length} bytes; restore process {restoreTimer.Elapsed.TotalMilliseconds:F0} ms");
            Assert.True(restore.ExitCode == 0, restore.Error);
            Assert.Equal(SecretsAtRestTests.PrivateDirectory, File.GetUnixFileMode(restored));
            Assert.Equal(SecretsAtRestTests.PrivateFile, File.GetUnixFileMode(Path.Combine(restored, "orleans-spotify.db")));
            var keyFiles = Directory.GetFiles(Path.Combine(restored, "keys"));
            Assert.NotEmpty(keyFiles);
            Assert.All(keyFiles, k => Assert.Equal(SecretsAtRestTests.PrivateFile, File.GetUnixFileMode(k)));
            Assert.Empty(Directory.GetFileSystemEntries(restored, ".restore-*"));

            // The Host on the restored directory: the member's cookie still opens (the key ring came along), the same
            // accounts, plays and stats, and the listener polls Spotify with the tokens it decrypts from the restored state.
            var before = spotify.Requests.Count - 1;
            await using var copy = new HostApplication(new Dictionary<string, string?>(settings) { ["Storage:DataDirectory"] = restored });
            using var again = Household.Browser(copy, cookies);
            Assert.Equal(HttpStatusCode.OK, (await again.GetAsync("/api/me", Ct)).StatusCode);
            Assert.Equal(playsBefore, await again.GetStringAsync($"/api/accounts/{Household.AccountKey}/plays?limit=100", Ct));
            Assert.Equal(summaryBefore, await again.GetStringAsync($"/api/accounts/{Household.AccountKey}/stats/summary", Ct));
            var accounts = await again.GetFromJsonAsync<JsonElement>("/api/accounts", Ct);
            var account = Assert.Single(accounts.EnumerateArray());
            Assert.Equal(5, account.GetProperty("playCount").GetInt64());
            var was = Assert.Single(JsonDocument.Parse(accountsBefore).RootElement.EnumerateArray());
            foreach (var property in new[] { "id", "displayName", "status", "authorizedAt", "reauthorizeBy", "playCount", "shareStats" })
            {
                Assert.Equal(was.GetProperty(property).GetRawText(), account.GetProperty(property).GetRawText());
            }

            await Household.AnsweredAsync(spotify, "currently-playing", before);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            File.Delete(backup);
            if (Directory.Exists(Path.GetDirectoryName(restored)))
            {
                Directory.Delete(Path.GetDirectoryName(restored)!, recursive: true);
            }
        }
    }

    private static async Task<int> WriteUntilAsync(HttpClient browser, CancellationToken stop)
    {
        var writes = 0;
        while (!stop.IsCancellationRequested)
        {
            using var request = new HttpRequestMessage(HttpMethod.Put, "/api/me/sharing") { Content = JsonContent.Create(new { shareStats = true }) };
            request.Headers.Add("Origin", HostApplication.Origin.GetLeftPart(UriPartial.Authority));
            var response = await browser.SendAsync(request, CancellationToken.None);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            writes++;
        }

        return writes;
    }
}
