using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using OrleansSpotify.Abstractions;
using OrleansSpotify.Storage;

namespace OrleansSpotify.Grains.Tests;

/// <summary>
/// The one place a listener writes its account's status, without a cluster: a real SQLite file in a temporary directory,
/// the listener's state in memory, explicit instants.
/// </summary>
public sealed class AccountStatusWriterTests : IDisposable
{
    private const string Account = "acc";
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "orleans-spotify-grain-tests", Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _clock = new(T0);
    private readonly RecordingListeningEvents _events = new();
    private readonly InMemoryPersistentState<ListenerState> _state = new(new ListenerState { Status = AccountStatus.Active });
    private readonly AccountStore _accounts;
    private readonly AccountStatusWriter _writer;
    private int _saves;

    public AccountStatusWriterTests()
    {
        var database = new SqliteDatabase(Microsoft.Extensions.Options.Options.Create(new StorageOptions { DataDirectory = _directory }), NullLogger<SqliteDatabase>.Instance);
        database.Initialize();
        _accounts = new AccountStore(database);
        _accounts.Upsert(Account, "spotify-user", "Alex", T0, T0);
        _writer = new AccountStatusWriter(_state, SaveAsync, _accounts, new ListenerAnnouncer(_events, Account, NullLogger.Instance), _clock, Account);
    }

    [Fact]
    public async Task ANewStatusIsSavedThenWrittenToTheAccountsTableThenAnnounced()
    {
        _clock.Advance(TimeSpan.FromMinutes(5));

        await _writer.SetAsync(AccountStatus.Blocked, "Spotify refuses this account: not on the allowlist");

        Assert.Equal(AccountStatus.Blocked, _state.State.Status);
        Assert.Equal("Spotify refuses this account: not on the allowlist", _state.State.StatusDetail);
        Assert.Equal(1, _saves);
        var stored = _accounts.Get(Account)!;
        Assert.Equal(AccountStatus.Blocked, stored.Status);
        Assert.Equal("Spotify refuses this account: not on the allowlist", stored.StatusDetail);
        Assert.Equal([new AccountChanged(Account)], _events.All);
    }

    [Fact]
    public async Task TheSameStatusAgainIsSavedButNeitherWrittenToTheTableNorAnnounced()
    {
        await _writer.SetAsync(AccountStatus.Active, "a detail only the listener shows");

        Assert.Equal("a detail only the listener shows", _state.State.StatusDetail);
        Assert.Equal(1, _saves);
        var stored = _accounts.Get(Account)!;
        Assert.Equal(AccountStatus.Active, stored.Status);
        Assert.Null(stored.StatusDetail);
        Assert.Empty(_events.All);
    }

    [Fact]
    public async Task ANewSignInIsWrittenAndAnnouncedEvenWhenTheStatusStaysTheSame()
    {
        _accounts.SetStatus(Account, AccountStatus.NeedsReauth, "stale", T0);

        await _writer.SetAsync(AccountStatus.Active, null, announceAlways: true);

        Assert.Equal(AccountStatus.Active, _accounts.Get(Account)!.Status);
        Assert.Null(_accounts.Get(Account)!.StatusDetail);
        Assert.Equal([new AccountChanged(Account)], _events.All);
    }

    [Fact]
    public async Task AStateThatCannotBeSavedIsNeitherWrittenToTheTableNorAnnounced()
    {
        var writer = new AccountStatusWriter(_state, () => throw new IOException("disk full"), _accounts, new ListenerAnnouncer(_events, Account, NullLogger.Instance), _clock, Account);

        await Assert.ThrowsAsync<IOException>(() => writer.SetAsync(AccountStatus.Stopped, "Stopped by a household member."));

        Assert.Equal(AccountStatus.Active, _accounts.Get(Account)!.Status);
        Assert.Empty(_events.All);
    }

    [Fact]
    public async Task ASuccessfulPollMakesAnInactiveAccountActiveAgainAndAnnouncesIt()
    {
        await _writer.SetAsync(AccountStatus.Blocked, "refused");
        _events.Clear();

        await _writer.ActiveAgainAsync();

        Assert.Equal(AccountStatus.Active, _state.State.Status);
        Assert.Null(_state.State.StatusDetail);
        Assert.Equal(2, _saves);
        Assert.Equal(AccountStatus.Active, _accounts.Get(Account)!.Status);
        Assert.Equal([new AccountChanged(Account)], _events.All);
    }

    [Fact]
    public async Task ASuccessfulPollOfAnActiveAccountOnlyClearsItsDetailForThePollToSave()
    {
        _state.State.StatusDetail = "Rate limited by Spotify until 2026-03-01 12:10:00Z.";
        _state.State.MarkSaved();

        await _writer.ActiveAgainAsync();

        Assert.Null(_state.State.StatusDetail);
        Assert.True(_state.State.HasUnsavedChanges);
        Assert.Equal(0, _saves);
        Assert.Empty(_events.All);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private Task SaveAsync()
    {
        _saves++;
        return Task.CompletedTask;
    }
}
