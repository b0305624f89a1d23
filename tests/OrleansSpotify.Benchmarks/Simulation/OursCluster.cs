using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;
using OrleansSpotify.Abstractions;
using OrleansSpotify.FakeSpotify;
using OrleansSpotify.Grains;
using OrleansSpotify.Spotify;
using OrleansSpotify.Storage;
using OrleansSpotify.Testing;

namespace OrleansSpotify.Benchmarks.Simulation;

/// <summary>
/// "Ours": the production <see cref="ListenerGrain"/>s of the household in a one-silo InProcessTestCluster with the
/// real grains, real SQLite in a temporary directory and the real Spotify client against the fake, every grain timer on
/// the shared simulated clock (silo infrastructure stays on real time). Live announcements are captured with the
/// simulated time they were made at. An outage stops the silo; its end starts a new one on the same database.
/// </summary>
public sealed class OursCluster : IAsyncDisposable
{
    private readonly TimerSignallingClock _clock;
    private readonly FakeSpotifyServer _spotify;
    private readonly TempDirectory _directory;
    private readonly StampedEvents _events;
    private readonly IReadOnlyList<string> _accountKeys;
    private InProcessTestCluster _cluster = null!;

    private OursCluster(TimerSignallingClock clock, FakeSpotifyServer spotify, TempDirectory directory, IReadOnlyList<string> accountKeys)
    {
        _clock = clock;
        _spotify = spotify;
        _directory = directory;
        _accountKeys = accountKeys;
        _events = new StampedEvents(clock);
    }

    public bool Running { get; private set; }

    /// <summary>Every live announcement: (account, state, simulated time).</summary>
    public IReadOnlyCollection<(LiveState State, DateTimeOffset At)> Announcements => _events.All;

    public StorageOptions StorageOptions => new() { DataDirectory = _directory.Path };

    public SqliteDatabase Database => new(Microsoft.Extensions.Options.Options.Create(StorageOptions), Microsoft.Extensions.Logging.Abstractions.NullLogger<SqliteDatabase>.Instance);

    public static async Task<OursCluster> StartAsync(TimerSignallingClock clock, FakeSpotifyServer spotify, IReadOnlyList<string> accountKeys)
    {
        var cluster = new OursCluster(clock, spotify, TempDirectory.CreateRoot(), accountKeys);
        await cluster.StartSiloAsync();
        return cluster;
    }

    /// <summary>Creates each member's account and signs it in, as the sign-in callback would.</summary>
    public async Task SignInAsync()
    {
        var now = _clock.GetUtcNow();
        var accounts = new AccountStore(Database);
        foreach (var key in _accountKeys)
        {
            var grant = _spotify.IssueGrant(key);
            accounts.Upsert(key, key, key, now, now);
            await Listener(key).AuthorizeAsync(new SpotifyGrant(grant.AccessToken, now.AddSeconds(grant.ExpiresInSeconds), grant.RefreshToken, grant.Scope, now));
        }
    }

    public IListenerGrain Listener(string key) => _cluster.Client.GetGrain<IListenerGrain>(key);

    /// <summary>The earliest poll any listener has scheduled, with every listener's status.</summary>
    public async Task<(DateTimeOffset Due, ListenerStatus[] Statuses)> NextPollAsync()
    {
        var statuses = await Task.WhenAll(_accountKeys.Select(k => Listener(k).GetStatusAsync()));
        var due = statuses.Where(s => s.NextPollAt is not null).Select(s => s.NextPollAt!.Value).DefaultIfEmpty(DateTimeOffset.MaxValue).Min();
        return (due, statuses);
    }

    /// <summary>
    /// Waits until every listener that was due by <paramref name="now"/> has finished that poll: its poll count moved,
    /// or its next poll is later. The status is re-read on each sign of activity (a timer armed, a request to the fake).
    /// </summary>
    public async Task WaitForPollsAsync(ListenerStatus[] before, DateTimeOffset now)
    {
        using var activity = new Activity(_clock, _spotify);
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        for (var i = 0; i < _accountKeys.Count; i++)
        {
            if (before[i].NextPollAt is not { } due || due > now)
            {
                continue;
            }

            while (true)
            {
                var changed = activity.Next;
                var status = await Listener(_accountKeys[i]).GetStatusAsync();
                if (status.PollCount != before[i].PollCount || status.NextPollAt is null || status.NextPollAt > now)
                {
                    break;
                }

                try
                {
                    await changed.WaitAsync(bound.Token);
                }
                catch (OperationCanceledException)
                {
                    throw new TimeoutException($"The listener of {_accountKeys[i]} did not complete its poll due at {due:O}.");
                }
            }
        }
    }

    /// <summary>Each listener's status and the quota budget, for the report's evidence.</summary>
    public async Task<string> DescribeAsync()
    {
        var lines = new List<string>();
        foreach (var key in _accountKeys)
        {
            var status = await Listener(key).GetStatusAsync();
            lines.Add($"  - {key}: {status.Status} ({status.StatusDetail}), polls {status.PollCount}, last ok {status.LastSuccessfulPollAt:ddd HH:mm:ss}, next {status.NextPollAt:ddd HH:mm:ss}, failures {status.ConsecutiveFailures}, not before {status.NextAllowedCallAt:ddd HH:mm:ss}");
        }

        var budget = await _cluster.Client.GetGrain<ISpotifyQuotaGrain>(Constants.QuotaGovernorKey).GetBudgetAsync();
        lines.Add($"  - quota: {budget.Used}/{budget.Limit} in {budget.Window}, pace {budget.Pace:F2}, paused until {budget.PausedUntil:ddd HH:mm:ss} ({budget.PauseReason})");
        return string.Join(Environment.NewLine, lines);
    }

