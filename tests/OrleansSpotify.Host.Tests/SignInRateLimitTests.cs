using System.Net;
using System.Text.Json;

namespace OrleansSpotify.Host.Tests;

/// <summary>
/// The sign-in endpoints are limited per client address (after forwarded headers). The window is an hour, so it cannot
/// roll over during the test whatever the machine's load: the limit is reached by count, not by time.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class SignInRateLimitTests
{
    private const int Limit = 4;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task OneAddressOverTheLimitGets429WithRetryAfterWhileAnotherIsUnaffected()
    {
        await using var host = KestrelHost.Start(new Dictionary<string, string?>
        {
            ["Spotify:ClientId"] = "rate-limit-client",
            ["Spotify:RedirectUri"] = "https://music.example.lan/auth/callback",
            ["SignInRateLimit:PermitLimit"] = Limit.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["SignInRateLimit:Window"] = "01:00:00",
        });
        using var first = new ProxiedBrowser(host.Origin, Client("198.51.100.1"));
        using var second = new ProxiedBrowser(host.Origin, Client("198.51.100.2"));

        // Login and callback share the budget.
        var allowed = new List<HttpStatusCode>();
        for (var i = 0; i < Limit; i++)
        {
            using var response = await first.GetAsync(i % 2 == 0 ? "/auth/login" : "/auth/callback?code=x&state=y", Ct);
            allowed.Add(response.StatusCode);
        }

        using var limited = await first.GetAsync("/auth/login", Ct);
        using var limitedCallback = await first.GetAsync("/auth/callback?code=x&state=y", Ct);
        using var other = await second.GetAsync("/auth/login", Ct);
        using var unlimited = await first.GetAsync("/healthz", Ct);

        Assert.DoesNotContain(HttpStatusCode.TooManyRequests, allowed);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, limitedCallback.StatusCode);
        var retryAfter = int.Parse(Assert.Single(limited.Headers.GetValues("Retry-After")), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 3600);
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await limited.Content.ReadAsStringAsync(Ct)).RootElement;
        Assert.Equal(429, problem.GetProperty("status").GetInt32());
        Assert.Equal("Too many sign-in attempts", problem.GetProperty("title").GetString());
        Assert.Equal(HttpStatusCode.Redirect, other.StatusCode);
        Assert.Equal(HttpStatusCode.OK, unlimited.StatusCode);
    }

    [Fact]
    public void TheLimitIsValidatedWithTheKeyInTheMessage()
    {
        var exception = Assert.ThrowsAny<Exception>(() =>
        {
            using var host = KestrelHost.Start(new Dictionary<string, string?>
            {
                ["Spotify:ClientId"] = "x",
                ["SignInRateLimit:PermitLimit"] = "0",
            });
        });

        Assert.Contains("SignInRateLimit__PermitLimit", exception.GetBaseException().Message, StringComparison.Ordinal);
    }

    /// <summary>A client behind the (trusted, loopback) proxy.</summary>
    private static Dictionary<string, string> Client(string address) => new() { ["X-Forwarded-For"] = address };
}
