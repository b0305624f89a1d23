using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans.Serialization;
using OrleansSpotify.Abstractions;
using OrleansSpotify.Grains;
using OrleansSpotify.Storage;

namespace OrleansSpotify.Host.Tests.Secrets;

[Collection(HostCollection.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class UpgradeInPlaceTests
{
    private const UnixFileMode WorldReadableFile = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private const UnixFileMode WorldReadableDirectory = WorldReadableFile | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    [Fact]
    public async Task AnOlderDeploymentsPlaintextTokensAreSealedAndPurgedItsModesTightenedAndTheListenerKeepsPolling()
    {
        await using var spotify = await Household.StartSpotifyAsync();
        var directory = Path.Combine(Path.GetTempPath(), "orleans-spotify-host-tests", Guid.NewGuid().ToString("N"));
        var database = Path.Combine(directory, "orleans-spotify.db");
        try
        {
            var grant = spotify.IssueGrant("alex");
            string[] planted = [grant.AccessToken, grant.RefreshToken];
            WriteAsThePreviousVersionDid(directory, grant);
            Assert.Equal(2, SecretScan.FoundIn(SecretScan.ReadRaw(database), planted).Count);
            Assert.Equal(WorldReadableFile, File.GetUnixFileMode(database));

            var sizeBefore = new FileInfo(database).Length;
            var before = spotify.Requests.Count - 1;
            await using (var app = new HostApplication(new Dictionary<string, string?>(Household.Settings(spotify)) { ["Storage:DataDirectory"] = directory }))
            {
                _ = app.Services;

                // The listener resumes with the tokens it had: the fake answers alex's polls (it knows alex only by them).
                await Household.AnsweredAsync(spotify, "currently-playing", before);
                Assert.DoesNotContain(spotify.Requests.Skip(before + 1), r => r.Endpoint == "token");

                Assert.True(SecretScan.FoundIn(SecretScan.ReadRaw(database), planted) is [], "the database still holds the plaintext tokens");
                Assert.True(SecretScan.FoundIn(SecretScan.ReadRaw(database + "-wal"), planted) is [], "the WAL still holds the plaintext tokens");
                Assert.Equal(SecretsAtRestTests.PrivateDirectory, File.GetUnixFileMode(directory));
                Assert.Equal(SecretsAtRestTests.PrivateDirectory, File.GetUnixFileMode(Path.Combine(directory, "keys")));
                foreach (var file in Directory.EnumerateFiles(directory).Concat(Directory.EnumerateFiles(Path.Combine(directory, "keys"))))
                {
                    Assert.True(File.GetUnixFileMode(file) == SecretsAtRestTests.PrivateFile, $"{file} is {File.GetUnixFileMode(file)}");
                }

                // Recorded, so it runs once: the value is how many plaintext rows were sealed.
                Assert.Equal("1", new KeyValueStore(Database(directory)).Get(GrainStateSealer.DoneKey));
            }

            SqliteConnection.ClearAllPools();
            Assert.True(SecretScan.FoundIn(SecretScan.ReadRaw(database), planted) is [], "the database holds the plaintext tokens after a stop");
            Figures.Write($"upgrade in place: 1 plaintext state sealed, database {sizeBefore} -> {new FileInfo(database).Length} bytes, 2 planted tokens found before and none after");
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>
    /// A data directory as versions before sealing left it: the member's listener state serialized in plaintext in
    /// grain_state, the cookie's key ring in keys/, and the modes of a 022 umask (0644 files, 0755 directories).
    /// </summary>
    private static void WriteAsThePreviousVersionDid(string directory, FakeSpotify.FakeGrant grant)
    {
        var now = DateTimeOffset.UtcNow;
        var db = Database(directory);
        new AccountStore(db).Upsert(Household.AccountKey, "alex", "Alex", now, now);
        var state = new ListenerState
        {
            AccessToken = grant.AccessToken,
            AccessTokenExpiresAt = now.AddSeconds(grant.ExpiresInSeconds),
            RefreshToken = grant.RefreshToken,
            Scope = grant.Scope,
            AuthorizedAt = now,
            Status = AccountStatus.Active,
        };
        using (var services = new ServiceCollection().AddSerializer(s => s.AddAssembly(typeof(ListenerState).Assembly)).BuildServiceProvider())
        {
            var payload = services.GetRequiredService<Serializer>().SerializeToArray(state);
            new GrainStateStore(db).Write(Constants.ListenerStateName, $"listener/{Household.AccountKey}", payload, null, now);
        }

        var keys = Path.Combine(directory, "keys");
        DataProtectionProvider.Create(new DirectoryInfo(keys), b => b.SetApplicationName("OrleansSpotify")).CreateProtector("cookie").Protect("x");

        // Undo what this version's SqliteDatabase already does on creation, to get the old modes.
        using (var connection = db.Open())
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "DELETE FROM app_state WHERE key = $key;";
            command.Parameters.AddWithValue("$key", GrainStateSealer.DoneKey);
            command.ExecuteNonQuery();
        }

        SqliteConnection.ClearAllPools();
        foreach (var file in Directory.EnumerateFiles(directory).Concat(Directory.EnumerateFiles(keys)))
        {
            File.SetUnixFileMode(file, WorldReadableFile);
        }

        File.SetUnixFileMode(directory, WorldReadableDirectory);
        File.SetUnixFileMode(keys, WorldReadableDirectory);
    }

    private static SqliteDatabase Database(string directory) =>
        new(Options.Create(new StorageOptions { DataDirectory = directory }), NullLogger<SqliteDatabase>.Instance);
}
