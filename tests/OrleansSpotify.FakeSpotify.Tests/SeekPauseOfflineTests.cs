using System.Net;

namespace OrleansSpotify.FakeSpotify.Tests;

/// <summary>Seeks and pauses inside one play, and plays made offline (SPOTIFY.md §9.11), as the simulation scripts them.</summary>
public sealed class SeekPauseOfflineTests
{
    private const string CurrentlyPlaying = "v1/me/player/currently-playing";

    [Fact]
    public async Task ASeekMovesTheProgressAndThePlayStaysOneEndingWhenTheTrackDoes()
    {
        await using var fake = await FakeSpotifyHarness.StartAsync();
        var (user, grant) = fake.AddSignedInUser();
        var track = TestData.Track(200);

        // Back from 120 s to 20 s, 120 s in: the track then plays 180 s more, 300 s of wall time in all.
        user.AddPlay(new ScriptedPlay(FakeSpotifyHarness.Start, track, TimeSpan.FromSeconds(300))
        {
            Seeks = [new ScriptedSeek(TimeSpan.FromSeconds(120), TimeSpan.FromSeconds(20))],
        });

        fake.Advance(TimeSpan.FromSeconds(100));
        var (_, before) = await fake.GetJsonAsync(CurrentlyPlaying, grant.AccessToken);
        fake.Advance(TimeSpan.FromSeconds(30));
        var (_, after) = await fake.GetJsonAsync(CurrentlyPlaying, grant.AccessToken);

        Assert.Equal(100_000, (long)before!["progress_ms"]!);
        Assert.Equal(30_000, (long)after!["progress_ms"]!);
        Assert.True((bool)after["is_playing"]!);
        var history = user.VisibleHistory(FakeSpotifyHarness.Start.AddHours(1));
        Assert.Equal(FakeSpotifyHarness.Start.AddSeconds(300), Assert.Single(history).EndedAt);
    }

    [Fact]
    public async Task APauseOverTheTracksEndHoldsTheProgressThenThePlayEndsLaterAsOnePlay()
    {
        await using var fake = await FakeSpotifyHarness.StartAsync();
        var (user, grant) = fake.AddSignedInUser();
        var track = TestData.Track(200);

        // Paused 5 s before the end for 10 minutes.
        user.AddPlay(new ScriptedPlay(FakeSpotifyHarness.Start, track, TimeSpan.FromSeconds(800))
        {
            Pauses = [new ScriptedPause(TimeSpan.FromSeconds(195), TimeSpan.FromMinutes(10))],
        });

        fake.Advance(TimeSpan.FromSeconds(400));
        var (status, paused) = await fake.GetJsonAsync(CurrentlyPlaying, grant.AccessToken);
        fake.Advance(TimeSpan.FromSeconds(397));
        var (_, resumed) = await fake.GetJsonAsync(CurrentlyPlaying, grant.AccessToken);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.False((bool)paused!["is_playing"]!);
        Assert.Equal(195_000, (long)paused["progress_ms"]!);
        Assert.True((bool)resumed!["is_playing"]!);
        Assert.Equal(197_000, (long)resumed["progress_ms"]!);
        Assert.Empty(user.VisibleHistory(FakeSpotifyHarness.Start.AddSeconds(799)));
        Assert.Single(user.VisibleHistory(FakeSpotifyHarness.Start.AddSeconds(800)));
    }

    [Fact]
    public async Task AnOfflinePlayIsNeverReportedPlayingAndIsListedOnlyOnceItsDeviceIsBack()
    {
        await using var fake = await FakeSpotifyHarness.StartAsync();
        var (user, grant) = fake.AddSignedInUser();
        var back = FakeSpotifyHarness.Start.AddHours(2);
        user.AddPlay(new ScriptedPlay(FakeSpotifyHarness.Start, TestData.Track(200), TimeSpan.FromSeconds(200), VisibleFrom: back) { Offline = true });

        fake.Advance(TimeSpan.FromSeconds(60));
        using var playing = await fake.GetAsync(CurrentlyPlaying, grant.AccessToken);

        Assert.Equal(HttpStatusCode.NoContent, playing.StatusCode);
        Assert.Empty(user.VisibleHistory(back.AddSeconds(-1)));
        Assert.Equal(FakeSpotifyHarness.Start.AddSeconds(200), Assert.Single(user.VisibleHistory(back)).EndedAt);
    }
}
