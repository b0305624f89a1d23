using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using OrleansSpotify.FakeSpotify;
using OrleansSpotify.Testing;

namespace OrleansSpotify.Host.Tests.Secrets;

/// <summary>A fake Spotify with one member (alex) who played five tracks and is playing a sixth, and the sign-in through it.</summary>
internal static class Household
{
    public const string AccountKey = "acc-alex";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static async Task<FakeSpotifyServer> StartSpotifyAsync()
    {
        var spotify = await FakeSpotifyServer.StartAsync(new FakeSpotifyOptions { AutoApproveUserId = "alex" }, TimeProvider.System, cancellationToken: Ct);
        var alex = spotify.AddUser("alex", "Alex", accountId: AccountKey);
        var catalog = FakeCatalog.Generate(seed: 5, trackCount: 40);
        var start = DateTimeOffset.UtcNow.AddMinutes(-40);
        foreach (var (track, i) in catalog.Tracks.Take(5).Select((t, i) => (t, i)))
        {
            alex.AddPlay(new ScriptedPlay(start.AddMinutes(4 * i), track, TimeSpan.FromMinutes(3)));
        }

        // Playing now: the listener polls currently-playing at the active cadence.
        alex.AddPlay(new ScriptedPlay(DateTimeOffset.UtcNow.AddSeconds(-20), catalog.Tracks[10], TimeSpan.FromMinutes(30)));
        return spotify;
    }

    /// <summary>The Host's settings for <paramref name="spotify"/>, polling fast so that a test sees several polls.</summary>
    public static Dictionary<string, string?> Settings(FakeSpotifyServer spotify) => new()
    {
        ["Spotify:ClientId"] = spotify.Options.ClientId,
        ["Spotify:AccountsBaseUrl"] = spotify.AccountsBaseUrl.AbsoluteUri,
        ["Spotify:ApiBaseUrl"] = spotify.ApiBaseUrl.AbsoluteUri,
        ["Polling:ActiveInterval"] = "00:00:00.300",
        ["Polling:IdleMinInterval"] = "00:00:00.300",
        ["Polling:IdleMaxInterval"] = "00:00:01",
    };

    /// <summary>The OAuth round trip of SignInTests: login, the fake's authorize page, the callback.</summary>
    public static async Task SignInAsync(HttpClient browser)
    {
        using var outside = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var login = await browser.GetAsync("/auth/login", Ct);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        var approved = await outside.GetAsync(login.Headers.Location!, Ct);
        Assert.Equal(HttpStatusCode.Redirect, approved.StatusCode);
        var signedIn = await browser.GetAsync(approved.Headers.Location!.PathAndQuery, Ct);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
    }

    /// <summary>Waits until the fake has answered alex's <paramref name="endpoint"/> with 200 after the request at <paramref name="after"/>; returns its index.</summary>
    public static Task<int> AnsweredAsync(FakeSpotifyServer spotify, string endpoint, int after = -1, int seconds = 60) =>
        UntilAsync(spotify, () =>
        {
            var requests = spotify.Requests;
            for (var i = after + 1; i < requests.Count; i++)
            {
                if (requests[i].Endpoint == endpoint && requests[i].UserId == "alex" && requests[i].StatusCode == 200)
                {
                    return i;
                }
            }

            return -1;
        }, $"a 200 on '{endpoint}' for alex", seconds);

    /// <summary>Reads the fake's request log again on every request it logs until <paramref name="found"/> finds one; the bound only fails the test.</summary>
    public static async Task<int> UntilAsync(FakeSpotifyServer spotify, Func<int> found, string what, int seconds = 60)
    {
        var index = -1;
        await spotify.WaitForAsync(_ => (index = found()) >= 0, 1, TimeSpan.FromSeconds(seconds), what);
        return index;
    }

    public static HttpClient Browser(WebApplicationFactory<Program> app, CookieContainer cookies) =>
        app.CreateDefaultClient(HostApplication.Origin, new Microsoft.AspNetCore.Mvc.Testing.Handlers.CookieContainerHandler(cookies));
}
