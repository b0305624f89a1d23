using System.Net;

namespace OrleansSpotify.FakeSpotify.Tests;

public sealed class CatalogAndHouseholdTests
{
    [Fact]
    public void TheCatalogIsDeterministicPerSeed()
    {
        var first = FakeCatalog.Generate(seed: 7);
        var again = FakeCatalog.Generate(seed: 7);
        var other = FakeCatalog.Generate(seed: 8);

        Assert.Equal(first.Tracks.Select(t => (t.Id, t.Name, t.Duration, t.Isrc)), again.Tracks.Select(t => (t.Id, t.Name, t.Duration, t.Isrc)));
        Assert.NotEqual(first.Tracks.Select(t => t.Id), other.Tracks.Select(t => t.Id));
    }

    [Fact]
    public void TheCatalogLooksLikeSpotifys()
    {
        var catalog = FakeCatalog.Generate(seed: 1, trackCount: 500, artistCount: 120);

        Assert.Equal(500, catalog.Tracks.Count);
        Assert.Equal(120, catalog.Artists.Count);
        Assert.Same(catalog.Tracks[3], catalog[3]);
        var ids = catalog.Tracks.Select(t => t.Id).Concat(catalog.Artists.Select(a => a.Id)).Concat(catalog.Albums.Select(a => a.Id)).ToList();
        Assert.All(ids, id => Assert.Matches("^[0-9A-Za-z]{22}$", id));
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(catalog.Artists, a => Assert.Contains(catalog.Tracks, t => t.Artists[0] == a));
        Assert.Contains(catalog.Artists, a => catalog.GenresOf(a.Id).Count == 0);
        Assert.Contains(catalog.Artists, a => catalog.GenresOf(a.Id).Count > 0);
        Assert.True(catalog.Tracks.Count(t => t.Isrc is not null) > 400);
        Assert.Contains(catalog.Tracks, t => t.Artists.Count > 1);
        Assert.Contains(catalog.Tracks, t => t.Explicit);
        Assert.All(catalog.Albums, album => Assert.Equal(album.TotalTracks, catalog.Tracks.Count(t => t.Album == album)));
        Assert.All(catalog.Tracks, t => Assert.InRange(t.Duration, TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(11)));
        Assert.Contains(catalog.Albums, a => a.AlbumType == "single");
        Assert.NotEmpty(catalog.Episodes);
    }

    [Fact]
    public async Task CatalogArtistsAreServedWithTheirGenres()
    {
        await using var fake = await FakeSpotifyHarness.StartAsync();
        var (_, grant) = fake.AddSignedInUser();
        var catalog = FakeCatalog.Generate(seed: 3, trackCount: 50, artistCount: 10);
        fake.Server.AddCatalog(catalog);
        var artist = catalog.Artists.First(a => catalog.GenresOf(a.Id).Count > 0);

        var (status, body) = await fake.GetJsonAsync("v1/artists/" + artist.Id, grant.AccessToken);
        var (trackStatus, track) = await fake.GetJsonAsync("v1/tracks/" + catalog[0].Id, grant.AccessToken);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(artist.Name, (string?)body!["name"]);
        Assert.Equal(catalog.GenresOf(artist.Id), body["genres"]!.AsArray().Select(g => (string)g!));
        Assert.Equal(HttpStatusCode.OK, trackStatus);
        Assert.Equal(catalog[0].Name, (string?)track!["name"]);
    }

    [Fact]
    public async Task SeedDemoScriptsThreeRealisticListenersThatStartAtOnce()
    {
        await using var fake = await FakeSpotifyHarness.StartAsync();
        var catalog = FakeCatalog.Generate(seed: 11);
        var from = FakeSpotifyHarness.Start;
        var span = TimeSpan.FromDays(3);

        var users = FakeHousehold.SeedDemo(fake.Server, catalog, from, span, seed: 5);

        Assert.Equal(3, users.Count);
        Assert.Equal(users.Select(u => u.Id), fake.Server.Users.Select(u => u.Id));
        Assert.All(users, u => Assert.NotNull(u.AccountId));
        var plays = users.SelectMany(u => u.Plays).ToList();
        Assert.All(users, u => Assert.InRange(u.Plays[0].StartedAt, from, from.AddSeconds(10)));
        Assert.All(plays, p => Assert.InRange(p.StartedAt, from, from + span));
        Assert.Contains(plays, p => p.Item is FakeEpisode);
        Assert.Contains(plays, p => p.Item is FakeAd);
        Assert.Contains(plays, p => p.Item is FakeLocalTrack);
        Assert.Contains(plays, p => p.ContextUri is { } uri && uri.EndsWith(":collection", StringComparison.Ordinal));
        Assert.Contains(plays, p => p.ContextUri?.StartsWith("spotify:album:", StringComparison.Ordinal) == true);
        Assert.Contains(plays, p => p.ContextUri?.StartsWith("spotify:playlist:", StringComparison.Ordinal) == true);
        Assert.Contains(plays, p => p.Item is FakeTrack && p.Played < TimeSpan.FromSeconds(30));
        Assert.All(users, u => Assert.Contains(u.Plays.Zip(u.Plays.Skip(1)), pair => pair.First.Item is FakeTrack t && pair.Second.Item == t));
        Assert.All(users, u => Assert.True(u.Plays.Count > 100));

        var again = await FakeSpotifyHarness.StartAsync();
        await using (again)
        {
            var replay = FakeHousehold.SeedDemo(again.Server, catalog, from, span, seed: 5);
            Assert.Equal(
                users.SelectMany(u => u.Plays.Select(p => (p.StartedAt, p.Item.Name, p.Played))),
                replay.SelectMany(u => u.Plays.Select(p => (p.StartedAt, p.Item.Name, p.Played))));
        }
    }

    [Fact]
    public async Task ADemoViewerSeesMusicWithinSeconds()
    {
        await using var fake = await FakeSpotifyHarness.StartAsync();
        var users = FakeHousehold.SeedDemo(fake.Server, FakeCatalog.Generate(seed: 2), FakeSpotifyHarness.Start, TimeSpan.FromHours(2), seed: 9);
        fake.Advance(TimeSpan.FromSeconds(10));

        foreach (var user in users)
        {
            var grant = fake.Server.IssueGrant(user.Id);
            var (status, body) = await fake.GetJsonAsync("v1/me/player/currently-playing", grant.AccessToken);
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.NotNull(body!["item"]);
        }
    }

    [Fact]
    public void LocalFileUrisArePlusAndPercentEncoded()
    {
        var local = new FakeLocalTrack("Live at the Café", TimeSpan.FromSeconds(252.7), "The Basement Quartet", "Bootlegs: 2019");

        Assert.Equal("spotify:local:The+Basement+Quartet:Bootlegs%3A+2019:Live+at+the+Caf%C3%A9:252", local.Uri);
    }
}
