using System.Net;

namespace OrleansSpotify.FakeSpotify.Tests;

/// <summary><c>GET /v1/search</c>: the catalog's tracks by name, in Spotify's response shape, with a Dev Mode app's limits.</summary>
public sealed class SearchTests
{
    [Fact]
    public async Task ATrackIsFoundByTitleAndArtistFiltersInSpotifysPagingShape()
    {
        await using var fake = await FakeSpotifyHarness.StartAsync();
        var (_, grant) = fake.AddSignedInUser();
        var catalog = FakeCatalog.Generate(seed: 5);
        fake.Server.AddCatalog(catalog);
        var track = catalog[7];
        var q = Uri.EscapeDataString($"track:\"{track.Name}\" artist:\"{track.Artists[0].Name}\"");

        var (status, body) = await fake.GetJsonAsync($"v1/search?type=track&limit=5&q={q}", grant.AccessToken);

        Assert.Equal(HttpStatusCode.OK, status);
        var page = body!["tracks"]!;
        Assert.Equal(5, (int)page["limit"]!);
        Assert.Equal(0, (int)page["offset"]!);
        Assert.True((int)page["total"]! >= 1);
        var items = page["items"]!.AsArray();
        Assert.Contains(items, i => (string?)i!["id"] == track.Id);
        Assert.All(items, i =>
        {
            Assert.Equal("track", (string?)i!["type"]);
            Assert.Contains(track.Name, (string?)i["name"], StringComparison.OrdinalIgnoreCase);
            Assert.NotNull(i["album"]!["images"]);
            Assert.NotNull(i["duration_ms"]);
        });
    }

    [Fact]
    public async Task NoMatchIsAnEmptyPageAndOtherTypesAreEmptyPagesToo()
    {
        await using var fake = await FakeSpotifyHarness.StartAsync();
        var (_, grant) = fake.AddSignedInUser();
        fake.Server.AddCatalog(FakeCatalog.Generate(seed: 5));

        var (status, body) = await fake.GetJsonAsync("v1/search?type=track,artist&q=" + Uri.EscapeDataString("track:\"No Such Song Anywhere\""), grant.AccessToken);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(0, (int)body!["tracks"]!["total"]!);
        Assert.Empty(body["tracks"]!["items"]!.AsArray());
        Assert.Empty(body["artists"]!["items"]!.AsArray());
        Assert.Null(body["tracks"]!["next"]);
    }

    [Fact]
    public async Task ResultsArePagedByLimitAndOffset()
    {
        await using var fake = await FakeSpotifyHarness.StartAsync();
        var (_, grant) = fake.AddSignedInUser();
        var catalog = FakeCatalog.Generate(seed: 5);
        fake.Server.AddCatalog(catalog);
        var artist = catalog.Artists.First(a => catalog.Tracks.Count(t => t.Artists[0].Id == a.Id) >= 4);
        var q = Uri.EscapeDataString($"artist:\"{artist.Name}\"");

        var (_, first) = await fake.GetJsonAsync($"v1/search?type=track&limit=2&q={q}", grant.AccessToken);
        var (_, second) = await fake.GetJsonAsync($"v1/search?type=track&limit=2&offset=2&q={q}", grant.AccessToken);

        Assert.Equal(2, first!["tracks"]!["items"]!.AsArray().Count);
        Assert.NotNull((string?)first["tracks"]!["next"]);
        Assert.Equal(2, (int)second!["tracks"]!["offset"]!);
        Assert.Empty(first["tracks"]!["items"]!.AsArray().Select(i => (string?)i!["id"]).Intersect(second["tracks"]!["items"]!.AsArray().Select(i => (string?)i!["id"])));
    }

    [Theory]
    [InlineData("v1/search?type=track&limit=11&q=a", "Invalid limit")]
    [InlineData("v1/search?type=track&limit=50&q=a", "Invalid limit")]
    [InlineData("v1/search?type=track&limit=-1&q=a", "Invalid limit")]
    [InlineData("v1/search?type=track&offset=1001&q=a", "Invalid offset")]
    [InlineData("v1/search?type=track", "No search query")]
    [InlineData("v1/search?q=a", "Missing parameter type")]
    [InlineData("v1/search?type=song&q=a", "Bad search type field")]
    public async Task BadParametersAre400sWithSpotifysMessages(string path, string message)
    {
        await using var fake = await FakeSpotifyHarness.StartAsync();
        var (_, grant) = fake.AddSignedInUser();

        var (status, body) = await fake.GetJsonAsync(path, grant.AccessToken);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(400, (int)body!["error"]!["status"]!);
        Assert.Equal(message, (string?)body["error"]!["message"]);
    }

    [Fact]
    public async Task SearchNeedsAToken()
    {
        await using var fake = await FakeSpotifyHarness.StartAsync();

        var (status, _) = await fake.GetJsonAsync("v1/search?type=track&q=a", null);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
    }
}
