using System.Net;

namespace OrleansSpotify.FakeSpotify.Tests;

public sealed class ConcurrencyTests
{
    [Fact]
    public async Task ScriptingWhileClientsPollIsSafe()
    {
        await using var fake = await FakeSpotifyHarness.StartAsync();
        var users = Enumerable.Range(0, 4).Select(i => fake.AddSignedInUser("user" + i)).ToList();
        var catalog = FakeCatalog.Generate(seed: 4, trackCount: 100, artistCount: 20);

        var scripting = Task.Run(() =>
        {
            for (var i = 0; i < 400; i++)
            {
                var (user, _) = users[i % users.Count];
                user.AddPlay(new ScriptedPlay(FakeSpotifyHarness.Start.AddMinutes(-i * 4), catalog[i % 100], TimeSpan.FromMinutes(3)));
                fake.Advance(TimeSpan.FromMilliseconds(250));
            }
        }, FakeSpotifyHarness.Cancellation);
        var polling = users.SelectMany(u => Enumerable.Range(0, 15).Select(async _ =>
        {
            var (current, _) = await fake.GetJsonAsync("v1/me/player/currently-playing", u.Grant.AccessToken);
            var (history, _) = await fake.GetJsonAsync("v1/me/player/recently-played?limit=50", u.Grant.AccessToken);
            return (current, history);
        }));

        var results = await Task.WhenAll(polling);
        await scripting;

        Assert.All(results, r => Assert.Contains(r.current, new[] { HttpStatusCode.OK, HttpStatusCode.NoContent }));
        Assert.All(results, r => Assert.Equal(HttpStatusCode.OK, r.history));
        Assert.Equal(120, fake.Server.Requests.Count);
        Assert.All(users, u => Assert.Equal(100, u.User.Plays.Count));
    }
}
