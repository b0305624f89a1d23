using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;
using OrleansSpotify.Abstractions;
using OrleansSpotify.FakeSpotify;
using OrleansSpotify.Spotify;
using OrleansSpotify.Storage;
using OrleansSpotify.Testing;

namespace OrleansSpotify.Grains.Tests;

/// <summary>
/// One silo (Orleans InProcessTestCluster) with the real grains, a real SQLite file in a temporary directory,
/// and the fake Spotify on loopback HTTP, all on one <see cref="FakeTimeProvider"/> the test advances.
/// Silo infrastructure stays on real time (UseTimeProviderForBackgroundAreas) so advancing never spins it.
/// </summary>
public sealed class ListenerHarness : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 11, 20, 6, 0, 0, TimeSpan.Zero);

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "orleans-spotify-grain-tests", Guid.NewGuid().ToString("N"));

    private ListenerHarness(FakeSpotifyServer spotify, TimerSignallingClock clock)
    {
        Spotify = spotify;
        Clock = clock;
    }

    public TimerSignallingClock Clock { get; }

    public FakeSpotifyServer Spotify { get; }

    public InProcessTestCluster Cluster { get; private set; } = null!;

    /// <summary>Every live event the grains announced (the silo's <see cref="IListeningEvents"/>).</summary>
    public RecordingListeningEvents Events { get; } = new();

    public IClusterClient Client => Cluster.Client;

    /// <summary>Storage batching of the next silo to start; tests that crash mid-batch make it long.</summary>
    public TimeSpan FlushDelay { get; set; } = TimeSpan.Zero;

    public Action<ListenerOptions> ConfigureListener { get; set; } = _ => { };

    /// <summary>Import job settings of the next silo to start (batch size, progress interval, retry delay).</summary>
    public Action<Import.ImportJobOptions> ConfigureImportJobs { get; set; } = _ => { };

    /// <summary>The running silo's services (its <see cref="SqliteDatabase"/>, the import job launcher, ...).</summary>
    public IServiceProvider SiloServices => Cluster.Silos[0].ServiceProvider;

    /// <summary>The genre fetcher's settings on the next silo to start.</summary>
    public Action<GenreOptions> ConfigureGenres { get; set; } = _ => { };

    /// <summary>The metadata fetcher's settings on the next silo to start.</summary>
    public Action<MetadataOptions> ConfigureMetadata { get; set; } = _ => { };

    /// <summary>The Spotify call budget of the next silo to start.</summary>
    public Action<QuotaOptions> ConfigureQuota { get; set; } = _ => { };

    /// <summary>More storage settings of the next silo to start (the data directory is the harness's).</summary>
    public Action<StorageOptions> ConfigureStorage { get; set; } = _ => { };

    /// <summary>The storage grain's queue bound on the next silo to start.</summary>
    public int MaxPendingPlays { get; set; } = new StorageGrainOptions().MaxPendingPlays;

    public StorageOptions StorageOptions => new() { DataDirectory = _directory };

    public static async Task<ListenerHarness> StartAsync(FakeSpotifyOptions? spotifyOptions = null, Action<ListenerHarness>? configure = null)
    {
        var clock = new TimerSignallingClock(Start);
        var spotify = await FakeSpotifyServer.StartAsync(spotifyOptions ?? new FakeSpotifyOptions(), clock);
        var harness = new ListenerHarness(spotify, clock);
        configure?.Invoke(harness);
        await harness.DeployAsync();
        return harness;
    }

    private async Task DeployAsync()
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.UseInMemoryReminderService();
            silo.AddOrleansSpotify();
            var services = silo.Services;
            services.AddSingleton<FakeTimeProvider>(Clock);
            services.AddSingleton<IListeningEvents>(Events);
            services.Replace(ServiceDescriptor.Singleton<TimeProvider>(Clock));
            services.UseTimeProviderForBackgroundAreas(TimeProvider.System);
            services.Configure<StorageOptions>(o =>
            {
                ConfigureStorage(o);
                o.DataDirectory = _directory;
            });
            OrleansSpotify.Testing.KeyRingSecretProtector.Register(services, Path.Combine(_directory, "keys"));
            services.Configure<StorageGrainOptions>(o =>
            {
                o.FlushDelay = FlushDelay;
                o.MaxPendingPlays = MaxPendingPlays;
            });
            services.Configure<ListenerOptions>(o => ConfigureListener(o));
            services.Configure<Import.ImportJobOptions>(o => ConfigureImportJobs(o));
            services.Configure<GenreOptions>(o => ConfigureGenres(o));
            services.Configure<MetadataOptions>(o => ConfigureMetadata(o));
            services.Configure<QuotaOptions>(o => ConfigureQuota(o));
            services.Configure<SpotifyOptions>(o =>
            {
                o.ClientId = Spotify.Options.ClientId;
                o.ClientSecret = Spotify.Options.ClientSecret;
                o.AccountsBaseUrl = Spotify.AccountsBaseUrl;
                o.ApiBaseUrl = Spotify.ApiBaseUrl;
                o.RetryBaseDelay = TimeSpan.Zero;
                o.MaxRetryAttempts = 2;
            });
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    /// <summary>Stops (or kills) the silo and starts a new one on the same SQLite database; the client reconnects.</summary>
    public async Task RestartSiloAsync(bool kill)
    {
        var silo = Cluster.Silos[0];
        if (kill)
        {
            await Cluster.KillSiloAsync(silo);
        }
        else
        {
            await Cluster.StopSiloAsync(silo);
        }

        await Cluster.StartAdditionalSiloAsync();
        await Cluster.InitializeClientAsync();
    }

    /// <summary>Creates the household account and signs it in, as the sign-in callback would.</summary>
    public async Task<IListenerGrain> SignInAsync(FakeUser user)
    {
        var now = Clock.GetUtcNow();
        var grant = Spotify.IssueGrant(user.Id);
        var key = AccountKey(user);
        Accounts.Upsert(key, user.Id, user.DisplayName, now, now);
        var listener = Client.GetGrain<IListenerGrain>(key);
        await listener.AuthorizeAsync(new SpotifyGrant(grant.AccessToken, now.AddSeconds(grant.ExpiresInSeconds), grant.RefreshToken, grant.Scope, now));
        return listener;
    }

    public static string AccountKey(FakeUser user) => string.IsNullOrEmpty(user.AccountId) ? user.Id : user.AccountId;

    public AccountStore Accounts => new(Database);

    public PlayQueries Queries => new(Database);

    public SqliteDatabase Database => new(Microsoft.Extensions.Options.Options.Create(StorageOptions), Microsoft.Extensions.Logging.Abstractions.NullLogger<SqliteDatabase>.Instance);

    /// <summary>Every stored play of an account as (played_at, track uri), oldest first.</summary>
    public IReadOnlyList<(DateTimeOffset PlayedAt, string Uri)> StoredPlays(FakeUser user) => [.. StoredPlayRecords(user).Select(p => (p.PlayedAt, p.Track.Uri))];

    /// <summary>Every stored play of an account, oldest first.</summary>
    public IReadOnlyList<StoredPlay> StoredPlayRecords(FakeUser user)
    {
        var result = new List<StoredPlay>();
        DateTimeOffset? before = null;
        do
        {
            var page = Queries.GetPlays(AccountKey(user), null, null, before, 500);
            if (page is null)
            {
                break;
            }

            result.AddRange(page.Plays);
            before = page.NextBefore;
        }
        while (before is not null);

        result.Reverse();
        return result;
    }

    /// <summary>
    /// Advances the fake clock poll by poll until <paramref name="until"/>: each step jumps to the earliest
    /// scheduled poll of the given listeners and waits until every listener due by then has finished it.
    /// </summary>
    public async Task RunUntilAsync(DateTimeOffset until, params IListenerGrain[] listeners)
    {
        while (true)
        {
            var statuses = await Task.WhenAll(listeners.Select(l => l.GetStatusAsync()));
            var due = statuses.Where(s => s.NextPollAt is not null).Select(s => s.NextPollAt!.Value).DefaultIfEmpty(DateTimeOffset.MaxValue).Min();
            var now = Clock.GetUtcNow();
            if (due > until)
            {
                if (until > now)
                {
                    Clock.Advance(until - now);
                }

                return;
            }

            if (due > now)
            {
                Clock.Advance(due - now);
            }

            await WaitForPollsAsync(listeners, statuses, Clock.GetUtcNow());
        }
    }

    /// <summary>Advances the clock to <paramref name="at"/> in one step (timers due in between fire once, late).</summary>
    public void JumpTo(DateTimeOffset at)
    {
        var now = Clock.GetUtcNow();
        if (at > now)
        {
            Clock.Advance(at - now);
        }
    }

    /// <summary>
    /// Waits until every listener that was due by <paramref name="now"/> has finished that poll. A poll ends by arming
    /// its timer again (or disposing it), mostly after requests to the fake Spotify; the status is re-read on each
    /// such signal. (A status call queues behind the running tick, the grain being non-reentrant, so the first read
    /// after the advance normally already sees the poll done.)
    /// </summary>
    private async Task WaitForPollsAsync(IListenerGrain[] listeners, ListenerStatus[] before, DateTimeOffset now)
    {
        using var activity = new Activity(Clock, Spotify);
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        for (var i = 0; i < listeners.Length; i++)
        {
            if (before[i].NextPollAt is not { } due || due > now)
            {
                continue;
            }

            while (true)
            {
                var changed = activity.Next;
                var status = await listeners[i].GetStatusAsync();
                if (status.PollCount > before[i].PollCount || status.NextPollAt is null || status.NextPollAt > now)
                {
                    break;
                }

                try
                {
                    await changed.WaitAsync(bound.Token);
                }
                catch (OperationCanceledException)
                {
                    var recent = string.Join(Environment.NewLine, Spotify.Requests.TakeLast(6).Select(r => $"  {r.At:O} {r.Method} {r.Path} -> {r.StatusCode} ({r.Endpoint}, {r.UserId})"));
                    throw new TimeoutException($"Listener {i} did not complete its poll due at {due:O}. Last requests the fake Spotify saw:{Environment.NewLine}{recent}");
                }
            }
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

        /// <summary>Completes on the next signal after it was read.</summary>
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

    public async ValueTask DisposeAsync()
    {
        await Cluster.DisposeAsync();
        await Spotify.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
