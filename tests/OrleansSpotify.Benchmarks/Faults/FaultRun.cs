using System.Diagnostics;
using System.Globalization;
using OrleansSpotify.FakeSpotify;
using OrleansSpotify.Testing;

namespace OrleansSpotify.Benchmarks.Faults;

/// <summary>
/// One fault run: the fake Spotify on a <see cref="CompressedClock"/> with a scripted household, the real Host as a
/// child process signed in through its own /auth endpoints, and a schedule of faults over the scripted day. The run
/// keeps what it needs for the report: the request ledger, the kills, the revocation and what the Host stored.
/// </summary>
public sealed class FaultRun : IAsyncDisposable
{
    /// <summary>A 429 reaches the Host a moment after the fake answered it: requests arriving this soon after were already on their way.</summary>
    public static readonly TimeSpan InFlightGrace = TimeSpan.FromSeconds(1);

    /// <summary>The user whose refresh token is revoked (invalid_grant) during the day.</summary>
    public const string RevokedUserId = "robin";

    private static readonly DateTimeOffset Origin = new(2026, 11, 25, 6, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan HostStartBound = TimeSpan.FromSeconds(90);

    private readonly FaultsBenchmarkOptions _options;
    private readonly TextWriter _output;
    private readonly FakeSpotifyServer _fake;
    private readonly IReadOnlyList<FakeUser> _users;
    private readonly KillSwitch _killSwitch;
    private readonly HostLaunch _launch;
    private readonly Dictionary<string, HouseholdClient> _members = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _accountKeys = new(StringComparer.Ordinal);
    private HostProcess _host;
    private Task _pendingKill = Task.CompletedTask;

    private FaultRun(
        FaultsBenchmarkOptions options,
        TextWriter output,
        CompressedClock clock,
        FakeSpotifyServer fake,
        IReadOnlyList<FakeUser> users,
        HostSettings settings,
        HostLaunch launch,
        HostProcess host)
    {
        _options = options;
        _output = output;
        Clock = clock;
        _fake = fake;
        _users = users;
        Settings = settings;
        _launch = launch;
        _host = host;
        Ledger = new RequestLedger(clock);
        _killSwitch = new KillSwitch(users.ToDictionary(u => u.Id, StringComparer.Ordinal));
        _fake.RequestLogged += request => _killSwitch.OnRequest(Ledger.Add(request));
    }

    public CompressedClock Clock { get; }

    public HostSettings Settings { get; }

    public RequestLedger Ledger { get; }

    public FaultTally Tally { get; } = new();

    public List<(KillEvent Kill, TimeSpan Down)> Kills { get; } = [];

    /// <summary>When the revoked user's grant was revoked (fake time); null when it never was.</summary>
    public DateTimeOffset? RevokedAt { get; private set; }

    /// <summary>Real seconds the Host needed for its first start (before the clock started).</summary>
    public TimeSpan FirstStart { get; private set; }

    public TimeSpan Drain { get; private set; }

    public bool Drained { get; private set; }

    public bool StoppedGracefully { get; private set; }

    /// <summary>The accounts as the Host reported them at the end of the drain.</summary>
    public IReadOnlyList<HouseholdClient.AccountView> FinalAccounts { get; private set; } = [];

    public IReadOnlyList<FakeUser> Users => _users;

    public string DatabasePath => Path.Combine(_launch.RunDirectory, "data", "orleans-spotify.db");

    public IReadOnlyDictionary<string, string> AccountKeys => _accountKeys;

    public static async Task<FaultRun> StartAsync(FaultsBenchmarkOptions options, string hostDll, string runDirectory, TextWriter output, CancellationToken cancellationToken)
    {
        var clock = new CompressedClock(Origin, options.Speed);
        var fakeOptions = new FakeSpotifyOptions
        {
            MaxRetryAfter = options.MaxRetryAfter,
            MaxLoggedRequests = int.MaxValue,

            // Tokens the Host (on real time) and the fake (on the compressed clock) agree never expire during the run;
            // expired tokens come from faults instead.
            AccessTokenLifetime = TimeSpan.FromHours(options.Speed),
        };
        var fake = await FakeSpotifyServer.StartAsync(fakeOptions, clock, cancellationToken: cancellationToken);
        try
        {
            var users = FakeHousehold.SeedDemo(fake, FakeCatalog.Generate(options.Seed), Origin, options.Span, options.Seed);
            var settings = HostSettings.For(options.Speed);
            var port = TestPorts.Free();
            var environment = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["Spotify__ClientId"] = fakeOptions.ClientId,
                ["Spotify__AccountsBaseUrl"] = fake.AccountsBaseUrl.AbsoluteUri,
                ["Spotify__ApiBaseUrl"] = fake.ApiBaseUrl.AbsoluteUri,
                ["Spotify__RedirectUri"] = $"http://127.0.0.1:{port}/auth/callback",
                ["Storage__DataDirectory"] = Path.Combine(runDirectory, "data"),
            };
            foreach (var (key, value) in settings.Environment())
            {
                environment[key] = value;
            }

            var launch = new HostLaunch(hostDll, port, runDirectory, environment);
            var stopwatch = Stopwatch.StartNew();
            var host = HostProcess.Start(launch, 1, () => clock.RealNow);
            var run = new FaultRun(options, output, clock, fake, users, settings, launch, host);
            try
            {
                await host.WaitReadyAsync(HostStartBound, cancellationToken);
                run.FirstStart = stopwatch.Elapsed;
                foreach (var user in users)
                {
                    var (client, accountKey) = await HouseholdClient.SignInAsync(launch.BaseUri, user.Id, cancellationToken);
                    run._members[user.Id] = client;
                    run._accountKeys[user.Id] = accountKey;
                }

                return run;
            }
            catch
            {
                await run.DisposeAsync();
                throw;
            }
        }
        catch
        {
            await fake.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts the clock and runs the scripted day with its faults, then drains and stops the Host.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        Clock.Start();
        Note("the day starts: the fake's clock runs " + _options.Speed.ToString(CultureInfo.InvariantCulture) + "x");

        var steps = new (double At, Func<CancellationToken, Task> Step)[]
        {
            (0.05, _ => ServerErrorBurst()),
            (0.10, _ => MalformedJsonAndSpurious401s()),
            (0.15, _ => Timeouts()),
            (0.20, _ => QuotaExceeded()),
            (0.38, StartKillAsync),
            (0.55, _ => RateLimitStorm()),
            (0.72, StartKillAsync),
            (0.80, RevokeAsync),
            (0.88, _ => ServerErrorBurstWithTokenOutage()),
        };
        foreach (var (at, step) in steps)
        {
            await Clock.WaitUntilAsync(Origin + (_options.Span * at), cancellationToken);
            await step(cancellationToken);
        }

        await Clock.WaitUntilAsync(Origin + _options.Span, cancellationToken);
        await _pendingKill;
        Note("the scripted day is over");
        await DrainAsync(cancellationToken);
        StoppedGracefully = await _host.StopAsync(TimeSpan.FromSeconds(30));
        Note(StoppedGracefully ? "the Host stopped (SIGTERM)" : "the Host did not stop within 30 s of SIGTERM and was killed");
        _fake.Faults.Clear();
    }

    /// <summary>The plays recently-played lists for a user (the fake's own notion): all of them, or up to the revocation.</summary>
    public IReadOnlyList<ScriptedPlay> ExpectedPlays(FakeUser user) =>
        user.VisibleHistory(user.Id == RevokedUserId && RevokedAt is { } revoked ? revoked : DateTimeOffset.MaxValue);

    public async ValueTask DisposeAsync()
    {
        foreach (var member in _members.Values)
        {
            member.Dispose();
        }

        _host.Dispose();
        await _fake.DisposeAsync();
    }

    private Task ServerErrorBurst()
    {
        Enqueue(FaultKind.ServerError, FakeEndpoint.Any, FakeFault.ServerError500Json, 3);
        Enqueue(FaultKind.ServerError, FakeEndpoint.Any, FakeFault.BadGateway502Html, 3);
        Enqueue(FaultKind.ServerError, FakeEndpoint.Any, FakeFault.ServiceUnavailable503Empty, 3);
        Note("5xx burst queued: 3x 500 JSON, 3x 502 HTML, 3x 503 empty (the next 9 requests)");
        return Task.CompletedTask;
    }

    private Task MalformedJsonAndSpurious401s()
    {
        Enqueue(FaultKind.MalformedJson, FakeEndpoint.RecentlyPlayed, FakeFault.MalformedJson, 2);
        Enqueue(FaultKind.MalformedJson, FakeEndpoint.CurrentlyPlaying, FakeFault.MalformedJson, 2);
        Enqueue(FaultKind.Spurious401, FakeEndpoint.RecentlyPlayed, FakeFault.Unauthorized401Spurious, 2);
        Enqueue(FaultKind.Spurious401, FakeEndpoint.CurrentlyPlaying, FakeFault.Unauthorized401Spurious, 2);
        Note("malformed JSON (2x recently-played, 2x currently-playing) and spurious 401s (2x each) queued");
        return Task.CompletedTask;
    }

    private Task Timeouts()
    {
        Enqueue(FaultKind.Timeout, FakeEndpoint.RecentlyPlayed, FakeFault.Timeout, 2);
        Enqueue(FaultKind.Timeout, FakeEndpoint.CurrentlyPlaying, FakeFault.Timeout, 1);
        Note($"timeouts queued: 2x recently-played, 1x currently-playing (no answer; the Host gives up after {Settings.AttemptTimeout.TotalSeconds:N1} s)");
        return Task.CompletedTask;
    }

    private Task QuotaExceeded()
    {
        _fake.Faults.EnqueueRateLimit(FakeEndpoint.CurrentlyPlaying, retryAfter: null, quota: true);
        Tally.Schedule(FaultKind.QuotaExceeded, 1);
        Note($"QUOTA_EXCEEDED without Retry-After queued (the Host pauses Spotify__QuotaExceededPause = {Settings.QuotaExceededPause.TotalSeconds:N0} s)");
        return Task.CompletedTask;
    }

    private Task RateLimitStorm()
    {
        // Longer than the capped Retry-After: the Host comes back while the window is still open and is sent away
        // again (2-3 times), every account at once.
        var window = _options.MaxRetryAfter * 2.5 * _options.Speed;
        _fake.Faults.RateLimitFor(window);
        Tally.Schedule(FaultKind.RateLimited, 1);
        Note($"429 storm: every Web API request answers 429 for {window.TotalMinutes:N0} fake minutes, Retry-After up to {window.TotalSeconds:N0} s capped at {_options.MaxRetryAfter.TotalSeconds:N0} s");
        return Task.CompletedTask;
    }

    private Task ServerErrorBurstWithTokenOutage()
    {
        Enqueue(FaultKind.ServerError, FakeEndpoint.RecentlyPlayed, FakeFault.BadGateway502Html, 2);
        Enqueue(FaultKind.ServerError, FakeEndpoint.RecentlyPlayed, FakeFault.ServerError500Json, 2);
        Enqueue(FaultKind.Expired401, FakeEndpoint.CurrentlyPlaying, FakeFault.Unauthorized401Expired, 1);
        Enqueue(FaultKind.ServerError, FakeEndpoint.Token, FakeFault.ServiceUnavailable503Empty, 2);
        Note("5xx burst on recently-played (2x 502, 2x 500) and an expired token whose refresh meets 2x 503");
        return Task.CompletedTask;
    }

    /// <summary>
    /// Starts a kill (armed, fired, the Host restarted) in the background: the schedule's faults go on meanwhile, as
    /// they would while a real Host restarts. The next kill, the revocation and the drain wait for it.
    /// </summary>
    private async Task StartKillAsync(CancellationToken cancellationToken)
    {
        await _pendingKill;
        _pendingKill = KillAsync(cancellationToken);
    }

    private async Task KillAsync(CancellationToken cancellationToken)
    {
        var number = Kills.Count + 1;
        var now = Clock.GetUtcNow();
        var nextEnd = _users
            .Where(u => u.Id != RevokedUserId || RevokedAt is null)
            .SelectMany(u => u.VisibleHistory(DateTimeOffset.MaxValue))
            .Select(p => p.EndedAt)
            .Where(end => end > now)
            .DefaultIfEmpty(now)
            .Min();
        var fired = _killSwitch.Arm(_host);
        Note($"SIGKILL #{number} armed: the Host dies at the next recently-played answer with new plays (the next play ends at {nextEnd:HH:mm:ss})");
        KillEvent kill;
        try
        {
            kill = await fired.WaitAsync(Clock.RealDelayUntil(nextEnd) + Bound(0.2, TimeSpan.FromSeconds(5)), cancellationToken);
        }
        catch (TimeoutException)
        {
            kill = _killSwitch.Force(Clock.GetUtcNow(), Clock.RealNow) ?? await fired;
        }

        await _host.WaitForExitAsync(cancellationToken);
        kill.StoredBeforeKill = StoredOf(kill);
        Note(kill.Forced
            ? $"SIGKILL #{number}: no answer with new plays came; killed anyway (pid {_host.ProcessId}, exit code {_host.ExitCode})"
            : $"SIGKILL #{number}: right after recently-played gave {kill.UserId} {kill.NewPlays.Count} new play(s), {kill.StoredBeforeKill?.ToString(CultureInfo.InvariantCulture) ?? "?"} of them stored when the Host died (pid {_host.ProcessId}, exit code {_host.ExitCode})");

        var killedAt = Clock.RealNow;
        var previous = _host;
        _host = HostProcess.Start(_launch, previous.Generation + 1, () => Clock.RealNow);
        previous.Dispose();
        await _host.WaitReadyAsync(HostStartBound, cancellationToken);
        var down = TimeSpan.FromSeconds(Clock.RealNow - killedAt);
        Kills.Add((kill, down));
        Tally.Schedule(FaultKind.Kill, 1);
        Tally.Serve(FaultKind.Kill, 1);
        Note($"the Host is back on the same data directory (pid {_host.ProcessId}) after {down.TotalSeconds:N1} s");
    }

    /// <summary>How many of the plays the kill followed were already in the database (read-only, while the Host is down).</summary>
    private int? StoredOf(KillEvent kill)
    {
        if (kill.Forced)
        {
            return null;
        }

        try
        {
            var rows = StoredPlays.Read(DatabasePath).Plays.GetValueOrDefault(_accountKeys[kill.UserId]) ?? [];
            var stored = rows.ToHashSet();
            return kill.NewPlays.Count(stored.Contains);
        }
        catch (Microsoft.Data.Sqlite.SqliteException exception)
        {
            Note("could not read the database after the kill: " + exception.Message);
            return null;
        }
    }

    /// <summary>
    /// Revokes the user's grant in a break of their listening, once the Host has stored every play they made so far
    /// (bounded by the break), and expires their access tokens: the next call answers 401, the refresh invalid_grant.
    /// </summary>
    private async Task RevokeAsync(CancellationToken cancellationToken)
    {
        await _pendingKill;
        var user = _users.Single(u => u.Id == RevokedUserId);
        var (gapStart, gapEnd) = Break(user, Origin + (_options.Span * 0.78));
        await Clock.WaitUntilAsync(gapStart + TimeSpan.FromMinutes(1), cancellationToken);
        Note($"{user.Id} pauses until {gapEnd:HH:mm}; waiting for the Host to hold all {user.VisibleHistory(Clock.GetUtcNow()).Count} of their plays before revoking");
        var deadline = Clock.RealNow + Math.Max(5, Clock.RealSeconds(gapEnd) - Clock.RealNow - 1);
        var stored = await WaitForStoredAsync(user, deadline, cancellationToken);

        user.RevokeGrant();
        user.ExpireAccessTokens();
        RevokedAt = Clock.GetUtcNow();
        Tally.Schedule(FaultKind.InvalidGrant, 1);
        Note($"{user.Id}'s refresh token revoked and access token expired with {stored} of {user.VisibleHistory(RevokedAt.Value).Count} plays stored: the Host should find invalid_grant and stop polling that account");
    }

    /// <summary>
    /// Waits (bounded) until every account holds all its plays the fake lists and the revoked account has turned
    /// needs-reauth: polls <c>/api/accounts</c> until each play count equals the expected count.
    /// </summary>
    private async Task DrainAsync(CancellationToken cancellationToken)
    {
        var lastEnd = _users.Select(u => u.VisibleHistory(DateTimeOffset.MaxValue)).Where(h => h.Count > 0).Max(h => h[0].EndedAt);
        await Clock.WaitUntilAsync(lastEnd + TimeSpan.FromMinutes(1), cancellationToken);
        var started = Clock.RealNow;
        var bound = Bound(0.5, TimeSpan.FromSeconds(30));
        Note($"draining: the last play ended at {lastEnd:HH:mm}; waiting up to {bound.TotalSeconds:N0} s for the Host to store every play");
        var member = _members[_users[0].Id];
        while (true)
        {
            if (await member.TryAccountsAsync(cancellationToken) is { } accounts)
            {
                FinalAccounts = accounts;
                Drained = _users.All(u => accounts.FirstOrDefault(a => a.Id == _accountKeys[u.Id])?.PlayCount == ExpectedPlays(u).Count)
                    && (RevokedAt is null || accounts.FirstOrDefault(a => a.Id == _accountKeys[RevokedUserId])?.Status == "needs-reauth");
            }

            if (Drained || Clock.RealNow - started > bound.TotalSeconds)
            {
                break;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
        }

        Drain = TimeSpan.FromSeconds(Clock.RealNow - started);
        Note(Drained ? $"drained in {Drain.TotalSeconds:N1} s" : $"not drained after {Drain.TotalSeconds:N1} s");
    }

    /// <summary>Waits (until <paramref name="deadline"/>) until the Host holds every play the fake lists for the user by now; returns the stored count.</summary>
    private async Task<long> WaitForStoredAsync(FakeUser user, double deadline, CancellationToken cancellationToken)
    {
        var member = _members[_users[0].Id];
        long stored = -1;
        while (Clock.RealNow < deadline)
        {
            if (await member.TryAccountsAsync(cancellationToken) is { } accounts
                && accounts.FirstOrDefault(a => a.Id == _accountKeys[user.Id]) is { PlayCount: { } count })
            {
                stored = count;
                if (stored >= user.VisibleHistory(Clock.GetUtcNow()).Count)
                {
                    break;
                }
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
        }

        return stored;
    }

    /// <summary>
    /// A break in the user's listening that starts after <paramref name="from"/>: the first of at least 10 fake
    /// minutes (and 2 real seconds); else the longest one that ends before the day does; else the time after the
    /// user's last play.
    /// </summary>
    private (DateTimeOffset Start, DateTimeOffset End) Break(FakeUser user, DateTimeOffset from)
    {
        var minimum = TimeSpan.FromTicks(Math.Max(TimeSpan.FromMinutes(10).Ticks, TimeSpan.FromSeconds(2).Ticks * _options.Speed));
        var busyUntil = DateTimeOffset.MinValue;
        (DateTimeOffset Start, DateTimeOffset End)? longest = null;
        foreach (var play in user.Plays)
        {
            if (busyUntil >= from && play.StartedAt > busyUntil)
            {
                if (play.StartedAt - busyUntil >= minimum)
                {
                    return (busyUntil, play.StartedAt);
                }

                if (longest is not { } best || play.StartedAt - busyUntil > best.End - best.Start)
                {
                    longest = (busyUntil, play.StartedAt);
                }
            }

            busyUntil = play.EndedAt > busyUntil ? play.EndedAt : busyUntil;
        }

        return longest ?? (Max(busyUntil, from), Max(busyUntil, from) + minimum);
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private void Enqueue(FaultKind kind, FakeEndpoint endpoint, FakeFault fault, int times)
    {
        _fake.Faults.Enqueue(endpoint, fault, times);
        Tally.Schedule(kind, times);
    }

    /// <summary>A fraction of the real day, at least <paramref name="minimum"/>.</summary>
    private TimeSpan Bound(double fraction, TimeSpan minimum)
    {
        var bound = _options.RealSpan * fraction;
        return bound > minimum ? bound : minimum;
    }

    private void Note(string text) =>
        _output.WriteLine($"[{Clock.RealNow,6:F1} s | {Clock.GetUtcNow():HH:mm}] {text}");
}
