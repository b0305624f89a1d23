using System.Net;

namespace OrleansSpotify.FakeSpotify.Tests;

/// <summary><see cref="FakeSpotifyOptions.AllowAnyRedirectUri"/>: the demo's switch for sign-in from any address; off keeps Spotify's rules.</summary>
public sealed class DemoRedirectUriTests
{
    public static TheoryData<string> OffLoopback => ["http://192.168.1.20:8080/auth/callback", "http://127.0.0.2:5080/auth/callback", "http://music.lan/auth/callback"];

    [Theory]
    [MemberData(nameof(OffLoopback))]
    public async Task PlainHttpOffTheLoopbackLiteralsIsRefusedByDefaultAndAcceptedInDemoMode(string redirectUri)
    {
        await using var strict = await FakeSpotifyHarness.StartAsync(o => o.AutoApproveUserId = "alex");
        await using var demo = await FakeSpotifyHarness.StartAsync(o =>
        {
            o.AutoApproveUserId = "alex";
            o.AllowAnyRedirectUri = true;
        });
        strict.Server.AddUser("alex", "Alex");
        demo.Server.AddUser("alex", "Alex");

        using var refused = await strict.GetAsync(Authorize(strict, redirectUri), null);
        using var accepted = await demo.GetAsync(Authorize(demo, redirectUri), null);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Found, accepted.StatusCode);
        Assert.StartsWith(redirectUri + "?code=", accepted.Headers.Location!.AbsoluteUri, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ftp://192.168.1.20/auth/callback")]
    [InlineData("/auth/callback")]
    [InlineData("http://192.168.1.20/auth/callback#x")]
    public async Task DemoModeStillRefusesWhatIsNotAnAbsoluteHttpUri(string redirectUri)
    {
        await using var demo = await FakeSpotifyHarness.StartAsync(o =>
        {
            o.AutoApproveUserId = "alex";
            o.AllowAnyRedirectUri = true;
        });
        demo.Server.AddUser("alex", "Alex");

        using var refused = await demo.GetAsync(Authorize(demo, redirectUri), null);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
    }

    private static string Authorize(FakeSpotifyHarness fake, string redirectUri) =>
        $"authorize?client_id={fake.Server.Options.ClientId}&response_type=code&redirect_uri={Uri.EscapeDataString(redirectUri)}&state=s";
}
