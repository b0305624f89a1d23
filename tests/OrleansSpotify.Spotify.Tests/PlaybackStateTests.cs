using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OrleansSpotify.FakeSpotify;
using OrleansSpotify.Spotify.Tests.Infrastructure;

namespace OrleansSpotify.Spotify.Tests;

/// <summary><c>GET /me/player</c> (the playback state with its device) against the fake Spotify (real HTTP on 127.0.0.1).</summary>
public sealed class PlaybackStateTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 9, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _clock = new(Start);
    private FakeSpotifyServer _fake = null!;
    private ServiceProvider _services = null!;
    private FakeUser _user = null!;
    private string _token = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private FakeCatalog Catalog { get; } = FakeCatalog.Generate(seed: 23, trackCount: 40, artistCount: 10);

    private ISpotifyApiClient Api => _services.GetRequiredService<ISpotifyApiClient>();

    public async ValueTask InitializeAsync()
    {
        _fake = await FakeSpotifyServer.StartAsync(new FakeSpotifyOptions(), _clock, cancellationToken: Ct);
        _user = _fake.AddUser("alex", "Alex", "acc-alex");
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
    public async Task ATrackPlayingComesWithItsDeviceProgressAndNoPrivateSession()
    {
        var track = Catalog[2];
        _user.AddPlay(new ScriptedPlay(Start.AddSeconds(-40), track, track.Duration, "spotify:album:x"));

        var state = await Api.GetPlaybackStateAsync(_token, Ct);

        Assert.NotNull(state);
        Assert.True(state.Playback.IsPlaying);
        Assert.Equal(40_000, state.Playback.ProgressMs);
        Assert.Equal(track.Uri, state.Playback.Item!.Uri);
        Assert.Equal((long)track.Duration.TotalMilliseconds, state.Playback.Item.DurationMs);
        Assert.NotNull(state.Device);
        Assert.Equal("Alex's MacBook Pro", state.Device.Name);
        Assert.Equal("Computer", state.Device.Type);
        Assert.True(state.Device.IsActive);
        Assert.False(state.IsPrivateSession);
        Assert.Equal("off", state.RepeatState);
        var request = Assert.Single(_fake.Requests, r => r.Endpoint == "player");
        Assert.Equal(200, request.StatusCode);
    }

    [Fact]
    public async Task APrivateSessionIsReportedByTheDevice()
    {
        _user.AddPlay(new ScriptedPlay(Start.AddSeconds(-10), Catalog[3], Catalog[3].Duration, PrivateSession: true));

        var state = await Api.GetPlaybackStateAsync(_token, Ct);

        Assert.NotNull(state);
        Assert.True(state.IsPrivateSession);
        Assert.True(state.Device!.IsPrivateSession);
        Assert.Equal(Catalog[3].Uri, state.Playback.Item!.Uri);
    }

    [Fact]
    public async Task AnEpisodeIsAskedForAndComesBackWithItsShow()
    {
        var episode = new FakeEpisode("ep7", "Episode Seven", TimeSpan.FromMinutes(40), "show7", "Show Seven");
        _user.AddPlay(new ScriptedPlay(Start.AddMinutes(-5), episode, episode.Duration));

        var state = await Api.GetPlaybackStateAsync(_token, Ct);

        Assert.NotNull(state);
        Assert.Equal("episode", state.Playback.CurrentlyPlayingType);
        Assert.True(state.Playback.Item!.IsEpisode);
        Assert.Equal(episode.Uri, state.Playback.Item.Uri);
        Assert.Equal("Show Seven", state.Playback.Item.Show!.Name);
        Assert.Equal(300_000, state.Playback.ProgressMs);
    }

    [Fact]
    public async Task ALocalFileHasALocalUriAndNoIds()
    {
        var local = new FakeLocalTrack("Garage Take", TimeSpan.FromMinutes(3), "The Band", "Tapes");
        _user.AddPlay(new ScriptedPlay(Start.AddSeconds(-20), local, local.Duration));

        var state = await Api.GetPlaybackStateAsync(_token, Ct);

        var item = state!.Playback.Item!;
        Assert.True(item.IsLocal);
        Assert.Null(item.Id);
        Assert.Equal(local.Uri, item.Uri);
        Assert.StartsWith("spotify:local:", item.Uri, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARepeatOfTheSameTrackSaysRepeatTrack()
    {
        var track = Catalog[4];
        _user.AddPlay(new ScriptedPlay(Start - (track.Duration * 2) + TimeSpan.FromSeconds(10), track, track.Duration));
        _user.AddPlay(new ScriptedPlay(Start - track.Duration + TimeSpan.FromSeconds(10), track, track.Duration));

        var state = await Api.GetPlaybackStateAsync(_token, Ct);

        Assert.Equal("track", state!.RepeatState);
        Assert.Equal((long)track.Duration.TotalMilliseconds - 10_000, state.Playback.ProgressMs);
    }

    [Fact]
    public async Task NothingPlayingIs204AndNull()
    {
        Assert.Null(await Api.GetPlaybackStateAsync(_token, Ct));
        Assert.Equal(204, Assert.Single(_fake.Requests, r => r.Endpoint == "player").StatusCode);
    }

    [Fact]
    public async Task APausedItemIsNotPlayingAndKeepsItsProgress()
    {
        var track = Catalog[5];
        _user.AddPlay(new ScriptedPlay(Start.AddMinutes(-10), track, TimeSpan.FromMinutes(20), PausedAt: TimeSpan.FromSeconds(75)));

        var state = await Api.GetPlaybackStateAsync(_token, Ct);

        Assert.False(state!.Playback.IsPlaying);
        Assert.Equal(75_000, state.Playback.ProgressMs);
        Assert.Equal(track.Uri, state.Playback.Item!.Uri);
    }
}
