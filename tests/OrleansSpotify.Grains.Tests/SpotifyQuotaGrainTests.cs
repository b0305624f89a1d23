using Microsoft.Extensions.DependencyInjection;
using OrleansSpotify.Abstractions;
using OrleansSpotify.FakeSpotify;
using OrleansSpotify.Spotify.Http;
using OrleansSpotify.Testing;

namespace OrleansSpotify.Grains.Tests;

/// <summary>
/// The quota governor in the in-process cluster, every call made over real HTTP to the fake Spotify through the real
/// listener: counted by account, endpoint and outcome (each retry attempt too), the rolling window, the pace, the
/// pause, and all of it across a silo restart on the same SQLite file.
/// </summary>
public sealed class SpotifyQuotaGrainTests
{
    private static readonly FakeCatalog Catalog = FakeCatalog.Generate(seed: 23, trackCount: 40, artistCount: 10);
    private static readonly DateTimeOffset T0 = ListenerHarness.Start;

    [Fact]
    public async Task EveryCallIsCountedOnceByAccountEndpointAndOutcomeRetriesAndRefreshesIncluded()
    {
        await using var h = await ListenerHarness.StartAsync();
        h.Spotify.AddCatalog(Catalog);
        var user = h.Spotify.AddUser("counted", "Counted", accountId: "acc-counted");
        var listener = await h.SignInAsync(user);
        await h.RunUntilAsync(T0.AddMinutes(1), listener);

        // On the next poll a 500 (retried by the pipeline: a second attempt), which meets an expired token (a refresh,
        // then the poll again); a 403 and a 404 on lookups, the lookups that succeed, and last a 429 QUOTA_EXCEEDED.
        h.Spotify.Faults.Enqueue(FakeEndpoint.CurrentlyPlaying, FakeFault.ServerError500Json);
        h.Spotify.Faults.Enqueue(FakeEndpoint.CurrentlyPlaying, FakeFault.Unauthorized401Expired);
        await h.RunUntilAsync(T0.AddMinutes(4), listener);
        h.Spotify.Faults.Enqueue(FakeEndpoint.Artist, FakeFault.Forbidden403NotAllowlisted);
        Assert.Equal(ArtistLookupStatus.Failed, (await listener.LookUpArtistAsync(Catalog.Artists[0].Id)).Status);
        Assert.Equal(TrackLookupStatus.NotFound, (await listener.LookUpTrackAsync("0000000000000000000000")).Status);
        Assert.Equal(ArtistLookupStatus.Found, (await listener.LookUpArtistAsync(Catalog.Artists[1].Id)).Status);
        Assert.Equal(TrackLookupStatus.Found, (await listener.LookUpTrackAsync(Catalog[0].Id)).Status);
        Assert.Equal(TrackLookupStatus.Found, (await listener.SearchTracksAsync(Catalog[1].Name, Catalog[1].Artists[0].Name, 5)).Status);
        h.Spotify.Faults.EnqueueRateLimit(FakeEndpoint.Search, TimeSpan.FromMinutes(20), quota: true);
        Assert.Equal(TrackLookupStatus.RateLimited, (await listener.SearchTracksAsync(Catalog[2].Name, null, 5)).Status);

        var governor = h.Client.GetGrain<ISpotifyQuotaGrain>(Constants.QuotaGovernorKey);
        var usage = await governor.GetUsageAsync(DateOnly.FromDateTime(T0.UtcDateTime), DateOnly.FromDateTime(T0.UtcDateTime));
        var counted = usage.Rows.ToDictionary(r => (r.AccountKey, r.Endpoint, r.Outcome), r => r.Count);

        // The fake logs a request once its answer is sent: wait until it has logged as many as were counted.
        await h.Spotify.WaitForAsync(r => r.Endpoint is not null and not "authorize", (int)counted.Values.Sum(), TimeSpan.FromSeconds(30), "the counted requests");
        var seen = h.Spotify.Requests.Where(r => r.Endpoint is not null and not "authorize")
            .GroupBy(r => ("acc-counted", Endpoint(r), Outcome(r)))
            .ToDictionary(g => g.Key, g => (long)g.Count());
        Assert.Equal(seen.OrderBy(p => p.Key), counted.OrderBy(p => p.Key));

        Assert.Equal(1, counted[("acc-counted", SpotifyEndpoints.CurrentlyPlaying, SpotifyCallOutcomes.ServerError)]);
        Assert.True(counted[("acc-counted", SpotifyEndpoints.CurrentlyPlaying, SpotifyCallOutcomes.NoContent)] >= 2);
        Assert.Equal(1, counted[("acc-counted", SpotifyEndpoints.CurrentlyPlaying, SpotifyCallOutcomes.Unauthorized)]);
        Assert.Equal(1, counted[("acc-counted", SpotifyEndpoints.RecentlyPlayed, SpotifyCallOutcomes.Ok)]);
        Assert.Equal(1, counted[("acc-counted", SpotifyEndpoints.Token, SpotifyCallOutcomes.Ok)]);
        Assert.Equal(1, counted[("acc-counted", SpotifyEndpoints.Artists, SpotifyCallOutcomes.Forbidden)]);
        Assert.Equal(1, counted[("acc-counted", SpotifyEndpoints.Artists, SpotifyCallOutcomes.Ok)]);
        Assert.Equal(1, counted[("acc-counted", SpotifyEndpoints.Tracks, SpotifyCallOutcomes.NotFound)]);
        Assert.Equal(1, counted[("acc-counted", SpotifyEndpoints.Tracks, SpotifyCallOutcomes.Ok)]);
        Assert.Equal(1, counted[("acc-counted", SpotifyEndpoints.Search, SpotifyCallOutcomes.Ok)]);
        Assert.Equal(1, counted[("acc-counted", SpotifyEndpoints.Search, SpotifyCallOutcomes.QuotaExceeded)]);

        // The budget counts the Web API calls, not the token refresh; the QUOTA_EXCEEDED pause is reported.
        var webApi = counted.Where(p => p.Key.Endpoint != SpotifyEndpoints.Token).Sum(p => p.Value);
        Assert.Equal(webApi, usage.Budget.Used);
        Assert.Equal(2_000, usage.Budget.Limit);
        Assert.Equal("QUOTA_EXCEEDED", usage.Budget.PauseReason);
        Assert.True(usage.Budget.IsPaused(h.Clock.GetUtcNow()));
        // A QUOTA_EXCEEDED pauses for at least Spotify:QuotaExceededPause (1 h), whatever shorter Retry-After it sends.
        Assert.Equal(h.Clock.GetUtcNow().AddHours(1), usage.Budget.PausedUntil);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task CountsAndThePauseSurviveASiloRestart(bool kill)
    {
        await using var h = await ListenerHarness.StartAsync();
        h.Spotify.AddCatalog(Catalog);
        var user = h.Spotify.AddUser("restarted", "Restarted");
        var listener = await h.SignInAsync(user);
        await h.RunUntilAsync(T0.AddMinutes(3), listener);
        foreach (var track in Catalog.Tracks.Take(5))
        {
            await listener.LookUpTrackAsync(track.Id);
        }

        h.Spotify.Faults.EnqueueRateLimit(FakeEndpoint.Track, TimeSpan.FromHours(3), quota: true);
        Assert.Equal(TrackLookupStatus.RateLimited, (await listener.LookUpTrackAsync(Catalog[6].Id)).Status);
        var governor = h.Client.GetGrain<ISpotifyQuotaGrain>(Constants.QuotaGovernorKey);
        var day = DateOnly.FromDateTime(T0.UtcDateTime);
        var before = await governor.GetUsageAsync(day, day);
        Assert.True(before.Budget.Used >= 6);
        Assert.Equal(6, before.Rows.Where(r => r.Endpoint == SpotifyEndpoints.Tracks).Sum(r => r.Count));

        await h.RestartSiloAsync(kill);

        // Nothing is sent inside the pause, so the new silo's listener adds no call: the counts are the stored ones.
        governor = h.Client.GetGrain<ISpotifyQuotaGrain>(Constants.QuotaGovernorKey);
        var after = await governor.GetUsageAsync(day, day);
        Assert.Equal(before.Rows, after.Rows);
        Assert.Equal(before.Budget, after.Budget);
        Assert.Equal("QUOTA_EXCEEDED", after.Budget.PauseReason);
        Assert.Equal(before.Budget.PausedUntil, after.Budget.PausedUntil);
    }

    [Fact]
    public async Task TheBudgetRunsOutThePaceGrowsAndTheWindowFreesCallsAgain()
    {
        await using var h = await ListenerHarness.StartAsync(configure: h => h.ConfigureQuota = o =>
        {
            o.CallsPerDay = 30;
            o.Window = TimeSpan.FromHours(2);
        });
        h.Spotify.AddCatalog(Catalog);
        var user = h.Spotify.AddUser("spender", "Spender");
        var listener = await h.SignInAsync(user);
        var governor = h.Client.GetGrain<ISpotifyQuotaGrain>(Constants.QuotaGovernorKey);
        await h.RunUntilAsync(T0.AddSeconds(30), listener);
        var start = await governor.GetBudgetAsync();
        Assert.Equal((30, TimeSpan.FromHours(2), false), (start.Limit, start.Window, start.Exhausted));

        // Spending runs ahead: every lookup raises the pace, until the budget is spent.
        var paces = new List<double> { start.Pace };
        var budget = start;
        for (var i = 0; !budget.Exhausted; i++)
        {
            Assert.Equal(TrackLookupStatus.Found, (await listener.LookUpTrackAsync(Catalog.Tracks[i % Catalog.Tracks.Count].Id)).Status);
            budget = await governor.GetBudgetAsync();
            Assert.Equal(WebApiCalls(h, since: T0.AddHours(-3)), budget.Used);
            Assert.Equal(SpotifyQuotaGrain.ComputePace(budget.Used, budget.Used, 30, TimeSpan.FromHours(2)), budget.Pace);
            paces.Add(budget.Pace);
        }

        Assert.Equal(30, budget.Used);
        Assert.True(budget.Exhausted);
        Assert.Equal(SpotifyQuotaGrain.MaxPace, budget.Pace);
        Assert.True(paces.Zip(paces.Skip(1)).All(p => p.Second >= p.First), string.Join(", ", paces));
        Assert.True(paces[^2] > paces[1]);

        // The listener stops: from now on nothing is spent. An hour later the calls still count; nothing was spent in
        // the last hour, but nothing is left either.
        await listener.StopAsync();
        var spent = WebApiCalls(h, since: T0);
        Assert.Equal(30, spent);
        h.JumpTo(T0.AddHours(1).AddMinutes(5));
        budget = await governor.GetBudgetAsync();
        Assert.Equal((30, true, SpotifyQuotaGrain.MaxPace), (budget.Used, budget.Exhausted, budget.Pace));

        // Two hours after the end of the minute they were sent in, they are free again (not a minute before).
        h.JumpTo(T0.AddHours(2).AddSeconds(59));
        Assert.True((await governor.GetBudgetAsync()).Exhausted);
        h.JumpTo(T0.AddHours(2).AddMinutes(1));
        budget = await governor.GetBudgetAsync();
        Assert.Equal((0, false, 1.0), (budget.Used, budget.Exhausted, budget.Pace));
        Assert.Null(budget.PausedUntil);
        Assert.Equal(spent, WebApiCalls(h, since: T0));
    }

    [Theory]
    [InlineData(0, 0, 1.0)]
    [InlineData(0, 2_000, 100.0)]        // nothing left, though nothing was spent in the last hour
    [InlineData(50, 500, 1.0)]           // 1,200 a window at this rate fit in the 1,500 left
    [InlineData(100, 100, 1.263)]        // 2,400 a window vs 1,900 left
    [InlineData(200, 1_000, 4.8)]        // 4,800 vs 1,000
    [InlineData(10, 1_990, 24.0)]        // 240 vs 10
    [InlineData(10, 2_000, 100.0)]       // nothing left
    [InlineData(1_000, 1_999, 100.0)]    // capped
    public void ThePaceIsTheLastHoursSpendOverAWindowDividedByWhatIsLeft(int lastHour, int used, double pace) =>
        Assert.Equal(pace, SpotifyQuotaGrain.ComputePace(lastHour, used, 2_000, TimeSpan.FromDays(1)), 3);

    private static int WebApiCalls(ListenerHarness h, DateTimeOffset since) =>
        h.Spotify.Requests.Count(r => r.At >= since && r.Endpoint is not null and not "authorize" and not "token");

    private static string Endpoint(FakeRequest request) => request.Endpoint switch
    {
        "me" => SpotifyEndpoints.Me,
        "currently-playing" => SpotifyEndpoints.CurrentlyPlaying,
        "player" => SpotifyEndpoints.Player,
        "recently-played" => SpotifyEndpoints.RecentlyPlayed,
        "artist" => SpotifyEndpoints.Artists,
        "track" => SpotifyEndpoints.Tracks,
        "search" => SpotifyEndpoints.Search,
        "token" => SpotifyEndpoints.Token,
        _ => SpotifyEndpoints.Other,
    };

    private static string Outcome(FakeRequest request) => request.StatusCode switch
    {
        0 => SpotifyCallOutcomes.Timeout,
        204 => SpotifyCallOutcomes.NoContent,
        >= 200 and < 300 => SpotifyCallOutcomes.Ok,
        401 => SpotifyCallOutcomes.Unauthorized,
        403 => SpotifyCallOutcomes.Forbidden,
        404 => SpotifyCallOutcomes.NotFound,
        429 => request.Fault == FakeFault.QuotaExceeded429 ? SpotifyCallOutcomes.QuotaExceeded : SpotifyCallOutcomes.RateLimited,
        >= 500 => SpotifyCallOutcomes.ServerError,
        _ => SpotifyCallOutcomes.ClientError,
    };
}
