using System.Collections.Immutable;
using OrleansSpotify.Abstractions;
using OrleansSpotify.FakeSpotify;

namespace OrleansSpotify.Grains.Tests;

/// <summary>What the grains announce live: now-playing changes only when something changed, new plays exactly once.</summary>
public sealed class ListeningEventsTests
{
    private static readonly FakeCatalog Catalog = FakeCatalog.Generate(seed: 5, trackCount: 40, artistCount: 20);
    private static readonly DateTimeOffset T0 = ListenerHarness.Start;

    [Fact]
    public async Task NowPlayingIsAnnouncedOnEachChangeButNotOnUnchangedPollsAndNewPlaysExactlyOnce()
    {
        await using var h = await ListenerHarness.StartAsync();
        var user = new Script(h.Spotify.AddUser("live", "Live"));
        var start = T0.AddMinutes(2);
        var firstEnd = user.Add(start, Catalog[0], Catalog[0].Duration);
        var secondEnd = user.Add(firstEnd, Catalog[1], Catalog[1].Duration);
        var listener = await h.SignInAsync(user.User);
        Assert.Single(h.Events.Accounts("live"));

        // Idle polls while nothing plays: nothing to announce.
        await h.RunUntilAsync(start.AddSeconds(-1), listener);
        Assert.Empty(h.Events.NowPlaying("live"));
        Assert.Equal(PlaybackState.Idle, (await listener.GetLiveStateAsync()).State);

        // The first track: announced once, however many polls see it playing.
        await h.RunUntilAsync(firstEnd.AddSeconds(-1), listener);
        var playing = Assert.Single(h.Events.NowPlaying("live"));
        Assert.Equal(PlaybackState.Playing, playing.State);
        Assert.Equal(Catalog[0].Uri, playing.Item!.Uri);
        Assert.Equal(playing.Item.ObservedAt, playing.Since);
        Assert.InRange(playing.Since!.Value, start, start.AddMinutes(2));
        var pollsDuringFirst = h.Spotify.Requests.Count(r => r.Endpoint == "player" && r.At >= playing.Since && r.At < firstEnd);
        Assert.True(pollsDuringFirst >= 2, $"only {pollsDuringFirst} polls saw the first track");
        var live = await listener.GetLiveStateAsync();
        Assert.Equal((PlaybackState.Playing, playing.Since), (live.State, live.Since));
        Assert.True(live.Item!.ProgressMs > playing.Item.ProgressMs);

        // The second track, then idle "since" the last poll that saw it playing.
        await h.RunUntilAsync(secondEnd.AddMinutes(5), listener);
        var states = h.Events.NowPlaying("live");
        Assert.Equal([PlaybackState.Playing, PlaybackState.Playing, PlaybackState.Idle], states.Select(s => s.State));
        Assert.Equal(Catalog[1].Uri, states[1].Item!.Uri);
        Assert.InRange(states[1].Since!.Value, firstEnd, firstEnd.AddSeconds(5));
        Assert.Null(states[2].Item);
        // Polls are at most 60 s apart while playing: the last one that saw it playing is within a minute of its end.
        Assert.InRange(states[2].Since!.Value, secondEnd.AddSeconds(-60), secondEnd);
        Assert.Equal(states[2], await listener.GetLiveStateAsync());

        // Each stored play was announced once, in the commit that inserted it; re-reads announced nothing.
        var announced = h.Events.Plays("live").SelectMany(e => e.Plays).Select(p => (p.PlayedAt, p.Track.Uri)).ToList();
        Assert.Equal(h.StoredPlays(user.User), announced.OrderBy(p => p.PlayedAt));
        Assert.Equal(2, announced.Count);
        Assert.True(h.Spotify.Requests.Count(r => r.Endpoint == "recently-played") > h.Events.Plays("live").Count);
    }