    /// <summary>
    /// The service goes down: the silo is killed (a graceful stop would wait on deactivations whose delays run on the
    /// simulated clock, which stands still meanwhile); its listeners stop polling, unsaved listener state is lost as in
    /// a crash, and committed plays stay.
    /// </summary>
    public async Task StopAsync()
    {
        await _cluster.KillSiloAsync(_cluster.Silos[0]);
        Running = false;
    }

    /// <summary>The service comes back: a new silo on the same database; the listeners resume at its startup.</summary>
    public async Task RestartAsync()
    {
        await _cluster.StartAdditionalSiloAsync();
        await _cluster.InitializeClientAsync();
        Running = true;
    }

    /// <summary>Every stored play of the members, read back from the database.</summary>
    public List<RecordedPlay> StoredPlays(IReadOnlyList<string> accountKeys)
    {
        var queries = new PlayQueries(Database);
        var result = new List<RecordedPlay>();
        for (var member = 0; member < accountKeys.Count; member++)
        {
            DateTimeOffset? before = null;
            do
            {
                var page = queries.GetPlays(accountKeys[member], null, null, before, 500);
                if (page is null)
                {
                    break;
                }

                result.AddRange(page.Plays.Select(p => new RecordedPlay(member, p.Track.Uri, p.PlayedAt)));
                before = page.NextBefore;
            }
            while (before is not null);
        }

        return result;
    }

    /// <summary>Gaps the service recorded (<c>history_gaps</c>, what <c>GET /api/accounts/{id}/gaps</c> lists); 0 without the table.</summary>
    public int GapsReported()
    {
        using var connection = Database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT CASE WHEN EXISTS (SELECT 1 FROM sqlite_master WHERE name = 'history_gaps') THEN (SELECT count(*) FROM history_gaps) ELSE 0 END;";
        return (int)(long)command.ExecuteScalar()!;
    }

    /// <summary>The gaps' windows as recorded, for the report.</summary>
    public List<(string Account, DateTimeOffset From, DateTimeOffset To)> GapWindows()
    {
        using var connection = Database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT CASE WHEN EXISTS (SELECT 1 FROM sqlite_master WHERE name = 'history_gaps') THEN 1 ELSE 0 END;";
        var windows = new List<(string, DateTimeOffset, DateTimeOffset)>();
        if ((long)command.ExecuteScalar()! == 0)
        {
            return windows;
        }

        command.CommandText = "SELECT a.account_key, g.from_ms, g.to_ms FROM history_gaps g JOIN accounts a ON a.id = g.account_id ORDER BY g.from_ms;";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            windows.Add((reader.GetString(0), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2))));
        }

        return windows;
    }

    private async Task StartSiloAsync()
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSilo((_, silo) =>
        {
            silo.UseInMemoryReminderService();
            silo.AddOrleansSpotify();
            var services = silo.Services;
            services.AddSingleton<FakeTimeProvider>(_clock);
            services.AddSingleton<IListeningEvents>(_events);
            services.Replace(ServiceDescriptor.Singleton<TimeProvider>(_clock));
            services.UseTimeProviderForBackgroundAreas(TimeProvider.System);
            services.Configure<StorageOptions>(o => o.DataDirectory = _directory.Path);
            KeyRingSecretProtector.Register(services, Path.Combine(_directory.Path, "keys"));
            services.Configure<SpotifyOptions>(o =>
            {
                o.ClientId = _spotify.Options.ClientId;
                o.ClientSecret = _spotify.Options.ClientSecret;
                o.AccountsBaseUrl = _spotify.AccountsBaseUrl;
                o.ApiBaseUrl = _spotify.ApiBaseUrl;
                o.RetryBaseDelay = TimeSpan.Zero;
            });
        });
        _cluster = builder.Build();
        await _cluster.DeployAsync();
        Running = true;
    }

    public async ValueTask DisposeAsync()
    {
        if (Running)
        {
            await _cluster.DisposeAsync();
        }

        SqliteConnection.ClearAllPools();
        _directory.Dispose();
    }

    /// <summary>Keeps every live announcement with the simulated time it was made at.</summary>
    private sealed class StampedEvents(TimeProvider clock) : IListeningEvents
    {
        private readonly ConcurrentQueue<(LiveState, DateTimeOffset)> _all = new();

        public IReadOnlyCollection<(LiveState State, DateTimeOffset At)> All => _all;

        public void NowPlayingChanged(LiveState state) => _all.Enqueue((state, clock.GetUtcNow()));

        public void PlaysCommitted(string accountKey, IReadOnlyList<PlayRecord> plays)
        {
        }

        public void AccountChanged(string accountKey)
        {
        }

        public void ImportProgressed(ImportJobStatus status)
        {
        }
    }

    /// <summary>Something a poll does happened: a timer armed or disposed on the clock, or a request to the fake Spotify.</summary>
    private sealed class Activity : IDisposable
    {
        private readonly TimerSignallingClock _clock;
        private readonly FakeSpotifyServer _spotify;
        private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Activity(TimerSignallingClock clock, FakeSpotifyServer spotify)
        {
            _clock = clock;
            _spotify = spotify;
            _clock.Armed += OnArmed;
            _spotify.RequestLogged += OnRequest;
        }

        public Task Next => Volatile.Read(ref _next).Task;

        public void Dispose()
        {
            _clock.Armed -= OnArmed;
            _spotify.RequestLogged -= OnRequest;
        }

        private void OnArmed(TimerSignallingClock.TimerArmed _) => Signal();

        private void OnRequest(FakeRequest _) => Signal();

        private void Signal() => Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }
}
