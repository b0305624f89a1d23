using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OrleansSpotify.FakeSpotify;
using OrleansSpotify.Spotify.Tests.Infrastructure;

namespace OrleansSpotify.Spotify.Tests;

/// <summary><c>GET /tracks/{id}</c> and <c>GET /search?type=track</c> against the fake Spotify (real HTTP on 127.0.0.1).</summary>
public sealed class TrackAndSearchTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 9, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _clock = new(Start);
    private FakeSpotifyServer _fake = null!;
    private ServiceProvider _services = null!;
    private string _token = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private FakeCatalog Catalog { get; } = FakeCatalog.Generate(seed: 21, trackCount: 120, artistCount: 30);

    private ISpotifyApiClient Api => _services.GetRequiredService<ISpotifyApiClient>();

    public async ValueTask InitializeAsync()
    {
        _fake = await FakeSpotifyServer.StartAsync(new FakeSpotifyOptions(), _clock, cancellationToken: Ct);
        _fake.AddUser("alex", "Alex", "acc-alex");
        _fake.AddCatalog(Catalog);
        _token = _fake.IssueGrant("alex").AccessToken;
        _services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<TimeProvider>(_clock)
            .AddSingleton<ISpotifyRateLimitStore>(new InMemorySpotifyRateLimitStore())
            .AddSpotifyClient(options =>
            {
                options.ClientId = "test-client-id";
                options.RedirectUri = new Uri("http://127.0.0.1:5080/auth/callback");
                options.AccountsBaseUrl = _fake.AccountsBaseUrl;
                options.ApiBaseUrl = _fake.ApiBaseUrl;
                options.MaxRetryAttempts = 0;
                options.RetryBaseDelay = TimeSpan.Zero;
            })
            .BuildServiceProvider();
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await _fake.DisposeAsync();
    }

    [Fact]
    public async Task ATrackIsReadWithDurationAlbumArtAndArtistIds()
    {
        var expected = Catalog[3];

        var track = await Api.GetTrackAsync(_token, expected.Id, Ct);

        Assert.Equal(expected.Id, track.Id);
        Assert.Equal(expected.Uri, track.Uri);
        Assert.Equal(expected.Name, track.Name);
        Assert.Equal((long)expected.Duration.TotalMilliseconds, track.DurationMs);
        Assert.Equal(expected.Isrc, track.Isrc);
        Assert.Equal(expected.Album.Id, track.Album!.Id);
        Assert.Equal(expected.Album.Name, track.Album.Name);
        Assert.NotEmpty(track.Album.Images);
        Assert.Equal(expected.Artists.Select(a => a.Id), track.Artists.Select(a => a.Id));
    }

    [Fact]
    public async Task AnUnknownTrackIsA404()
    {
        var error = await Assert.ThrowsAsync<SpotifyException>(() => Api.GetTrackAsync(_token, "0000000000000000000000", Ct));

        Assert.Equal(404, error.StatusCode);
    }

    [Fact]
    public async Task ASearchByTitleAndArtistFindsTheTrack()
    {
        var expected = Catalog[10];

        var found = await Api.SearchTracksAsync(_token, SpotifySearchQuery.ForTrack(expected.Name, expected.Artists[0].Name), 5, Ct);

        Assert.InRange(found.Count, 1, 5);
        Assert.Contains(found, t => t.Id == expected.Id && t.Album!.Images.Count > 0 && t.DurationMs > 0);
        var request = _fake.Requests.Last(r => r.Path == "/v1/search");
        Assert.Contains("limit=5", request.Query, StringComparison.Ordinal);
        Assert.Contains("type=track", request.Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASearchWithoutMatchesIsEmpty()
    {
        var found = await Api.SearchTracksAsync(_token, SpotifySearchQuery.ForTrack("Nothing \"Like\" This", "Nobody At All"), 5, Ct);

        Assert.Empty(found);
    }

    [Fact]
    public async Task ALimitAboveTenIsRefusedBeforeAnyRequest()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Api.SearchTracksAsync(_token, "track:\"a\"", 11, Ct));

        Assert.DoesNotContain(_fake.Requests, r => r.Path == "/v1/search");
    }

    [Fact]
    public async Task ARateLimitedSearchThrowsWithTheRetryTime()
    {
        _fake.Faults.EnqueueRateLimit(FakeEndpoint.Search, TimeSpan.FromSeconds(30));

        var error = await Assert.ThrowsAsync<SpotifyRateLimitedException>(() => Api.SearchTracksAsync(_token, "track:\"a\"", 5, Ct));

        Assert.Equal(Start.AddSeconds(30), error.RetryAt);
    }

    [Fact]
    public void TheQueryQuotesTitleAndArtist()
    {
        Assert.Equal("track:\"Don't Stop\" artist:\"Fleetwood Mac\"", SpotifySearchQuery.ForTrack(" Don't Stop ", "Fleetwood Mac"));
        Assert.Equal("track:\"A  B\"", SpotifySearchQuery.ForTrack("A \"B\"", null));
    }
}