    [Fact]
    public async Task APauseIsAnnouncedOnceSinceItWasFirstSeenAndIdleIsSinceTheLastPlayingPoll()
    {
        await using var h = await ListenerHarness.StartAsync(configure: h => h.ConfigureListener = o => (o.IdleMinInterval, o.IdleMaxInterval) = (TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10)));
        var user = new Script(h.Spotify.AddUser("pause", "Pause"));
        var track = Catalog.Tracks.First(t => t.Duration >= TimeSpan.FromMinutes(3));
        var pausedFrom = user.Add(T0.AddMinutes(1), track, TimeSpan.FromMinutes(1));
        h.Spotify.GetUser("pause").AddPlay(new ScriptedPlay(pausedFrom, track, TimeSpan.FromMinutes(2), PausedAt: TimeSpan.FromMinutes(1)));
        var listener = await h.SignInAsync(user.User);

        await h.RunUntilAsync(pausedFrom.AddMinutes(1), listener);
        var states = h.Events.NowPlaying("pause");
        Assert.Equal([PlaybackState.Playing, PlaybackState.Paused], states.Select(s => s.State));
        var paused = states[1];
        Assert.Equal(track.Uri, paused.Item!.Uri);
        Assert.False(paused.Item.IsPlaying);
        Assert.Equal(60_000, paused.Item.ProgressMs);
        // A pause is seen by the next poll: at most 60 s while something plays.
        Assert.InRange(paused.Since!.Value, pausedFrom, pausedFrom.AddSeconds(60));
        Assert.Equal((PlaybackState.Paused, paused.Since), ((await listener.GetLiveStateAsync()).State, (await listener.GetLiveStateAsync()).Since));

        await h.RunUntilAsync(pausedFrom.AddMinutes(4), listener);
        states = h.Events.NowPlaying("pause");
        Assert.Equal([PlaybackState.Playing, PlaybackState.Paused, PlaybackState.Idle], states.Select(s => s.State));
        Assert.InRange(states[2].Since!.Value, pausedFrom.AddSeconds(-60), pausedFrom);
        // Recently-played is read once the ended play has settled (2 min after the playback was seen gone).
        await h.RunUntilAsync(pausedFrom.AddMinutes(6), listener);
        Assert.Equal(user.Expected(pausedFrom.AddMinutes(6)), h.StoredPlays(user.User));
        var stored = Assert.Single(h.StoredPlayRecords(user.User));
        Assert.Equal((PlaySource.RecentlyPlayed, 60_000L), (stored.Source, stored.MsPlayed!.Value));
    }

    [Fact]
    public async Task ASingleEmptyAnswerInTheMiddleOfATrackIsNotAnnounced()
    {
        await using var h = await ListenerHarness.StartAsync();
        var user = new Script(h.Spotify.AddUser("blip", "Blip"));
        var track = Catalog.Tracks.First(t => t.Duration >= TimeSpan.FromMinutes(3));
        user.Add(T0, track, track.Duration);
        var listener = await h.SignInAsync(user.User);
        await h.RunUntilAsync(T0.AddMinutes(1), listener);
        var playing = Assert.Single(h.Events.NowPlaying("blip"));

        // One poll answered 204 although the track plays on.
        h.Spotify.Faults.Intermittent204OnPlayer = true;
        h.Spotify.Faults.Intermittent204Rate = 1;
        await h.RunUntilAsync((await listener.GetStatusAsync()).NextPollAt!.Value, listener);
        h.Spotify.Faults.Intermittent204Rate = 0;
        await h.RunUntilAsync(T0.AddMinutes(3), listener);

        Assert.Contains(h.Spotify.Requests, r => r.Endpoint == "player" && r.StatusCode == 204 && r.At > T0.AddMinutes(1));
        Assert.Single(h.Events.NowPlaying("blip"));
        Assert.Equal(playing.Since, (await listener.GetLiveStateAsync()).Since);
    }

    [Fact]
    public async Task AReplayOfTheSameTrackIsAChangeWithANewSince()
    {
        await using var h = await ListenerHarness.StartAsync();
        var user = new Script(h.Spotify.AddUser("replay", "Replay"));
        var track = Catalog.Tracks.First(t => t.Duration >= TimeSpan.FromMinutes(3));
        user.Add(T0, track, track.Duration);
        var listener = await h.SignInAsync(user.User);
        await h.RunUntilAsync(T0.AddMinutes(1), listener);
        var first = Assert.Single(h.Events.NowPlaying("replay"));

        // Back to the start of the same track: progress is a minute behind what elapsed time predicts.
        user.Add(h.Clock.GetUtcNow(), track, track.Duration);
        await h.RunUntilAsync(T0.AddMinutes(2.5), listener);

        var states = h.Events.NowPlaying("replay");
        Assert.Equal(2, states.Count);
        Assert.Equal(track.Uri, states[1].Item!.Uri);
        Assert.True(states[1].Since > first.Since);
        // Seen by the next poll (at most 60 s later): its progress is what elapsed since the replay began.
        Assert.True(states[1].Item!.ProgressMs <= (states[1].Since!.Value - first.Since!.Value - TimeSpan.FromMinutes(1)).TotalMilliseconds + 2_000);
    }

    [Fact]
    public async Task AnAccountNeverSeenPlayingIsIdleSinceItsLatestRecordedPlayAndImportsAreNotAnnounced()
    {
        await using var h = await ListenerHarness.StartAsync();
        var now = h.Clock.GetUtcNow();
        h.Accounts.Upsert("quiet", "quiet", "Quiet", now, now);
        var listener = h.Client.GetGrain<IListenerGrain>("quiet");
        Assert.Equal(new LiveState("quiet", PlaybackState.Idle, null, null), await listener.GetLiveStateAsync());

        var track = new TrackInfo(Catalog[3].Uri, Catalog[3].Id, Catalog[3].Name, 200_000, false, false, null, null, [new ArtistInfo("a", "A")]);
        var plays = ImmutableArray.Create(
            new PlayRecord(T0.AddHours(-3), track, null, null, null, PlaySource.RecentlyPlayed),
            new PlayRecord(T0.AddHours(-1), track, null, null, null, PlaySource.RecentlyPlayed));
        await h.Client.GetGrain<IStorageGrain>(Constants.StorageGrainKey).RecordPlaysAsync("quiet", plays);
        var committed = Assert.Single(h.Events.Plays("quiet"));
        Assert.Equal([T0.AddHours(-1), T0.AddHours(-3)], committed.Plays.Select(p => p.PlayedAt));
        Assert.Equal(0, await h.Client.GetGrain<IStorageGrain>(Constants.StorageGrainKey).RecordPlaysAsync("quiet", plays));
        Assert.Single(h.Events.Plays("quiet"));

        // Imported history is stored but not announced as live news.
        var imported = ImmutableArray.Create(new PlayRecord(T0.AddHours(-5), track, 180_000, null, null, PlaySource.ImportExtendedHistory));
        Assert.Equal(1, await h.Client.GetGrain<IStorageGrain>(Constants.StorageGrainKey).RecordPlaysAsync("quiet", imported));
        Assert.Single(h.Events.Plays("quiet"));

        // A fresh activation reads the latest play from SQLite.
        await h.RestartSiloAsync(kill: false);
        listener = h.Client.GetGrain<IListenerGrain>("quiet");
        Assert.Equal(new LiveState("quiet", PlaybackState.Idle, T0.AddHours(-1), null), await listener.GetLiveStateAsync());
    }

    [Fact]
    public async Task ARevokedGrantIsAnnouncedAsAnAccountChangeAndTheAccountGoesIdle()
    {
        await using var h = await ListenerHarness.StartAsync();
        var user = new Script(h.Spotify.AddUser("revoked", "Revoked"));
        user.Session(T0, Catalog.Tracks.Take(10));
        var listener = await h.SignInAsync(user.User);
        await h.RunUntilAsync(T0.AddMinutes(1), listener);
        Assert.Equal(PlaybackState.Playing, Assert.Single(h.Events.NowPlaying("revoked")).State);

        user.User.RevokeGrant();
        user.User.ExpireAccessTokens();
        await h.RunUntilAsync(T0.AddMinutes(3), listener);

        Assert.Equal(2, h.Events.Accounts("revoked").Count);
        Assert.Equal(AccountStatus.NeedsReauth, h.Accounts.Get("revoked")!.Status);
        var idle = h.Events.NowPlaying("revoked")[^1];
        Assert.Equal(PlaybackState.Idle, idle.State);
        Assert.Equal(2, h.Events.NowPlaying("revoked").Count);
    }
}
